/**
 * The tables KeepSafe keeps, as Kysely types. One schema for both engines (SQLite and PostgreSQL).
 */
import type { ColumnType } from 'kysely';

export interface FeedbackTable {
  id: string;
  /** Guidance section the answer card showed. */
  section: string;
  /** 1 = helpful, 0 = not helpful (an integer on both engines). */
  helpful: number;
  /** Teams AAD object id of the worker: no names, no question text. */
  author_id: string;
  guidance_version: string;
  created_at: ColumnType<string, string, never>;
  idempotency_key: string;
}

/** Append-only: rows are never updated; a correction is a new row pointing at the old one. */
export interface RecordsTable {
  id: string;
  kind: string;
  case_ref: string | null;
  author_id: string;
  author_name: string;
  created_at: string;
  /** The structured fields of the kind, as JSON. */
  fields: string;
  guidance_version: string;
  corrects: string | null;
  reason: string | null;
  idempotency_key: string | null;
}

/** The hash-chained audit trail (see src/core/records/audit.ts). */
export interface AuditEventsTable {
  seq: number;
  at: string;
  actor_id: string;
  action: string;
  record_id: string | null;
  case_ref: string | null;
  kind: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** Bot Framework conversation and user state, with an eTag per item for optimistic concurrency. */
export interface BotStateTable {
  key: string;
  data: string;
  etag: string;
  updated_at: string;
}

export interface Database {
  feedback: FeedbackTable;
  bot_state: BotStateTable;
  records: RecordsTable;
  audit_events: AuditEventsTable;
}
