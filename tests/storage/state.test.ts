/**
 * Bot Framework state in KeepSafe's database, on both engines: botbuilder's eTag contract, and a conversation's
 * state surviving a restart (a second store over the same database).
 */
import { ConversationState, TestAdapter, type Storage } from 'botbuilder';
import { openStore, type RecordStore } from '../../src/storage/store';
import { StateConflictError } from '../../src/storage/stateStorage';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';

describe.each(ENGINES.map((e) => [e]))('bot state on %s', (engine) => {
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

  it('reads back what it wrote, with an eTag', async () => {
    await store.state.write({ a: { step: 2, draft: { caseRef: 'LCS-1' } } });
    const read = await store.state.read(['a', 'missing']);
    expect(read.a).toMatchObject({ step: 2, draft: { caseRef: 'LCS-1' } });
    expect(typeof read.a.eTag).toBe('string');
    expect(read.missing).toBeUndefined();
  });

  it('refuses a write with a stale eTag, so two instances never overwrite each other silently', async () => {
    await store.state.write({ k: { v: 1 } });
    const first = (await store.state.read(['k'])).k;
    await store.state.write({ k: { ...first, v: 2 } });
    await expect(store.state.write({ k: { ...first, v: 3 } })).rejects.toBeInstanceOf(StateConflictError);
    expect((await store.state.read(['k'])).k.v).toBe(2);
  });

  it('a "*" eTag or none always wins, and delete removes', async () => {
    await store.state.write({ k: { v: 1 } });
    await store.state.write({ k: { v: 5, eTag: '*' } });
    expect((await store.state.read(['k'])).k.v).toBe(5);
    await store.state.delete(['k']);
    expect(await store.state.read(['k'])).toEqual({});
  });

  it('botbuilder ConversationState over it survives a restart', async () => {
    const storage: Storage = store.state;
    const conversation = new ConversationState(storage);
    const step = conversation.createProperty<number>('walkthroughStep');
    const adapter = new TestAdapter(async (context) => {
      const current = await step.get(context, 0);
      await step.set(context, current! + 1);
      await conversation.saveChanges(context);
      await context.sendActivity(`step ${current! + 1}`);
    });
    await adapter.send('hi').assertReply('step 1').send('again').assertReply('step 2');

    // Another instance (or the same bot after a restart) opens the same database and carries on.
    const other = await openStore(db.options);
    const resumed = new ConversationState(other.state);
    const resumedStep = resumed.createProperty<number>('walkthroughStep');
    const adapter2 = new TestAdapter(async (context) => {
      await context.sendActivity(`resumed at ${await resumedStep.get(context, 0)}`);
    });
    await adapter2.send('hello').assertReply('resumed at 2');
    await other.close();
  });
});
