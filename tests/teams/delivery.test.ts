/**
 * Delivery that never loses a message: the outbox and the delivery worker against the loopback connector
 * stand-in, with the real CloudAdapter. Throttling, a connector that is down (across a restart), a bot removed
 * from its team, replies waiting for their thread, and two workers sharing one PostgreSQL database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../src/storage/db';
import { openStore } from '../../src/storage/store';
import type { RecordStore, StoreOptions } from '../../src/storage/types';
import { createAdapter } from '../../src/teams/adapter';
import { classify, DeliveryWorker, parseRetryAfter } from '../../src/teams/delivery';
import { FakeConnector, type ConnectorCall } from '../helpers/connector';
import { makeTestDb, PG_URL } from '../helpers/db';
import { createApp, type App } from '../../src/app';
import { textMessage } from '../../src/features/outboxMessages';
import { BOT, installed, message, TENANT, WORKER } from '../helpers/activities';
import { startBot } from '../helpers/bot';

const logger = createLogger('silent');
const adapter = createAdapter(parseConfig({ PORT: '0' }), logger);

function reference(serviceUrl: string, conversationId: string) {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: { id: '28:keepsafe-bot', name: 'KeepSafe' },
    user: { id: '29:sam', aadObjectId: 'aad-sam' },
    conversation: {
      id: conversationId,
      conversationType: conversationId.startsWith('19:') ? 'channel' : 'personal',
      tenantId: 'tenant',
    },
  };
}

function worker(store: RecordStore, extra: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) {
  return new DeliveryWorker({
    store,
    adapter,
    appId: '',
    logger,
    baseDelayMs: 10,
    maxDelayMs: 50,
    random: () => 1,
    ...extra,
  });
}

const posts = (c: FakeConnector, conversation: string) =>
  c.calls.filter((x) => x.method === 'POST' && x.conversationId === conversation);

async function drain(w: DeliveryWorker, store: RecordStore, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await w.runOnce();
    if ((await store.outbox.stats()).pending === 0) return;
    await new Promise((r) => setTimeout(r, 60));
  }
}

describe('classifying connector failures', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
  it('retries throttling and transient errors, gives up at once on a conversation the bot cannot reach', () => {
    expect(classify({ statusCode: 429 })).toMatchObject({ retryable: true, unreachable: false });
    for (const status of [412, 502, 504]) expect(classify({ statusCode: status }).retryable).toBe(true);
    expect(classify({ code: 'ECONNREFUSED' })).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
    expect(classify({ statusCode: 403, body: { error: { code: 'BotNotInConversationRoster' } } })).toMatchObject({
      retryable: false,
      unreachable: true,
      code: 'BotNotInConversationRoster',
    });
    expect(classify({ statusCode: 403, body: { error: { code: 'ConversationBlockedByUser' } } })).toMatchObject({
      unreachable: true,
    });
    expect(classify({ statusCode: 400 })).toMatchObject({ retryable: false, unreachable: false });
  });
});

describe('the delivery worker (SQLite)', () => {
  let connector: FakeConnector;
  let dataDir: string;
  let store: RecordStore;
  const options = (): StoreOptions => ({ dataDir });

  beforeEach(async () => {
    connector = await new FakeConnector().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-delivery-'));
    store = await openStore(options());
  });
  afterEach(async () => {
    await store.close();
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The first POST is posted (Teams gives it `id`) but answered only after `delayMs`; every later one at once. */
  const answerFirstPostLate = (id: string, delayMs: number) => {
    let n = 0;
    connector.responder = (c) =>
      c.method === 'POST' && n++ === 0 ? { status: 200, body: { id }, delayMs } : undefined;
  };

  it('429 with Retry-After, then 200: delivered exactly once, not before Retry-After, and sending pauses meanwhile', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    let refused = 0;
    connector.responder = (c: ConnectorCall) =>
      c.method === 'POST' && refused++ === 0
        ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'Throttled' } } }
        : undefined;
    await store.enqueue([
      { key: 'm1', conversationKey: 'user:sam', op: 'send', content: textMessage('one') },
      { key: 'm2', conversationKey: 'user:sam', op: 'send', content: textMessage('two') },
    ]);
    const w = worker(store);
    const started = Date.now();
    await w.runOnce(); // m1 throttled; m2 handed back untouched while paused
    expect(posts(connector, 'a:sam')).toHaveLength(1);
    await w.runOnce(); // still paused: nothing sent
    expect(posts(connector, 'a:sam')).toHaveLength(1);
    await drain(w, store);
    const texts = posts(connector, 'a:sam').map((c) => c.body.text);
    const throttled = texts[0];
    expect(texts).toHaveLength(3); // the throttled one twice (refused, then sent), the other once
    expect(texts.filter((t) => t === throttled)).toHaveLength(2);
    expect(new Set(texts)).toEqual(new Set(['one', 'two']));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 2, failed: 0 });
  });

  it('502 twice then 200: delivered once; after N failures a message is marked failed with its reason', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    let n = 0;
    connector.responder = (c) =>
      c.method === 'POST' && c.body?.text === 'flaky' && n++ < 2
        ? { status: 502 }
        : c.body?.text === 'doomed'
          ? { status: 504 }
          : undefined;
    await store.enqueue([
      { key: 'flaky', conversationKey: 'user:sam', op: 'send', content: textMessage('flaky') },
      { key: 'doomed', conversationKey: 'user:sam', op: 'send', content: textMessage('doomed') },
    ]);
    const w = worker(store, { maxAttempts: 3 });
    await drain(w, store);
    expect(posts(connector, 'a:sam').filter((c) => c.body.text === 'flaky')).toHaveLength(3);
    expect(await store.outbox.listFailed()).toEqual([
      expect.objectContaining({ key: 'doomed', attempts: 3, reason: 'HTTP_504' }),
    ]);
  });

  it('connector down: the message waits, survives a restart, and is delivered once the connector is back', async () => {
    const port = Number(new URL(connector.url).port);
    await store.conversations.save('channel:managers', reference(connector.url, '19:managers@thread.tacv2'), {
      kind: 'channel',
    });
    await store.enqueue([
      { key: 'post', conversationKey: 'channel:managers', op: 'send', content: textMessage('incident') },
    ]);
    await connector.stop();
    await worker(store).runOnce();
    expect(await store.outbox.stats()).toMatchObject({ pending: 1, sent: 0 });
    // The bot restarts (new store, new worker) while the connector is still down, then the connector returns.
    await store.close();
    store = await openStore(options());
    await worker(store).runOnce();
    await connector.start(port);
    await drain(worker(store), store);
    expect(posts(connector, '19:managers@thread.tacv2').map((c) => c.body.text)).toEqual(['incident']);
    expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 1, failed: 0 });
  });

  it('403 BotNotInConversationRoster: failed at once, the conversation marked, later messages there fail without trying', async () => {
    await store.conversations.save('channel:managers', reference(connector.url, '19:gone@thread.tacv2'), {
      kind: 'channel',
    });
    connector.responder = () => ({
      status: 403,
      body: {
        error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
      },
    });
    await store.enqueue([{ key: 'a', conversationKey: 'channel:managers', op: 'send', content: textMessage('x') }]);
    await worker(store).runOnce();
    expect(await store.outbox.listFailed()).toEqual([
      expect.objectContaining({ key: 'a', attempts: 1, reason: 'BotNotInConversationRoster' }),
    ]);
    expect((await store.conversations.get('channel:managers'))?.unreachableReason).toBe('BotNotInConversationRoster');
    await store.enqueue([{ key: 'b', conversationKey: 'channel:managers', op: 'send', content: textMessage('y') }]);
    const before = connector.calls.length;
    await worker(store).runOnce();
    expect(connector.calls.length).toBe(before);
    expect((await store.outbox.listFailed()).map((f) => f.key).sort()).toEqual(['a', 'b']);
  });

  it('a reply waits for its thread, then goes into it; an update replaces the sent message in place', async () => {
    await store.conversations.save('channel:managers', reference(connector.url, '19:m@thread.tacv2'), {
      kind: 'channel',
    });
    // Queued in the "wrong" order: the reply and the update come first.
    await store.enqueue([
      {
        key: 'reply',
        conversationKey: 'channel:managers',
        op: 'reply',
        threadOf: 'root',
        content: textMessage('acknowledged'),
      },
      {
        key: 'update',
        conversationKey: 'channel:managers',
        op: 'update',
        updates: 'root',
        content: textMessage('root v2'),
      },
    ]);
    await worker(store).runOnce();
    expect(connector.calls).toHaveLength(0); // nothing to reply to yet
    await store.enqueue([
      { key: 'root', conversationKey: 'channel:managers', op: 'send', content: textMessage('root') },
    ]);
    await drain(worker(store), store);
    const root = connector.calls.find((c) => c.method === 'POST' && c.body.text === 'root')!;
    const rootId = (await store.outbox.sentActivity('root'))!.activityId;
    expect(root.conversationId).toBe('19:m@thread.tacv2');
    const reply = connector.calls.find((c) => c.body?.text === 'acknowledged')!;
    expect(reply.conversationId).toBe(`19:m@thread.tacv2;messageid=${rootId}`);
    const update = connector.calls.find((c) => c.method === 'PUT')!;
    expect(update.activityId).toBe(rootId);
    expect(update.body.text).toBe('root v2');
  });

  it('Retry-After as an HTTP date is honoured too', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    let refused = 0;
    connector.responder = (c) =>
      c.method === 'POST' && refused++ === 0
        ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() } }
        : undefined;
    await store.enqueue([{ key: 'm', conversationKey: 'user:sam', op: 'send', content: textMessage('one') }]);
    const w = worker(store);
    const started = Date.now();
    await w.runOnce();
    await drain(w, store);
    expect(posts(connector, 'a:sam')).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // an HTTP date has one-second resolution
  });

  it('403 ConversationBlockedByUser marks the 1:1 chat; a reply whose thread root failed fails too, without a send', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    connector.responder = () => ({
      status: 403,
      body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } },
    });
    await store.enqueue([
      { key: 'root', conversationKey: 'user:sam', op: 'send', content: textMessage('root') },
      { key: 'reply', conversationKey: 'user:sam', op: 'reply', threadOf: 'root', content: textMessage('reply') },
    ]);
    await worker(store).runOnce();
    await worker(store).runOnce();
    expect(connector.calls).toHaveLength(1);
    expect((await store.conversations.get('user:sam'))?.unreachableReason).toBe('ConversationBlockedByUser');
    const failed = Object.fromEntries((await store.outbox.listFailed()).map((f) => [f.key, f.reason]));
    expect(failed).toEqual({
      root: 'ConversationBlockedByUser',
      reply: expect.stringMatching(/^(DEPENDENCY_FAILED|UNREACHABLE:ConversationBlockedByUser)$/),
    });
    // They write to the bot again: the chat is reachable again for new messages.
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    expect((await store.conversations.get('user:sam'))?.unreachableReason).toBeNull();
  });

  it('404 on an update (the message was deleted) fails that update only; the conversation stays reachable', async () => {
    await store.conversations.save('channel:managers', reference(connector.url, '19:m@thread.tacv2'), {
      kind: 'channel',
    });
    connector.responder = (c) =>
      c.method === 'PUT' ? { status: 404, body: { error: { code: 'ActivityNotFound', message: 'gone' } } } : undefined;
    await store.enqueue([
      { key: 'card', conversationKey: 'channel:managers', op: 'record', activityId: 'act-deleted' },
      {
        key: 'card-v2',
        conversationKey: 'channel:managers',
        op: 'update',
        updates: 'card',
        content: textMessage('v2'),
      },
    ]);
    await worker(store).runOnce();
    expect(connector.calls.filter((c) => c.method === 'PUT').map((c) => c.activityId)).toEqual(['act-deleted']);
    expect(await store.outbox.listFailed()).toEqual([
      expect.objectContaining({ key: 'card-v2', reason: 'ActivityNotFound' }),
    ]);
    expect((await store.conversations.get('channel:managers'))?.unreachableReason).toBeNull();
  });

  it('a worker whose lease ran out (it stalled) does not send what another worker has taken', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    await store.enqueue([{ key: 'm', conversationKey: 'user:sam', op: 'send', content: textMessage('once') }]);
    // The slow worker claims with a 1 ms lease, stalls past it, and meanwhile another worker takes the message.
    const slow = worker(store, { leaseMs: 1 });
    const claim = store.outbox.claim.bind(store.outbox);
    jest.spyOn(store.outbox, 'claim').mockImplementationOnce(async (...args) => {
      const batch = await claim(...args);
      await new Promise((r) => setTimeout(r, 20));
      expect(await claim('other', 5, new Date())).toHaveLength(1);
      return batch;
    });
    await slow.runOnce();
    expect(connector.calls).toHaveLength(0);
    expect(await store.outbox.stats()).toMatchObject({ pending: 1 });
  });

  it('a send that timed out but was posted, answered late: the late activity id is recorded and it is not sent again', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    answerFirstPostLate('late-act', 500);
    await store.enqueue([{ key: 'late', conversationKey: 'user:sam', op: 'send', content: textMessage('late') }]);
    // The worker gives up on the call after 150 ms and reschedules it for 1 s later; the answer comes at 500 ms.
    const w = worker(store, { sendTimeoutMs: 150, baseDelayMs: 1000, maxDelayMs: 1000, lateAnswerMs: 5000 });
    expect(await w.runOnce()).toBe(0);
    expect(await store.outbox.stats()).toEqual({ pending: 1, sent: 0, failed: 0 });
    for (let i = 0; i < 50 && !(await store.outbox.sentActivity('late')); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await store.outbox.sentActivity('late')).toEqual({ activityId: 'late-act', conversationId: 'a:sam' });
    await new Promise((r) => setTimeout(r, 700)); // past the retry's due time
    await w.runOnce();
    expect(posts(connector, 'a:sam')).toHaveLength(1);
    expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 1, failed: 0 });
  });

  it('a short backoff does not send again inside the late-answer window: the late answer is recorded, one post', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    answerFirstPostLate('slow-act', 600);
    await store.enqueue([
      { key: 'slow', conversationKey: 'user:sam', op: 'send', content: textMessage('slow') },
      { key: 'next', conversationKey: 'user:sam', op: 'send', content: textMessage('next') },
    ]);
    // Backoff alone would retry 50 ms after the 150 ms timeout, while the first call (answered at 600 ms) is open.
    const w = worker(store, { sendTimeoutMs: 150, baseDelayMs: 50, maxDelayMs: 50, lateAnswerMs: 1500 });
    const retry = jest.spyOn(store.outbox, 'markRetry');
    const startedAt = Date.now();
    await w.runOnce();
    expect(retry).toHaveBeenCalledTimes(1);
    // Due when the window closes (1.5 s after the call began), not 50 ms after the worker stopped waiting.
    expect((retry.mock.calls[0][2] as Date).getTime() - startedAt).toBeGreaterThanOrEqual(1350);
    retry.mockRestore();
    // The conversation's next message waits for the backoff only: it goes before the slow one's late answer.
    await new Promise((r) => setTimeout(r, 80));
    await w.runOnce();
    expect(await store.outbox.sentActivity('next')).toBeDefined();
    expect(await store.outbox.sentActivity('slow')).toBeUndefined();
    for (let i = 0; i < 50 && !(await store.outbox.sentActivity('slow')); i++) {
      await w.runOnce(); // nothing is due yet
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await store.outbox.sentActivity('slow')).toEqual({ activityId: 'slow-act', conversationId: 'a:sam' });
    await new Promise((r) => setTimeout(r, 1000)); // past the window
    await w.runOnce();
    expect(posts(connector, 'a:sam').map((c) => c.body.text)).toEqual(['slow', 'next']); // slow: the first, hung call
    expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 2, failed: 0 });
  });

  it('an answer after the late-answer window cannot be recorded: the at-least-once case, visible as two posts', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    answerFirstPostLate('too-late', 900);
    await store.enqueue([{ key: 'slow', conversationKey: 'user:sam', op: 'send', content: textMessage('slow') }]);
    // The call is given up at 150 ms and ended at 400 ms; the retry is due then, and the connector answers at 900 ms.
    const w = worker(store, { sendTimeoutMs: 150, baseDelayMs: 50, maxDelayMs: 50, lateAnswerMs: 400 });
    await drain(w, store);
    const retried = await store.outbox.sentActivity('slow');
    expect(retried?.activityId).not.toBe('too-late');
    await connector.waitFor(2, (c) => c.method === 'POST' && c.status === 200, 3000);
    await new Promise((r) => setTimeout(r, 100));
    expect(posts(connector, 'a:sam')).toHaveLength(2);
    expect(await store.outbox.sentActivity('slow')).toEqual(retried); // the retry's id stays
  });

  it('a stored message that cannot be read is failed on its own; the messages behind it still go', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    await store.enqueue([
      { key: 'torn', conversationKey: 'user:sam', op: 'send', content: textMessage('torn') },
      { key: 'odd', conversationKey: 'user:nobody-yet', op: 'send', content: textMessage('odd') },
      { key: 'after', conversationKey: 'user:sam', op: 'send', content: textMessage('after') },
    ]);
    // Seen in a channel, no chat yet: a message for them would open one first.
    await store.conversations.save('member:nobody-yet', reference(connector.url, '19:managers@thread.tacv2'), {
      kind: 'member',
      aadObjectId: 'nobody-yet',
    });
    // A torn write and a shape this version does not send (say, a newer version's), straight into the file.
    const file = new Database(path.join(dataDir, SQLITE_FILE_NAME));
    file.prepare('UPDATE outbox SET content = \'{"kind":"card","ca\' WHERE key = \'torn\'').run();
    file.prepare('UPDATE outbox SET content = ? WHERE key = ?').run(JSON.stringify({ kind: 'poll', q: '?' }), 'odd');
    file.close();
    const opened = jest.spyOn(adapter, 'createConversationAsync');
    await drain(worker(store), store);
    expect(posts(connector, 'a:sam').map((c) => c.body.text)).toEqual(['after']);
    expect(opened).not.toHaveBeenCalled(); // no chat opened for a message with nothing to send
    opened.mockRestore();
    expect((await store.outbox.listFailed()).map((f) => [f.key, f.reason]).sort()).toEqual([
      ['odd', 'NO_CONTENT'],
      ['torn', 'NO_CONTENT'],
    ]);
  });

  it('markSentLate records only a message still pending or failed on a timeout', async () => {
    await store.enqueue([
      { key: 'p', conversationKey: 'user:sam', op: 'send', content: textMessage('') },
      { key: 'f', conversationKey: 'user:sam', op: 'send', content: textMessage('') },
      { key: 'g', conversationKey: 'user:sam', op: 'send', content: textMessage('') },
    ]);
    const claimed = await store.outbox.claim('w', 10);
    const id = (k: string) => claimed.find((m) => m.key === k)!.id;
    await store.outbox.markFailed(id('f'), 'CONNECTOR_TIMEOUT');
    await store.outbox.markFailed(id('g'), 'HTTP_400');
    expect(await store.outbox.markSentLate(id('p'), 'a1', 'c')).toBe(true);
    expect(await store.outbox.markSentLate(id('p'), 'a2', 'c')).toBe(false); // already sent
    expect(await store.outbox.markSentLate(id('f'), 'a3', 'c')).toBe(true);
    expect(await store.outbox.markSentLate(id('g'), 'a4', 'c')).toBe(false);
    expect(await store.outbox.sentActivity('p')).toEqual({ activityId: 'a1', conversationId: 'c' });
    expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 2, failed: 1 });
  });

  it('the outbox is written with its entry or not at all, and a retried write queues nothing new', async () => {
    const entry = {
      kind: 'written_record' as const,
      caseRef: 'LCS-104233',
      author: { aadObjectId: 'aad-sam', name: 'Sam' },
      fields: { whatWasSeen: 'x' },
      guidanceVersion: '1.0',
    };
    const msg = (key: string) => [{ key, conversationKey: 'user:sam', op: 'send' as const, content: textMessage('') }];
    await expect(
      store.append({ ...entry, caseRef: 'Mrs Jones' }, { idempotencyKey: 'bad', outbox: msg('m-bad') }),
    ).rejects.toThrow();
    await store.append(entry, { idempotencyKey: 'k', outbox: msg('m-1') });
    await store.append(entry, { idempotencyKey: 'k', outbox: msg('m-2') }); // Teams' retry, built afresh
    expect(await store.outbox.stats()).toEqual({ pending: 1, sent: 0, failed: 0 });
  });
});

