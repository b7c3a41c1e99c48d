/**
 * A service user is identified only by a case reference, never a name. The format is configurable
 * (CASE_REF_PATTERN); the default takes 4–20 letters, digits, "-" or "/" with at least one digit, so a name
 * ("JohnSmith", "Mrs Jones") is always refused.
 */
export const DEFAULT_CASE_REF_PATTERN = '^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9/-]{3,19}$';

export class CaseRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseRefError';
  }
}

export function compileCaseRefPattern(pattern: string = DEFAULT_CASE_REF_PATTERN): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw new CaseRefError(`CASE_REF_PATTERN is not a valid regular expression: ${pattern}`);
  }
}

/** The reference, trimmed and upper-cased, or a CaseRefError a worker can act on. */
export function checkCaseRef(ref: unknown, pattern: RegExp): string {
  const value = typeof ref === 'string' ? ref.trim().toUpperCase() : '';
  if (!value) throw new CaseRefError("A case reference is needed for this record (not the person's name).");
  if (!pattern.test(value)) {
    throw new CaseRefError(
      "That doesn't look like a case reference. Use the reference from the case record (for example LCS-123456), never a name.",
    );
  }
  return value;
}
