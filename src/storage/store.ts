/**
 * The record store behind one narrow interface, on SQLite (the embedded default: a file under DATA_DIR) or
 * PostgreSQL (DATABASE_URL=postgres://..., for several bot instances sharing one database).
 * Kysely is the typed query builder for both, so there is one copy of every query.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { GENESIS_HASH, chain, verifyChain, type AuditAction, type AuditEvent, type ChainReport } from '../core/records/audit';
import { CaseRefError, checkCaseRef, compileCaseRefPattern } from '../core/records/caseRef';
import { isRecordKind, RECORD_KINDS, type RecordKind } from '../core/records/kinds';
import { KeepSafeError } from '../errors';
import type { Logger } from '../logger';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';
import { DatabaseStateStorage } from './stateStorage';

export type Engine = 'sqlite' | 'postgres';

export interface StoreOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Regular expression a case reference must match (default: see src/core/records/caseRef.ts). */
  caseRefPattern?: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string;
  logger?: Logger;
}

export interface FeedbackEntry {
  section: string;
  helpful: boolean;
  authorId: string;
  guidanceVersion: string;
  idempotencyKey: string;
}

export interface NewRecord {
  kind: string;
  caseRef?: string | null;
  /** Teams AAD object id and display name of the member of staff making the entry. */
  author: { id: string; name: string };
  fields: unknown;
  guidanceVersion: string;
}

export interface StoredRecord {
  id: string;
  kind: RecordKind;
  caseRef: string | null;
  author: { id: string; name: string };
  createdAt: string;
  fields: Record<string, unknown>;
  guidanceVersion: string;
  corrects: string | null;
  reason: string | null;
}

export interface RecordFilter {
  authorId?: string;
  caseRef?: string;
  kind?: RecordKind;
  limit?: number;
}

export interface Viewer {
  id: string;
  isManager: boolean;
}

/** Someone asked for an entry they may not see. */
export class RecordAccessError extends Error {
  readonly code = 'RECORD_FORBIDDEN';
  readonly userMessage = 'Only managers can see entries made by other people.';
  constructor() {
    super('RECORD_FORBIDDEN');
    this.name = 'RecordAccessError';
  }
}

/** An entry that cannot be stored as given; `userMessage` says what to change. Nothing was saved. */
export class RecordInputError extends Error {
  readonly code = 'RECORD_INVALID';
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'RecordInputError';
  }
}

export interface StoreHealth {
  ok: boolean;
  engine: Engine;
  latencyMs?: number;
}

export interface RecordStore {
  readonly engine: Engine;
  /** Records a "Was this helpful?" answer; the same idempotency key twice makes one entry. Returns true if new. */
  recordFeedback(entry: FeedbackEntry): Promise<boolean>;
  feedbackCounts(): Promise<Array<{ section: string; helpful: number; notHelpful: number }>>;
  /** Appends a record and its audit event atomically; a repeated idempotency key returns the first entry. */
  appendRecord(input: NewRecord, options?: { idempotencyKey?: string }): Promise<StoredRecord>;
  /** A correction is a new entry pointing at the one it corrects, with a reason; nothing is changed in place. */
  correctRecord(correctsId: string, input: NewRecord, reason: string, options?: { idempotencyKey?: string }): Promise<StoredRecord>;
  listRecords(filter: RecordFilter): Promise<StoredRecord[]>;
  /** Reads one entry. Staff see their own; only managers see others' (and that view is audited). */
  getRecord(id: string, viewer: Viewer): Promise<StoredRecord | undefined>;
  /** Entries created in [from, to), oldest first, for a CSV export; the export itself is audited. */
  exportRecords(range: { from: Date; to: Date; caseRef?: string }, actorId: string): Promise<StoredRecord[]>;
  /** Deletes entries older than their kind's retention period; audits kind and count only. */
  runRetention(now: Date, retentionDays: Partial<Record<RecordKind, number>>): Promise<Partial<Record<RecordKind, number>>>;
  /** Walks the whole audit chain and reports the first broken link. */
  verifyAudit(): Promise<ChainReport>;
  /** Bot Framework state (botbuilder's Storage shape) in the same database. */
  readonly state: DatabaseStateStorage;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** The database could not be reached: nothing was saved, and the caller must say so. */
export class StoreUnavailableError extends KeepSafeError {
  constructor(cause: unknown) {
    super('STORE_UNAVAILABLE', (cause as Error)?.message, { cause });
    this.name = 'StoreUnavailableError';
  }
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P03', '08006', '08001', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR']);

