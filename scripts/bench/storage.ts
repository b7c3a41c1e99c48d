/**
 * Record store figures, on SQLite and (when a PostgreSQL URL is given, in a scratch schema dropped afterwards)
 * on PostgreSQL:
 *  - entries written per second and write latency (p50/p99): one writer, then several at once (as several
 *    bot instances would), each write a whole transaction with its audit event, durable before it returns;
 *  - the time `npm run audit:verify` takes over an audit trail of 100,000 events (AUDIT_EVENTS to change it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { NewEntry } from '../../src/core/records/entry';
import { openStore } from '../../src/storage/store';
import type { RecordStore, StoreOptions } from '../../src/storage/types';

const AUDIT_EVENTS = Number(process.env.AUDIT_EVENTS || 100_000);

function entry(i: number): NewEntry {
  return {
    kind: 'written_record',
    caseRef: `LCS-${100000 + (i % 500)}`,
    author: { aadObjectId: `aad-${i % 50}`, name: 'Bench Worker' },
    fields: {
      whatWasSeen: `Bruise on the left forearm, about 3 cm, yellowing at the edges (${i}).`,
      explanationGiven: 'Said they fell off a bike.',
    },
    guidanceVersion: '1.0',
  };
}

function percentile(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))].toFixed(3));
}

async function writes(
  store: RecordStore,
  n: number,
  concurrency: number,
  offset: number,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await store.append(entry(offset + i), { idempotencyKey: `bench-${offset + i}` });
        times.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: Math.round(n / seconds), p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function run(
  label: string,
  options: StoreOptions,
  n: number,
  log: (s: string) => void,
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  // Two stores on one database stand for two bot instances; on SQLite they share the file.
  const [a, b] = [await openStore(options), await openStore(options)];
  try {
    const one = await writes(a, n, 1, 0);
    log(`  ${label}: one writer, ${n} entries: ${one.perSecond}/s, p99 ${one.p99} ms`);
    figures[`${label} entries written per second (one writer)`] = one.perSecond;
    figures[`${label} write latency p50 (ms, one writer)`] = one.p50;
    figures[`${label} write latency p99 (ms, one writer)`] = one.p99;

    if (options.databaseUrl) {
      // PostgreSQL: two stores (two bot instances) with four writers each, sharing the audit chain's lock.
      const started = performance.now();
      const [x, y] = await Promise.all([writes(a, n / 2, 4, n), writes(b, n / 2, 4, n + n / 2)]);
      const both = Math.round(n / ((performance.now() - started) / 1000));
      log(`  ${label}: two stores × four writers, ${n} entries: ${both}/s, p99 ${Math.max(x.p99, y.p99)} ms`);
      figures[`${label} entries written per second (two stores × four writers)`] = both;
      figures[`${label} write latency p99 (ms, two stores × four writers)`] = Math.max(x.p99, y.p99);
    } else {
      // SQLite is the one-instance engine: eight turns writing at once through the one store. (Two stores in one
      // process would block each other: better-sqlite3 waits for a lock synchronously.)
      const many = await writes(a, n, 8, n);
      log(`  ${label}: one store × eight writers, ${n} entries: ${many.perSecond}/s, p99 ${many.p99} ms`);
      figures[`${label} entries written per second (one store × eight writers)`] = many.perSecond;
      figures[`${label} write latency p99 (ms, one store × eight writers)`] = many.p99;
    }

    // Fill the trail up to AUDIT_EVENTS events (one per entry), then time the full verification.
    const have = 2 * n;
    const fill = Math.max(0, AUDIT_EVENTS - have);
    const step = 10_000;
    for (let done = 0; done < fill;) {
      const batch = Math.min(step, fill - done);
      await writes(a, batch, 4, 2 * n + done);
      done += batch;
      log(`  ${label}: audit trail ${have + done}/${AUDIT_EVENTS} events`);
    }
    const v0 = performance.now();
    const report = await b.verifyAudit();
    const ms = Math.round(performance.now() - v0);
    if (!report.ok || report.checked !== Math.max(AUDIT_EVENTS, have))
      throw new Error(`audit verification failed: ${JSON.stringify(report)}`);
    log(`  ${label}: verified ${report.checked} events in ${ms} ms`);
    figures[`${label} audit verification of ${report.checked.toLocaleString('en-GB')} events (ms)`] = ms;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  return figures;
}

export async function benchStorage(
  log: (s: string) => void,
  opts: { pgUrl?: string },
  n = 2000,
): Promise<Record<string, number>> {
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
