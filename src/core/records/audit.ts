/**
 * The audit trail is tamper-evident: each event's hash covers the previous event's hash and the event itself
 * (canonical JSON, sorted keys). Altering, removing or reordering any stored event breaks the chain from there.
 * Events carry who, what, when, which record and case reference — never a record's free text.
 */
import { createHash } from 'node:crypto';

export type AuditAction = 'create' | 'correct' | 'view' | 'export' | 'retention_delete' | 'refused' | 'setting_change';
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'create',
  'correct',
  'view',
  'export',
  'retention_delete',
  'refused',
  'setting_change',
];

export interface AuditEventBody {
  seq: number;
  at: string;
  actorId: string;
  action: AuditAction;
  recordId: string | null;
  caseRef: string | null;
  kind: string | null;
  /**
   * For create and correct: the sha256 digest of the entry as stored (see entryDigest in entry.ts), so an entry
   * altered behind the store's back is caught. Absent on other actions (and on events written before it existed).
   */
  recordDigest?: string;
  /** Counts and ids only (e.g. {"deleted": 12}); never free text. */
  detail: Record<string, string | number | boolean | null>;
}

export interface AuditEvent extends AuditEventBody {
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashEvent(prevHash: string, body: AuditEventBody): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(body)).digest('hex');
}

export function chain(prevHash: string, body: AuditEventBody): AuditEvent {
  return { ...body, prevHash, hash: hashEvent(prevHash, body) };
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** Id (sequence number) of the first audit event that does not verify, or that vouches for an altered entry. */
  firstBrokenId?: number;
  /** When an entry itself was altered, added or removed behind the store's back: its id. */
  recordId?: string;
  reason?: string;
}

/** Walks events in order of seq and reports the first broken link. */
export function verifyChain(
  events: Iterable<AuditEvent>,
  start: { prevHash: string; seq: number } = { prevHash: GENESIS_HASH, seq: 0 },
): ChainReport {
  let prev = start.prevHash;
  let expectedSeq = start.seq + 1;
  let checked = 0;
  for (const e of events) {
    const { prevHash, hash, ...body } = e;
    if (e.seq !== expectedSeq)
      return { ok: false, checked, firstBrokenId: e.seq, reason: `event ${expectedSeq} is missing (found ${e.seq})` };
    if (prevHash !== prev)
      return { ok: false, checked, firstBrokenId: e.seq, reason: 'does not point at the previous event' };
    if (hashEvent(prevHash, body) !== hash)
      return { ok: false, checked, firstBrokenId: e.seq, reason: 'its contents were altered' };
    prev = hash;
    expectedSeq++;
    checked++;
  }
  return { ok: true, checked };
}
