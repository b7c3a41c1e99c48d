/**
 * Soak (issue 14): the compiled bot as its own process, 10,000 mixed turns from 50 conversations at once —
 * questions, walkthrough presses and incident actions (reports, and a manager acknowledging them in the
 * managers' channel) — against a loopback Bot Connector stand-in on which 1% of calls hang for ever and 1%
 * answer 429. Reports turns per second, latency, the bot's resident memory after warm-up and at the end, and
 * whether every proactive message the outbox sent reached the connector exactly once. A memory probe loaded
 * into the bot (scripts/bench/memory-probe.ts) also reports the live heap after a full garbage collection, after
 * warm-up and at the end, so garbage V8 has not yet collected is told apart from a leak. Loopback only; bounded
 * in time (SOAK_MAX_SECONDS, default 600). Run with `npm run bench -- --only soak`; never part of `npm test`.
 */
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FakeConnector, type ConnectorCall } from '../../tests/helpers/connector';
import { execute, message } from '../../tests/helpers/activities';
import { buttons, inputsOf } from '../../tests/helpers/cardDriver';
import { CHANNEL_ID, channelInvoke, inChannel, PRIYA, TEAM_ID } from '../../tests/helpers/managersTeam';
import type { MemorySample } from './memory-probe';

const ENTRY = path.resolve('dist/src/index.js');
const PROBE = path.resolve('dist/scripts/bench/memory-probe.js');
const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);
const QUESTIONS = [
  'a mum on my caseload added me on insta, what do I do?',
  'can I post photos from the day centre on facebook',
  'someone is posting lies about me online',
  'my account was hacked',
  'can I accept a friend request from a former service user',
  'what should I do if I see abuse in a photo',
  'help',
  'topics',
  'section 2.3.2',
  'is it ok to use whatsapp with families',
];

const pct = (from: number, to: number) => Math.round(((to - from) / from) * 1000) / 10;

function rssKb(pid: number, field = 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
}

async function post(url: string, body: unknown, timeoutMs = 20_000): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** The Node flags in package.json's start script (`node <flags> dist/src/index.js`). */
function startFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
    .start;
  const m = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/index\.js/.exec(start);
  if (!m) throw new Error(`package.json's start script does not run node dist/src/index.js: ${start}`);
  return m[1].split(/\s+/).filter(Boolean);
}

/** CPU time the process has used (user + system), in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const isActivityCall = (c: ConnectorCall) =>
  (c.method === 'POST' || c.method === 'PUT') && c.path.includes('/activities');
/** A turn's reply goes to /activities/{id of the activity it answers}; the outbox sends new messages (POST without an id) and updates (PUT). */
const isProactive = (c: ConnectorCall) => isActivityCall(c) && (c.method === 'PUT' || !c.activityId);
const succeeded = (c: ConnectorCall) => !c.hung && c.status !== undefined && c.status < 300;