function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  if (code && CONNECTION_ERRORS.has(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test((err as Error)?.message ?? '');
}

/** Waits before each retry of work that failed because the database could not be reached. */
export const RETRY_DELAYS_MS = [150, 600];

/**
 * Runs one unit of database work. If the database cannot be reached it tries again (the work is a whole
 * transaction, and writes carry idempotency keys, so a retry never doubles an entry), then gives up with
 * StoreUnavailableError so the caller never reports success for an unsaved entry.
 */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (err instanceof KeepSafeError) throw err;
      if (!isUnavailable(err)) throw err;
      if (attempt >= RETRY_DELAYS_MS.length) throw new StoreUnavailableError(err);
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
  }
}

function createDb(options: StoreOptions): { db: Kysely<Database>; engine: Engine } {
  if (options.databaseUrl) {
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 3000,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // An idle client losing its connection must not crash the bot; the next query reports it.
    pool.on('error', (err) => options.logger?.warn({ code: (err as { code?: string }).code ?? err.name }, 'store.pool_error'));
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), engine: 'postgres' };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'keepsafe.sqlite');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), engine: 'sqlite' };
}

/**
 * Several instances may start at once against one PostgreSQL database: the schema and the migration tables are
 * created under one advisory lock, on one connection, so they never race.
 */
async function migratePostgres(db: Kysely<Database>, schema?: string): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
    try {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
      return await migrateToLatest(conn, schema);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn);
    }
  });
}

/** Arbitrary, fixed advisory lock ids ("KS" + "MIGR", "KS" + "AUDT"). */
const MIGRATION_LOCK_ID = 0x4b534d494752;
const AUDIT_LOCK_ID = 0x4b5341554454;

function toRecord(row: { id: string; kind: string; case_ref: string | null; author_id: string; author_name: string; created_at: string; fields: string; guidance_version: string; corrects: string | null; reason: string | null }): StoredRecord {
  return {
    id: row.id,
    kind: row.kind as RecordKind,
    caseRef: row.case_ref,
    author: { id: row.author_id, name: row.author_name },
    createdAt: row.created_at,
    fields: JSON.parse(row.fields),
    guidanceVersion: row.guidance_version,
    corrects: row.corrects,
    reason: row.reason,
  };
}

