/**
 * Who may read what, retention, and the CSV export — on both engines.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { openStore, RecordAccessError, type NewRecord, type RecordStore } from '../../src/storage/store';
import { safeCell, toCsv, CSV_COLUMNS } from '../../src/cli/export';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';

const SAM = { id: 'aad-sam', name: 'Sam Carter' };
const JO = { id: 'aad-jo', name: 'Jo Bennett' };
const written = (author = SAM, whatWasSeen = 'Bruise on left forearm'): NewRecord => ({
  kind: 'written_record',
  caseRef: 'LCS-104233',
  author,
  fields: { whatWasSeen },
  guidanceVersion: '1.0',
});

describe.each(ENGINES.map((e) => [e]))('on %s', (engine) => {
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

  it('staff read their own entries; only managers read others\', and that view is audited', async () => {
    const r = await store.appendRecord(written(SAM));
    expect(await store.getRecord(r.id, { id: SAM.id, isManager: false })).toEqual(r);
    await expect(store.getRecord(r.id, { id: JO.id, isManager: false })).rejects.toBeInstanceOf(RecordAccessError);
    expect(await store.getRecord(r.id, { id: 'aad-priya', isManager: true })).toEqual(r);
    expect(await store.verifyAudit()).toEqual({ ok: true, checked: 2 }); // create + the manager's view
  });

  it('retention deletes only expired entries, leaf corrections first, and audits kind and count', async () => {
    const old = await store.appendRecord(written());
    await store.correctRecord(old.id, written(SAM, 'Bruise on right forearm'), 'Wrong arm');
    await store.appendRecord({ ...written(), kind: 'referral', fields: { referralMade: true } });
    const now = new Date();
    expect(await store.runRetention(now, { written_record: 30 })).toEqual({}); // nothing is 30 days old yet
    const later = new Date(now.getTime() + 31 * 86_400_000);
    expect(await store.runRetention(later, { written_record: 30 })).toEqual({ written_record: 2 });
    const left = await store.listRecords({});
    expect(left.map((r) => r.kind)).toEqual(['referral']);
    expect(await store.verifyAudit()).toEqual({ ok: true, checked: 4 }); // 3 creates/corrections + 1 retention event
  });

  it('exports a date range as CSV with a header, formula-safe, and audits the export', async () => {
    await store.appendRecord(written(SAM, '=HYPERLINK("http://evil.example","click")'));
    await store.appendRecord({ ...written(JO), caseRef: 'LCS-555001' });
    const from = new Date(Date.now() - 86_400_000);
    const to = new Date(Date.now() + 86_400_000);
    const all = await store.exportRecords({ from, to }, 'aad-priya');
    expect(all).toHaveLength(2);
    const one = await store.exportRecords({ from, to, caseRef: 'lcs-555001' }, 'aad-priya');
    expect(one.map((r) => r.author.id)).toEqual([JO.id]);
    const rows = parse(toCsv(all)) as string[][];
    expect(rows[0]).toEqual(CSV_COLUMNS);
    expect(rows).toHaveLength(3);
    expect(await store.verifyAudit()).toEqual({ ok: true, checked: 4 });
  });
});

describe('CSV safety', () => {
  it.each([['=1+1'], ['+44 151'], ['-2'], ['@SUM(A1)'], ['\tx'], ['\rx']])('escapes %p', (v) => {
    expect(safeCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary text alone', () => {
    expect(safeCell('Bruise on left forearm')).toBe('Bruise on left forearm');
  });
});

describe('npm run export', () => {
  it('writes the CSV to a file, and refuses a bad date clearly', async () => {
    const db = await makeTestDb('sqlite');
    const store = await openStore(db.options);
    await store.appendRecord(written());
    await store.close();
    const out = path.join(db.options.dataDir, 'out.csv');
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [require.resolve('tsx/cli'), path.resolve(__dirname, '../../src/cli/export.ts'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, KEEPSAFE_ENV: 'none', DATA_DIR: db.options.dataDir, DATABASE_URL: '' },
      });
    const today = new Date().toISOString().slice(0, 10);
    const ok = cli(['--from', '2026-01-01', '--to', today, '--out', out]);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(/Exported 1 entries/);
    expect(parse(fs.readFileSync(out, 'utf8'))).toHaveLength(2);
    const bad = cli(['--from', '2026-02-30', '--to', today]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not a real date/);
    await db.cleanup();
  });
});
