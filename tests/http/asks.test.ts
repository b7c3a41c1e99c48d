/**
 * Issue 11's Teams half over HTTP, against the real app and a loopback stand-in for the Teams connector, on SQLite
 * and on PostgreSQL: "Did you mean…?" (a choice shows that section in place and is recorded once, without the
 * question), "None of these", Ask a manager (identifier warning → confirm; a channel card without the question or
 * the asker; non-managers refused and audited; Take ownership sends the question privately to that manager, who
 * answers on their card; the answer reaches the worker; both cards update in place; retries and double presses
 * change nothing) and the content-gap report (the managers' command and `npm run gaps`, masked, audited).
 *
 * The questions are chosen by asking the engine of the moment (a hesitant one, a declined one), never by phrasing.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadGuidanceContent } from '../../src/core/guidance/content';
import { GuidanceEngine } from '../../src/core/guidance/engine';
import { offeredSections } from '../../src/features/guidance/questionViews';
import { FakeConnector } from '../helpers/connector';
import { execute, message, submit, WORKER } from '../helpers/activities';
import { CHANNEL_ID, channelInvoke, inChannel, JO, PRIYA, roster, TOM } from '../helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';
import { buttons, inputsOf, pressButtonOn } from '../helpers/cardDriver';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';
import { loadQuestions } from '../helpers/questions';
import { runCli } from '../storage/fixtures/cli';
import { recordReference } from '../../src/core/records/reference';
import { compareSections } from '../../src/core/questions/gaps';
import { queueDueReminders } from '../../src/features/reminders';
import { createLogger } from '../../src/logger';

const content = loadGuidanceContent(path.resolve(__dirname, '../../content'));
const engine = new GuidanceEngine(content);
const questions = loadQuestions().map((q) => q.question);

/** A question the engine hesitates on, with at least two sections to offer (the engine of the moment decides). */
const HESITANT = questions.find((q) => {
  const a = engine.answer(q);
  return a.intent === 'guidance' && a.clarify && offeredSections(a, content.document).length >= 2 && !/\d{5}/.test(q);
});
/** A question about social media that the guidance does not cover (one with a section near it, if there is one). */
const isDeclined = (q: string) => {
  const a = engine.answer(q);
  return a.intent === 'guidance' && a.section === null;
};
const DECLINED =
  questions.find((q) => isDeclined(q) && engine.nearestSection(q) !== null) ?? questions.find(isDeclined);
/** A question that would run as a spreadsheet formula, and that the engine of the moment declines. */
const FORMULA = [
  '=HYPERLINK("http://evil.example","click")',
  `=HYPERLINK("http://evil.example","${DECLINED}")`,
  `=${DECLINED}`,
].find((q) => engine.answer(q).section === null);
/** A question answered with one clear section (no did-you-mean). */
const CLEAR = questions.find((q) => {
  const a = engine.answer(q);
  return a.intent === 'guidance' && a.section !== null && !a.clarify;
});

const PERSONAL = `a:personal-${WORKER.id}`;
const CARD = 'application/vnd.microsoft.card.adaptive';

