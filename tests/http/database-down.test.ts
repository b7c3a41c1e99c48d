/**
 * PostgreSQL goes away while the bot runs: the worker is told their answer could not be saved yet (nothing is
 * reported as saved that was not), /healthz says so, and once the database is back the same press is saved
 * exactly once.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { FakeConnector } from '../helpers/connector';
import { execute, message } from '../helpers/activities';
import { startBot, cardOf, cardText, type RunningBot } from '../helpers/bot';
import { pressOn, stepOf } from '../helpers/cardDriver';
import { londonParts } from '../../src/core/time';
import { PG_URL } from '../helpers/db';
import { TcpProxy } from '../helpers/tcpProxy';

(PG_URL ? describe : describe.skip)('database down', () => {
  const schema = `ks_test_down_${randomBytes(4).toString('hex')}`;
  let proxy: TcpProxy;
  let connector: FakeConnector;
  let bot: RunningBot;

  beforeAll(async () => {
    const target = new URL(PG_URL!);
    proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) }).start();
    const viaProxy = new URL(PG_URL!);
    viaProxy.port = String(proxy.port);
    connector = await new FakeConnector().start();
    bot = await startBot({ DATABASE_URL: viaProxy.toString(), DATABASE_SCHEMA: schema });
  });
  afterAll(async () => {
    await bot?.stop();
    await proxy?.stop();
    await connector?.stop();
    const c = new Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  });

  const press = (card: string) =>
    execute('feedback', { section: '2.1', helpful: true }, { serviceUrl: connector.url, replyToId: card });

  it('says the entry was not saved, reports it on /healthz, and saves it once when the database is back', async () => {
    expect((await bot.post(press('card-1'))).body.type).toBe('application/vnd.microsoft.card.adaptive');

    await proxy.cut();
    const down = await bot.post(press('card-2'));
    expect(down.status).toBe(200);
    expect(down.body.type).toBe('application/vnd.microsoft.activity.message'); // the card stays as it was
    expect(down.body.value).toMatch(/couldn't save that just now/i);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, database: { ok: false, engine: 'postgres' } });
    expect(bot.logLines.join('\n')).toMatch(/STORE_UNAVAILABLE/);

    await proxy.restore();
    const again = await bot.post(press('card-2'));
    expect(cardText(again.body.value)).toContain('Thanks for your feedback!');
    await bot.post(press('card-2')); // and a retry of that press is still one entry
    expect((await bot.app.store.feedbackCounts()).find((c) => c.section === '2.1')).toEqual({
      section: '2.1',
      helpful: 2,
      notHelpful: 0,
    });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('an incident report that cannot be saved says so on the card, keeps everything typed, and is saved once when sent again', async () => {
    const report = {
      step: 'submit',
      type: 'account_hacked',
      summary: 'Someone logged into my Instagram and posted as me.',
      happenedDate: '2026-11-24',
      happenedTime: '',
      platform: 'Instagram',
      urgency: 'medium',
      caseRef: '',
      evidenceKept: 'false',
    };
    const send = () => execute('incident', report, { serviceUrl: connector.url, replyToId: 'report-card-1' });
    await proxy.cut();
    const down = (await bot.post(send())).body;
    const text = cardText(down.value);
    expect(text).toMatch(/couldn't be saved just now, so it has not been sent/);
    expect(JSON.stringify(down.value)).toContain('Someone logged into my Instagram and posted as me.');
    expect(text).not.toMatch(/Incident reported/);
    await proxy.restore();
    expect(cardText((await bot.post(send())).body.value)).toMatch(/Incident reported/);
    await bot.post(send()); // Teams' retry
    expect(await bot.app.store.list({ kind: 'incident_report' })).toHaveLength(1);
  });

  it('a walkthrough press that cannot be saved leaves the card as it was (what was typed stays on it) and is stored once when pressed again', async () => {
    const before = connector.sent.length;
    await bot.post(message('photo decision', { serviceUrl: connector.url }));
    await connector.waitFor(before + 1, () => true);
    let card = connector.sent.slice(before).map(cardOf).filter(Boolean).pop();
    const press = (c: any, choice: string, typed: Record<string, unknown> = {}) =>
      pressOn(bot, connector.url, c, choice, typed);
    card = await press(card, 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-600001',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    const at = londonParts(new Date(Date.now() - 3600_000));
    const advice = {
      adviserName: 'Priya Shah',
      adviserRole: 'Team manager',
      via: 'phone',
      givenDate: at.date,
      givenTime: at.time,
      decision: 'do_not_photograph',
    };

    await proxy.cut();
    const down = await press(card, 'continue', advice);
    expect(down.message).toMatch(/can't reach its records just now\. Your answers on the card are kept/);
    await proxy.restore();
    const saved = await press(card, 'continue', advice);
    expect(stepOf(saved)).toBe('body_map');
    const retry = await press(card, 'continue', advice); // Teams' retry of the same press
    expect(stepOf(retry)).toBe('body_map');
    expect(await bot.app.store.list({ kind: 'advice_given', caseRef: 'LCS-600001' })).toHaveLength(1);
  });
});