export async function benchSoak(
  log: (s: string) => void,
  opts: { turns?: number; conversations?: number } = {},
): Promise<Record<string, number>> {
  const TURNS = opts.turns ?? Number(process.env.SOAK_TURNS ?? 10_000);
  const CONVERSATIONS = opts.conversations ?? Number(process.env.SOAK_CONVERSATIONS ?? 50);
  const MAX_MS = Number(process.env.SOAK_MAX_SECONDS ?? 600) * 1000;
  log('building (npm run build)');
  execSync('npm run --silent build', { stdio: 'inherit' });

  let seed = 14;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const connector = await new FakeConnector().start();
  const counts = { hung: 0, throttled: 0, proactiveHung: 0, proactiveThrottled: 0 };
  let faults = false;
  // When each connector call arrived (for SOAK_TRACE_UNANSWERED).
  const callAt = new WeakMap<ConnectorCall, number>();
  connector.responder = (call) => {
    callAt.set(call, Date.now());
    if (!faults || !isActivityCall(call)) return undefined;
    // SOAK_PROACTIVE_HANG_RATE (e.g. 0.1): more of the outbox's own calls held open, to exercise its timeouts.
    if (isProactive(call) && Math.random() < Number(process.env.SOAK_PROACTIVE_HANG_RATE ?? 0)) {
      counts.hung++;
      counts.proactiveHung++;
      return { hang: true };
    }
    const r = rand();
    if (r < 0.01) {
      counts.hung++;
      if (isProactive(call)) counts.proactiveHung++;
      return { hang: true };
    }
    if (r < 0.02) {
      counts.throttled++;
      if (isProactive(call)) counts.proactiveThrottled++;
      return {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { code: 'Throttled', message: 'slow down' } },
      };
    }
    return undefined;
  };

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-bench-soak-'));
  const port = 39500 + Math.floor(Math.random() * 400);
  // SOAK_NODE_ARGS / SOAK_ENV (e.g. "MALLOC_ARENA_MAX=2"): experiments with the bot's runtime settings.
  // The bot runs with the Node flags `npm start` gives it (package.json), unless SOAK_NO_START_FLAGS=1.
  const nodeArgs = [
    ...(process.env.SOAK_NO_START_FLAGS === '1' ? [] : startFlags()),
    ...(process.env.SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  log(`  node flags: ${nodeArgs.join(' ') || '(none)'}`);
  const extraEnv = Object.fromEntries(
    (process.env.SOAK_ENV ?? '')
      .split(' ')
      .filter(Boolean)
      .map((kv) => [kv.split('=')[0], kv.split('=').slice(1).join('=')]),
  );
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, ['--expose-gc', '--require', PROBE, ...nodeArgs, ENTRY], {
    env: {
      ...extraEnv,
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.SOAK_BOT_LOG ? 'info' : 'silent',
      KEEPSAFE_ENV: 'bench',
      NODE_ENV: 'test',
      CONTENT_DIR: path.resolve('content'),
      MANAGER_AAD_IDS: PRIYA.aadObjectId,
      MANAGERS_TEAM_ID: TEAM_ID,
      MANAGERS_CHANNEL_ID: CHANNEL_ID,
      CONNECTOR_TIMEOUT_SECONDS: '2',
      DELIVERY_POLL_MS: '200',
      DELIVERY_RETRY_BASE_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '8',
    },
    // SOAK_BOT_LOG=file: the bot's own log (info) goes there, for diagnosis.
    stdio: ['ignore', process.env.SOAK_BOT_LOG ? fs.openSync(process.env.SOAK_BOT_LOG, 'w') : 'ignore', 'pipe', 'ipc'],
  });
  // The memory probe (loaded only here): the bot's figures as they are, then after a full collection.
  let probeId = 0;
  const ask = <T>(request: Record<string, unknown>, timeoutMs = 60_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++probeId;
      const timer = setTimeout(() => reject(new Error('the memory probe did not answer')), timeoutMs);
      const onMessage = (m: any) => {
        if (m?.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      child.send({ ...request, id });
    });
  const memory = async (gc = true) => (await ask<{ sample: MemorySample }>({ probe: 'memory', gc })).sample;
  // SOAK_GC_EACH_SAMPLE=1: a full collection at every sample too (shows the live heap across the run, but
  // also trims the heap V8 would otherwise keep); by default only after warm-up and at the end.
  const gcEachSample = process.env.SOAK_GC_EACH_SAMPLE === '1';
  const snapshotDir = process.env.SOAK_SNAPSHOTS;
  const snapshot = async (name: string) => {
    if (snapshotDir)
      log(
        `  heap snapshot ${(await ask<{ file: string }>({ probe: 'snapshot', snapshot: path.join(snapshotDir, `${name}.heapsnapshot`) })).file}`,
      );
  };
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const stopChild = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    for (const end = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 20))) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        // not yet
      }
      if (Date.now() > end || child.exitCode !== null) throw new Error(`the bot did not start: ${stderr}`);
    }
    // The managers' channel is heard from once, so incident cards have somewhere to go.
    await post(url, inChannel(connector.url, 'help'));
    // Before warm-up: the bot started, loaded the identifier check's lists (3 s after start-up, src/index.ts)
    // and answered one turn; what is built on first use (models, templates, compiled code) is not built yet.
    await new Promise((r) => setTimeout(r, Math.max(0, spawnedAt + 5000 - Date.now())));
    const cold = await memory();
    const coldAnonKb = rssKb(child.pid!, 'RssAnon');

    const people = Array.from({ length: CONVERSATIONS }, (_, i) => ({
      id: `29:soak-${i}`,
      name: `Soak ${i}`,
      aadObjectId: `5e5e5e5e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    const latencies: number[] = [];
    const kinds = { question: 0, walkthrough: 0, incident: 0, acknowledge: 0 };
    let statuses5xx = 0;
    let errors = 0;
    let done = 0;
    const started = Date.now();
    const acted = new Set<string>();
    let warmCpu = { ms: 0, done: 0 };
    // Samples at the end of warm-up (turn 500) and every 1,000 turns: RSS as it was, heap after a forced GC.
    const samples: Array<[number, MemorySample]> = [];
    const sampling: Array<Promise<void>> = [];
    // Anonymous resident memory (V8 heap + malloc + native) at each sample, read as the sample comes back.
    const anonAt = new Map<number, number>();
    const takeSample = (at: number) =>
      sampling.push(
        memory(at === 500 || gcEachSample)
          .then((m) => {
            samples.push([at, m]);
            anonAt.set(at, rssKb(child.pid!, 'RssAnon') * 1024);
          })
          .catch((err) => log(`  memory probe: ${(err as Error).message}`)),
      );

    const byKind: Record<string, number[]> = { question: [], walkthrough: [], incident: [], acknowledge: [] };
    // Turns the client gave up on, with what their conversation's connector calls did (SOAK_TRACE_UNANSWERED=file).
    const unanswered: Array<{ kind: string; at: number; activity: any; error: string }> = [];
    const turn = async (
      body: unknown,
      kind: keyof typeof byKind = 'question',
    ): Promise<{ status: number; body: any } | undefined> => {
      const t = performance.now();
      const at = Date.now();
      try {
        const res = await post(url, body);
        latencies.push(performance.now() - t);
        byKind[kind].push(performance.now() - t);
        if (res.status >= 500) statuses5xx++;
        return res;
      } catch (err) {
        errors++;
        unanswered.push({ kind, at, activity: body, error: (err as Error).name });
        return undefined;
      } finally {
        done++;
        if (done === 500) {
          faults = true; // warm-up over: from here 1% of connector calls hang and 1% answer 429
          warmCpu = { ms: cpuMs(child.pid!), done };
          takeSample(done);
          if (snapshotDir) sampling.push(snapshot('warm'));
        }
        if (done % 1000 === 0) takeSample(done);
        if (done % 1000 === 0)
          log(`  ${done}/${TURNS} turns, ${((done / (Date.now() - started)) * 1000).toFixed(0)}/s`);
      }
    };

    const worker = async (i: number) => {
      const me = people[i];
      const opts = { serviceUrl: connector.url, from: me };
      let walkCard: any;
      let n = 0;
      while (done < TURNS && Date.now() - started < MAX_MS) {
        const r = rand();
        n++;
        if (i < 2 && r >= 0.6) {
          // Conversations 0 and 1 double as the duty manager: acknowledge an incident card that reached the channel.
          const ackOf = (c: ConnectorCall) =>
            buttons(c.body?.attachments?.[0]?.content).find(
              (b) => b.data?.act === 'acknowledge' && !acted.has(b.data.incidentId),
            );
          const card = connector.calls.find(
            (c) => isProactive(c) && succeeded(c) && c.method === 'POST' && c.conversationId === CHANNEL_ID && ackOf(c),
          );
          const ack = card ? ackOf(card) : undefined;
          if (card && ack) {
            acted.add(ack.data.incidentId);
            kinds.acknowledge++;
            await turn(channelInvoke(connector.url, 'incidentAct', ack.data, PRIYA, `root-${i}-${n}`), 'acknowledge');
          } else {
            kinds.question++;
            await turn(message('help', opts));
          }
        } else if (r < 0.55) {
          kinds.question++;
          await turn(message(QUESTIONS[Math.floor(rand() * QUESTIONS.length)], opts));
        } else if (r < 0.85) {
          kinds.walkthrough++;
          const presses = walkCard ? buttons(walkCard).filter((b) => b.verb === 'walkthrough') : [];
          if (presses.length === 0) {
            const res = await turn(
              execute('photoDecision', { fresh: true }, { ...opts, replyToId: `walk-${i}-${n}` }),
              'walkthrough',
            );
            walkCard = res?.body?.type === 'application/vnd.microsoft.card.adaptive' ? res.body.value : undefined;
          } else {
            const b = presses[Math.floor(rand() * presses.length)];
            const data = { ...(b.associatedInputs === 'none' ? {} : inputsOf(walkCard)), ...b.data };
            const res = await turn(
              execute('walkthrough', data, { ...opts, replyToId: `walk-${i}-${n}` }),
              'walkthrough',
            );
            walkCard = res?.body?.type === 'application/vnd.microsoft.card.adaptive' ? res.body.value : walkCard;
            if (rand() < 0.1) walkCard = undefined; // sometimes start again
          }
        } else {
          kinds.incident++;
          const report = {
            type: 'untrue_or_abusive_post',
            summary: 'A parent posted that I lied in court.',
            happenedDate: '2026-11-20',
            happenedTime: '19:30',
            platform: 'Facebook',
            urgency: 'high',
            evidenceKept: 'true',
            step: 'submit',
          };
          await turn(execute('incident', report, { ...opts, replyToId: `form-${i}-${n}` }), 'incident');
        }
      }
    };
    await Promise.all(people.map((_, i) => worker(i)));
    const elapsed = Date.now() - started;
    await Promise.all(sampling);
    const endRssKb = rssKb(child.pid!);
    const cpuPerTurn = (cpuMs(child.pid!) - warmCpu.ms) / (done - warmCpu.done);
    const endAnonKb = rssKb(child.pid!, 'RssAnon');
    const end = await memory();
    samples.push([done, end]);
    samples.sort((a, b) => a[0] - b[0]);
    if (process.env.SOAK_TRACE) fs.writeFileSync(process.env.SOAK_TRACE, JSON.stringify(samples, null, 1));
    await snapshot('end');
    const warm = samples[0]![1];
    if (process.env.SOAK_TRACE_UNANSWERED) {
      const t0 = started;
      const trace = unanswered.map((u) => ({
        kind: u.kind,
        error: u.error,
        atSeconds: (u.at - t0) / 1000,
        type: u.activity.type,
        name: u.activity.name,
        text: u.activity.text,
        id: u.activity.id,
        replyToId: u.activity.replyToId,
        conversation: u.activity.conversation?.id,
        // This conversation's connector calls from 5 s before the turn to 40 s after it.
        calls: connector.calls
          .filter(
            (c) =>
              c.conversationId === u.activity.conversation?.id &&
              Math.abs((callAt.get(c) ?? 0) - u.at - 17_500) <= 22_500,
          )
          .map((c) => ({
            method: c.method,
            path: c.path,
            afterMs: (callAt.get(c) ?? 0) - u.at,
            hung: c.hung,
            status: c.status,
          })),
      }));
      fs.writeFileSync(process.env.SOAK_TRACE_UNANSWERED, JSON.stringify(trace, null, 1));
    }
    log(`  ${done} turns in ${(elapsed / 1000).toFixed(1)} s; waiting for the outbox to drain`);

    // Exactly once: every message the outbox marked sent reached the connector once (answered with a success).
    faults = false;
    const db = new Database(path.join(dataDir, 'keepsafe.sqlite'), { readonly: true });
    const outbox = () =>
      db.prepare("SELECT status, count(*) AS n FROM outbox WHERE op != 'record' GROUP BY status").all() as Array<{
        status: string;
        n: number;
      }>;
    const pending = () => outbox().find((r) => r.status === 'pending')?.n ?? 0;
    for (const end = Date.now() + 120_000; pending() > 0 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 250));
    const byStatus = Object.fromEntries(outbox().map((r) => [r.status, r.n]));
    // Idle: the outbox drained, then no turns for SOAK_IDLE_SECONDS (default 15), as between a council's bursts;
    // V8's memory reducer starts 8 s after allocation stops. RSS as it is, without a forced collection.
    await new Promise((r) => setTimeout(r, Number(process.env.SOAK_IDLE_SECONDS ?? 15) * 1000));
    const idle = await memory(false);
    const sentRows = db
      .prepare("SELECT sent_activity_id AS id FROM outbox WHERE status = 'sent' AND op != 'record'")
      .all() as Array<{ id: string | null }>;
    db.close();
    // Each successful proactive call answered with a new activity id (POST) or updated one (PUT): count them.
    const delivered = connector.calls.filter((c) => isProactive(c) && succeeded(c));
    const sentIds = new Set(sentRows.map((r) => r.id).filter(Boolean));
    const postIds = delivered.filter((c) => c.method === 'POST').length;
    const puts = delivered.filter((c) => c.method === 'PUT').length;
    const duplicates = delivered.length - sentRows.length;

    latencies.sort((a, b) => a - b);
    const q = (p: number, of = latencies) => of[Math.min(of.length - 1, Math.floor(of.length * p))];
    Object.values(byKind).forEach((l) => l.sort((a, b) => a - b));
    const kindLatency = Object.fromEntries(
      (
        [
          ['questions', 'question'],
          ['walkthrough presses', 'walkthrough'],
          ['incident reports', 'incident'],
        ] as const
      ).flatMap(([label, k]) => [
        [`${label}: latency p50 (ms)`, Math.round(q(0.5, byKind[k]) ?? NaN)],
        [`${label}: latency p99 (ms)`, Math.round(q(0.99, byKind[k]) ?? NaN)],
      ]),
    );
    return {
      'turns sent': done,
      'conversations at once': CONVERSATIONS,
      questions: kinds.question,
      'walkthrough presses': kinds.walkthrough,
      'incident reports': kinds.incident,
      'manager acknowledgements': kinds.acknowledge,
      'turns per second': Math.round((done / elapsed) * 1000),
      'bot CPU time per turn after warm-up (ms, user + system)': Math.round(cpuPerTurn * 10) / 10,
      'turn latency p50 (ms)': Math.round(q(0.5)),
      'turn latency p99 (ms)': Math.round(q(0.99)),
      'turn latency max (ms)': Math.round(latencies[latencies.length - 1] ?? 0),
      ...kindLatency,
      'turns answered 5xx': statuses5xx,
      'turns unanswered (client gave up after 20 s)': errors,
      'connector calls held open for ever': counts.hung,
      'connector calls answered 429': counts.throttled,
      'outbox calls held open for ever (the rest are chat replies)': counts.proactiveHung,
      'outbox calls answered 429': counts.proactiveThrottled,
      'resident memory before warm-up: started, 5 s after launch, one turn (MiB)': MiB(cold.rss),
      'resident memory after warm-up (MiB)': MiB(warm.rss),
      'resident memory at the end (MiB)': Math.round(endRssKb / 1024),
      'resident memory growth (%)': pct(warm.rss, endRssKb * 1024),
      'resident memory growth from before warm-up (%)': pct(cold.rss, endRssKb * 1024),
      'anonymous resident memory (heaps, malloc) before warm-up (MiB)': Math.round(coldAnonKb / 1024),
      'anonymous resident memory at the end (MiB)': Math.round(endAnonKb / 1024),
      'resident memory after the drain and 15 s idle (MiB)': MiB(idle.rss),
      'resident memory growth, after warm-up to idle (%)': pct(warm.rss, idle.rss),
      ...Object.fromEntries(
        samples
          .filter(([n]) => n % 2000 === 0 && n < done)
          .map(([n, m]) => [`resident memory at ${n.toLocaleString('en-GB')} turns (MiB)`, MiB(m.rss)]),
      ),
      'resident memory, lowest sample after warm-up (MiB)': MiB(Math.min(...samples.map(([, m]) => m.rss))),
      'resident memory, highest sample (MiB)': MiB(Math.max(...samples.map(([, m]) => m.rss))),
      'resident memory growth over the second half (%)': (() => {
        const mid = samples.find(([n]) => n >= TURNS / 2)?.[1];
        return mid ? pct(mid.rss, endRssKb * 1024) : NaN;
      })(),
      'live heap after a full GC, before warm-up (MiB)': MiB(cold.heapUsedAfterGc),
      'live heap after a full GC, after warm-up (MiB)': MiB(warm.heapUsedAfterGc),
      'live heap after a full GC, at the end (MiB)': MiB(end.heapUsedAfterGc),
      'live heap growth after a full GC (%)': pct(warm.heapUsedAfterGc, end.heapUsedAfterGc),
      ...Object.fromEntries(
        samples
          .filter(([n]) => n % 2000 === 0 && n < done)
          .map(([n, m]) =>
            gcEachSample
              ? [`live heap after a full GC at ${n.toLocaleString('en-GB')} turns (MiB)`, MiB(m.heapUsedAfterGc)]
              : [`heap in use (no forced GC) at ${n.toLocaleString('en-GB')} turns (MiB)`, MiB(m.heapUsed)],
          ),
      ),
      ...Object.fromEntries(
        samples
          .filter(([n]) => n % 2000 === 0 && n < done)
          .map(([n, m]) => [`V8 heap reserved at ${n.toLocaleString('en-GB')} turns (MiB)`, MiB(m.heapTotalAfterGc)]),
      ),
      ...Object.fromEntries(
        samples
          .filter(([n]) => n % 2000 === 0 && n < done && anonAt.has(n))
          .map(([n, m]) => [
            `anonymous resident memory beyond the V8 heap at ${n.toLocaleString('en-GB')} turns (MiB)`,
            MiB(anonAt.get(n)! - m.heapTotalAfterGc),
          ]),
      ),
      'external + array buffers after a full GC, at the end (MiB)': MiB(end.externalAfterGc),
      'V8 heap reserved after a full GC, before warm-up (MiB)': MiB(cold.heapTotalAfterGc),
      'V8 heap reserved after a full GC, after warm-up (MiB)': MiB(warm.heapTotalAfterGc),
      'V8 heap reserved after a full GC, at the end (MiB)': MiB(end.heapTotalAfterGc),
      'anonymous resident memory beyond the V8 heap (malloc, native), before warm-up (MiB)':
        Math.round(coldAnonKb / 1024) - MiB(cold.heapTotalAfterGc),
      'resident memory right after the final full GC (MiB)': MiB(end.rssAfterGc),
      'timers, sockets and other handles at the end': Object.values(end.resources).reduce((a, b) => a + b, 0),
      'proactive messages sent (outbox)': byStatus.sent ?? 0,
      'proactive messages failed (outbox)': byStatus.failed ?? 0,
      'proactive messages still pending after the drain': byStatus.pending ?? 0,
      'proactive deliveries the connector answered (POST + PUT)': postIds + puts,
      'distinct activity ids the outbox recorded': sentIds.size,
      'deliveries beyond exactly once': duplicates,
    };
  } finally {
    await stopChild();
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