(PG_URL ? describe : describe.skip)('two delivery workers on one PostgreSQL database', () => {
  it('every message is sent exactly once', async () => {
    const db = await makeTestDb('postgres');
    const connector = await new FakeConnector().start();
    const [a, b] = await Promise.all([openStore(db.options), openStore(db.options)]);
    try {
      await a.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
      await a.enqueue(
        Array.from({ length: 60 }, (_, i) => ({
          key: `m${i}`,
          conversationKey: 'user:sam',
          op: 'send' as const,
          content: textMessage(`m${i}`),
        })),
      );
      const [wa, wb] = [worker(a, { batchSize: 5 }), worker(b, { batchSize: 5 })];
      for (let i = 0; i < 20 && (await a.outbox.stats()).pending > 0; i++)
        await Promise.all([wa.runOnce(), wb.runOnce(), wa.runOnce(), wb.runOnce()]);
      const texts = posts(connector, 'a:sam').map((c) => c.body.text);
      expect(texts).toHaveLength(60);
      expect(new Set(texts).size).toBe(60);
      expect(await b.outbox.stats()).toEqual({ pending: 0, sent: 60, failed: 0 });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await connector.stop();
      await db.cleanup();
    }
  });
});

describe('urgent incidents nobody acknowledges', () => {
  it('remind the channel thread after URGENT_ACK_MINUTES, tell the duty manager after twice that, each once, and stop once acknowledged', async () => {
    const { queueDueReminders } = await import('../../src/features/reminders');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-remind-'));
    const store = await openStore({ dataDir });
    try {
      const report = (urgency: 'high' | 'low') =>
        store.append({
          kind: 'incident_report',
          author: { aadObjectId: 'aad-sam', name: 'Sam Carter' },
          fields: {
            type: 'account_hacked',
            summary: 'My account was taken over',
            happenedAt: new Date().toISOString(),
            urgency,
            evidenceKept: false,
          },
          guidanceVersion: '1.0',
        });
      const urgent = await report('high');
      await report('low');
      const opts = { store, logger, urgentAckMinutes: 15, dutyManagerAadObjectId: 'duty-aad' };
      const at = (minutes: number) => new Date(new Date(urgent.createdAt).getTime() + minutes * 60_000);
      expect(await queueDueReminders(opts, at(10))).toBe(0);
      expect(await queueDueReminders(opts, at(16))).toBe(1);
      await queueDueReminders(opts, at(20)); // a second instance, or the next minute: nothing new is queued
      expect(await store.outbox.stats()).toMatchObject({ pending: 1 });
      expect(await queueDueReminders(opts, at(31))).toBe(2); // the reminder again (a no-op) and the duty manager
      expect(await store.outbox.stats()).toMatchObject({ pending: 2 });
      await store.append({
        kind: 'manager_action',
        author: { aadObjectId: 'aad-priya', name: 'Priya Shah' },
        fields: { subjectRecordId: urgent.id, action: 'acknowledge', sequence: 1 },
        guidanceVersion: '1.0',
      });
      expect(await queueDueReminders(opts, at(60))).toBe(0);
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

it('retention removes delivered and failed outbox messages after 90 days, never pending ones', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-outbox-retention-'));
  const store = await openStore({ dataDir });
  try {
    await store.enqueue([
      { key: 'done', conversationKey: 'user:x', op: 'record', activityId: 'a1' },
      { key: 'waiting', conversationKey: 'user:x', op: 'send', content: textMessage('') },
    ]);
    await store.runRetention(new Date(Date.now() + 89 * 86_400_000));
    expect(await store.outbox.stats()).toEqual({ pending: 1, sent: 1, failed: 0 });
    await store.runRetention(new Date(Date.now() + 91 * 86_400_000));
    expect(await store.outbox.stats()).toEqual({ pending: 1, sent: 0, failed: 0 });
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('over HTTP: conversation references from incoming activities, and proactive delivery across a restart', () => {
  let connector: FakeConnector;
  beforeEach(async () => {
    connector = await new FakeConnector().start();
  });
  afterEach(async () => {
    await connector.stop();
  });

  it('keeps the 1:1 chat under user:<aadObjectId>, and skips the write when nothing changed', async () => {
    const bot = await startBot();
    try {
      expect((await bot.post(message('help', { serviceUrl: connector.url }))).status).toBe(200);
      const key = `user:${WORKER.aadObjectId.toLowerCase()}`;
      const first = await bot.app.store.conversations.get(key);
      expect(first).toMatchObject({
        reference: {
          serviceUrl: connector.url,
          conversation: { id: `a:personal-${WORKER.id}`, conversationType: 'personal' },
          bot: { id: BOT.id },
        },
        meta: { kind: 'personal', aadObjectId: WORKER.aadObjectId.toLowerCase() },
        unreachableReason: null,
      });
      expect(first!.reference).not.toHaveProperty('activityId'); // a reference, not a reply to one message
      await new Promise((r) => setTimeout(r, 5));
      await bot.post(message('topics', { serviceUrl: connector.url }));
      expect((await bot.app.store.conversations.get(key))!.updatedAt).toBe(first!.updatedAt);
    } finally {
      await bot.stop();
    }
  });

  it('when the bot is installed in a team it keeps the team and its General channel', async () => {
    const bot = await startBot();
    try {
      const team = '19:team-general@thread.tacv2';
      const a = installed({ serviceUrl: connector.url, conversationId: team });
      const res = await bot.post({
        ...a,
        conversation: { ...a.conversation, conversationType: 'channel', isGroup: true },
        channelData: {
          tenant: { id: TENANT },
          team: { id: team, name: 'Social Care Managers' },
          channel: { id: team },
          eventType: 'teamMemberAdded',
        },
      });
      expect(res.status).toBe(200);
      expect(await bot.app.store.conversations.get(`team:${team}`)).toMatchObject({
        meta: { kind: 'team', teamId: team, channelId: team },
        reference: { conversation: { id: team } },
      });
      expect(await bot.app.store.conversations.get(`channel:${team}`)).toMatchObject({
        meta: { kind: 'channel', teamId: team, channelId: team },
      });
      expect((await bot.app.store.conversations.list({ kind: 'team' })).map((c) => c.key)).toEqual([`team:${team}`]);
    } finally {
      await bot.stop();
    }
  });

  it('a failure to save a reference is logged (codes only) and never blocks the turn', async () => {
    const bot = await startBot();
    try {
      const save = jest
        .spyOn(bot.app.store.conversations, 'save')
        .mockRejectedValue(Object.assign(new Error('disk full: I am Mrs Jones'), { code: 'SQLITE_FULL' }));
      const res = await bot.post(message('help', { serviceUrl: connector.url }));
      expect(res.status).toBe(200);
      await connector.waitFor(1);
      expect(save).toHaveBeenCalled();
      const line = bot.logLines.find((l) => l.includes('conversation.save_failed'));
      expect(line).toContain('SQLITE_FULL');
      expect(line).not.toContain('Mrs Jones');
    } finally {
      await bot.stop();
    }
  });

  it('connector down: a message queued before a restart is delivered once by the restarted bot when the connector returns', async () => {
    const env = { DELIVERY_POLL_MS: '50', DELIVERY_RETRY_BASE_MS: '50' };
    const first = await startBot(env);
    const port = Number(new URL(connector.url).port);
    let second: App | undefined;
    try {
      await first.post(message('help', { serviceUrl: connector.url }));
      await connector.stop();
      const key = `user:${WORKER.aadObjectId.toLowerCase()}`;
      await first.app.store.enqueue([
        { key: 'status-1', conversationKey: key, op: 'send', content: textMessage('Your report was acknowledged') },
      ]);
      first.app.delivery.nudge();
      const waitFor = async (test: () => Promise<boolean>, ms = 3000) => {
        for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25)))
          if (await test()) return;
        throw new Error('timed out');
      };
      // It was tried (and failed: connection refused) at least once, and is still queued.
      await waitFor(async () =>
        first.logLines.some((l) => l.includes('delivery.retry_scheduled') && l.includes('ECONNREFUSED')),
      );
      expect(await first.app.store.outbox.stats()).toMatchObject({ pending: 1, sent: 0 });
      await first.app.stop(); // the bot goes down (its data stays)
      const config = parseConfig({
        PORT: '0',
        DATA_DIR: first.dataDir,
        CONTENT_DIR: path.resolve(__dirname, '../../content'),
        ...env,
      });
      second = await createApp(config, logger);
      await second.start();
      await connector.start(port);
      await waitFor(async () => (await second!.store.outbox.stats()).sent === 1);
      expect(connector.sent.map((a) => a.text).filter((t) => t === 'Your report was acknowledged')).toHaveLength(1);
      expect(posts(connector, `a:personal-${WORKER.id}`).at(-1)!.body.text).toBe('Your report was acknowledged');
    } finally {
      await second?.stop();
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
