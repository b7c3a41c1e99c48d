/**
 * Issue 14's connector faults against the running bot: a Bot Connector stand-in that holds calls open or answers
 * 429. A hung managers'-channel post does not stop a second incident reaching the channel; a hung conversation
 * does not stop others; a chat reply that hangs fails its turn cleanly within the timeout; and SIGTERM while a
 * call hangs ends the real process (src/index.ts in a child) within the shutdown deadline, exit 0, after which
 * a restart delivers every queued message exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot, cardOf, cardText, type RunningBot } from '../helpers/bot';
import { FakeConnector, type ConnectorCall } from '../helpers/connector';
import { execute, message, WORKER } from '../helpers/activities';
import { CHANNEL_ID, inChannel, JO, PRIYA, roster, TEAM_ID } from '../helpers/managersTeam';
import { rawRequest } from '../helpers/raw';
import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { processGuard } from '../../src/server';
import { textMessage } from '../../src/features/outboxMessages';
import { createLogger } from '../../src/logger';

const ROOT = path.resolve(__dirname, '../..');

/** A report with nothing that identifies anyone. Its time ("07:11") tells two reports' channel cards apart. */
const report = (time: string) => ({
  type: 'untrue_or_abusive_post',
  summary: 'A parent posted that I lied in court.',
  happenedDate: '2026-11-20',
  happenedTime: time,
  platform: 'Facebook',
  urgency: 'high',
  evidenceKept: 'true',
});

/** Reports an incident through the card, confirming past the identifier check if it asks. */
async function reportIncident(
  post: (body: unknown) => Promise<{ status: number; body: any }>,
  serviceUrl: string,
  platform: string,
  from = WORKER,
): Promise<void> {
  const opts = { serviceUrl, from, replyToId: `form-${platform.replace(':', '')}` };
  const first = await post(execute('incident', { ...report(platform), step: 'submit' }, opts));
  expect(first.status).toBe(200);
  const digest = JSON.stringify(first.body).match(/"digest":"([0-9a-f]{16})"/)?.[1];
  if (digest && !/Incident reported/.test(cardText(first.body?.value))) {
    const confirmed = await post(execute('incident', { ...report(platform), step: 'confirm', digest }, opts));
    expect(cardText(confirmed.body.value)).toMatch(/Incident reported/);
  } else {
    expect(cardText(first.body.value)).toMatch(/Incident reported/);
  }
}

const isChannelPost = (c: ConnectorCall) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId;
const postFor = (platform: string) => (c: ConnectorCall) =>
  isChannelPost(c) && cardText(cardOf(c.body)).includes(platform);
const answered = (c: ConnectorCall) => !c.hung && c.status !== undefined && c.status < 300;