function toAuditEvent(row: { seq: number; at: string; actor_id: string; action: string; record_id: string | null; case_ref: string | null; kind: string | null; detail: string; prev_hash: string; hash: string }): AuditEvent {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    action: row.action as AuditAction,
    recordId: row.record_id,
    caseRef: row.case_ref,
    kind: row.kind,
    detail: JSON.parse(row.detail),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function openStore(options: StoreOptions): Promise<RecordStore> {
  const { db, engine } = createDb(options);
  try {
    const applied = await guard(() => (engine === 'postgres' ? migratePostgres(db, options.schema) : migrateToLatest(db)));
    if (applied.length) options.logger?.info({ engine, migrations: applied }, 'store.migrated');
  } catch (err) {
    await db.destroy();
    throw err;
  }

  const caseRefPattern = compileCaseRefPattern(options.caseRefPattern);

  /** Validates an entry against its kind; throws RecordInputError with a sentence a worker can act on. */
  function validate(input: NewRecord): { kind: RecordKind; caseRef: string | null; fields: Record<string, unknown> } {
    if (!isRecordKind(input.kind)) throw new RecordInputError(`Unknown kind of record "${input.kind}".`);
    const spec = RECORD_KINDS[input.kind];
    let caseRef: string | null = null;
    try {
      if (spec.caseRef === 'required' || (input.caseRef !== undefined && input.caseRef !== null && input.caseRef !== '')) {
        caseRef = checkCaseRef(input.caseRef, caseRefPattern);
      }
    } catch (err) {
      if (err instanceof CaseRefError) throw new RecordInputError(err.message);
      throw err;
    }
    const parsed = spec.fields.safeParse(input.fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RecordInputError(`${issue.path.join('.') || 'The entry'}: ${issue.message}`);
    }
    if (!input.author?.id) throw new RecordInputError('The entry has no author.');
    return { kind: input.kind, caseRef, fields: parsed.data as Record<string, unknown> };
  }

  async function appendAudit(trx: Kysely<Database>, body: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash' | 'at'>): Promise<void> {
    const last = await trx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const event = chain(last?.hash ?? GENESIS_HASH, { ...body, seq: Number(last?.seq ?? 0) + 1, at: new Date().toISOString() });
    await trx
      .insertInto('audit_events')
      .values({
        seq: event.seq,
        at: event.at,
        actor_id: event.actorId,
        action: event.action,
        record_id: event.recordId,
        case_ref: event.caseRef,
        kind: event.kind,
        detail: JSON.stringify(event.detail),
        prev_hash: event.prevHash,
        hash: event.hash,
      })
      .execute();
  }

  /** One transaction: the record, its audit event and its idempotency key, or nothing at all. */
  async function writeRecord(input: NewRecord, corrects: string | null, reason: string | null, idempotencyKey?: string): Promise<StoredRecord> {
    const valid = validate(input);
    return guard(() =>
      db.transaction().execute(async (trx) => {
        // Appends are serialised so the audit chain never forks, also across instances on PostgreSQL.
        if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
        if (idempotencyKey) {
          const seen = await trx.selectFrom('records').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
          if (seen) return toRecord(seen);
        }
        if (corrects) {
          const old = await trx.selectFrom('records').select(['id', 'kind']).where('id', '=', corrects).executeTakeFirst();
          if (!old) throw new RecordInputError('The entry being corrected does not exist.');
          if (old.kind !== valid.kind) throw new RecordInputError('A correction must be of the same kind as the entry it corrects.');
        }
        const row = {
          id: randomUUID(),
          kind: valid.kind,
          case_ref: valid.caseRef,
          author_id: input.author.id,
          author_name: input.author.name,
          created_at: new Date().toISOString(),
          fields: JSON.stringify(valid.fields),
          guidance_version: input.guidanceVersion,
          corrects,
          reason,
          idempotency_key: idempotencyKey ?? null,
        };
        await trx.insertInto('records').values(row).execute();
        const action: AuditAction = corrects ? 'correct' : 'create';
        await appendAudit(trx, {
          actorId: input.author.id,
          action,
          recordId: row.id,
          caseRef: row.case_ref,
          kind: row.kind,
          detail: corrects ? { corrects } : {},
        });
        return toRecord(row);
      }),
    );
  }

  return {
    engine,
    state: new DatabaseStateStorage(db, guard),
    async recordFeedback(entry) {
      return guard(async () => {
        const result = await db
          .insertInto('feedback')
          .values({
            id: randomUUID(),
            section: entry.section,
            helpful: entry.helpful ? 1 : 0,
            author_id: entry.authorId,
            guidance_version: entry.guidanceVersion,
            created_at: new Date().toISOString(),
            idempotency_key: entry.idempotencyKey,
          })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
      });
    },
    async feedbackCounts() {
      return guard(async () => {
        const rows = await db
          .selectFrom('feedback')
          .select(['section', 'helpful', (eb) => eb.fn.countAll<string | number>().as('n')])
          .groupBy(['section', 'helpful'])
          .orderBy('section')
          .execute();
        const bySection = new Map<string, { section: string; helpful: number; notHelpful: number }>();
        for (const r of rows) {
          const item = bySection.get(r.section) ?? { section: r.section, helpful: 0, notHelpful: 0 };
          if (Number(r.helpful) === 1) item.helpful += Number(r.n);
          else item.notHelpful += Number(r.n);
          bySection.set(r.section, item);
        }
        return [...bySection.values()];
      });
    },
    async appendRecord(input, opts = {}) {
      return writeRecord(input, null, null, opts.idempotencyKey);
    },
    async correctRecord(correctsId, input, reason, opts = {}) {
      if (!reason?.trim()) throw new RecordInputError('Say why this entry corrects the earlier one.');
      return writeRecord(input, correctsId, reason.trim(), opts.idempotencyKey);
    },
    async listRecords(filter) {
      return guard(async () => {
        let q = db.selectFrom('records').selectAll();
        if (filter.authorId) q = q.where('author_id', '=', filter.authorId);
        if (filter.caseRef) q = q.where('case_ref', '=', filter.caseRef.trim().toUpperCase());
        if (filter.kind) q = q.where('kind', '=', filter.kind);
        const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(Math.min(filter.limit ?? 50, 1000)).execute();
        return rows.map(toRecord);
      });
    },
    async getRecord(id, viewer) {
      return guard(async () => {
        const row = await db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return undefined;
        if (row.author_id === viewer.id) return toRecord(row);
        if (!viewer.isManager) throw new RecordAccessError();
        await db.transaction().execute(async (trx) => {
          if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
          await appendAudit(trx, { actorId: viewer.id, action: 'view', recordId: row.id, caseRef: row.case_ref, kind: row.kind, detail: {} });
        });
        return toRecord(row);
      });
    },
    async exportRecords(range, actorId) {
      return guard(async () => {
        let q = db
          .selectFrom('records')
          .selectAll()
          .where('created_at', '>=', range.from.toISOString())
          .where('created_at', '<', range.to.toISOString());
        const caseRef = range.caseRef ? range.caseRef.trim().toUpperCase() : null;
        if (caseRef) q = q.where('case_ref', '=', caseRef);
        const rows = await q.orderBy('created_at').orderBy('id').execute();
        await db.transaction().execute(async (trx) => {
          if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
          await appendAudit(trx, {
            actorId,
            action: 'export',
            recordId: null,
            caseRef,
            kind: null,
            detail: { count: rows.length, from: range.from.toISOString(), to: range.to.toISOString() },
          });
        });
        return rows.map(toRecord);
      });
    },
    async runRetention(now, retentionDays) {
      return guard(() =>
        db.transaction().execute(async (trx) => {
          if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
          const deleted: Partial<Record<RecordKind, number>> = {};
          for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
            const days = retentionDays[kind] ?? RECORD_KINDS[kind].retentionDays;
            const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
            let total = 0;
            // Only entries nothing else points at can go; a chain of corrections goes leaf first.
            for (;;) {
              const result = await trx
                .deleteFrom('records')
                .where('kind', '=', kind)
                .where('created_at', '<', cutoff)
                .where(({ not, exists, selectFrom }) =>
                  not(exists(selectFrom('records as c').select('c.id').whereRef('c.corrects', '=', 'records.id'))),
                )
                .executeTakeFirst();
              const n = Number(result.numDeletedRows ?? 0);
              total += n;
              if (n === 0) break;
            }
            if (total > 0) {
              deleted[kind] = total;
              await appendAudit(trx, { actorId: 'retention', action: 'retention_delete', recordId: null, caseRef: null, kind, detail: { deleted: total, olderThanDays: days } });
            }
          }
          return deleted;
        }),
      );
    },
    async verifyAudit() {
      return guard(async () => {
        const pageSize = 5000;
        let start = { prevHash: GENESIS_HASH, seq: 0 };
        let checked = 0;
        for (;;) {
          const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', start.seq).orderBy('seq').limit(pageSize).execute();
          if (rows.length === 0) return { ok: true, checked };
          const report = verifyChain(rows.map(toAuditEvent), start);
          checked += report.checked;
          if (!report.ok) return { ...report, checked };
          const last = rows[rows.length - 1];
          start = { prevHash: last.hash, seq: Number(last.seq) };
        }
      });
    },
    async health() {
      const started = performance.now();
      try {
        await sql`select 1`.execute(db);
        return { ok: true, engine, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch {
        return { ok: false, engine };
      }
    },
    async close() {
      await db.destroy(); // also ends the PostgreSQL pool
    },
  };
}
