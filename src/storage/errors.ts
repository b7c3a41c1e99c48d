/**
 * Storage faults. StoreUnavailableError means the database could not be reached and NOTHING was saved: the
 * caller must say so (and keep what the worker typed), never report success.
 */
import { KeepSafeError } from '../errors';

export class StoreUnavailableError extends KeepSafeError {
  constructor(cause: unknown) {
    super('STORE_UNAVAILABLE', errorCodeOf(cause), { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** A short code for a database error (never its message, which may quote data). */
export function errorCodeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code) return code;
  return (err as Error)?.name || 'UNKNOWN';
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '53300', // too_many_connections
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

/** True when an error means "the database is not there (right now)", as opposed to a bad query or entry. */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  const code = (err as { code?: string })?.code;
  if (code && (CONNECTION_CODES.has(code) || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_BUSY')))
    return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    (err as Error)?.message ?? '',
  );
}
