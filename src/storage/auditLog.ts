/**
 * Appending to and reading the audit chain. Callers hold the write lock (writeTx in db.ts), so the "read the
 * last event, write the next" pair can never interleave between two writers; the primary key on seq is a
 * second guard (a forked append would collide and roll back).
 */
import type { Kysely } from 'kysely';
import { chain, GENESIS_HASH, type AuditAction, type AuditEvent, type AuditEventBody } from '../core/records/audit';
import type { AuditEventsTable, Database } from './schema';

export type NewAuditEvent = Omit<AuditEventBody, 'seq' | 'at'>;

export async function appendAuditEvent(
  trx: Kysely<Database>,
  body: NewAuditEvent,
  now = new Date(),
): Promise<AuditEvent> {
  const last = await trx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const event = chain(last?.hash ?? GENESIS_HASH, { ...body, seq: Number(last?.seq ?? 0) + 1, at: now.toISOString() });
  await trx.insertInto('audit_events').values(toAuditRow(event)).execute();
  return event;
}

export function toAuditRow(event: AuditEvent): AuditEventsTable {
  return {
    seq: event.seq,
    at: event.at,
    actor_id: event.actorId,
    action: event.action,
    record_id: event.recordId,
    case_ref: event.caseRef,
    kind: event.kind,
    record_digest: event.recordDigest ?? null,
    detail: JSON.stringify(event.detail),
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

export function toAuditEvent(row: AuditEventsTable): AuditEvent {
  let detail: AuditEvent['detail'];
  try {
    detail = JSON.parse(row.detail);
  } catch {
    detail = { unparsable: row.detail }; // altered behind our back: the hash check will say so
  }
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    action: row.action as AuditAction,
    recordId: row.record_id,
    caseRef: row.case_ref,
    kind: row.kind,
    ...(row.record_digest === null || row.record_digest === undefined ? {} : { recordDigest: row.record_digest }),
    detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
