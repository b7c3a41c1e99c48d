/**
 * The tables KeepSafe keeps, as Kysely types. One schema for both engines (SQLite and PostgreSQL): text for
 * times (ISO 8601 UTC, which sorts as time) and JSON, so every query is the same on both.
 */

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
  /** Unique: a retried Teams invoke finds the entry its first attempt made. */
  idempotency_key: string | null;
}

/** The hash-chained audit trail (see src/core/records/audit.ts). `seq` is the event's id. */
export interface AuditEventsTable {
  seq: number;
  at: string;
  actor_id: string;
  action: string;
  record_id: string | null;
  case_ref: string | null;
  kind: string | null;
  /** sha256 of the entry as stored (create/correct events only). */
  record_digest: string | null;
  /** Counts and ids only, as JSON. */
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

/**
 * Proactive messages waiting to be sent (or sent, or failed), written in the same transaction as the record
 * they belong to. `key` is unique: the same message queued twice is queued once.
 */
export interface OutboxTable {
  id: string;
  key: string;
  conversation_key: string;
  op: string;
  /** What to send (OutboxContent in types.ts) as JSON; 'null' for op 'record'. Bot Framework activities until migration 006. */
  content: string;
  thread_of: string | null;
  updates: string | null;
  /** op 'record' / 'update': a known activity id (e.g. the card a worker pressed). */
  target_activity_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_by: string | null;
  locked_until: string | null;
  sent_activity_id: string | null;
  sent_conversation_id: string | null;
  /** A status or error code, never content. */
  reason: string | null;
  created_at: string;
  done_at: string | null;
}

/** Conversation references for proactive messages (a 1:1 chat, the managers' channel, a team). */
export interface ConversationsTable {
  key: string;
  reference: string;
  kind: string;
  meta: string;
  unreachable_reason: string | null;
  updated_at: string;
}

/** Settings chosen from Teams (e.g. the managers' channel); changes are audited. */
export interface SettingsTable {
  name: string;
  value: string;
  updated_by: string;
  updated_at: string;
}

export interface Database {
  records: RecordsTable;
  audit_events: AuditEventsTable;
  bot_state: BotStateTable;
  outbox: OutboxTable;
  conversations: ConversationsTable;
  settings: SettingsTable;
}
