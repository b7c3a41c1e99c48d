/**
 * The outbox, conversation references and settings, on both engines: messages written in the same transaction
 * as their entry (all or nothing), claimed with a lease that runs out when a worker dies, replies and updates
 * waiting for what they depend on, and — on PostgreSQL — stores claiming at once never sharing a message.
 */
import { openStore, type RecordStore } from '../../src/storage/store';
import type { OutboxMessage } from '../../src/storage/types';
import { ENGINES, makeTestDb, PG_URL, type TestDb } from '../helpers/db';
import { adviceRequest, written } from './fixtures/entries';

const send = (key: string, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  key,
  conversationKey: 'user:sam',
  op: 'send',
  content: { kind: 'text', text: `text of ${key}`, format: 'plain' },
  ...extra,
});

describe.each(ENGINES.map((e) => [e]))('outbox, conversations and settings on %s', (engine) => {
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

  describe('written with the entry', () => {
    it('queues the messages with the entry and its audit event; a retried append with the same key queues nothing new', async () => {
      const e = await store.append(adviceRequest(), { idempotencyKey: 'invoke-1', outbox: [send('m-1')] });
      const again = await store.append(adviceRequest(), { idempotencyKey: 'invoke-1', outbox: [send('m-1b')] });
      expect(again.id).toBe(e.id);
      expect(await store.outbox.stats()).toEqual({ pending: 1, sent: 0, failed: 0 });
      const [m] = await store.outbox.claim('w', 10, new Date());
      expect(m).toMatchObject({
        key: 'm-1',
        conversationKey: 'user:sam',
        op: 'send',
        content: { kind: 'text', text: 'text of m-1', format: 'plain' },
        attempts: 0,
      });
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1 });
    });

    it('a function gets the entry as stored (its id) to build the messages from', async () => {
      const e = await store.append(written(), { outbox: (entry) => [send(`posted:${entry.id}`)] });
      expect((await store.outbox.claim('w', 10, new Date())).map((m) => m.key)).toEqual([`posted:${e.id}`]);
    });

    it('a correction queues its messages the same way', async () => {
      const e = await store.append(written());
      await store.correct(e.id, written('Bruise on right forearm'), 'Wrong arm', {
        idempotencyKey: 'fix-1',
        outbox: [send('corrected')],
      });
      await store.correct(e.id, written('Bruise on right forearm'), 'Wrong arm', {
        idempotencyKey: 'fix-1',
        outbox: [send('corrected-again')],
      });
      expect(await store.outbox.stats()).toMatchObject({ pending: 1 });
    });

    it('an invalid entry queues nothing', async () => {
      await expect(store.append(adviceRequest('Mrs Jones'), { outbox: [send('never')] })).rejects.toThrow();
      expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 0, failed: 0 });
    });

    it('a write that fails after the entry row is in (a bad message) leaves neither the entry nor any message', async () => {
      const bad = { ...send('bad'), op: 'shout' } as unknown as OutboxMessage;
      await expect(store.append(written(), { idempotencyKey: 'k', outbox: [send('good'), bad] })).rejects.toThrow(
        /outbox operation/,
      );
      expect(await store.list({})).toEqual([]);
      expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 0, failed: 0 });
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 0 });
      // The same key works afterwards: nothing of the failed attempt was kept.
      await store.append(written(), { idempotencyKey: 'k', outbox: [send('good')] });
      expect(await store.outbox.stats()).toMatchObject({ pending: 1 });
    });

    it('enqueue on its own: the same key twice queues once, within one call and across calls', async () => {
      expect(await store.enqueue([send('a'), send('b'), send('a')])).toBe(2);
      expect(await store.enqueue([send('b'), send('c')])).toBe(1);
      expect(await store.outbox.stats()).toEqual({ pending: 3, sent: 0, failed: 0 });
    });
  });

  describe('claiming', () => {
    it('takes due messages, leases them, and holds back those not due yet', async () => {
      await store.enqueue([send('now')]);
      await store.enqueue([send('later', { notBefore: new Date(Date.now() + 60_000) })]);
      const now = new Date();
      expect((await store.outbox.claim('w1', 10, now)).map((m) => m.key)).toEqual(['now']);
      expect(await store.outbox.claim('w2', 10, now)).toEqual([]); // 'now' is leased to w1, 'later' not due
      const second = await store.outbox.claim('w2', 10, new Date(now.getTime() + 61_000));
      expect(second.map((m) => m.key).sort()).toEqual(['later', 'now']); // 'now': w1's 60 s lease ran out
    });

    it("a lease that runs out lets another worker take a dead worker's message; the first can no longer send it", async () => {
      await store.enqueue([send('m')]);
      const now = new Date();
      const [m] = await store.outbox.claim('dead', 5, now, 1000);
      expect(await store.outbox.claim('alive', 5, new Date(now.getTime() + 500), 1000)).toEqual([]);
      const [taken] = await store.outbox.claim('alive', 5, new Date(now.getTime() + 1001), 1000);
      expect(taken.id).toBe(m.id);
      expect(await store.outbox.renew(m.id, 'dead', new Date(now.getTime() + 1002))).toBe(false);
      expect(await store.outbox.renew(m.id, 'alive', new Date(now.getTime() + 1002))).toBe(true);
      await store.outbox.markSent(m.id, 'act-1', 'a:sam');
      expect(await store.outbox.renew(m.id, 'alive')).toBe(false); // sent: nobody may send it again
      expect(await store.outbox.claim('anyone', 5, new Date(now.getTime() + 10_000_000))).toEqual([]);
    });

    it('retry: counts the attempt, keeps a code as the reason, and waits until the next attempt time', async () => {
      await store.enqueue([send('m')]);
      const now = new Date();
      const [m] = await store.outbox.claim('w', 5, now);
      await store.outbox.markRetry(m.id, 'HTTP_502', new Date(now.getTime() + 5000));
      expect(await store.outbox.claim('w', 5, new Date(now.getTime() + 4000))).toEqual([]);
      const [again] = await store.outbox.claim('w', 5, new Date(now.getTime() + 5000));
      expect(again).toMatchObject({ id: m.id, attempts: 1 });
      // Handed back while throttled: no attempt counted.
      await store.outbox.release(again.id, new Date(now.getTime() + 6000));
      const [third] = await store.outbox.claim('w', 5, new Date(now.getTime() + 6000));
      expect(third.attempts).toBe(1);
      await store.outbox.markFailed(third.id, 'said "Mrs Jones lives at 1 High St"');
      const [failed] = await store.outbox.listFailed(10);
      expect(failed).toMatchObject({ key: 'm', conversationKey: 'user:sam', op: 'send', attempts: 2 });
      expect(failed.reason).toMatch(/^[A-Za-z0-9_:.-]+$/); // a code, never free text
      expect(failed.reason!.length).toBeLessThanOrEqual(100);
      expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 0, failed: 1 });
      // A failed message is final: a late retry from a stale worker does not revive it.
      await store.outbox.markRetry(third.id, 'HTTP_502', now);
      expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 0, failed: 1 });
    });

    it('a reply waits for the message whose thread it joins, an update for the message it replaces', async () => {
      await store.enqueue([
        send('reply', { op: 'reply', threadOf: 'root', conversationKey: 'channel:managers' }),
        send('update', { op: 'update', updates: 'root', conversationKey: 'channel:managers' }),
      ]);
      expect(await store.outbox.claim('w', 10, new Date())).toEqual([]); // root not even queued yet
      await store.enqueue([send('root', { conversationKey: 'channel:managers' })]);
      const [root, ...rest] = await store.outbox.claim('w', 10, new Date());
      expect(root.key).toBe('root');
      expect(rest).toEqual([]); // root queued but not sent: still waiting
      expect(await store.outbox.sentActivity('root')).toBeUndefined();
      await store.outbox.markSent(root.id, 'act-root', '19:m@thread.tacv2');
      expect(await store.outbox.sentActivity('root')).toEqual({
        activityId: 'act-root',
        conversationId: '19:m@thread.tacv2',
      });
      const deps = await store.outbox.claim('w', 10, new Date());
      expect(deps.map((m) => m.key).sort()).toEqual(['reply', 'update']);
      expect(deps.find((m) => m.key === 'reply')).toMatchObject({ op: 'reply', threadOf: 'root' });
      expect(deps.find((m) => m.key === 'update')).toMatchObject({ op: 'update', updates: 'root' });
    });

    it('when the message depended on has failed, the dependant is released to fail too (never waits forever)', async () => {
      await store.enqueue([send('root'), send('reply', { op: 'reply', threadOf: 'root' })]);
      const now = new Date();
      const [root] = await store.outbox.claim('w', 10, now);
      await store.outbox.markFailed(root.id, 'BotNotInConversationRoster');
      const [reply] = await store.outbox.claim('w', 10, now);
      expect(reply.key).toBe('reply');
      expect(await store.outbox.dependencyFailed('root')).toBe(true);
    });

    it("'record' remembers an activity sent outside the outbox (a card a worker pressed) so it can be updated", async () => {
      await store.enqueue([
        { key: 'card', conversationKey: 'user:sam', op: 'record', activityId: 'act-card' },
        send('card-v2', { op: 'update', updates: 'card' }),
      ]);
      expect(await store.outbox.sentActivity('card')).toEqual({ activityId: 'act-card', conversationId: null });
      expect((await store.outbox.claim('w', 10, new Date())).map((m) => m.key)).toEqual(['card-v2']);
    });
  });

  describe('conversation references', () => {
    const ref = (id: string) => ({
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/',
      conversation: { id },
      bot: { id: '28:bot' },
    });

    it('saves, finds, skips an unchanged save, marks unreachable until heard from again, and lists by kind', async () => {
      expect(await store.conversations.get('user:sam')).toBeUndefined();
      expect(await store.conversations.save('user:sam', ref('a:sam'), { kind: 'personal', aadObjectId: 'sam' })).toBe(
        true,
      );
      expect(await store.conversations.save('user:sam', ref('a:sam'), { kind: 'personal', aadObjectId: 'sam' })).toBe(
        false,
      );
      expect(await store.conversations.save('user:sam', ref('a:sam2'), { kind: 'personal', aadObjectId: 'sam' })).toBe(
        true,
      );
      await store.conversations.save('channel:19:x', ref('19:x'), {
        kind: 'channel',
        teamId: '19:team',
        channelId: '19:x',
      });
      await store.conversations.save('team:19:team', ref('19:team'), {
        kind: 'team',
        teamId: '19:team',
        name: 'Managers',
      });
      expect(await store.conversations.get('user:sam')).toMatchObject({
        key: 'user:sam',
        reference: ref('a:sam2'),
        meta: { kind: 'personal', aadObjectId: 'sam' },
        unreachableReason: null,
      });

      await store.conversations.markUnreachable('user:sam', 'ConversationBlockedByUser');
      expect((await store.conversations.get('user:sam'))?.unreachableReason).toBe('ConversationBlockedByUser');
      // The same reference again, once they write to the bot: reachable again.
      expect(await store.conversations.save('user:sam', ref('a:sam2'), { kind: 'personal', aadObjectId: 'sam' })).toBe(
        true,
      );
      expect((await store.conversations.get('user:sam'))?.unreachableReason).toBeNull();

      expect((await store.conversations.list({ kind: 'channel' })).map((c) => c.key)).toEqual(['channel:19:x']);
      expect((await store.conversations.list()).map((c) => c.key)).toEqual([
        'channel:19:x',
        'team:19:team',
        'user:sam',
      ]);
    });
  });

  describe('settings', () => {
    it('set and get; each change audited by which setting and who, never the value', async () => {
      expect(await store.settings.get('managers_channel')).toBeUndefined();
      await store.settings.set('managers_channel', '{"channelId":"19:secret-value"}', 'aad-priya');
      await store.settings.set('managers_channel', '{"channelId":"19:other"}', 'aad-jo');
      expect(await store.settings.get('managers_channel')).toBe('{"channelId":"19:other"}');
      const events = await db.raw(
        "select actor_id, action, detail from audit_events where action = 'setting_change' order by seq",
      );
      expect(events.map((e) => [e.actor_id, JSON.parse(String(e.detail))])).toEqual([
        ['aad-priya', { setting: 'managers_channel' }],
        ['aad-jo', { setting: 'managers_channel' }],
      ]);
      expect(JSON.stringify(events)).not.toContain('secret-value');
      expect((await store.verifyAudit()).ok).toBe(true);
    });
  });
});

(PG_URL ? describe : describe.skip)('two stores claiming at once on PostgreSQL', () => {
  it('never hand the same message to two workers', async () => {
    const db = await makeTestDb('postgres');
    const stores = await Promise.all([openStore(db.options), openStore(db.options)]);
    try {
      await stores[0].enqueue(Array.from({ length: 120 }, (_, i) => send(`m${i}`)));
      const seen: string[] = [];
      const now = new Date();
      // Eight claimers (four per store, each store with its own pool) race until the queue is empty.
      const claimer = async (s: RecordStore, id: string) => {
        for (;;) {
          const batch = await s.outbox.claim(id, 7, now);
          if (batch.length === 0) return;
          seen.push(...batch.map((m) => m.key));
        }
      };
      await Promise.all(stores.flatMap((s, i) => [0, 1, 2, 3].map((j) => claimer(s, `w${i}-${j}`))));
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
      const owners = await db.raw('select count(distinct locked_by) as n from outbox');
      expect(Number(owners[0].n)).toBeGreaterThan(1); // really shared out, not one claimer taking everything
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.cleanup();
    }
  });
});
