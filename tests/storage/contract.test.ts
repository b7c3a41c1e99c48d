/**
 * The record store contract, run against both engines: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (each run in its own schema, dropped afterwards).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS } from '../../src/core/records/csv';
import { openStore, RecordAccessError, RecordInputError, type RecordStore } from '../../src/storage/store';
import { StateConflictError } from '../../src/storage/stateStorage';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';
import { runCli } from './fixtures/cli';
import { adviceRequest, JO, PRIYA, SAM, written } from './fixtures/entries';

const DAY = 86_400_000;

describe.each(ENGINES.map((e) => [e]))('record store contract on %s', (engine) => {
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

  describe('entries', () => {
    it('stores an entry with id, kind, case reference, author, UTC time, fields and guidance version', async () => {
      const e = await store.append(adviceRequest(' lcs-104233 '));
      expect(e).toMatchObject({
        kind: 'advice_request',
        caseRef: 'LCS-104233',
        author: SAM,
        guidanceVersion: '1.0',
        corrects: null,
        reason: null,
      });
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(await store.list({ caseRef: 'lcs-104233' })).toEqual([e]);
      expect(await store.get(e.id, { aadObjectId: SAM.aadObjectId, isManager: false })).toEqual(e);
      expect(await store.get('00000000-0000-4000-8000-000000000000', PRIYA)).toBeUndefined();
    });

    it('lists entries written in the same millisecond newest first too', async () => {
      const written: string[] = [];
      for (let i = 0; i < 25; i++) written.push((await store.append(adviceRequest('LCS-1300'))).id);
      expect((await store.list({ caseRef: 'LCS-1300' })).map((e) => e.id)).toEqual(written.reverse());
    });

    it('lists newest first, filtered by author, case, kind and time, with a limit', async () => {
      const a = await store.append(adviceRequest('LCS-1001'));
      const b = await store.append(written('Seen', JO, 'LCS-1002'));
      const c = await store.append(adviceRequest('LCS-1002', JO));
      expect((await store.list({})).map((e) => e.id)).toEqual([c.id, b.id, a.id]);
      expect((await store.list({ authorId: JO.aadObjectId })).map((e) => e.id)).toEqual([c.id, b.id]);
      expect((await store.list({ caseRef: 'LCS-1002', kind: 'written_record' })).map((e) => e.id)).toEqual([b.id]);
      expect(await store.list({ limit: 1 })).toHaveLength(1);
      expect(await store.list({ from: new Date(Date.now() + DAY) })).toEqual([]);
      expect(await store.list({ to: new Date(Date.now() - DAY) })).toEqual([]);
    });

    it.each([['Mrs Jones'], ['JohnSmith'], ['John Smith 12'], ['12'], [''], [null], ['=cmd|1']])(
      'refuses %p as a case reference, saving nothing',
      async (ref) => {
        const err = await store.append(adviceRequest(ref as string | null)).catch((e) => e);
        expect(err).toBeInstanceOf(RecordInputError);
        expect(err.field).toBe('caseRef');
        expect(err.userMessage).toMatch(/case reference/);
        expect(await store.list({})).toEqual([]);
        expect(await store.verifyAudit()).toEqual({ ok: true, checked: 0 });
      },
    );

    it('refuses fields that do not fit the kind, naming the field; and an unknown kind', async () => {
      const bad = {
        ...adviceRequest(),
        fields: { concern: 'vibes', personType: 'child', immediateDanger: false },
      } as never;
      await expect(store.append(bad)).rejects.toThrow(/concern/);
      const extra = {
        ...adviceRequest(),
        fields: { concern: 'physical_injury', personType: 'child', immediateDanger: false, name: 'x' },
      } as never;
      await expect(store.append(extra)).rejects.toBeInstanceOf(RecordInputError);
      await expect(store.append({ ...adviceRequest(), kind: 'gossip' } as never)).rejects.toThrow(/Unknown kind/);
      expect(await store.list({})).toEqual([]);
    });

    it('feedback needs no case reference and refuses one', async () => {
      const f = await store.append({
        kind: 'feedback',
        author: SAM,
        fields: { section: '2.3.2', helpful: true },
        guidanceVersion: '1.0',
      });
      expect(f.caseRef).toBeNull();
      await expect(
        store.append({
          kind: 'feedback',
          caseRef: 'LCS-1001',
          author: SAM,
          fields: { section: '1', helpful: false },
          guidanceVersion: '1.0',
        }),
      ).rejects.toThrow(/does not take a case reference/);
      expect(
        await store.recordFeedback({
          section: '2.1',
          helpful: false,
          authorId: 'aad-x',
          guidanceVersion: '1.0',
          idempotencyKey: 'fb-1',
        }),
      ).toBe(true);
      expect(
        await store.recordFeedback({
          section: '2.1',
          helpful: false,
          authorId: 'aad-x',
          guidanceVersion: '1.0',
          idempotencyKey: 'fb-1',
        }),
      ).toBe(false);
      expect(await store.feedbackCounts()).toEqual([
        { section: '2.1', helpful: 0, notHelpful: 1 },
        { section: '2.3.2', helpful: 1, notHelpful: 0 },
      ]);
    });
  });

  describe('corrections', () => {
    it('a correction is a new entry pointing at the old one with a reason; the old one is unchanged; chains work', async () => {
      const first = await store.append(adviceRequest());
      const second = await store.correct(
        first.id,
        adviceRequest('LCS-104233', SAM, 'signs_of_neglect'),
        ' Wrong concern ticked ',
      );
      const third = await store.correct(
        second.id,
        adviceRequest('LCS-104233', SAM, 'signs_of_abuse'),
        'Manager clarified',
      );
      expect(second).toMatchObject({ corrects: first.id, reason: 'Wrong concern ticked' });
      expect(third).toMatchObject({ corrects: second.id, reason: 'Manager clarified' });
      const all = await store.list({});
      expect(all).toHaveLength(3);
      expect(all.find((e) => e.id === first.id)).toEqual(first);
      const events = await db.raw('select action, record_id from audit_events order by seq');
      expect(events.map((e) => e.action)).toEqual(['create', 'correct', 'correct']);
    });

    it('refuses a correction without a reason, of another kind, or of an entry that does not exist', async () => {
      const first = await store.append(adviceRequest());
      await expect(store.correct(first.id, adviceRequest(), '  ')).rejects.toThrow(/why/);
      await expect(store.correct(first.id, written(), 'x')).rejects.toThrow(/same kind/);
      await expect(store.correct('00000000-0000-4000-8000-000000000000', adviceRequest(), 'x')).rejects.toThrow(
        /does not exist/,
      );
      expect(await store.list({})).toHaveLength(1);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1 });
    });
  });

  describe('idempotency', () => {
    it('the same key twice makes one entry and one audit event (a retried Teams invoke)', async () => {
      const a = await store.append(adviceRequest(), { idempotencyKey: 'invoke-abc' });
      const b = await store.append(adviceRequest(), { idempotencyKey: 'invoke-abc' });
      const c = await Promise.all([1, 2, 3].map(() => store.append(adviceRequest(), { idempotencyKey: 'invoke-abc' })));
      expect(b).toEqual(a);
      expect(c.map((e) => e.id)).toEqual([a.id, a.id, a.id]);
      expect(await store.list({})).toHaveLength(1);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1 });
    });

    it('a key used for a different kind of entry is refused rather than answered with the wrong entry', async () => {
      await store.append(adviceRequest(), { idempotencyKey: 'k1' });
      await expect(store.append(written(), { idempotencyKey: 'k1' })).rejects.toThrow(/already used/);
    });
  });

  describe('who may read what', () => {
    it("staff read their own; only managers read others', and that view is audited", async () => {
      const e = await store.append(written());
      expect(await store.get(e.id, { aadObjectId: SAM.aadObjectId, isManager: false })).toEqual(e);
      await expect(store.get(e.id, { aadObjectId: JO.aadObjectId, isManager: false })).rejects.toBeInstanceOf(
        RecordAccessError,
      );
      expect(await store.get(e.id, PRIYA)).toEqual(e);
      const events = await db.raw('select actor_id, action, record_id, case_ref from audit_events order by seq');
      expect(events).toEqual([
        { actor_id: SAM.aadObjectId, action: 'create', record_id: e.id, case_ref: 'LCS-104233' },
        { actor_id: PRIYA.aadObjectId, action: 'view', record_id: e.id, case_ref: 'LCS-104233' },
      ]);
    });

    it('a refused attempt is audited: who, what and which record, never content; the chain still verifies', async () => {
      const e = await store.append(written());
      await store.auditRefusal({ actorId: JO.aadObjectId, recordId: e.id, what: 'incident.acknowledge' });
      await store.auditRefusal({ actorId: JO.aadObjectId, recordId: null, what: 'set_managers_channel; drop table' });
      const events = await db.raw(
        "select actor_id, action, record_id, case_ref, kind, detail from audit_events where action = 'refused' order by seq",
      );
      expect(events).toEqual([
        {
          actor_id: JO.aadObjectId,
          action: 'refused',
          record_id: e.id,
          case_ref: 'LCS-104233',
          kind: 'written_record',
          detail: '{"what":"incident.acknowledge"}',
        },
        {
          actor_id: JO.aadObjectId,
          action: 'refused',
          record_id: null,
          case_ref: null,
          kind: null,
          detail: '{"what":"set_managers_channeldroptable"}',
        },
      ]);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 3 });
    });
  });

  describe('audit trail', () => {
    it("verifies, and carries who/what/when/record/case but never the entry's free text", async () => {
      await store.append(written('Bruise on left forearm'));
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1 });
      const events = JSON.stringify(await db.raw('select * from audit_events'));
      expect(events).toContain('LCS-104233');
      expect(events).not.toMatch(/forearm|bike|Sam Carter/);
    });

    it("an event altered behind the store's back is caught at that exact event", async () => {
      for (let i = 0; i < 5; i++) await store.append(adviceRequest());
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 5 });
      await db.raw(`update audit_events set case_ref = 'LCS-999999' where seq = 3`);
      expect(await store.verifyAudit()).toMatchObject({
        ok: false,
        firstBrokenId: 3,
        checked: 2,
        reason: expect.stringMatching(/altered/),
      });
    });

    it('a rewritten hash is caught at the next event', async () => {
      for (let i = 0; i < 4; i++) await store.append(adviceRequest());
      await db.raw(`update audit_events set hash = '${'a'.repeat(64)}' where seq = 2`);
      expect(await store.verifyAudit()).toMatchObject({ ok: false, firstBrokenId: 2 });
    });

    it('a deleted event is caught', async () => {
      for (let i = 0; i < 4; i++) await store.append(adviceRequest());
      await db.raw(`delete from audit_events where seq = 2`);
      expect(await store.verifyAudit()).toMatchObject({
        ok: false,
        firstBrokenId: 3,
        reason: expect.stringMatching(/missing/),
      });
    });

    it("an entry altered behind the store's back no longer matches the event that vouches for it", async () => {
      await store.append(written());
      const target = await store.append(written());
      await store.append(written());
      await db.raw(`update records set fields = '{"whatWasSeen":"Nothing seen"}' where id = '${target.id}'`);
      expect(await store.verifyAudit()).toMatchObject({
        ok: false,
        firstBrokenId: 2,
        recordId: target.id,
        reason: expect.stringMatching(/altered/),
      });
    });

    it("an entry deleted or slipped in behind the store's back is caught", async () => {
      const a = await store.append(written());
      await store.append(written());
      await db.raw(`delete from records where id = '${a.id}'`);
      expect(await store.verifyAudit()).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/1 written_record entry is missing/),
      });
      await db.raw(
        `insert into records (id, kind, case_ref, author_id, author_name, created_at, fields, guidance_version) values ('${a.id}', 'written_record', 'LCS-1', 'x', 'x', '2026-01-01T00:00:00.000Z', '{}', '1')`,
      );
      expect(await store.verifyAudit()).toMatchObject({ ok: false, firstBrokenId: 1, recordId: a.id });
    });

    it('npm run audit:verify exits 0 on an intact trail and 1 on a broken one, naming the event', async () => {
      await store.append(adviceRequest());
      await store.append(adviceRequest());
      const ok = runCli('audit-verify', db);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/verified: 2 events/);
      await db.raw(`update audit_events set actor_id = 'someone-else' where seq = 2`);
      const broken = runCli('audit-verify', db);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/BROKEN at event 2/);
    });
  });

  describe('retention', () => {
    it('deletes only expired entries, correction chains leaf first, and audits kind and count only', async () => {
      const old = await store.append(written());
      await store.correct(old.id, written('Bruise on right forearm'), 'Wrong arm');
      await store.append({
        kind: 'referral',
        caseRef: 'LCS-104233',
        author: SAM,
        fields: { referralMade: true },
        guidanceVersion: '1.0',
      });
      const now = new Date();
      expect(await store.runRetention(now, { written_record: 30 })).toEqual({});
      const later = new Date(now.getTime() + 31 * DAY);
      expect(await store.runRetention(later, { written_record: 30 })).toEqual({ written_record: 2 });
      expect((await store.list({})).map((e) => e.kind)).toEqual(['referral']);
      const last = (
        await db.raw('select actor_id, action, record_id, case_ref, kind, detail from audit_events order by seq desc')
      )[0];
      expect(last).toEqual({
        actor_id: 'retention',
        action: 'retention_delete',
        record_id: null,
        case_ref: null,
        kind: 'written_record',
        detail: '{"deleted":2,"olderThanDays":30}',
      });
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 4 });
    });

    it('keeps a chain whole while its newest correction is still within its period', async () => {
      const old = await store.append(written());
      await db.raw(`update records set created_at = '2000-01-01T00:00:00.000Z' where id = '${old.id}'`); // see below
      // (That update breaks the entry's digest, so this test checks retention only, not the audit trail.)
      await store.correct(old.id, written('Bruise on right forearm'), 'Wrong arm');
      expect(await store.runRetention(new Date(), { written_record: 30 })).toEqual({});
      expect(await store.list({})).toHaveLength(2);
    });

    it('uses the retention periods the store was opened with', async () => {
      await store.close();
      store = await openStore({ ...db.options, retentionDays: { advice_request: 1 } });
      await store.append(adviceRequest());
      await store.append(written());
      expect(await store.runRetention(new Date(Date.now() + 2 * DAY))).toEqual({ advice_request: 1 });
    });
  });

  describe('export', () => {
    it('exports a date range (and one case) as entries, and audits who exported what range and how many', async () => {
      await store.append(written());
      await store.append(written('Seen', JO, 'LCS-555001'));
      const from = new Date(Date.now() - DAY);
      const to = new Date(Date.now() + DAY);
      expect(await store.export({ from, to }, 'aad-priya')).toHaveLength(2);
      expect(
        (await store.export({ from, to, caseRef: 'lcs-555001' }, 'aad-priya')).map((e) => e.author.aadObjectId),
      ).toEqual([JO.aadObjectId]);
      const events = await db.raw(
        `select actor_id, case_ref, detail from audit_events where action = 'export' order by seq`,
      );
      expect(events).toEqual([
        {
          actor_id: 'aad-priya',
          case_ref: null,
          detail: JSON.stringify({ count: 2, from: from.toISOString(), to: to.toISOString() }),
        },
        {
          actor_id: 'aad-priya',
          case_ref: 'LCS-555001',
          detail: JSON.stringify({ count: 1, from: from.toISOString(), to: to.toISOString() }),
        },
      ]);
      await expect(store.export({ from: to, to: from }, 'x')).rejects.toThrow(/before its start/);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 4 });
      // One kind only (the consent log's export): filtered in the query, and the audit says which kind and how many.
      await store.append({ ...written(), kind: 'referral', fields: { referralMade: false } } as never);
      expect((await store.export({ from, to, kind: 'referral' }, 'aad-priya')).map((e) => e.kind)).toEqual([
        'referral',
      ]);
      const [last] = await db.raw(
        `select kind, detail from audit_events where action = 'export' order by seq desc limit 1`,
      );
      expect(last).toEqual({
        kind: 'referral',
        detail: JSON.stringify({ count: 1, from: from.toISOString(), to: to.toISOString() }),
      });
    });

    it('npm run export writes CSV with a header, formula-safe, parsed back intact; refuses bad dates clearly', async () => {
      const formula = '=HYPERLINK("http://evil.example","click")';
      await store.append(written(formula));
      await store.correct((await store.list({}))[0].id, written('Seen'), '+44 correction');
      await store.append({
        kind: 'incident_report',
        author: { aadObjectId: 'aad-z', name: '@admin' },
        fields: {
          type: 'other',
          summary: '-1',
          happenedAt: '2026-11-01T10:00:00Z',
          urgency: 'low',
          evidenceKept: false,
        },
        guidanceVersion: '1.0',
      });
      const out = path.join(db.options.dataDir, 'out.csv');
      const today = new Date().toISOString().slice(0, 10);
      const ok = runCli('export', db, ['--from', '2026-01-01', '--to', today, '--out', out, '--as', 'aad-priya']);
      expect(ok.stderr).toMatch(/Exported 3 entries/);
      expect(ok.status).toBe(0);
      expect(fs.statSync(out).mode & 0o777).toBe(0o600);
      const rows = parse(fs.readFileSync(out, 'utf8')) as string[][];
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(4);
      const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
      const body = rows.slice(1);
      expect(body.find((r) => r[col('reason')] !== '')![col('reason')]).toBe("'+44 correction");
      expect(body.find((r) => r[col('kind')] === 'incident_report')![col('author_name')]).toBe("'@admin");
      expect(JSON.parse(rows[1][col('fields')]).whatWasSeen).toBe(formula); // inside JSON, not at the start of a cell
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

      const stdout = runCli('export', db, ['--from', '2026-01-01', '--to', today, '--case', 'LCS-104233']);
      expect(stdout.status).toBe(0);
      expect(parse(stdout.stdout)).toHaveLength(3);

      const bad = runCli('export', db, ['--from', '2026-02-30', '--to', today]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/--from 2026-02-30 is not a real date/);
      const notDate = runCli('export', db, ['--from', 'last tuesday', '--to', today]);
      expect(notDate.status).toBe(1);
      expect(notDate.stderr).toMatch(/is not a date like/);
      const backwards = runCli('export', db, ['--from', today, '--to', '2026-01-01']);
      expect(backwards.stderr).toMatch(/before --from/);
      expect((await db.raw(`select count(*) as n from audit_events where action = 'export'`))[0].n).toEqual(
        engine === 'postgres' ? '2' : 2,
      );
    });
  });

  describe('counts for a manager', () => {
    it('counts by kind and week (Monday, UTC), optionally for some authors', async () => {
      await store.append(written());
      await store.append(written());
      await store.append(adviceRequest('LCS-1', JO));
      const monday = new Date();
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      const week = monday.toISOString().slice(0, 10);
      const range = { from: new Date(Date.now() - 7 * DAY), to: new Date(Date.now() + DAY) };
      expect(await store.countsByKindAndWeek(range)).toEqual([
        { kind: 'advice_request', weekStart: week, count: 1 },
        { kind: 'written_record', weekStart: week, count: 2 },
      ]);
      expect(await store.countsByKindAndWeek({ ...range, authorIds: [JO.aadObjectId] })).toEqual([
        { kind: 'advice_request', weekStart: week, count: 1 },
      ]);
      expect(await store.countsByKindAndWeek({ ...range, authorIds: [] })).toEqual([]);
    });
  });

  describe('bot state (botbuilder Storage contract)', () => {
    it('reads back what it wrote, with an eTag; missing keys are absent', async () => {
      await store.state.write({ a: { step: 2, draft: { caseRef: 'LCS-1' } } });
      const read = await store.state.read(['a', 'missing']);
      expect(read.a).toMatchObject({ step: 2, draft: { caseRef: 'LCS-1' } });
      expect(typeof read.a.eTag).toBe('string');
      expect('missing' in read).toBe(false);
      expect(await store.state.read([])).toEqual({});
    });

    it('refuses a stale eTag (two instances never overwrite each other silently); a current one writes', async () => {
      await store.state.write({ k: { v: 1 } });
      const first = (await store.state.read(['k'])).k;
      await store.state.write({ k: { ...first, v: 2 } });
      const second = (await store.state.read(['k'])).k;
      expect(second.eTag).not.toBe(first.eTag);
      await expect(store.state.write({ k: { ...first, v: 3 } })).rejects.toBeInstanceOf(StateConflictError);
      expect((await store.state.read(['k'])).k.v).toBe(2);
    });

    it('"*" or no eTag always wins; a new key writes whatever its eTag; delete removes', async () => {
      await store.state.write({ k: { v: 1 } });
      await store.state.write({ k: { v: 5, eTag: '*' } });
      expect((await store.state.read(['k'])).k.v).toBe(5);
      await store.state.write({ k: { v: 6 } });
      expect((await store.state.read(['k'])).k.v).toBe(6);
      await store.state.write({ fresh: { v: 1, eTag: 'from-elsewhere' } });
      expect((await store.state.read(['fresh'])).fresh.v).toBe(1);
      await store.state.delete(['k', 'never-there']);
      expect(await store.state.read(['k'])).toEqual({});
    });

    it('a walkthrough resumes after a restart and on another instance (read, change, write with eTag)', async () => {
      const key = 'msteams/conversations/a:1xyz/';
      const turn = async (s: RecordStore) => {
        const item = (await s.state.read([key]))[key] ?? { walkthrough: { step: 0 } };
        item.walkthrough.step++;
        await s.state.write({ [key]: item });
        return item.walkthrough.step;
      };
      expect(await turn(store)).toBe(1);
      expect(await turn(store)).toBe(2);
      await store.close();
      store = await openStore(db.options); // restart
      const other = await openStore(db.options); // a second instance
      try {
        expect(await turn(store)).toBe(3);
        expect(await turn(other)).toBe(4);
        // Both instances read step 4; the first to write wins, the second is told so.
        const [a, b] = [(await store.state.read([key]))[key], (await other.state.read([key]))[key]];
        await store.state.write({ [key]: { ...a, walkthrough: { step: 5 } } });
        await expect(other.state.write({ [key]: { ...b, walkthrough: { step: 5 } } })).rejects.toBeInstanceOf(
          StateConflictError,
        );
      } finally {
        await other.close();
      }
    });
  });

  describe('the database itself', () => {
    it('reports itself healthy on its engine', async () => {
      expect(store.engine).toBe(engine);
      expect(await store.health()).toMatchObject({ ok: true, engine });
    });

    it('migrations are safe to run again (reopen, and npm run migrate), changing nothing', async () => {
      const e = await store.append(written());
      const again = await openStore(db.options);
      expect(await again.list({})).toEqual([e]);
      await again.close();
      const cli = runCli('migrate', db);
      expect(cli.stdout).toMatch(/up to date/);
      expect(cli.status).toBe(0);
      const names = await db.raw('select name from kysely_migration order by name');
      expect(names.length).toBeGreaterThanOrEqual(4);
      expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1 });
    });

    it('two stores opening one fresh database at once both migrate and share entries', async () => {
      const fresh = await makeTestDb(engine);
      try {
        const [a, b] = await Promise.all([openStore(fresh.options), openStore(fresh.options)]);
        await Promise.all([a.append(written()), b.append(written())]);
        expect(await a.list({})).toHaveLength(2);
        expect(await b.verifyAudit()).toEqual({ ok: true, checked: 2 });
        await Promise.all([a.close(), b.close()]);
      } finally {
        await fresh.cleanup();
      }
    });
  });
});
