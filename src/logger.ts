/**
 * Structured logs: event names and ids only. Message text, card contents and names never reach a log line;
 * the redaction list is a second line of defence for fields that should never have been logged.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const REDACTED_PATHS = [
  'text',
  '*.text',
  'value',
  '*.value',
  'attachments',
  '*.attachments',
  'name',
  '*.name',
  'from.name',
  'recipient.name',
  'body',
  '*.body',
  'question',
  '*.question',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'password',
  '*.password',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'keepsafe' },
      messageKey: 'event',
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
