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

export interface Database {
  feedback: FeedbackTable;
}
