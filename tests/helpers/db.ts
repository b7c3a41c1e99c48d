/**
 * Test databases. SQLite: a fresh folder per store. PostgreSQL: switched on by TEST_DATABASE_URL
 * (e.g. postgres://postgres@127.0.0.1:5432/test); each test database is its own schema `ks_test_<pid>_<random>`,
 * dropped afterwards, so runs (and parallel jest workers) never collide.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Client } from 'pg';

export const PG_URL = process.env.TEST_DATABASE_URL || undefined;

export type EngineName = 'sqlite' | 'postgres';

export interface TestDb {
  name: EngineName;
  options: { databaseUrl?: string; dataDir: string; schema?: string };
  /** Runs SQL behind the store's back (to tamper with rows, or to look at them). */
  raw(statement: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export async function makeTestDb(engine: EngineName): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-db-'));
  if (engine === 'sqlite') {
    return {
      name: 'sqlite',
      options: { dataDir },
      async raw(statement) {
        const file = new SQLite(path.join(dataDir, 'keepsafe.sqlite'));
        try {
          file.pragma('busy_timeout = 5000');
          const prepared = file.prepare(statement);
          return prepared.reader ? (prepared.all() as Record<string, unknown>[]) : (prepared.run(), []);
        } finally {
          file.close();
        }
      },
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `ks_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    options: { databaseUrl: PG_URL, dataDir, schema },
    async raw(statement) {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`set search_path to "${schema}"`);
        return (await client.query(statement)).rows;
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The engines to run a contract suite on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const ENGINES: EngineName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
