/** Entries to rows and back. */
import type { StoredEntry } from '../core/records/entry';
import type { RecordsTable } from './schema';

export function toEntry(row: RecordsTable): StoredEntry {
  return {
    id: row.id,
    kind: row.kind,
    caseRef: row.case_ref,
    author: { aadObjectId: row.author_id, name: row.author_name },
    createdAt: row.created_at,
    fields: JSON.parse(row.fields),
    guidanceVersion: row.guidance_version,
    corrects: row.corrects,
    reason: row.reason,
  } as StoredEntry;
}

export function toRow(entry: StoredEntry, idempotencyKey: string | null): RecordsTable {
  return {
    id: entry.id,
    kind: entry.kind,
    case_ref: entry.caseRef,
    author_id: entry.author.aadObjectId,
    author_name: entry.author.name,
    created_at: entry.createdAt,
    fields: JSON.stringify(entry.fields),
    guidance_version: entry.guidanceVersion,
    corrects: entry.corrects,
    reason: entry.reason,
    idempotency_key: idempotencyKey,
  };
}
