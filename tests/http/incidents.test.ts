/**
 * Issue 4 end to end, over HTTP against the real app, with a loopback stand-in for the Teams connector:
 * a manager sets the managers' channel; a worker reports (identifier warning → confirm); the escalation card is
 * posted to the channel through the outbox; a non-manager is refused; managers act (one wins a race, retries
 * change nothing); the card is updated for everyone, the thread gets a reply, and the reporter is told.
 */
import { FakeConnector } from '../helpers/connector';
import { execute, message, WORKER } from '../helpers/activities';
import { CHANNEL_ID, channelInvoke, inChannel as inChannelAs, JO, PRIYA, roster, TOM } from '../helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';

let connector: FakeConnector;
let bot: RunningBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  connector.responder = roster;
  bot = await startBot({ MANAGER_AAD_IDS: PRIYA.aadObjectId, DELIVERY_POLL_MS: '50' });
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

const personal = (from = WORKER) => ({ serviceUrl: connector.url, from });

const inChannel = (text: string, from = PRIYA) => inChannelAs(connector.url, text, from);
const actOn = (from: typeof PRIYA, data: object, replyToId: string) =>
  channelInvoke(connector.url, 'incidentAct', data, from, replyToId);

const channelPosts = () =>
  connector.calls.filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId);
const invokeBody = (res: { body: any }) => res.body;

const REPORT = {
  type: 'untrue_or_abusive_post',
  summary: 'A parent posted that I lied in court. Mrs Patel rang me on 07700 900123 about it.',
  happenedDate: '2026-11-20',
  happenedTime: '19:30',
  platform: 'Facebook',
  urgency: 'high',
  caseRef: 'lcs-104233',
  evidenceKept: 'true',
};

