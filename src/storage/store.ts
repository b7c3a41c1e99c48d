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
import { KeepSafeError } from '../errors';
import type { Logger } from '../logger';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

export type Engine = 'sqlite' | 'postgres';

export interface StoreOptions {
  databaseUrl?: string;
  dataDir: string;
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

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof KeepSafeError) throw err;
    if (isUnavailable(err)) throw new StoreUnavailableError(err);
    throw err;
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

/** Arbitrary, fixed: "KS" + "MIGR" as a bigint. */
const MIGRATION_LOCK_ID = 0x4b534d494752;

export async function openStore(options: StoreOptions): Promise<RecordStore> {
  const { db, engine } = createDb(options);
  try {
    const applied = await guard(() => (engine === 'postgres' ? migratePostgres(db, options.schema) : migrateToLatest(db)));
    if (applied.length) options.logger?.info({ engine, migrations: applied }, 'store.migrated');
  } catch (err) {
    await db.destroy();
    throw err;
  }

  return {
    engine,
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
