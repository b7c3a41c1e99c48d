/**
 * Opening either engine behind Kysely, and the two helpers every store method goes through:
 *  - guard(): retries work that failed because the database could not be reached, then throws
 *    StoreUnavailableError (never a silent success);
 *  - writeTx(): one serialised write transaction — on PostgreSQL under a transaction-scoped advisory lock, so
 *    two bot instances never fork the audit chain; on SQLite with BEGIN IMMEDIATE, so two processes on one
 *    file queue on the write lock (busy_timeout) instead of failing to upgrade a read transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { KeepSafeError } from '../errors';
import type { Logger } from '../logger';
import { errorCodeOf, isUnavailable, StoreUnavailableError } from './errors';
import type { Database } from './schema';
import type { Engine } from './types';

/** Arbitrary fixed advisory lock ids: "KS"+"MIGR" for migrations, "KS"+"AUDT" for audit appends. */
export const MIGRATION_LOCK_ID = 0x4b534d494752;
export const AUDIT_LOCK_ID = 0x4b5341554454;

export const SQLITE_FILE_NAME = 'keepsafe.sqlite';

export interface Handle {
  db: Kysely<Database>;
  engine: Engine;
  /** The SQLite file, or a PostgreSQL URL with the password masked (for messages). */
  where: string;
}

function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export function isPostgresUrl(url: string | undefined): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//i.test(url.trim());
}

export function openHandle(options: {
  databaseUrl?: string;
  dataDir: string;
  schema?: string;
  logger?: Logger;
}): Handle {
  if (options.databaseUrl && options.databaseUrl.trim()) {
    if (!isPostgresUrl(options.databaseUrl))
      throw new Error('DATABASE_URL must start with postgres:// (or be empty for SQLite)');
    if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema))
      throw new Error(`Not a plain PostgreSQL schema name: ${options.schema}`);
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      // Every connection of this store lives in its schema (tests give each run its own).
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // An idle client losing its connection (server restart, network cut) must not crash the bot: pg emits
    // 'error' on the pool, and an unhandled 'error' event would kill the process. The next query reports it.
    pool.on('error', (err) => options.logger?.warn({ code: errorCodeOf(err) }, 'store.pool_error'));
    // A client that is checked out (mid-query or mid-transaction) when its connection drops also emits 'error',
    // and pg-pool only listens while the client is idle. The query itself rejects with the error (and guard()
    // turns that into StoreUnavailableError), so a listener on every client only has to log it.
    pool.on('connect', (client) =>
      client.on('error', (err) => options.logger?.warn({ code: errorCodeOf(err) }, 'store.connection_lost')),
    );
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      engine: 'postgres',
      where: maskUrl(options.databaseUrl),
    };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, SQLITE_FILE_NAME);
  let database: SQLite.Database;
  try {
    database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before it is acknowledged (WAL + NORMAL could lose the last commits on power loss).
    database.pragma('synchronous = FULL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
  } catch (err) {
    throw new StoreUnavailableError(err);
  }
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), engine: 'sqlite', where: file };
}

/** Waits before each retry of work that failed because the database could not be reached. */
export const RETRY_DELAYS_MS = [150, 600];

/**
 * Runs one unit of database work. If the database cannot be reached it tries again — each unit is a whole
 * transaction and every write carries an idempotency key, so a retry after a lost COMMIT acknowledgement never
 * doubles an entry — then gives up with StoreUnavailableError.
 */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      if (err instanceof KeepSafeError || !isUnavailable(err)) throw err;
      if (attempt >= RETRY_DELAYS_MS.length) throw new StoreUnavailableError(err);
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
  }
}

/** One serialised write transaction (see the file comment). Not retried by itself: wrap it in guard(). */
export async function writeTx<T>(handle: Handle, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (handle.engine === 'postgres') {
    return handle.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
      return work(trx);
    });
  }
  return handle.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined); // a no-op if the commit went through
      throw err;
    }
  });
}
