/**
 * Test databases. SQLite: a fresh folder per store. PostgreSQL: switched on by TEST_DATABASE_URL
 * (e.g. postgres://postgres@127.0.0.1:5432/test); each store gets its own schema, dropped afterwards, so runs
 * never collide.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export const PG_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDb {
  name: 'sqlite' | 'postgres';
  options: { databaseUrl?: string; dataDir: string; schema?: string };
  cleanup(): Promise<void>;
}

export async function makeTestDb(engine: 'sqlite' | 'postgres'): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-db-'));
  if (engine === 'sqlite') {
    return { name: 'sqlite', options: { dataDir }, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `ks_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    options: { databaseUrl: PG_URL, dataDir, schema },
    async cleanup() {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The engines to run a contract suite on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const ENGINES: Array<'sqlite' | 'postgres'> = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!PG_URL) process.stderr.write('storage: PostgreSQL half skipped (set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it)\n');
