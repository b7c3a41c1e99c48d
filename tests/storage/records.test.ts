/**
 * Records and the audit trail, on both engines: append-only entries identified by case reference, corrections,
 * idempotent writes, and a hash chain that catches a row altered behind the store's back.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import SQLite from 'better-sqlite3';
import { openStore, RecordInputError, type NewRecord, type RecordStore } from '../../src/storage/store';
import { ENGINES, makeTestDb, PG_URL, type TestDb } from '../helpers/db';

const AUTHOR = { id: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f', name: 'Sam Carter' };
const advice = (caseRef: string | null = 'LCS-104233'): NewRecord => ({
  kind: 'advice_request',
  caseRef,
  author: AUTHOR,
  fields: { concern: 'physical_injury', personType: 'child', immediateDanger: false },
  guidanceVersion: '1.0',
});

/** Runs raw SQL against the test database, behind the store's back. */
async function raw(db: TestDb, statement: string): Promise<unknown[]> {
  if (db.name === 'sqlite') {
    const file = new SQLite(path.join(db.options.dataDir, 'keepsafe.sqlite'));
    try {
      const prepared = file.prepare(statement);
      return prepared.reader ? prepared.all() : (prepared.run(), []);
    } finally {
      file.close();
    }
  }
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`set search_path to "${db.options.schema}"`);
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}
const tamper = raw;

describe.each(ENGINES.map((e) => [e]))('records on %s', (engine) => {
  let db: TestDb;
  let store: RecordStore;
  beforeEach(async () => {
    db = await makeTestDb(engine);
    store = await openStore(db.options);
  });
  afterEach(async () => {
    await store?.close();
    await db?.cleanup();
  });

  it('stores an entry with its kind, case reference, author, UTC time and guidance version', async () => {
    const r = await store.appendRecord(advice(' lcs-104233 '));
    expect(r).toMatchObject({ kind: 'advice_request', caseRef: 'LCS-104233', author: AUTHOR, guidanceVersion: '1.0', corrects: null });
    expect(r.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(await store.listRecords({ caseRef: 'LCS-104233' })).toEqual([r]);
  });

  it.each([['Mrs Jones'], ['JohnSmith'], [''], [null], ['12']])('refuses %p as a case reference, saving nothing', async (ref) => {
    await expect(store.appendRecord(advice(ref as string | null))).rejects.toThrow(RecordInputError);
    expect(await store.listRecords({})).toEqual([]);
    expect(await store.verifyAudit()).toEqual({ ok: true, checked: 0 });
  });

  it('refuses fields that do not fit the kind, with a sentence naming the field', async () => {
    const bad = { ...advice(), fields: { concern: 'vibes', personType: 'child', immediateDanger: false } };
    await expect(store.appendRecord(bad)).rejects.toThrow(/concern/);
    await expect(store.appendRecord({ ...advice(), fields: { ...(advice().fields as object), extra: 1 } })).rejects.toThrow(RecordInputError);
  });

  it('a correction is a new entry that points at the old one and says why; the old one is unchanged', async () => {
    const first = await store.appendRecord(advice());
    const fixed = await store.correctRecord(first.id, { ...advice(), fields: { concern: 'signs_of_neglect', personType: 'child', immediateDanger: false } }, 'Wrong concern ticked');
    expect(fixed).toMatchObject({ corrects: first.id, reason: 'Wrong concern ticked' });
    const all = await store.listRecords({ caseRef: 'LCS-104233' });
    expect(all).toHaveLength(2);
    expect(all.find((r) => r.id === first.id)).toEqual(first);
    await expect(store.correctRecord(first.id, advice(), '  ')).rejects.toThrow(/why/);
  });

  it('the same idempotency key twice makes one entry and one audit event (a retried Teams invoke)', async () => {
    const a = await store.appendRecord(advice(), { idempotencyKey: 'invoke-abc' });
    const b = await store.appendRecord(advice(), { idempotencyKey: 'invoke-abc' });
    expect(b.id).toBe(a.id);
    expect(await store.listRecords({})).toHaveLength(1);
    expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1 });
  });

  it('the audit chain verifies, and a row altered behind the store\'s back is caught at that exact event', async () => {
    for (let i = 0; i < 5; i++) await store.appendRecord(advice());
    expect(await store.verifyAudit()).toEqual({ ok: true, checked: 5 });
    await tamper(db, `update audit_events set case_ref = 'LCS-999999' where seq = 3`);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: 3, checked: 2, reason: expect.stringMatching(/altered/) });
  });

  it('a deleted audit event is caught', async () => {
    for (let i = 0; i < 4; i++) await store.appendRecord(advice());
    await tamper(db, `delete from audit_events where seq = 2`);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('audit events carry no free text from the record', async () => {
    await store.appendRecord({
      kind: 'written_record',
      caseRef: 'LCS-104233',
      author: AUTHOR,
      fields: { whatWasSeen: 'Bruise on left forearm, about 3 cm', explanationGiven: 'Said she fell off her bike' },
      guidanceVersion: '1.0',
    });
    const events = JSON.stringify(await raw(db, 'select * from audit_events'));
    expect(events).toContain('LCS-104233');
    expect(events).not.toMatch(/forearm|bike/);
  });

  it('npm run audit:verify exits 0 on an intact chain and 1 on a broken one, naming the event', async () => {
    await store.appendRecord(advice());
    await store.appendRecord(advice());
    const run = () =>
      spawnSync(process.execPath, [require.resolve('tsx/cli'), path.resolve(__dirname, '../../src/cli/audit-verify.ts')], {
        encoding: 'utf8',
        env: { ...process.env, KEEPSAFE_ENV: 'none', DATA_DIR: db.options.dataDir, DATABASE_URL: db.options.databaseUrl ?? '', DATABASE_SCHEMA: db.options.schema ?? '' },
      });
    const ok = run();
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/verified: 2 events/);
    await tamper(db, `update audit_events set actor_id = 'someone-else' where seq = 2`);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at event 2/);
  });
});

(PG_URL ? describe : describe.skip)('two instances writing at once on PostgreSQL', () => {
  it('loses and duplicates nothing, and the audit chain still verifies', async () => {
    const db = await makeTestDb('postgres');
    const [a, b] = await Promise.all([openStore(db.options), openStore(db.options)]);
    try {
      const writes = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).appendRecord(advice(), { idempotencyKey: `k-${i % 40}` }));
      const results = await Promise.all(writes);
      expect(new Set(results.map((r) => r.id)).size).toBe(40); // 20 retries returned the first entry
      expect(await a.listRecords({ limit: 1000 })).toHaveLength(40);
      expect(await b.verifyAudit()).toEqual({ ok: true, checked: 40 });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await db.cleanup();
    }
  });
});