describe.each(ENGINES)('did you mean, ask a manager and guidance gaps over HTTP (%s)', (engineName) => {
  let db: TestDb;
  let connector: FakeConnector;
  let bot: RunningBot;

  beforeAll(async () => {
    expect(HESITANT).toBeDefined();
    expect(DECLINED).toBeDefined();
    expect(FORMULA).toBeDefined();
    expect(CLEAR).toBeDefined();
    db = await makeTestDb(engineName);
    connector = await new FakeConnector().start();
    connector.responder = roster;
    const env: Record<string, string> = {
      MANAGER_AAD_IDS: PRIYA.aadObjectId,
      DELIVERY_POLL_MS: '50',
      DATA_DIR: db.options.dataDir,
    };
    if (db.options.databaseUrl)
      Object.assign(env, { DATABASE_URL: db.options.databaseUrl, DATABASE_SCHEMA: db.options.schema! });
    bot = await startBot(env);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await connector?.stop();
    await db?.cleanup();
  });

  const personal = (from = WORKER) => ({ serviceUrl: connector.url, from });
  const store = () => bot.app.store;
  const settle = () => new Promise((r) => setTimeout(r, 300));

  /** Types `text` in the worker's chat; returns the cards the bot sent back, in order. */
  async function ask(text: string, from = WORKER): Promise<any[]> {
    const before = connector.calls.length;
    await bot.post(message(text, personal(from)));
    await connector.waitFor(before + 1, () => true);
    await settle();
    return connector.calls
      .slice(before)
      .filter((c) => c.method === 'POST' && c.conversationId === `a:personal-${from.id}`)
      .map((c) => cardOf(c.body))
      .filter(Boolean);
  }

  const channelPosts = () =>
    connector.calls.filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId);
  const channelUpdates = () => connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID);

  it("a manager makes 'Managers escalations' the managers' channel", async () => {
    await bot.post(inChannel(connector.url, '<at>KeepSafe</at> set as managers channel', PRIYA));
    const [reply] = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true,
    );
    expect(cardText(cardOf(reply.body))).toMatch(/now the managers' channel/);
  });

  describe('did you mean', () => {
    let card: any;
    const expected = () => offeredSections(engine.answer(HESITANT!), content.document);

    it('a question the engine hesitates on gets the best two or three sections as buttons, and None of these; nothing is stored yet', async () => {
      const cards = await ask(HESITANT!);
      expect(cards).toHaveLength(1);
      card = cards[0];
      expect(cardText(card)).toMatch(/Did you mean/);
      const choices = buttons(card)
        .filter((b) => b.verb === 'clarify')
        .map((b) => b.data.choice);
      expect(choices).toEqual([...expected(), 'none']);
      expect(choices.length).toBeGreaterThanOrEqual(3); // two or three sections, then none
      expect(await store().list({ kind: 'clarify_choice' })).toHaveLength(0);
    });

    it('pressing a section shows its answer card in place and records the choice once: sections offered, chosen, engine version, no question', async () => {
      const pick = buttons(card).find((b) => b.data?.choice === expected()[1]);
      const shown = await pressButtonOn(bot, connector.url, card, pick, {}, WORKER, 'dym-1');
      expect(cardText(shown)).toContain(`Section ${expected()[1]}`);
      // Teams retries the invoke; the worker presses the other section too: still one choice, the first.
      await pressButtonOn(bot, connector.url, card, pick, {}, WORKER, 'dym-1');
      const other = await pressButtonOn(
        bot,
        connector.url,
        card,
        buttons(card).find((b) => b.data?.choice === expected()[0]),
        {},
        WORKER,
        'dym-1',
      );
      expect(cardText(other)).toContain(`Section ${expected()[0]}`);
      const stored = await store().list({ kind: 'clarify_choice' });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        caseRef: null,
        author: { aadObjectId: WORKER.aadObjectId, name: '' },
        fields: { offered: expected(), chosen: expected()[1], engineVersion: engine.engineVersion },
      });
      expect(JSON.stringify(stored[0])).not.toContain(HESITANT!.slice(0, 20));
      expect(engine.engineVersion).toMatch(/\S+/);
    });

    it('the answer it shows sends the question back with No, and No counts as a content gap (masked, with the section)', async () => {
      const shown = await pressButtonOn(
        bot,
        connector.url,
        card,
        buttons(card).find((b) => b.data?.choice === expected()[1]),
        {},
        WORKER,
        'dym-1',
      );
      const no = buttons(shown).find((b) => b.verb === 'feedback' && b.data.helpful === false);
      expect(no.data.question).toBe(HESITANT);
      const thanked = await pressButtonOn(bot, connector.url, shown, no, {}, WORKER, 'dym-1');
      expect(cardText(thanked)).toMatch(/Thanks for your feedback/);
      await pressButtonOn(bot, connector.url, shown, no, {}, WORKER, 'dym-1'); // a retry
      const gaps = await store().list({ kind: 'guidance_gap' });
      expect(gaps.filter((g) => g.kind === 'guidance_gap' && g.fields.reason === 'not_helpful')).toEqual([
        expect.objectContaining({
          fields: expect.objectContaining({
            reason: 'not_helpful',
            nearestSection: expected()[1],
            question: HESITANT!.trim(),
          }),
        }),
      ]);
    });

    it('the Action.Submit fallback replaces the card too, and records on a card of its own', async () => {
      connector.reset();
      const fallback = buttons(card).find((b) => b.data?.choice === expected()[0]).fallback;
      await bot.post({ ...submit(fallback.data, personal()), replyToId: 'dym-2' });
      const [put] = await connector.waitFor(1, (c) => c.method === 'PUT' && c.conversationId === PERSONAL);
      expect(put.activityId).toBe('dym-2');
      expect(cardText(cardOf(put.body))).toContain(`Section ${expected()[0]}`);
      expect(await store().list({ kind: 'clarify_choice' })).toHaveLength(2);
    });

    it('None of these: the topic list and Ask a manager, the choice recorded as none and counted as a gap', async () => {
      const none = buttons(card).find((b) => b.data?.choice === 'none');
      const shown = await pressButtonOn(bot, connector.url, card, none, {}, WORKER, 'dym-3');
      expect(cardText(shown)).toMatch(/None of those/);
      expect(cardText(shown)).toMatch(/Topics in the guidance/);
      const askButton = buttons(shown).find((b) => b.verb === 'askManager');
      expect(askButton).toMatchObject({
        title: 'Ask a manager',
        data: { step: 'open', question: HESITANT, from: 'did_you_mean', section: expected()[0] },
      });
      const choices = await store().list({ kind: 'clarify_choice' });
      expect(choices[0]).toMatchObject({ fields: { chosen: 'none', offered: expected() } });
      const gaps = await store().list({ kind: 'guidance_gap' });
      expect(gaps[0]).toMatchObject({ fields: { reason: 'none_fitted', nearestSection: expected()[0] } });
    });

    it('a clear question is answered straight away, without did you mean', async () => {
      const cards = await ask(CLEAR!);
      expect(cardText(cards[0])).toMatch(/^Section \d/m);
      expect(cardText(cards[0])).not.toMatch(/Did you mean/);
    });

    it('a tampered choice is refused: a section that was not offered, or a list that is not sections', async () => {
      const res = await bot.post(
        execute('clarify', { choice: '2.5', offered: '2.2 2.4', question: 'x' }, { ...personal(), replyToId: 'dym-4' }),
      );
      expect(res.body.value).toMatch(/wasn't one of the choices/);
      const bad = await bot.post(
        execute('clarify', { choice: '2.2', offered: '2.2 <b>', question: 'x' }, { ...personal(), replyToId: 'dym-4' }),
      );
      expect(bad.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(await store().list({ kind: 'clarify_choice' })).toHaveLength(3);
    });
  });

  it('a choice or a gap from someone Teams does not name (no AAD object id) is answered but stores nothing', async () => {
    const before = {
      choices: (await store().list({ kind: 'clarify_choice' })).length,
      gaps: (await store().list({ kind: 'guidance_gap' })).length,
    };
    const anonymous = { id: '29:anonymous-worker', name: 'Someone' };
    const res = await bot.post(
      execute(
        'clarify',
        { choice: 'none', offered: '2.2 2.4', question: 'x' },
        { serviceUrl: connector.url, from: anonymous as never, replyToId: 'dym-anon' },
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect((await store().list({ kind: 'clarify_choice' })).length).toBe(before.choices);
    expect((await store().list({ kind: 'guidance_gap' })).length).toBe(before.gaps);
  });

  describe('ask a manager', () => {
    const WITH_IDS = `${DECLINED} (it was Mrs Patel's son, he rang me on 07700 900123)`;
    let form: any;
    let channelCard: any;
    let questionId = '';
    let ownerCard: any;

    it('a declined question gets the not-covered card with Ask a manager, and is counted as a gap, masked', async () => {
      const [card] = await ask(DECLINED!);
      expect(cardText(card)).toMatch(/doesn't cover that/);
      expect(cardText(card)).toMatch(/kept for 90 days, with names and numbers masked/); // the worker is told
      const askButton = buttons(card).find((b) => b.verb === 'askManager');
      expect(askButton.data).toMatchObject({ step: 'open', question: DECLINED, from: 'not_covered' });
      form = await pressButtonOn(bot, connector.url, card, askButton, {}, WORKER, 'nc-1');
      expect(cardText(form)).toMatch(/Ask a manager/);
      expect(inputsOf(form)).toEqual({ question: DECLINED });
      const declined = (await store().list({ kind: 'guidance_gap' })).filter(
        (g) => g.kind === 'guidance_gap' && g.fields.reason === 'declined',
      );
      expect(declined).toHaveLength(1);
      expect(declined[0]).toMatchObject({ author: { name: '' }, fields: { question: DECLINED } });
      // The nearest section, below the answering threshold, names where the gap is (when any section is near).
      const nearest = engine.nearestSection(DECLINED!);
      expect(declined[0].kind === 'guidance_gap' && declined[0].fields.nearestSection).toBe(nearest ?? undefined);
      expect(askButton.data.section).toBe(nearest ?? '');
    });

    it('identifiers in the question are shown to the worker before anything is stored or posted', async () => {
      connector.reset();
      const warned = await pressButtonOn(
        bot,
        connector.url,
        form,
        buttons(form).find((b) => b.title === 'Send to a manager'),
        { question: WITH_IDS },
        WORKER,
        'nc-1',
      );
      const text = cardText(warned);
      expect(text).toMatch(/This may identify someone/);
      expect(text).toMatch(/Mrs Patel/);
      expect(text).toMatch(/07700 900123/);
      expect(inputsOf(warned)).toEqual({ question: WITH_IDS }); // still there to edit
      expect(await store().list({ kind: 'manager_question' })).toHaveLength(0);
      await settle();
      expect(channelPosts()).toHaveLength(0);
      form = warned;
    });

    it('confirmed, it is stored once, the worker sees it sent, and the channel gets a card without the question or the asker', async () => {
      connector.reset();
      const confirm = buttons(form).find((b) => b.title === 'Send as it is');
      const sent = await pressButtonOn(bot, connector.url, form, confirm, {}, WORKER, 'nc-1');
      const again = await pressButtonOn(bot, connector.url, form, confirm, {}, WORKER, 'nc-1'); // Teams retrying
      expect(cardText(sent)).toMatch(/Question sent to a manager[\s\S]*KS-[0-9A-F]{8}[\s\S]*Waiting for a manager/);
      expect(cardText(again)).toBe(cardText(sent));
      const stored = await store().list({ kind: 'manager_question' });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        caseRef: null,
        author: { aadObjectId: WORKER.aadObjectId },
        fields: {
          question: WITH_IDS,
          from: 'not_covered',
          identifiersConfirmed: true,
          engineVersion: engine.engineVersion,
        },
      });
      questionId = stored[0].id;

      const [post] = await connector.waitFor(
        1,
        (c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId,
      );
      channelCard = cardOf(post.body);
      const json = JSON.stringify(channelCard);
      expect(cardText(channelCard)).toMatch(/A worker has a question the guidance doesn't cover/);
      expect(json).not.toMatch(/Patel|07700|Sam Carter/);
      expect(json).not.toContain(DECLINED!.slice(0, 25));
      await settle();
      expect(channelPosts()).toHaveLength(1); // once, despite the retry
      expect(bot.logLines.join('\n')).not.toMatch(/Patel|07700/);
    });

    it('a non-manager pressing Take ownership is refused politely and audited, and nothing changes', async () => {
      const res = await bot.post(
        channelInvoke(connector.url, 'questionAct', { questionId, act: 'take' }, JO, 'q-root'),
      );
      expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(res.body.value).toMatch(/Only managers can take or answer questions/);
      expect(await store().list({ kind: 'question_action' })).toHaveLength(0);
      const events = await db.raw(
        "select actor_id, action, record_id, detail from audit_events where action = 'refused'",
      );
      expect(events).toEqual(
        expect.arrayContaining([expect.objectContaining({ actor_id: JO.aadObjectId, record_id: questionId })]),
      );
      expect(JSON.stringify(events)).toContain('question.take');
    });

    it('a manager takes it: the channel card updates in place, the question goes privately to that manager, the worker is told', async () => {
      connector.reset();
      const take = buttons(channelCard).find((b) => b.title === 'Take ownership');
      const press = channelInvoke(connector.url, take.verb, take.data, TOM, 'q-root');
      const res = await bot.post(press);
      expect(res.body.type).toBe(CARD);
      expect(cardText(res.body.value)).toMatch(/Taken by: Tom Ellis/);
      expect(buttons(res.body.value)).toEqual([]);
      await bot.post({ ...press, id: `${press.id}-retry` });
      // A second manager a moment later sees who has it; nothing new is stored.
      const late = await bot.post(channelInvoke(connector.url, take.verb, take.data, PRIYA, 'q-root'));
      expect(cardText(late.body.value)).toMatch(/Taken by: Tom Ellis/);
      expect(await store().list({ kind: 'question_action' })).toHaveLength(1);

      const [update] = await connector.waitFor(1, (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID);
      expect(cardText(cardOf(update.body))).toMatch(/Taken by: Tom Ellis/);
      // The bot opens a 1:1 chat with Tom (seen in the channel) and sends him the question there.
      await connector.waitFor(1, (c) => c.method === 'POST' && c.path === '/v3/conversations');
      const [brief] = await connector.waitFor(
        1,
        (c) => c.method === 'POST' && /^conv-/.test(c.conversationId ?? '') && Boolean(cardOf(c.body)),
      );
      ownerCard = cardOf(brief.body);
      expect(cardText(ownerCard)).toContain(WITH_IDS);
      expect(cardText(ownerCard)).toMatch(/Asked by: Sam Carter/);
      const told = await connector.waitFor(
        1,
        (c) =>
          c.method === 'POST' &&
          c.conversationId === PERSONAL &&
          /Tom Ellis has taken your question/.test(c.body?.text ?? ''),
      );
      expect(told).toHaveLength(1);
      const workerUpdate = await connector.waitFor(
        1,
        (c) => c.method === 'PUT' && c.conversationId === PERSONAL && c.activityId === 'nc-1',
      );
      expect(cardText(cardOf(workerUpdate[0].body))).toMatch(/A manager is answering/);
      await settle();
      expect(connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations')).toHaveLength(1);
    });

    it('only the manager who took it can answer; an empty answer and identifiers are caught on the card', async () => {
      const send = buttons(ownerCard).find((b) => b.title === 'Send answer');
      const byPriya = await pressButtonOn(
        bot,
        connector.url,
        ownerCard,
        send,
        { answer: 'Yes, fine.' },
        PRIYA,
        'owner-1',
      );
      expect(byPriya.message).toMatch(/Tom Ellis took this question, so only they can answer it/);
      const byJo = await pressButtonOn(bot, connector.url, ownerCard, send, { answer: 'Yes, fine.' }, JO, 'owner-1');
      expect(byJo.message).toMatch(/Only managers/);
      const empty = await pressButtonOn(bot, connector.url, ownerCard, send, { answer: '   ' }, TOM, 'owner-1');
      expect(cardText(empty)).toMatch(/Write your answer first/);
      const warned = await pressButtonOn(
        bot,
        connector.url,
        ownerCard,
        send,
        { answer: 'Block him and tell Mrs Patel to ring me on 07700 900123.' },
        TOM,
        'owner-1',
      );
      expect(cardText(warned)).toMatch(/This may identify someone[\s\S]*Mrs Patel/);
      expect((await store().list({ kind: 'question_action' })).length).toBe(1);
      ownerCard = warned;
    });

    it('the answer reaches the worker in their chat; their card and the channel card update in place; retries send nothing more', async () => {
      connector.reset();
      const ANSWER =
        'Please do not reply from your own phone. Block the number and tell me about it in supervision; it is worth reporting as an incident too.';
      const send = buttons(ownerCard).find((b) => b.title === 'Check again');
      const answered = await pressButtonOn(bot, connector.url, ownerCard, send, { answer: ANSWER }, TOM, 'owner-1');
      expect(cardText(answered)).toMatch(/Question answered[\s\S]*Your answer, sent/);
      expect(inputsOf(answered)).toEqual({});
      const again = await pressButtonOn(
        bot,
        connector.url,
        ownerCard,
        send,
        { answer: `${ANSWER} (again)` },
        TOM,
        'owner-1',
      );
      expect(cardText(again)).toBe(cardText(answered));
      const actions = await store().list({ kind: 'question_action' });
      expect(actions.map((a) => a.kind === 'question_action' && a.fields.action)).toEqual(['answer', 'take_ownership']);
      expect(actions[0]).toMatchObject({
        author: { aadObjectId: TOM.aadObjectId },
        fields: { answer: ANSWER, subjectRecordId: questionId },
      });

      const [note] = await connector.waitFor(
        1,
        (c) => c.method === 'POST' && c.conversationId === PERSONAL && Boolean(cardOf(c.body)),
      );
      expect(note.body.text).toMatch(/Tom Ellis answered your question KS-/);
      expect(cardText(cardOf(note.body))).toContain(ANSWER);
      const [mine] = await connector.waitFor(
        1,
        (c) => c.method === 'PUT' && c.conversationId === PERSONAL && c.activityId === 'nc-1',
      );
      expect(cardText(cardOf(mine.body))).toMatch(/Your question has been answered[\s\S]*Tom Ellis answered/);
      const [chan] = await connector.waitFor(1, (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID);
      expect(cardText(cardOf(chan.body))).toMatch(/Answered by Tom Ellis/);
      expect(JSON.stringify(cardOf(chan.body))).not.toContain(ANSWER.slice(0, 20)); // the answer is not for the channel
      await settle();
      expect(connector.calls.filter((c) => c.conversationId === PERSONAL && c.method === 'POST')).toHaveLength(1);
      expect(channelUpdates()).toHaveLength(1);
      expect(bot.logLines.join('\n')).not.toContain(ANSWER.slice(0, 20));
    });

    it('in a channel, Ask a manager is neither offered nor allowed (questions stay in the 1:1 chat)', async () => {
      const res = await bot.post(
        channelInvoke(connector.url, 'askManager', { step: 'open', question: 'x', from: 'not_covered' }, JO, 'q-root'),
      );
      expect(res.body.value).toMatch(/1:1 chat/);
      const none = await bot.post(
        channelInvoke(connector.url, 'clarify', { choice: 'none', offered: '2.2 2.4', question: 'x' }, JO, 'q-dym'),
      );
      expect(cardText(none.body.value)).toMatch(/None of those/);
      expect(buttons(none.body.value).filter((b) => b.verb === 'askManager')).toEqual([]);
    });

    it('a question nobody takes: a reminder in its thread after 4 hours, then the worker is told to ask their line manager; each once', async () => {
      const [card] = await ask(DECLINED!);
      const opened = await pressButtonOn(
        bot,
        connector.url,
        card,
        buttons(card).find((b) => b.verb === 'askManager'),
        {},
        WORKER,
        'nc-4',
      );
      const sent = await pressButtonOn(
        bot,
        connector.url,
        opened,
        buttons(opened).find((b) => b.title === 'Send to a manager'),
        {},
        WORKER,
        'nc-4',
      );
      expect(cardText(sent)).toMatch(/Question sent to a manager/);
      await connector.waitFor(
        1,
        (c) =>
          c.method === 'POST' &&
          c.conversationId === CHANNEL_ID &&
          !c.activityId &&
          /A worker has a question/.test(JSON.stringify(c.body)),
      );
      const waiting = (await store().list({ kind: 'manager_question' }))[0];
      const opts = { store: store(), logger: createLogger('silent'), urgentAckMinutes: 15 };
      const at = (hours: number) => new Date(new Date(waiting.createdAt).getTime() + hours * 3600_000);
      const reminders = () =>
        connector.calls.filter(
          (c) =>
            c.method === 'POST' &&
            (c.conversationId ?? '').startsWith(`${CHANNEL_ID};messageid=`) &&
            /Reminder: a worker's question/.test(c.body?.text ?? ''),
        );
      const nudges = () =>
        connector.calls.filter(
          (c) =>
            c.method === 'POST' &&
            c.conversationId === PERSONAL &&
            /No manager has picked up your question/.test(c.body?.text ?? ''),
        );
      await queueDueReminders(opts, at(3));
      bot.app.delivery.nudge();
      await settle();
      expect(reminders()).toHaveLength(0);
      await queueDueReminders(opts, at(5));
      await queueDueReminders(opts, at(6));
      bot.app.delivery.nudge();
      const [reminder] = await connector.waitFor(1, (c) => reminders().includes(c));
      expect(reminder.body.text).toContain(recordReference(waiting.id));
      expect(nudges()).toHaveLength(0);
      await queueDueReminders(opts, at(25));
      bot.app.delivery.nudge();
      await connector.waitFor(1, (c) => nudges().includes(c));
      await settle();
      expect(reminders()).toHaveLength(1); // once, and none for the question that was answered
      expect(nudges()).toHaveLength(1);
      expect(JSON.stringify(reminders()[0].body)).not.toContain(DECLINED!.slice(0, 20));
    });

    it('cancel stores and sends nothing', async () => {
      const [card] = await ask(DECLINED!);
      const opened = await pressButtonOn(
        bot,
        connector.url,
        card,
        buttons(card).find((b) => b.verb === 'askManager'),
        {},
        WORKER,
        'nc-2',
      );
      const cancelled = await pressButtonOn(
        bot,
        connector.url,
        opened,
        buttons(opened).find((b) => b.title === 'Cancel'),
        {},
        WORKER,
        'nc-2',
      );
      expect(cardText(cancelled)).toMatch(/Question not sent/);
      expect(await store().list({ kind: 'manager_question' })).toHaveLength(2);
    });
  });

  describe('the content-gap report', () => {
    it("'guidance gaps' is for managers: staff are refused and the attempt is audited", async () => {
      const [card] = await ask('guidance gaps', JO);
      expect(cardText(card)).toMatch(/Managers only/);
      const events = await db.raw("select actor_id, detail from audit_events where action = 'refused'");
      expect(JSON.stringify(events)).toContain('guidance_gaps');
    });

    it('in a 1:1 chat a manager sees counts by section and week and the newest questions, masked; the reading is audited', async () => {
      const [card] = await ask('guidance gaps', PRIYA);
      const text = cardText(card).replace(/\\(.)/g, '$1'); // as shown: Markdown escapes removed
      expect(text).toMatch(/Guidance gaps/);
      expect(text).toMatch(/By nearest section[\s\S]*By week/);
      expect(text).toMatch(/Week of /);
      expect(text).toMatch(/\d declined/);
      expect(text).toMatch(/\d asked a manager/);
      expect(text).toMatch(/1 not helpful/);
      // Two in the week, however the nearest sections fall: None of these in the worker's chat, and one pressed in
      // a channel (a gap too, without Ask a manager).
      expect(text).toMatch(/Week of [^\n]*: [^\n]*2 none of the suggestions/);
      expect(text).toContain('[name]');
      expect(text).toContain('[phone number]');
      expect(JSON.stringify(card)).not.toMatch(/Patel|07700|Sam Carter/);
      const exports = await db.raw(
        "select actor_id, kind, detail from audit_events where action = 'export' order by seq",
      );
      expect(exports.map((e) => [e.actor_id, e.kind])).toEqual([
        [PRIYA.aadObjectId, 'guidance_gap'],
        [PRIYA.aadObjectId, 'manager_question'],
        [PRIYA.aadObjectId, 'clarify_choice'],
      ]);
      // Where the engine hesitated: the sections offered for the hesitant question, and what was chosen.
      expect(text).toMatch(/Where I asked "Did you mean…\?"/);
      const offered = offeredSections(engine.answer(HESITANT!), content.document);
      const picked = [offered[1], offered[0]].sort(compareSections); // one each: in section order, then none
      expect(text).toContain(
        `Offered ${offered.join(', ')}: chose ${picked[0]} (1), ${picked[1]} (1), none of these (1)`,
      );
    });

    it('in the channel, counts only: no question text', async () => {
      connector.reset();
      await bot.post(inChannel(connector.url, '<at>KeepSafe</at> guidance gaps', PRIYA));
      const [reply] = await connector.waitFor(
        1,
        (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true,
      );
      const card = cardOf(reply.body);
      expect(cardText(card)).toMatch(/By nearest section/);
      expect(cardText(card).replace(/\\(.)/g, '$1')).not.toMatch(/\[name\]|\[phone number\]/);
      expect(JSON.stringify(card)).not.toContain(DECLINED!.slice(0, 20));
    });

    it('npm run gaps prints counts by week and section, and with --questions every question masked, formula-safe; both audited', async () => {
      // A question that would run as a spreadsheet formula.
      await ask(FORMULA!);
      const counts = runCli('gaps', db, ['--as', 'policy-officer']);
      expect(counts.stderr).toBe('');
      expect(counts.status).toBe(0);
      const rows = parse(counts.stdout, { columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0])).toEqual([
        'week_start',
        'nearest_section',
        'declined',
        'asked_manager',
        'not_helpful',
        'none_fitted',
        'total',
      ]);
      const sum = (k: string) => rows.reduce((n, r) => n + Number(r[k]), 0);
      expect([sum('declined'), sum('asked_manager'), sum('not_helpful'), sum('none_fitted')]).toEqual([4, 2, 1, 2]);
      expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.week_start))).toBe(true);

      const listed = runCli('gaps', db, ['--questions', '--as', 'policy-officer']);
      expect(listed.status).toBe(0);
      const qs = parse(listed.stdout, { columns: true }) as Record<string, string>[];
      expect(qs).toHaveLength(9);
      expect(listed.stdout).not.toMatch(/Patel|07700|Sam Carter|8f4c1d9e/);
      expect(qs.filter((r) => r.reason === 'asked_manager').some((r) => r.question_masked.includes('[name]'))).toBe(
        true,
      );
      expect(qs.filter((r) => r.question_masked.startsWith("'=")).length).toBe(1);
      expect(qs.some((r) => r.question_masked.startsWith('='))).toBe(false);
      const choices = runCli('gaps', db, ['--choices', '--as', 'policy-officer']);
      expect(choices.status).toBe(0);
      const chosen = parse(choices.stdout, { columns: true }) as Record<string, string>[];
      expect(chosen.reduce((n, r) => n + Number(r.count), 0)).toBe(4);
      expect(chosen.every((r) => r.engine_version === engine.engineVersion)).toBe(true);
      expect(choices.stdout).not.toContain(HESITANT!.slice(0, 20));
      const exports = await db.raw(
        "select actor_id, kind from audit_events where action = 'export' and actor_id = 'policy-officer'",
      );
      expect(exports).toHaveLength(9); // three runs, three kinds each
      expect(runCli('gaps', db, ['--days', 'lots']).status).toBe(2);
      expect(runCli('gaps', db, ['--questions', '--choices']).status).toBe(2);
    }, 120_000);

    it('gaps are kept 90 days by default (RETENTION_DAYS_GUIDANCE_GAP); questions for managers a year', async () => {
      const in91Days = new Date(Date.now() + 91 * 86_400_000);
      const report = await store().runRetention(in91Days);
      expect(report.guidance_gap).toBe(7);
      expect(report.manager_question ?? 0).toBe(0);
      expect(await store().list({ kind: 'guidance_gap' })).toHaveLength(0);
      expect(await store().list({ kind: 'manager_question' })).toHaveLength(2);
      expect((await store().verifyAudit()).ok).toBe(true);
    });
  });
});
