/**
 * Delivery that never loses a message: the outbox and the delivery worker against the loopback connector
 * stand-in, with the real CloudAdapter. Throttling, a connector that is down (across a restart), a bot removed
 * from its team, replies waiting for their thread, and two workers sharing one PostgreSQL database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openStore } from '../src/storage/store';
import type { RecordStore, StoreOptions } from '../src/storage/types';
import { createAdapter } from '../src/teams/adapter';
import { classify, DeliveryWorker, parseRetryAfter } from '../src/teams/delivery';
import { FakeConnector, type ConnectorCall } from './helpers/connector';
import { makeTestDb, PG_URL } from './helpers/db';

const logger = createLogger('silent');
const adapter = createAdapter(parseConfig({ PORT: '0' }), logger);

function reference(serviceUrl: string, conversationId: string) {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: { id: '28:keepsafe-bot', name: 'KeepSafe' },
    user: { id: '29:sam', aadObjectId: 'aad-sam' },
    conversation: { id: conversationId, conversationType: conversationId.startsWith('19:') ? 'channel' : 'personal', tenantId: 'tenant' },
  };
}

function worker(store: RecordStore, extra: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) {
  return new DeliveryWorker({ store, adapter, appId: '', logger, baseDelayMs: 10, maxDelayMs: 50, random: () => 1, ...extra });
}

const posts = (c: FakeConnector, conversation: string) => c.calls.filter((x) => x.method === 'POST' && x.conversationId === conversation);

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
    expect(classify({ statusCode: 403, body: { error: { code: 'BotNotInConversationRoster' } } })).toMatchObject({ retryable: false, unreachable: true, code: 'BotNotInConversationRoster' });
    expect(classify({ statusCode: 403, body: { error: { code: 'ConversationBlockedByUser' } } })).toMatchObject({ unreachable: true });
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

  it('429 with Retry-After, then 200: delivered exactly once, not before Retry-After, and sending pauses meanwhile', async () => {
    await store.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    let refused = 0;
    connector.responder = (c: ConnectorCall) => (c.method === 'POST' && refused++ === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'Throttled' } } } : undefined);
    await store.enqueue([
      { key: 'm1', conversationKey: 'user:sam', op: 'send', activity: { type: 'message', text: 'one' } },
      { key: 'm2', conversationKey: 'user:sam', op: 'send', activity: { type: 'message', text: 'two' } },
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
    connector.responder = (c) => (c.method === 'POST' && c.body?.text === 'flaky' && n++ < 2 ? { status: 502 } : c.body?.text === 'doomed' ? { status: 504 } : undefined);
    await store.enqueue([
      { key: 'flaky', conversationKey: 'user:sam', op: 'send', activity: { type: 'message', text: 'flaky' } },
      { key: 'doomed', conversationKey: 'user:sam', op: 'send', activity: { type: 'message', text: 'doomed' } },
    ]);
    const w = worker(store, { maxAttempts: 3 });
    await drain(w, store);
    expect(posts(connector, 'a:sam').filter((c) => c.body.text === 'flaky')).toHaveLength(3);
    expect(await store.outbox.listFailed()).toEqual([expect.objectContaining({ key: 'doomed', attempts: 3, reason: 'HTTP_504' })]);
  });

  it('connector down: the message waits, survives a restart, and is delivered once the connector is back', async () => {
    const port = Number(new URL(connector.url).port);
    await store.conversations.save('channel:managers', reference(connector.url, '19:managers@thread.tacv2'), { kind: 'channel' });
    await store.enqueue([{ key: 'post', conversationKey: 'channel:managers', op: 'send', activity: { type: 'message', text: 'incident' } }]);
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
    await store.conversations.save('channel:managers', reference(connector.url, '19:gone@thread.tacv2'), { kind: 'channel' });
    connector.responder = () => ({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } });
    await store.enqueue([{ key: 'a', conversationKey: 'channel:managers', op: 'send', activity: { type: 'message', text: 'x' } }]);
    await worker(store).runOnce();
    expect(await store.outbox.listFailed()).toEqual([expect.objectContaining({ key: 'a', attempts: 1, reason: 'BotNotInConversationRoster' })]);
    expect((await store.conversations.get('channel:managers'))?.unreachableReason).toBe('BotNotInConversationRoster');
    await store.enqueue([{ key: 'b', conversationKey: 'channel:managers', op: 'send', activity: { type: 'message', text: 'y' } }]);
    const before = connector.calls.length;
    await worker(store).runOnce();
    expect(connector.calls.length).toBe(before);
    expect((await store.outbox.listFailed()).map((f) => f.key).sort()).toEqual(['a', 'b']);
  });

  it('a reply waits for its thread, then goes into it; an update replaces the sent message in place', async () => {
    await store.conversations.save('channel:managers', reference(connector.url, '19:m@thread.tacv2'), { kind: 'channel' });
    // Queued in the "wrong" order: the reply and the update come first.
    await store.enqueue([
      { key: 'reply', conversationKey: 'channel:managers', op: 'reply', threadOf: 'root', activity: { type: 'message', text: 'acknowledged' } },
      { key: 'update', conversationKey: 'channel:managers', op: 'update', updates: 'root', activity: { type: 'message', text: 'root v2' } },
    ]);
    await worker(store).runOnce();
    expect(connector.calls).toHaveLength(0); // nothing to reply to yet
    await store.enqueue([{ key: 'root', conversationKey: 'channel:managers', op: 'send', activity: { type: 'message', text: 'root' } }]);
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

  it('the outbox is written with its entry or not at all, and a retried write queues nothing new', async () => {
    const entry = { kind: 'written_record' as const, caseRef: 'LCS-104233', author: { aadObjectId: 'aad-sam', name: 'Sam' }, fields: { whatWasSeen: 'x' }, guidanceVersion: '1.0' };
    const msg = (key: string) => [{ key, conversationKey: 'user:sam', op: 'send' as const, activity: { type: 'message' } }];
    await expect(store.append({ ...entry, caseRef: 'Mrs Jones' }, { idempotencyKey: 'bad', outbox: msg('m-bad') })).rejects.toThrow();
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
      await a.enqueue(Array.from({ length: 60 }, (_, i) => ({ key: `m${i}`, conversationKey: 'user:sam', op: 'send' as const, activity: { type: 'message', text: `m${i}` } })));
      const [wa, wb] = [worker(a, { batchSize: 5 }), worker(b, { batchSize: 5 })];
      for (let i = 0; i < 20 && (await a.outbox.stats()).pending > 0; i++) await Promise.all([wa.runOnce(), wb.runOnce(), wa.runOnce(), wb.runOnce()]);
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
    const { queueDueReminders } = await import('../src/teams/reminders');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-remind-'));
    const store = await openStore({ dataDir });
    try {
      const report = (urgency: 'high' | 'low') =>
        store.append({
          kind: 'incident_report',
          author: { aadObjectId: 'aad-sam', name: 'Sam Carter' },
          fields: { type: 'account_hacked', summary: 'My account was taken over', happenedAt: new Date().toISOString(), urgency, evidenceKept: false },
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
      { key: 'done', conversationKey: 'user:x', op: 'record', activityId: 'a1', activity: {} },
      { key: 'waiting', conversationKey: 'user:x', op: 'send', activity: { type: 'message' } },
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
