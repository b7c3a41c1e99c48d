/**
 * Late-answer recording with the shipped settings (no DELIVERY_LATE_ANSWER_SECONDS set), over HTTP against the
 * running bot: a managers'-channel post that Teams answers after the worker stopped waiting is recorded as sent
 * with the activity id Teams gave it, and not posted a second time. With recording off, the HTTP call is cut at
 * the connector timeout, the answer is lost and the retry posts the card again: two copies in the channel.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { startBot, cardOf, cardText, type RunningBot } from '../helpers/bot';
import { FakeConnector, type ConnectorCall } from '../helpers/connector';
import { execute, WORKER } from '../helpers/activities';
import { CHANNEL_ID, inChannel, PRIYA } from '../helpers/managersTeam';

const isChannelPost = (c: ConnectorCall) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId;
const postFor = (time: string) => (c: ConnectorCall) => isChannelPost(c) && cardText(cardOf(c.body)).includes(time);
const answered = (c: ConnectorCall) => !c.hung && c.status !== undefined && c.status < 300;

describe('a channel post answered after the worker stopped waiting (default settings)', () => {
  let connector: FakeConnector;
  let bot: RunningBot;

  beforeAll(async () => {
    // The retry's full-jitter backoff is random: pinned near its top (0.99 × 4 s) so the retry is due after the
    // late answer (2.5 s) rather than, by chance, before it (which would be the documented at-least-once case).
    jest.spyOn(Math, 'random').mockReturnValue(0.99);
    connector = await new FakeConnector().start();
    let first = true;
    connector.responder = (call) => {
      if (postFor('06:55')(call) && first) {
        first = false;
        return { status: 200, body: { id: 'late-channel-post' }, delayMs: 2500 };
      }
      return undefined;
    };
    // Connector timeout 1 s: the worker gives up on a send after 2 s (timeout + 1 s), Teams answers at 2.5 s.
    bot = await startBot({
      MANAGER_AAD_IDS: PRIYA.aadObjectId,
      CONNECTOR_TIMEOUT_SECONDS: '1',
      DELIVERY_POLL_MS: '50',
      DELIVERY_RETRY_BASE_MS: '4000',
    });
    await bot.post(inChannel(connector.url, '<at>KeepSafe</at> set as managers channel'));
    await connector.waitFor(1, (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true);
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.stop();
    jest.restoreAllMocks();
  });

  it('is recorded with the late activity id and posted once', async () => {
    const report = {
      type: 'untrue_or_abusive_post',
      summary: 'A parent posted that I lied in court.',
      happenedDate: '2026-11-20',
      happenedTime: '06:55',
      platform: 'Facebook',
      urgency: 'high',
      evidenceKept: 'true',
      step: 'submit',
    };
    const res = await bot.post(
      execute('incident', report, { serviceUrl: connector.url, from: WORKER, replyToId: 'form-late' }),
    );
    expect(cardText(res.body.value)).toMatch(/Incident reported/);
    await connector.waitFor(1, postFor('06:55'), 5000);
    // The worker stops waiting at 2 s (a failed attempt, retry due about 4 s later); the answer comes at 2.5 s.
    for (let i = 0; i < 100 && !bot.logLines.some((l) => l.includes('delivery.late_answer_recorded')); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(bot.logLines.some((l) => l.includes('delivery.retry_scheduled') && l.includes('CONNECTOR_TIMEOUT'))).toBe(
      true,
    );
    expect(bot.logLines.some((l) => l.includes('delivery.late_answer_recorded'))).toBe(true);
    // Past the time the retry was due: it saw the message already sent and did not post it again.
    await new Promise((r) => setTimeout(r, 5000));
    expect(connector.calls.filter(postFor('06:55'))).toHaveLength(1);
    expect(connector.calls.filter((c) => postFor('06:55')(c) && answered(c))).toHaveLength(1);
    const db = new Database(path.join(bot.dataDir, 'keepsafe.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT status, attempts FROM outbox WHERE sent_activity_id = 'late-channel-post'")
        .all() as Array<{ status: string; attempts: number }>;
      expect(rows).toEqual([{ status: 'sent', attempts: 1 }]); // one timed-out attempt, then recorded from the late answer
    } finally {
      db.close();
    }
  }, 30_000);
});
