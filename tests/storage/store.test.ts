/**
 * One contract, both engines: SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set).
 */
import { openStore, type RecordStore, StoreUnavailableError } from '../../src/storage/store';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';

describe.each(ENGINES.map((e) => [e]))('record store on %s', (engine) => {
  let db: TestDb;
  let store: RecordStore;

  beforeAll(async () => {
    db = await makeTestDb(engine);
    store = await openStore(db.options);
  });
  afterAll(async () => {
    await store?.close();
    await db?.cleanup();
  });

  const entry = (key: string, section = '2.2', helpful = true) => ({ section, helpful, authorId: 'aad-1', guidanceVersion: '1.0', idempotencyKey: key });

  it('reports itself healthy on the engine it was opened on', async () => {
    expect(store.engine).toBe(engine);
    expect(await store.health()).toMatchObject({ ok: true, engine });
  });

  it('records feedback and counts it by section', async () => {
    expect(await store.recordFeedback(entry('k1', '2.1', true))).toBe(true);
    expect(await store.recordFeedback(entry('k2', '2.1', false))).toBe(true);
    expect((await store.feedbackCounts()).find((c) => c.section === '2.1')).toEqual({ section: '2.1', helpful: 1, notHelpful: 1 });
  });

  it('makes one entry for one idempotency key, however often it is retried', async () => {
    expect(await store.recordFeedback(entry('retry-me', '2.4'))).toBe(true);
    expect(await store.recordFeedback(entry('retry-me', '2.4'))).toBe(false);
    await Promise.all([1, 2, 3].map(() => store.recordFeedback(entry('retry-me', '2.4'))));
    expect((await store.feedbackCounts()).find((c) => c.section === '2.4')).toEqual({ section: '2.4', helpful: 1, notHelpful: 0 });
  });

  it('runs migrations idempotently: opening the same database again changes nothing', async () => {
    const again = await openStore(db.options);
    expect((await again.feedbackCounts()).find((c) => c.section === '2.1')).toEqual({ section: '2.1', helpful: 1, notHelpful: 1 });
    await again.close();
  });

  if (engine === 'postgres') {
    it('two instances opening one fresh database at once both migrate safely and share entries', async () => {
      const fresh = await makeTestDb('postgres');
      try {
        const [a, b] = await Promise.all([openStore(fresh.options), openStore(fresh.options)]);
        await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordFeedback(entry(`shared-${i % 10}`, '1'))));
        expect((await a.feedbackCounts()).find((c) => c.section === '1')).toEqual({ section: '1', helpful: 10, notHelpful: 0 });
        await Promise.all([a.close(), b.close()]);
      } finally {
        await fresh.cleanup();
      }
    });
  }
});

describe('database down', () => {
  it('refuses to pretend: an unreachable PostgreSQL gives STORE_UNAVAILABLE, never success', async () => {
    await expect(openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test', dataDir: '/tmp' })).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
