/**
 * One catalogue of typed errors with stable codes. Only the plain `userMessage` ever goes back to a worker;
 * the code and the reference go to the log.
 */

export const ErrorCodes = {
  CONFIG_INVALID: 'Settings are not valid.',
  CONTENT_INVALID: 'The guidance content could not be loaded.',
  CARD_PAYLOAD_INVALID:
    "Sorry, I couldn't use that button. It may be from an old card: type your question to get a fresh one.",
  STORE_UNAVAILABLE: "I couldn't save that just now. Nothing has been lost — please try again in a minute.",
  INTERNAL: 'Something went wrong on our side. Please try again; if it keeps happening, quote the reference to IT.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class KeepSafeError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = 'KeepSafeError';
    this.code = code;
    this.userMessage = ErrorCodes[code];
  }
}

/** A setting is missing or wrong: the message names the variable. */
export class ConfigError extends KeepSafeError {
  readonly variable: string;
  constructor(variable: string, problem: string, moreProblems = 0) {
    super(
      'CONFIG_INVALID',
      `${variable} ${problem}${moreProblems > 0 ? ` (and ${moreProblems} more problem(s))` : ''}`,
    );
    this.name = 'ConfigError';
    this.variable = variable;
    this.message = `Invalid setting ${variable}: ${problem}${moreProblems > 0 ? ` (and ${moreProblems} more problem(s))` : ''}`;
  }
}

/** A short, speakable reference a worker can quote; the log line carries the same reference. */
export function newErrorReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let ref = 'KS-';
  for (let i = 0; i < 6; i++) ref += alphabet[Math.floor(Math.random() * alphabet.length)];
  return ref;
}

export function errorCodeOf(err: unknown): string {
  if (err instanceof KeepSafeError) return err.code;
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return 'INTERNAL';
}
