/**
 * Record store figures: feedback entries written per second and write latency (p50/p99), on SQLite and, when a
 * PostgreSQL URL is given, on PostgreSQL (in a scratch schema that is dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openStore } from '../../src/storage/store';

async function run(label: string, options: { databaseUrl?: string; dataDir: string; schema?: string }, n: number, log: (s: string) => void) {
  const store = await openStore(options);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await store.recordFeedback({ section: '2.2', helpful: i % 3 !== 0, authorId: `aad-${i % 50}`, guidanceVersion: '1.0', idempotencyKey: `bench-${i}` });
    times.push(performance.now() - s);
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  times.sort((a, b) => a - b);
  log(`  ${label}: ${n} writes in ${seconds.toFixed(2)} s`);
  return {
    [`${label} writes per second (one writer, durable)`]: Math.round(n / seconds),
    [`${label} write latency p50 (ms)`]: Number(times[Math.floor(n * 0.5)].toFixed(3)),
    [`${label} write latency p99 (ms)`]: Number(times[Math.floor(n * 0.99)].toFixed(3)),
  };
}

export async function benchStorage(log: (s: string) => void, opts: { pgUrl?: string }, n = 2000): Promise<Record<string, number>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-bench-db-'));
  const figures: Record<string, number> = {};
  try {
    Object.assign(figures, await run('SQLite', { dataDir }, n, log));
    if (opts.pgUrl) {
      const schema = `ks_bench_${randomBytes(4).toString('hex')}`;
      try {
        Object.assign(figures, await run('PostgreSQL', { databaseUrl: opts.pgUrl, dataDir, schema }, n, log));
      } finally {
        const c = new Client({ connectionString: opts.pgUrl });
        await c.connect();
        await c.query(`drop schema if exists "${schema}" cascade`);
        await c.end();
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