describe("a managers' channel post that never gets an answer", () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let hangNextChannelPost = true;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.responder = (call) => {
      const r = roster(call);
      if (r) return r;
      if (isChannelPost(call) && hangNextChannelPost && cardText(cardOf(call.body)).includes('07:11')) {
        hangNextChannelPost = false;
        return { hang: true };
      }
      return undefined;
    };
    bot = await startBot({
      MANAGER_AAD_IDS: PRIYA.aadObjectId,
      DELIVERY_POLL_MS: '50',
      DELIVERY_RETRY_BASE_MS: '500',
      CONNECTOR_TIMEOUT_SECONDS: '3',
      // The hung post's retry waits for its late-answer window (8 s from the send; 30 s by default), the second
      // incident only for the usual backoff.
      DELIVERY_LATE_ANSWER_SECONDS: '8',
    });
    await bot.post(inChannel(connector.url, '<at>KeepSafe</at> set as managers channel'));
    await connector.waitFor(1, (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true);
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  it('a second incident reaches the channel within 10 s, and the hung one is retried and delivered once', async () => {
    await reportIncident((b) => bot.post(b), connector.url, '07:11');
    await connector.waitFor(1, (c) => postFor('07:11')(c) && c.hung === true, 5000);
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = Date.now();
    await reportIncident((b) => bot.post(b), connector.url, '07:22', JO);
    await connector.waitFor(1, (c) => postFor('07:22')(c) && answered(c), 10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // The hung post timed out (a failed attempt, logged as such), was retried with backoff, and went out.
    await connector.waitFor(1, (c) => postFor('07:11')(c) && answered(c), 15_000);
    expect(bot.logLines.some((l) => l.includes('delivery.retry_scheduled') && l.includes('CONNECTOR_TIMEOUT'))).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(connector.calls.filter((c) => postFor('07:11')(c) && answered(c))).toHaveLength(1);
    expect(connector.calls.filter((c) => postFor('07:22')(c) && answered(c))).toHaveLength(1);
  }, 40_000);
});

describe('a conversation that hangs, another that is throttled, and the rest', () => {
  let connector: FakeConnector;
  let bot: RunningBot;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    bot = await startBot({ DELIVERY_POLL_MS: '50', DELIVERY_RETRY_BASE_MS: '200', CONNECTOR_TIMEOUT_SECONDS: '2' });
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  it('messages to twelve chats all arrive while one chat hangs for ever and another answers 429 once; each chat in order', async () => {
    const people = Array.from({ length: 12 }, (_, i) => ({
      id: `29:p${i}`,
      name: `Person ${i}`,
      aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    for (const p of people)
      expect((await bot.post(message('help', { serviceUrl: connector.url, from: p }))).status).toBe(200);
    const hungConversation = `a:personal-${people[0].id}`;
    const throttledConversation = `a:personal-${people[1].id}`;
    let throttled = false;
    connector.responder = (call) => {
      if (call.method !== 'POST' || !call.path.includes('/activities')) return undefined;
      if (call.conversationId === hungConversation) return { hang: true };
      if (call.conversationId === throttledConversation && !throttled) {
        throttled = true;
        return { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'Throttled' } } };
      }
      return undefined;
    };
    connector.reset();
    const messages = people.flatMap((p, i) =>
      [1, 2, 3].map((n) => ({
        key: `soak-${i}-${n}`,
        conversationKey: `user:${p.aadObjectId}`,
        op: 'send' as const,
        content: textMessage(`message ${n} for ${i}`),
      })),
    );
    await bot.app.store.enqueue(messages);
    bot.app.delivery.nudge();
    const t0 = Date.now();
    // 33 messages to the 11 chats that answer: all within a few seconds, despite the hung chat taking a slot.
    await connector.waitFor(33, (c) => answered(c) && c.conversationId !== hungConversation, 15_000);
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(10_000);
    for (let i = 1; i < people.length; i++) {
      const texts = connector.calls
        .filter((c) => answered(c) && c.conversationId === `a:personal-${people[i].id}`)
        .map((c) => c.body.text);
      expect(texts).toEqual([`message 1 for ${i}`, `message 2 for ${i}`, `message 3 for ${i}`]);
    }
    // The hung chat's first message is still pending (timed out, retried), never marked sent.
    const hungCalls = connector.calls.filter((c) => c.conversationId === hungConversation);
    expect(hungCalls.every((c) => c.hung)).toBe(true);
    expect((await bot.app.store.outbox.stats()).pending).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('a chat reply that hangs fails that turn cleanly within the timeout: the HTTP answer comes, the next turn works', async () => {
    connector.responder = (call) =>
      call.method === 'POST' && call.conversationId === `a:personal-${WORKER.id}` ? { hang: true } : undefined;
    const t0 = Date.now();
    const res = await rawRequest(bot.url, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('help', { serviceUrl: connector.url })),
      timeoutMs: 12_000,
    });
    // The reply times out (2 s), then the error card times out too (2 s): the turn ends, answered, no 5xx.
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(7000);
    expect(bot.logLines.some((l) => l.includes('"event":"turn.failed"') && l.includes('CONNECTOR_TIMEOUT'))).toBe(true);
    connector.responder = undefined;
    connector.reset();
    expect((await bot.post(message('help', { serviceUrl: connector.url }))).status).toBe(200);
    await connector.waitFor(1);
  }, 20_000);
});

// ---- SIGTERM on the real process ---------------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  url: Promise<string>;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/index.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      KEEPSAFE_ENV: 'fuzz-none',
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'info',
      CONTENT_DIR: path.join(ROOT, 'content'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffer = '';
  const url = new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const m = /"url":"(http:\/\/[^"]+)\/api\/messages"/.exec(line);
        if (m && line.includes('"event":"listening"')) resolve(m[1]);
        else if (m && line.includes('listening')) resolve(m[1]);
      }
    });
    proc.once('exit', () => reject(new Error(`child exited before listening: ${lines.slice(-5).join('\n')}`)));
  });
  proc.stderr!.on('data', (c: Buffer) => lines.push(c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, url, lines, exited };
}

