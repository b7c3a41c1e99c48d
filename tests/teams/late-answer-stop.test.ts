/**
 * A proactive call left open for a late answer (DELIVERY_LATE_ANSWER_SECONDS) ends when the delivery worker
 * stops, instead of holding a socket, a timer and the process's event loop until the window runs out. The
 * message stays pending for the next start.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/storage/store';
import type { RecordStore } from '../../src/storage/types';
import { createAdapter } from '../../src/teams/adapter';
import { DeliveryWorker } from '../../src/teams/delivery';

const logger = createLogger('silent');
const adapter = createAdapter(parseConfig({ PORT: '0' }), logger);

let store: RecordStore;
let dataDir: string;
let server: http.Server;
let url: string;
const opened: number[] = [];
const closed: number[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-late-stop-'));
  store = await openStore({ dataDir });
  // A connector that reads each call and never answers it; it notes when the bot gives the call up.
  server = http.createServer((req) => {
    opened.push(Date.now());
    req.resume();
    req.socket.once('close', () => closed.push(Date.now()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('stop() ends a call kept open for a late answer; the message stays pending', async () => {
  const reference = {
    channelId: 'msteams',
    serviceUrl: url,
    bot: { id: '28:keepsafe-bot', name: 'KeepSafe' },
    user: { id: '29:sam', aadObjectId: 'aad-sam' },
    conversation: { id: 'a:sam', conversationType: 'personal', tenantId: 'tenant' },
  };
  await store.conversations.save('user:sam', reference, { kind: 'personal' });
  await store.enqueue([
    { key: 'held', conversationKey: 'user:sam', op: 'send', content: { kind: 'text', text: 'held', format: 'plain' } },
  ]);
  const w = new DeliveryWorker({
    store,
    adapter,
    appId: '',
    logger,
    sendTimeoutMs: 200,
    lateAnswerMs: 20_000,
    baseDelayMs: 10_000,
    maxDelayMs: 10_000,
    random: () => 1,
  });
  expect(await w.runOnce()).toBe(0); // the worker gave up waiting after 200 ms
  expect(opened).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 300));
  expect(closed).toHaveLength(0); // still open, waiting for a late answer
  const stoppedAt = Date.now();
  await w.stop(100);
  for (let i = 0; i < 40 && closed.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(closed).toHaveLength(1);
  expect(closed[0] - stoppedAt).toBeLessThan(1000); // not at the end of the 20 s window
  expect(await store.outbox.stats()).toEqual({ pending: 1, sent: 0, failed: 0 });
});

it('a send still under way at the stop deadline is handed back as it was: no attempt counted, due at once', async () => {
  const reference = {
    channelId: 'msteams',
    serviceUrl: url,
    bot: { id: '28:keepsafe-bot', name: 'KeepSafe' },
    user: { id: '29:ana', aadObjectId: 'aad-ana' },
    conversation: { id: 'a:ana', conversationType: 'personal', tenantId: 'tenant' },
  };
  await store.conversations.save('user:ana', reference, { kind: 'personal' });
  await store.enqueue([
    {
      key: 'in-flight',
      conversationKey: 'user:ana',
      op: 'send',
      content: { kind: 'text', text: 'hi', format: 'plain' },
    },
  ]);
  const before = opened.length;
  const w = new DeliveryWorker({
    store,
    adapter,
    appId: '',
    logger,
    sendTimeoutMs: 10_000, // the call is still under way when the worker stops
    lateAnswerMs: 20_000,
    baseDelayMs: 10_000,
    maxDelayMs: 10_000,
    random: () => 1,
  });
  const run = w.runOnce();
  for (let i = 0; i < 80 && opened.length === before; i++) await new Promise((r) => setTimeout(r, 25));
  expect(opened.length).toBe(before + 1);
  await w.stop(100);
  await run;
  // Handed back by stop(): claimable at once with no attempt counted (a counted retry would be due 10 s later).
  const claimed = (await store.outbox.claim('next-worker', 10)).filter((m) => m.key === 'in-flight');
  expect(claimed).toHaveLength(1);
  expect(claimed[0].attempts).toBe(0);
});
