/**
 * Several KeepSafe instances sharing one PostgreSQL database (TEST_DATABASE_URL): a worker's walkthrough moves
 * between instances press by press (the load balancer may send any press anywhere), two instances receiving
 * the same press at the same moment store it once, and a manager's answer taken by one instance moves on the
 * walkthrough the other instance serves. Skipped, with a note, without TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { FakeConnector } from '../helpers/connector';
import { execute, message } from '../helpers/activities';
import { channelInvoke, inChannel, PRIYA } from '../helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';
import { button, buttons, inputsOf, pressOn, stepOf } from '../helpers/cardDriver';
import { PG_URL } from '../helpers/db';
import { londonParts } from '../../src/core/time';

const describePg = PG_URL ? describe : describe.skip;

describePg('two instances, one PostgreSQL database', () => {
  const schema = `ks_walk_${process.pid}_${randomBytes(3).toString('hex')}`;
  let connector: FakeConnector;
  let a: RunningBot;
  let b: RunningBot;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    const env = {
      DATABASE_URL: PG_URL!,
      DATABASE_SCHEMA: schema,
      MANAGER_AAD_IDS: PRIYA.aadObjectId,
      DELIVERY_POLL_MS: '50',
    };
    a = await startBot(env);
    b = await startBot(env);
    await a.post(inChannel(connector.url, '<at>KeepSafe</at> set as managers channel', PRIYA));
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await connector?.stop();
    const client = new Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  const earlier = () => londonParts(new Date(Date.now() - 3600_000));

  it('presses alternate between instances; the same press on both at once is stored once; a manager answers on the other one', async () => {
    const before = connector.sent.length;
    await a.post(message('photo decision', { serviceUrl: connector.url }));
    let card = connector.sent.slice(before).map(cardOf).filter(Boolean).pop();
    expect(stepOf(card)).toBe('seen');

    card = await pressOn(a, connector.url, card, 'continue', {
      concern: 'physical_injury',
      personType: 'child',
      caseRef: 'lcs-400001',
      immediateDanger: 'no',
    });
    card = await pressOn(b, connector.url, card, 'yes');
    expect(stepOf(card)).toBe('record_advice');

    const advice = {
      adviserName: 'Priya Shah',
      adviserRole: 'Team manager',
      via: 'phone',
      givenDate: earlier().date,
      givenTime: earlier().time,
      decision: 'do_not_photograph',
    };
    const [x, y] = await Promise.all([
      pressOn(a, connector.url, card, 'continue', advice),
      pressOn(b, connector.url, card, 'continue', advice),
    ]);
    expect([stepOf(x), stepOf(y)]).toEqual(['body_map', 'body_map']);
    expect(await a.app.store.list({ kind: 'advice_given', caseRef: 'LCS-400001' })).toHaveLength(1);

    // A second walkthrough waits for advice (asked on B); the manager answers through A.
    const before2 = connector.sent.length;
    await b.post(message('photo decision', { serviceUrl: connector.url }));
    const list = connector.sent.slice(before2).map(cardOf).filter(Boolean).pop();
    const fresh = buttons(list).find((n) => n.data?.fresh === true);
    let second = (
      await b.post(execute('photoDecision', fresh.data, { serviceUrl: connector.url, replyToId: 'list-pg' }))
    ).body.value;
    second = await pressOn(b, connector.url, second, 'continue', {
      concern: 'signs_of_neglect',
      personType: 'adult',
      caseRef: 'lcs-400002',
      immediateDanger: 'no',
    });
    second = await pressOn(b, connector.url, second, 'no');
    second = await pressOn(b, connector.url, second, 'ask');
    expect(stepOf(second)).toBe('awaiting_advice');
    const [request] = await a.app.store.list({ kind: 'advice_request', caseRef: 'LCS-400002' });
    const walkId = button(second, 'had_advice').data.walkId;
    const res = await a.post(
      channelInvoke(
        connector.url,
        'adviceAnswer',
        { requestId: request.id, walkId, adviceDecision: 'photograph' },
        PRIYA,
        'p1',
      ),
    );
    expect(cardText(res.body.value)).toMatch(/Take photographs[\s\S]*By Priya Shah/);

    // The old "waiting" card, pressed on B, now shows the advice filled in for the worker to save.
    const resumed = await pressOn(b, connector.url, second, 'had_advice');
    expect(stepOf(resumed)).toBe('record_advice');
    expect(inputsOf(resumed)).toMatchObject({ adviserName: 'Priya Shah', decision: 'photograph', via: 'keepsafe' });
    expect((await b.app.store.verifyAudit()).ok).toBe(true);
  });
});

if (!PG_URL)
  process.stderr.write(
    'walkthrough-pg: SKIPPED — set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it\n',
  );