async function postTo(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await rawRequest(url, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: 20_000,
  });
  return { status: r.status, body: r.body };
}

describe('SIGTERM while a connector call hangs', () => {
  let connector: FakeConnector;
  let dataDir: string;
  const children: Child[] = [];

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-sigterm-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await connector?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 within the shutdown deadline; after a restart every queued message is delivered exactly once', async () => {
    const env = {
      DATA_DIR: dataDir,
      MANAGERS_TEAM_ID: TEAM_ID,
      MANAGERS_CHANNEL_ID: CHANNEL_ID,
      DELIVERY_POLL_MS: '50',
      DELIVERY_RETRY_BASE_MS: '100',
      // The call hangs longer than the deadline: only the deadline can end the process in time.
      CONNECTOR_TIMEOUT_SECONDS: '12',
      SHUTDOWN_DEADLINE_SECONDS: '3',
    };
    const first = startChild(env);
    children.push(first);
    const url = await first.url;
    // The bot hears from the managers' channel (its reference is stored), then the connector stops answering.
    expect((await postTo(url, inChannel(connector.url, 'help'))).status).toBe(200);
    await connector.waitFor(1, (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true);
    connector.responder = (call) => (call.method === 'POST' ? { hang: true } : undefined);
    await reportIncident((b) => postTo(url, b), connector.url, '07:33');
    await reportIncident((b) => postTo(url, b), connector.url, '07:44', JO);
    await connector.waitFor(1, (c) => isChannelPost(c) && c.hung === true, 10_000);
    // And a turn in flight whose reply hangs.
    const inFlight = rawRequest(url, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('help', { serviceUrl: connector.url })),
      timeoutMs: 20_000,
    }).catch((e) => e);
    await connector.waitFor(1, (c) => c.hung === true && c.conversationId === `a:personal-${WORKER.id}`, 5000);

    const t0 = Date.now();
    first.proc.kill('SIGTERM');
    const exit = await first.exited;
    const took = Date.now() - t0;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(3000 + 1500);
    await inFlight;
    expect(first.lines.some((l) => l.includes('"event":"stopping"'))).toBe(true);

    // Back up, with a connector that answers: both channel cards go out, once each.
    connector.responder = undefined;
    const second = startChild(env);
    children.push(second);
    await second.url;
    await connector.waitFor(1, (c) => postFor('07:33')(c) && answered(c), 15_000);
    await connector.waitFor(1, (c) => postFor('07:44')(c) && answered(c), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(connector.calls.filter((c) => postFor('07:33')(c) && answered(c))).toHaveLength(1);
    expect(connector.calls.filter((c) => postFor('07:44')(c) && answered(c))).toHaveLength(1);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});

describe('the process guard', () => {
  it("survives an error from one request's stream (a real Gunzip error with no listener), exits 1 on anything else", async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(c.toString()), cb()) }));
    const exits: number[] = [];
    const guard = processGuard(logger, (code) => exits.push(code));
    const zlibError = await new Promise<Error>((resolve) => {
      const gz = zlib.createGunzip();
      gz.once('error', resolve);
      gz.end(Buffer.from('not gzip'));
    });
    guard(zlibError);
    guard(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    expect(exits).toEqual([]);
    expect(lines.join('')).toContain('process.stream_error_survived');
    guard(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(exits).toEqual([1]);
  });

  it('a bad gzip body against the real process: 415, and the process serves the next request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-guard-'));
    const child = startChild({ DATA_DIR: dir });
    try {
      const url = await child.url;
      const bad = await rawRequest(url, {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: 'not gzip',
      });
      expect(bad.status).toBe(415);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(child.proc.exitCode).toBeNull();
    } finally {
      child.proc.kill('SIGTERM');
      await child.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