describe('an incident from report to resolution', () => {
  let incidentId = '';

  it("a configured manager sets the managers' channel by mentioning the bot there", async () => {
    const res = await bot.post(inChannel('<at>KeepSafe</at> set as managers channel'));
    expect(res.status).toBe(200);
    const [reply] = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true,
    );
    expect(cardText(cardOf(reply.body))).toMatch(/now the managers' channel/);
  });

  it('a non-manager cannot move the channel', async () => {
    connector.reset();
    await bot.post(inChannel('<at>KeepSafe</at> set as managers channel', JO));
    const [reply] = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true,
    );
    expect(cardText(cardOf(reply.body))).toMatch(/Only managers can do this/);
  });

  it("the worker opens the report card with 'report an incident'", async () => {
    connector.reset();
    await bot.post(message('report an incident', personal()));
    const [call] = await connector.waitFor(1);
    const text = cardText(cardOf(call.body));
    expect(text).toMatch(/Report an incident/);
    expect(text).toMatch(/never their name/);
  });

  it('bad answers come back on the card with every typed value kept', async () => {
    const res = await bot.post(
      execute(
        'incident',
        { ...REPORT, step: 'submit', happenedDate: '2099-01-01', caseRef: 'Mrs Jones' },
        { ...personal(), replyToId: 'form-1' },
      ),
    );
    const body = invokeBody(res);
    expect(body.statusCode).toBe(200);
    const text = cardText(body.value);
    expect(text).toMatch(/in the future/);
    expect(text).toMatch(/doesn't look like a case reference/);
    expect(JSON.stringify(body.value)).toContain('A parent posted that I lied in court.'); // still on the card
  });

  it('identifiers in the text are shown to the worker before anything is stored or posted', async () => {
    connector.reset();
    const res = await bot.post(
      execute('incident', { ...REPORT, step: 'submit' }, { ...personal(), replyToId: 'form-1' }),
    );
    const text = cardText(invokeBody(res).value);
    expect(text).toMatch(/This may identify someone/);
    expect(text).toMatch(/Mrs Patel/);
    expect(text).toMatch(/07700 900123/);
    expect(await bot.app.store.list({ kind: 'incident_report' })).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(channelPosts()).toHaveLength(0);
  });

  it('confirmed, it is stored once, the worker gets a reference, and the channel gets the card without the identifiers', async () => {
    connector.reset();
    const warned = invokeBody(
      await bot.post(execute('incident', { ...REPORT, step: 'submit' }, { ...personal(), replyToId: 'form-1' })),
    ).value;
    const digest = JSON.stringify(warned).match(/"digest":"([0-9a-f]{16})"/)![1];
    const confirm = execute('incident', { ...REPORT, step: 'confirm', digest }, { ...personal(), replyToId: 'form-1' });
    const first = invokeBody(await bot.post(confirm));
    const retry = invokeBody(await bot.post({ ...confirm, id: `${confirm.id}-retry` })); // Teams retrying the invoke
    expect(cardText(first.value)).toMatch(/Incident reported[\s\S]*KS-[0-9A-F]{8}/);
    expect(cardText(first.value)).toMatch(/Don't reply publicly/);
    expect(cardText(retry.value)).toBe(cardText(first.value));
    const stored = await bot.app.store.list({ kind: 'incident_report' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ caseRef: 'LCS-104233', author: { aadObjectId: WORKER.aadObjectId } });
    incidentId = stored[0].id;

    const [post] = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId,
    );
    const card = cardOf(post.body);
    const text = cardText(card);
    expect(text).toMatch(/Urgent: please acknowledge today/);
    expect(text).toMatch(/Untrue or abusive post/);
    expect(text).toMatch(/Sam Carter/);
    expect(text).toMatch(/LCS-104233/);
    expect(JSON.stringify(card)).not.toMatch(/Patel|07700|lied in court/); // no free text in the channel, masked or not
    await new Promise((r) => setTimeout(r, 300));
    expect(channelPosts()).toHaveLength(1); // posted once, despite the retried invoke
  });

  it('a non-manager pressing Acknowledge is refused politely, and nothing changes', async () => {
    const res = await bot.post(actOn(JO, { incidentId, sequence: 1, act: 'acknowledge' }, 'root-1'));
    expect(invokeBody(res).type).toBe('application/vnd.microsoft.activity.message');
    expect(invokeBody(res).value).toMatch(/Only managers can act/);
    expect(await bot.app.store.list({ kind: 'manager_action' })).toHaveLength(0);
  });

  it('a manager (by team membership) acknowledges: the card updates in place, the thread gets a reply, the worker is told', async () => {
    connector.reset();
    const press = actOn(TOM, { incidentId, sequence: 1, act: 'acknowledge' }, 'root-1');
    const res = invokeBody(await bot.post(press));
    expect(cardText(res.value)).toMatch(/Acknowledged by Tom Ellis/);
    // Teams retries: the same press again changes nothing.
    await bot.post({ ...press, id: `${press.id}-retry` });
    expect(await bot.app.store.list({ kind: 'manager_action' })).toHaveLength(1);

    const update = await connector.waitFor(1, (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID);
    expect(cardText(cardOf(update[0].body))).toMatch(/Acknowledged by Tom Ellis/);
    const thread = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && (c.conversationId ?? '').startsWith(`${CHANNEL_ID};messageid=`),
    );
    expect(thread[0].body.text).toMatch(/Acknowledged by Tom Ellis/);
    const told = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        c.conversationId === `a:personal-${WORKER.id}` &&
        /has seen your incident report/.test(c.body?.text ?? ''),
    );
    expect(told).toHaveLength(1);
    const workerCard = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === `a:personal-${WORKER.id}`,
    );
    expect(workerCard[0].activityId).toBe('form-1');
    expect(cardText(cardOf(workerCard[0].body))).toMatch(/Acknowledged/);
  });

  it('two managers pressing at the same moment: one wins, the other is shown the current card', async () => {
    const [a, b] = await Promise.all([
      bot.post(actOn(TOM, { incidentId, sequence: 2, act: 'take_ownership' }, 'root-1')),
      bot.post(actOn(PRIYA, { incidentId, sequence: 2, act: 'take_ownership' }, 'root-1')),
    ]);
    const actions = await bot.app.store.list({ kind: 'manager_action' });
    expect(actions).toHaveLength(2);
    const owner = actions.find((x) => x.kind === 'manager_action' && x.fields.sequence === 2)!;
    const ownerName = owner.author.name;
    for (const r of [a, b]) expect(cardText(invokeBody(r).value)).toMatch(new RegExp(`Owner: ${ownerName}`));
    // A stale card (sequence 2 again) now just shows the current state.
    const stale = invokeBody(
      await bot.post(actOn(TOM, { incidentId, sequence: 2, act: 'resolve', outcome: 'no_further_action' }, 'root-1')),
    );
    expect(cardText(stale.value)).toMatch(/Being handled/);
    expect(await bot.app.store.list({ kind: 'manager_action' })).toHaveLength(2);
    // The owner gets the full report privately.
    const brief = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && /What the worker wrote/.test(c.body?.text ?? ''),
    );
    expect(brief[0].conversationId).not.toContain(CHANNEL_ID);
  });

  it('the owner is not offered Take ownership again, and a second press by the owner changes nothing (issue 13, item 6)', async () => {
    const actions = await bot.app.store.list({ kind: 'manager_action' });
    const owner = [TOM, PRIYA].find((p) =>
      actions.some(
        (x) =>
          x.kind === 'manager_action' && x.fields.action === 'take_ownership' && x.author.aadObjectId === p.aadObjectId,
      ),
    )!;
    await new Promise((r) => setTimeout(r, 300));
    const mark = connector.calls.length;
    const res = invokeBody(await bot.post(actOn(owner, { incidentId, sequence: 3, act: 'take_ownership' }, 'root-1')));
    const text = cardText(res.value);
    expect(text).toMatch(/You are already dealing with this incident/);
    expect(text).not.toMatch(/Take ownership|Take over/);
    expect(text.match(/Taken on by/g)).toHaveLength(1);
    expect(await bot.app.store.list({ kind: 'manager_action' })).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 400));
    const since = connector.calls.slice(mark);
    expect(
      since.filter((c) => /What the worker wrote|is now dealing with your incident/.test(c.body?.text ?? '')),
    ).toHaveLength(0);
    expect(since.filter((c) => c.method === 'PUT')).toHaveLength(0);
    // Everyone else's copy offers to take it over.
    const other = owner === TOM ? PRIYA : TOM;
    const theirs = invokeBody(await bot.post(actOn(other, { incidentId, sequence: 2, act: 'acknowledge' }, 'root-1')));
    expect(cardText(theirs.value)).toMatch(/Take over/);
  });

  it("managers' notes reach the owner privately, any manager can have the full report with the notes, never on the channel card (item 7)", async () => {
    const actions = await bot.app.store.list({ kind: 'manager_action' });
    const ownerId = actions.find((x) => x.kind === 'manager_action' && x.fields.action === 'take_ownership')!.author
      .aadObjectId;
    const other = ownerId === TOM.aadObjectId ? PRIYA : TOM;
    const mark = connector.calls.length;
    const res = invokeBody(
      await bot.post(
        actOn(
          other,
          { incidentId, sequence: 3, act: 'note', note: 'Spoke to the platform; waiting for removal.' },
          'root-1',
        ),
      ),
    );
    expect(JSON.stringify(res.value)).not.toContain('waiting for removal');
    const [toOwner] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        /added a note on incident[\s\S]*waiting for removal/.test(c.body?.text ?? '') &&
        connector.calls.indexOf(c) >= mark,
    );
    expect(toOwner.conversationId).not.toContain(CHANNEL_ID);
    const [update] = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID && connector.calls.indexOf(c) >= mark,
    );
    expect(JSON.stringify(cardOf(update.body))).not.toContain('waiting for removal');
    // Full report: privately to the manager who asks, with the worker's words and the notes; nothing stored.
    const asked = invokeBody(await bot.post(actOn(other, { incidentId, sequence: 4, act: 'details' }, 'root-1')));
    expect(cardText(asked.value)).toMatch(/have gone to your chat with KeepSafe/);
    const [brief] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        /You asked for the full report/.test(c.body?.text ?? '') &&
        connector.calls.indexOf(c) >= mark,
    );
    expect(brief.conversationId).not.toContain(CHANNEL_ID);
    expect(brief.body.text).toMatch(/lied in court/);
    expect(brief.body.text).toMatch(/Managers' notes:[\s\S]*waiting for removal/);
    expect(await bot.app.store.list({ kind: 'manager_action' })).toHaveLength(3);
    // A member of staff who is not a manager gets nothing.
    const refused = invokeBody(await bot.post(actOn(JO, { incidentId, sequence: 4, act: 'details' }, 'root-1')));
    expect(refused.value).toMatch(/Only managers can act/);
  });

  it('resolving with an outcome closes it; open incidents no longer lists it; the audit trail verifies', async () => {
    const mark = connector.calls.length;
    const res = invokeBody(
      await bot.post(actOn(PRIYA, { incidentId, sequence: 4, act: 'resolve', outcome: 'post_removed' }, 'root-1')),
    );
    expect(cardText(res.value)).toMatch(/Resolved by Priya Shah \(Post or content removed\)/);
    // The worker is told the outcome in words, not just "closed" (issue 13, item 7).
    const [told] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        c.conversationId === `a:personal-${WORKER.id}` &&
        /has been closed/.test(c.body?.text ?? '') &&
        connector.calls.indexOf(c) >= mark,
    );
    expect(told.body.text).toMatch(/Outcome: post or content removed\./);
    const [workerCard] = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === `a:personal-${WORKER.id}` && connector.calls.indexOf(c) >= mark,
    );
    expect(cardText(cardOf(workerCard.body))).toMatch(/Outcome: post or content removed/);
    connector.reset();
    const ask = message('open incidents', personal(PRIYA));
    await bot.post(ask);
    const [call] = await connector.waitFor(1, (c) => c.method === 'POST' && c.activityId === ask.id);
    expect(cardText(cardOf(call.body))).toMatch(/There are no open incidents/);
    expect(await bot.app.store.verifyAudit()).toMatchObject({ ok: true });
  });
});
