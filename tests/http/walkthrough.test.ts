/**
 * Issue 5 over HTTP, against the real app and a loopback stand-in for the Teams connector: the injury-photo
 * walkthrough driven by card presses exactly as Teams sends them (Action.Execute invokes carrying the card's
 * inputs), every branch of the flow, the request for advice through the managers' channel and a manager's
 * answer, the stored entries, the channel posts and the cards; then resume after a restart, a button pressed
 * twice, a stale card from an older flow version, someone else's card, bad input and personal identifiers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeConnector } from '../helpers/connector';
import { execute, message, WORKER } from '../helpers/activities';
import {
  CHANNEL_ID,
  channelInvoke,
  inChannel as inChannelAs,
  JO,
  PRIYA,
  startWithManagersChannel,
  TOM,
} from '../helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';
import { londonParts } from '../../src/core/time';
import { queueDueReminders } from '../../src/features/reminders';
import { button, buttons, inputsOf, pressOn, stepOf, walkCard } from '../helpers/cardDriver';
import type { StoredEntry } from '../../src/storage/types';

const WORKER_CONVERSATION = `a:personal-${WORKER.id}`;

let connector: FakeConnector;
let bot: RunningBot;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-walk-'));
const env = { MANAGER_AAD_IDS: PRIYA.aadObjectId, DELIVERY_POLL_MS: '50', DATA_DIR: dataDir };

beforeAll(async () => {
  // The managers' channel, set by a configured manager from Teams.
  ({ bot, connector } = await startWithManagersChannel(env));
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const inChannel = (text: string, from = PRIYA) => inChannelAs(connector.url, text, from);
const channelExecute = (verb: string, data: object, from: typeof PRIYA, replyToId: string) =>
  channelInvoke(connector.url, verb, data, from, replyToId);

// ---- driving cards as Teams does ----------------------------------------------------------------------------

let cardSeq = 0;
const walk = walkCard;
const press = (
  card: any,
  choice: string,
  typed: Record<string, unknown> = {},
  from = WORKER,
  opts: { markId?: string; replyToId?: string } = {},
) => pressOn(bot, connector.url, card, choice, typed, from, opts);

async function say(text: string, from = WORKER): Promise<any[]> {
  const before = connector.sent.length;
  await bot.post(message(text, { serviceUrl: connector.url, from }));
  return connector.sent.slice(before).map(cardOf).filter(Boolean);
}

const entries = async (kind?: string, caseRef?: string) =>
  (
    await bot.app.store.list({ ...(kind ? { kind: kind as never } : {}), ...(caseRef ? { caseRef } : {}), limit: 500 })
  ).reverse();
const earlier = () => {
  const d = new Date(Date.now() - 2 * 3600_000);
  return londonParts(d);
};

const ADVICE_PHONE = () => ({
  adviserName: 'Priya Shah',
  adviserRole: 'Team manager',
  via: 'phone',
  givenDate: earlier().date,
  givenTime: earlier().time,
  decision: 'do_not_photograph',
  conditions: '',
});
/** A mark on the front (the body map opens on the front view). */
const MARK = {
  region: 'left_forearm',
  markType: 'bruise',
  lengthCm: '3',
  widthCm: '2',
  shape: 'oval',
  colour: 'purple',
  skinBroken: 'no',
  swelling: 'no',
  bleeding: 'no',
  explanation: 'none',
  description: 'Round bruise, about the size of a 50p coin.',
  recorderRole: 'Support worker',
};
const WRITTEN = () => ({
  whatWasSeen: 'A bruise on the left forearm, purple, about 3 cm.',
  seenDate: earlier().date,
  seenTime: earlier().time,
  whatWasSaid: 'Said they fell in the garden.',
  explainedBy: 'the child',
  explanationGiven: 'I fell off the swing.',
});
const REFERRAL = { referralMade: 'true', referredTo: "Children's front door", referenceNumber: 'CFD-2231' };

/** "photo decision", then "Start a new one" if the worker has walkthroughs open. */
async function newCard(): Promise<any> {
  const cards = await say('photo decision');
  let card = cards[cards.length - 1];
  const fresh = buttons(card).find((b) => b.verb === 'photoDecision' && b.data?.fresh === true);
  if (fresh)
    card = (
      await bot.post(
        execute('photoDecision', fresh.data, { serviceUrl: connector.url, replyToId: `list-${++cardSeq}` }),
      )
    ).body.value;
  if (stepOf(card) !== 'seen') throw new Error(`expected the first step, got ${cardText(card)}`);
  return card;
}

function channelPostsSince(n: number) {
  return connector.calls
    .slice(n)
    .filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId);
}

// ---- the branches ------------------------------------------------------------------------------------------

describe('starting', () => {
  it("'photo decision' sends the first step in the worker's chat; nothing is stored until it is used", async () => {
    const card = await newCard();
    const text = cardText(card);
    expect(text).toMatch(/What did you see\?/);
    expect(text).toMatch(/Photo decision · Step 1 of \d+/);
    const labels: string[] = [];
    walk(card, (n) => typeof n.type === 'string' && n.type.startsWith('Input.') && labels.push(n.label));
    expect(labels).toEqual([
      'Is anyone in immediate danger?',
      'What did you see?',
      'Is this about an adult or a child?',
      'Case reference',
    ]);
    expect(button(card, 'continue').fallback?.type).toBe('Action.Submit'); // a client without Universal Actions still works
    expect(await entries()).toHaveLength(0);
  });

  it('a question about photographing injuries gets section 2.3.2, then the walkthrough with what the question said ticked', async () => {
    const cards = await say('there are bruises on the child, can I take a photo?');
    expect(cardText(cards[0])).toMatch(/2\.3\.2/);
    expect(cardText(cards[0])).toMatch(/Don't take photos yet/);
    const first = cards[cards.length - 1];
    expect(stepOf(first)).toBe('seen');
    expect(inputsOf(first)).toMatchObject({ personType: 'child', concern: 'physical_injury' });
  });

  it('in a channel it asks for a 1:1 chat instead (details stay private)', async () => {
    const before = connector.sent.length;
    await bot.post(inChannel('<at>KeepSafe</at> photo decision', JO));
    await connector.waitFor(before + 1, () => true);
    const reply = connector.sent.slice(before).map(cardOf).find(Boolean);
    expect(cardText(reply)).toMatch(/1:1 chat/);
  });
});

describe('immediate danger', () => {
  it('the card says to call 999 or the emergency duty team, first, before anything else', async () => {
    const card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300001',
      immediateDanger: 'yes',
    });
    expect(stepOf(card)).toBe('danger');
    expect(card.body[0].style).toBe('attention');
    expect(cardText(card.body[0])).toMatch(/Call 999 or the emergency duty team now/);
    const next = await press(card, 'continue');
    expect(stepOf(next)).toBe('advice_sought');
  });

  it('"yes" to immediate danger with nothing else filled in goes straight to the danger card, not to "choose what you saw"', async () => {
    const first = await newCard();
    const card = await press(first, 'continue', { immediateDanger: 'yes' });
    expect(stepOf(card)).toBe('danger');
    const text = cardText(card);
    expect(text).toMatch(/Call 999 or the emergency duty team now/);
    expect(text).not.toMatch(/Choose what you saw|Enter the case reference/);
    expect(text).toMatch(/number is not set up in KeepSafe/); // this bot has no EMERGENCY_DUTY_TEAM_PHONE
    expect(await entries(undefined, undefined)).toHaveLength(0);
    // After the call: the first card again for the details, the danger answer kept.
    const back = await press(card, 'continue');
    expect(stepOf(back)).toBe('seen');
    expect(inputsOf(back).immediateDanger).toBe('yes');
    const advice = await press(back, 'continue', {
      concern: 'signs_of_neglect',
      personType: 'child',
      caseRef: 'lcs-300002',
    });
    expect(stepOf(advice)).toBe('advice_sought');
  });
});

describe('no advice yet → ask the managers → a manager answers "do not photograph" → body map, written record, referral', () => {
  let card: any;
  let requestId = '';
  let postActivityId = '';

  it('without advice the card says plainly not to take photographs yet', async () => {
    card = await press(await newCard(), 'continue', {
      concern: 'signs_of_abuse',
      personType: 'child',
      caseRef: 'lcs-300002',
      immediateDanger: 'no',
    });
    card = await press(card, 'no');
    expect(stepOf(card)).toBe('get_advice');
    expect(cardText(card)).toMatch(/Do not take photographs yet/);
  });

  /** The worker's card in their chat, as Teams names it in the invoke. */
  const askedOn = 'walk-card-asked';

  it('"Ask for advice now" stores the request and posts an urgent card to the managers\' channel: case and concern only', async () => {
    const mark = connector.calls.length;
    card = await press(card, 'ask', {}, WORKER, { replyToId: askedOn });
    expect(stepOf(card)).toBe('awaiting_advice');
    expect(cardText(card)).toMatch(/Waiting for advice/);
    const [request] = await entries('advice_request', 'LCS-300002');
    expect(request).toMatchObject({
      kind: 'advice_request',
      caseRef: 'LCS-300002',
      author: { aadObjectId: WORKER.aadObjectId },
      fields: { concern: 'signs_of_abuse', personType: 'child', immediateDanger: false, flowVersion: '2' },
    });
    requestId = request.id;
    await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId && connector.calls.indexOf(c) >= mark,
    );
    const [post] = channelPostsSince(mark);
    const posted = cardOf(post.body);
    const text = cardText(posted);
    expect(text).toMatch(/Urgent: a worker needs advice before taking photographs/);
    expect(text).toMatch(/LCS-300002/);
    expect(text).toMatch(/Signs of abuse/);
    // The member of staff asking is named so a manager can reach them (issue 13); no service user, no free text.
    expect(text).toMatch(/Asked by: Sam Carter/);
    postActivityId = connector.calls.length ? 'act' : '';
  });

  it('a member of staff who is not a manager cannot answer, and nothing changes', async () => {
    const before = (await entries('advice_given')).length;
    const res = await bot.post(
      channelExecute(
        'adviceAnswer',
        { requestId, walkId: button(card, 'had_advice').data.walkId, adviceDecision: 'photograph' },
        JO,
        'post-1',
      ),
    );
    expect(res.body.value).toMatch(/Only managers can answer/);
    expect(await entries('advice_given')).toHaveLength(before);
  });

  it('a manager answers on the card: the card updates, the thread gets a line, and the worker is told with the walkthrough moved on', async () => {
    const walkId = button(card, 'had_advice').data.walkId;
    const mark = connector.calls.length;
    const res = await bot.post(
      channelExecute(
        'adviceAnswer',
        {
          requestId,
          walkId,
          adviceDecision: 'do_not_photograph',
          adviceNote: 'Use a body map. Ring me after the visit.',
        },
        TOM,
        'post-1',
      ),
    );
    expect(cardText(res.body.value)).toMatch(/Advice given[\s\S]*Do not take photographs[\s\S]*By Tom Ellis/);
    expect(JSON.stringify(res.body.value)).not.toMatch(/Ring me after the visit/); // the note goes to the worker, not the channel

    const answers = await entries('advice_given', 'LCS-300002');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      author: { aadObjectId: TOM.aadObjectId },
      fields: {
        adviceRequestId: requestId,
        decision: 'do_not_photograph',
        via: 'keepsafe',
        conditions: 'Use a body map. Ring me after the visit.',
        walkthroughId: walkId,
      },
    });

    await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID && connector.calls.indexOf(c) >= mark,
    );
    const [thread] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        (c.conversationId ?? '').startsWith(`${CHANNEL_ID};messageid=`) &&
        connector.calls.indexOf(c) >= mark,
    );
    expect(thread.body.text).toMatch(/Tom Ellis answered: do not take photographs/);
    const [told] = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && c.conversationId === WORKER_CONVERSATION && connector.calls.indexOf(c) >= mark,
    );
    expect(told.body.text).toMatch(
      /Tom Ellis answered your request for advice about case LCS-300002: do not take photographs/,
    );
    // The waiting card itself moves on, in place (issue 13, item 5): no new card under a live old one.
    expect(cardOf(told.body)).toBeUndefined();
    const [put] = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === WORKER_CONVERSATION && connector.calls.indexOf(c) >= mark,
    );
    expect(put.activityId).toBe(askedOn);
    const moved = cardOf(put.body);
    expect(stepOf(moved)).toBe('record_advice');
    expect(inputsOf(moved)).toMatchObject({
      adviserName: 'Tom Ellis',
      decision: 'do_not_photograph',
      via: 'keepsafe',
      conditions: 'Use a body map. Ring me after the visit.',
    });
    card = moved;
    void postActivityId;
  });

  it('a second answer (another manager, or a retry) changes nothing: one answer per request', async () => {
    const walkId = button(card, 'continue').data.walkId;
    const res = await bot.post(
      channelExecute('adviceAnswer', { requestId, walkId, adviceDecision: 'photograph' }, PRIYA, 'post-1'),
    );
    expect(cardText(res.body.value)).toMatch(/Do not take photographs[\s\S]*By Tom Ellis/);
    expect(await entries('advice_given', 'LCS-300002')).toHaveLength(1);
  });

  it('the worker saves the advice, marks the body map, writes the record and refers; the summary has the picture; Finish posts a minimised summary', async () => {
    card = await press(card, 'continue');
    expect(stepOf(card)).toBe('body_map');
    card = await press(card, 'add_mark', MARK);
    expect(cardText(card)).toMatch(/Marks added \(1\)/);
    card = await press(card, 'view_back');
    card = await press(card, 'continue', {
      ...MARK,
      region: 'upper_back',
      markType: 'redness',
      lengthCm: '10',
      widthCm: '6',
      shape: 'irregular',
      colour: 'red',
      explanation: 'someone_else',
      explainedBy: 'father',
      explanationWords: 'Too long in the sun',
      description: 'Red patch across the shoulder blades.',
    });
    expect(stepOf(card)).toBe('written_record');
    card = await press(card, 'continue', WRITTEN());
    expect(stepOf(card)).toBe('referral');
    card = await press(card, 'continue', REFERRAL);
    expect(stepOf(card)).toBe('summary');
    const images: any[] = [];
    walk(card, (n) => n.type === 'Image' && images.push(n));
    expect(images).toHaveLength(1);
    expect(images[0].url).toMatch(/^data:image\/png;base64,/);
    expect(images[0].altText).toBe(
      'Body map, front and back. 1: bruise, 3 by 2 cm, left forearm (front). 2: redness, 10 by 6 cm, upper back (back).',
    );
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);

    const mark = connector.calls.length;
    card = await press(card, 'finish');
    const text = cardText(card);
    expect(text).toMatch(/Injury photo decision: summary/);
    expect(text).toMatch(/KS-[0-9A-F]{8}/);
    expect(text).toMatch(/The record is saved/);

    const kinds = (await entries(undefined, 'LCS-300002')).map(
      (e) => `${e.kind}:${e.author.aadObjectId === WORKER.aadObjectId ? 'worker' : 'manager'}`,
    );
    expect(kinds).toEqual([
      'advice_request:worker',
      'advice_given:manager',
      'advice_given:worker',
      'body_map:worker',
      'written_record:worker',
      'referral:worker',
    ]);
    const [bodyMap] = await entries('body_map', 'LCS-300002');
    expect(bodyMap.fields).toMatchObject({
      marks: [
        { view: 'front', region: 'left_forearm', type: 'bruise', lengthCm: 3, widthCm: 2, explanation: 'none' },
        {
          view: 'back',
          region: 'upper_back',
          type: 'redness',
          lengthCm: 10,
          widthCm: 6,
          explanation: 'someone_else',
          explainedBy: 'father',
          explanationWords: 'Too long in the sun',
        },
      ],
      ageBand: 'child',
      recorderRole: 'Support worker',
      flowVersion: '2',
    });
    const workerAdvice = (await entries('advice_given', 'LCS-300002')).find(
      (e) => e.author.aadObjectId === WORKER.aadObjectId,
    )!;
    expect(workerAdvice.fields).toMatchObject({
      adviceRequestId: requestId,
      adviserName: 'Tom Ellis',
      decision: 'do_not_photograph',
    });
    for (const e of await entries(undefined, 'LCS-300002'))
      expect(e.guidanceVersion).toBe(bot.app.engine.document.version);

    await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId && connector.calls.indexOf(c) >= mark,
    );
    const summary = cardOf(channelPostsSince(mark)[0].body);
    const s = cardText(summary);
    expect(s).toMatch(/Injury photo decision completed/);
    expect(s).toMatch(/LCS-300002/);
    expect(s).toMatch(/Do not take photographs, answered in KeepSafe/); // no nested brackets, the product name as it is written (issue 13, item 8)
    expect(s).not.toMatch(/keepsafe/);
    expect(s).toMatch(/2 marks/);
    expect(s).toMatch(/Front, left forearm: bruise, 3 × 2 cm/);
    expect(s).toMatch(/Referral: Made/);
    const raw = JSON.stringify(summary);
    for (const free of [
      '50p coin',
      'shoulder blades',
      'in the sun',
      'father',
      'purple',
      'Support worker',
      'swing',
      'garden',
      'Sam Carter',
      'Tom Ellis',
      'CFD-2231',
      'front door',
    ])
      expect(raw).not.toContain(free);
    expect((await bot.app.store.verifyAudit()).ok).toBe(true);
    // Nothing anyone typed reaches the log: ids, steps and codes only.
    const log = bot.logLines.join('\n');
    for (const free of ['50p coin', 'shoulder blades', 'swing', 'Ring me after the visit', 'purple', 'CFD-2231'])
      expect(log).not.toContain(free);
    expect(log).toMatch(/walkthrough\.step/);
  });
});

describe('advice to photograph', () => {
  async function toAdvice(personType: 'adult' | 'child', caseRef: string): Promise<any> {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType,
      caseRef,
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    expect(stepOf(card)).toBe('record_advice');
    return press(card, 'continue', { ...ADVICE_PHONE(), decision: 'photograph', conditions: 'Only the arm.' });
  }

  async function finishFromWritten(card: any): Promise<any> {
    expect(stepOf(card)).toBe('written_record');
    card = await press(card, 'continue', WRITTEN());
    card = await press(card, 'continue', REFERRAL);
    return press(card, 'finish');
  }

  it('an adult with capacity who consents: the device and storage promises are required, and the consent decision is logged', async () => {
    let card = await toAdvice('adult', 'lcs-300003');
    expect(stepOf(card)).toBe('capacity');
    card = await press(card, 'continue', { hasCapacity: 'yes' });
    card = await press(card, 'continue', { personConsent: 'given' });
    expect(stepOf(card)).toBe('photo_care');
    expect(cardText(card)).toMatch(/Photographs never go into Teams/);
    const refused = await press(card, 'continue', { workDevice: 'false', caseRecord: 'true' });
    expect(cardText(refused)).toMatch(/Use a work device only/);
    card = await press(refused, 'continue', { workDevice: 'true', caseRecord: 'true' });
    card = await finishFromWritten(card);
    const [consent] = await entries('consent_decision', 'LCS-300003');
    expect(consent.fields).toMatchObject({
      personType: 'adult',
      capacity: 'has_capacity',
      consent: 'given',
      decision: 'photograph',
      device: 'work_device',
      imagesStoredIn: 'case_record',
      flowVersion: '2',
    });
    expect(await entries('body_map', 'LCS-300003')).toHaveLength(0);
    expect(cardText(card)).toMatch(/Photographs go in the case record only\. Never in Teams\./);
  });

  it('an adult without capacity: a best-interests decision, who was consulted, an attorney or deputy', async () => {
    let card = await toAdvice('adult', 'lcs-300004');
    card = await press(card, 'continue', { hasCapacity: 'no' });
    expect(stepOf(card)).toBe('best_interests');
    card = await press(card, 'continue', {
      bestInterestsDecision: 'photograph',
      consulted: 'Daughter and GP',
      attorneyOrDeputy: 'deputy',
      note: '',
    });
    card = await press(card, 'continue', { workDevice: 'true', caseRecord: 'true' });
    await finishFromWritten(card);
    const [consent] = await entries('consent_decision', 'LCS-300004');
    expect(consent.fields).toMatchObject({
      capacity: 'lacks_capacity',
      consent: 'not_possible',
      bestInterests: { decision: 'photograph', consulted: 'Daughter and GP', attorneyOrDeputy: 'deputy' },
      decision: 'photograph',
    });
  });

  it("a child: who has parental responsibility, their consent and the child's own view", async () => {
    let card = await toAdvice('child', 'lcs-300005');
    expect(stepOf(card)).toBe('parental_consent');
    card = await press(card, 'continue', {
      parentalResponsibility: 'Mother',
      parentalConsent: 'given',
      childView: 'Happy for a photo of the arm.',
    });
    card = await press(card, 'continue', { workDevice: 'true', caseRecord: 'true' });
    await finishFromWritten(card);
    const [consent] = await entries('consent_decision', 'LCS-300005');
    expect(consent.fields).toMatchObject({
      personType: 'child',
      capacity: 'not_applicable',
      parentalResponsibility: 'Mother',
      parentalConsent: 'given',
      consent: 'given',
      childView: 'Happy for a photo of the arm.',
      decision: 'photograph',
    });
  });

  it('consent refused: no photographs, what happens instead, then the body map', async () => {
    let card = await toAdvice('adult', 'lcs-300006');
    card = await press(card, 'continue', { hasCapacity: 'yes' });
    card = await press(card, 'continue', { personConsent: 'refused' });
    expect(stepOf(card)).toBe('consent_refused');
    expect(cardText(card)).toMatch(/Do not take photographs/);
    card = await press(card, 'continue', { whatHappensInstead: 'Body map and a written record; refer my concerns.' });
    expect(stepOf(card)).toBe('body_map');
    const [consent] = await entries('consent_decision', 'LCS-300006');
    expect(consent.fields).toMatchObject({
      consent: 'refused',
      decision: 'do_not_photograph',
      whatHappensInstead: 'Body map and a written record; refer my concerns.',
    });
  });
});

describe('every step keeps what was typed and says what to fix', () => {
  it('bad answers on the first step, in the advice, the body map and the written record', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: '',
      personType: 'adult',
      caseRef: 'Mrs Jones',
      immediateDanger: 'no',
    });
    expect(stepOf(card)).toBe('seen');
    let text = cardText(card);
    expect(text).toMatch(/Choose what you saw/);
    expect(text).toMatch(/case reference/i);
    expect(inputsOf(card)).toMatchObject({ personType: 'adult', caseRef: 'Mrs Jones' });

    card = await press(card, 'continue', { concern: 'physical_injury', caseRef: 'lcs-300007' });
    card = await press(card, 'yes');
    card = await press(card, 'continue', { ...ADVICE_PHONE(), givenDate: '2099-01-01' });
    expect(cardText(card)).toMatch(/cannot be in the future/);
    expect(inputsOf(card)).toMatchObject({ adviserName: 'Priya Shah', givenDate: '2099-01-01' });
    card = await press(card, 'continue', ADVICE_PHONE());
    expect(stepOf(card)).toBe('body_map');

    card = await press(card, 'add_mark', { ...MARK, lengthCm: 'about three' });
    expect(cardText(card)).toMatch(/Enter the length in centimetres/);
    expect(inputsOf(card)).toMatchObject({ description: MARK.description });
    card = await press(card, 'continue', Object.fromEntries(Object.keys(MARK).map((k) => [k, ''])));
    expect(cardText(card)).toMatch(/Add at least one mark/);
    card = await press(card, 'continue', MARK);
    expect(stepOf(card)).toBe('written_record');

    card = await press(card, 'continue', { ...WRITTEN(), whatWasSeen: '', explanationGiven: '' });
    text = cardText(card);
    expect(text).toMatch(/Write down what you saw/);
    expect(text).toMatch(/their explanation in their own words/);
    expect(inputsOf(card)).toMatchObject({ whatWasSaid: WRITTEN().whatWasSaid });
    expect(await entries('written_record', 'LCS-300007')).toHaveLength(0);
  });

  it('a phone number in the written record is pointed out before anything is saved; "save as it is" confirms exactly that text', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300008',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    card = await press(card, 'continue', ADVICE_PHONE());
    card = await press(card, 'continue', MARK);
    const typed = { ...WRITTEN(), whatWasSaid: 'Her son rang from 07700 900123 to say she fell.' };
    card = await press(card, 'continue', typed);
    expect(stepOf(card)).toBe('written_record');
    expect(cardText(card)).toMatch(/This may identify someone: a phone number \(07700 900123\)/);
    expect(await entries('written_record', 'LCS-300008')).toHaveLength(0);
    const toggle: any[] = [];
    walk(card, (n) => n.id === 'identifiersOk' && toggle.push(n));
    expect(toggle).toHaveLength(1);

    // Changed after the warning: the old confirmation does not cover new text.
    const again = await press(card, 'continue', {
      ...typed,
      whatWasSaid: 'Her son rang from 07700 900999.',
      identifiersOk: toggle[0].valueOn,
    });
    expect(cardText(again)).toMatch(/07700 900999/);
    expect(stepOf(again)).toBe('written_record');

    card = await press(card, 'continue', { ...typed, identifiersOk: toggle[0].valueOn });
    expect(stepOf(card)).toBe('referral');
    const [written] = await entries('written_record', 'LCS-300008');
    expect(written.fields).toMatchObject({ whatWasSaid: 'Her son rang from 07700 900123 to say she fell.' });
  });
});

describe('presses Teams or people repeat, and cards that are out of date', () => {
  it('the same button twice (a double tap or a retried invoke) stores once and shows where the walkthrough is', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300009',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    const first = await press(card, 'continue', ADVICE_PHONE());
    const second = await press(card, 'continue', ADVICE_PHONE());
    expect(stepOf(first)).toBe('body_map');
    expect(stepOf(second)).toBe('body_map');
    expect(cardText(second)).toMatch(/already used|out of date/);
    expect(await entries('advice_given', 'LCS-300009')).toHaveLength(1);
  });

  it('two presses at the same moment: one wins, the other is shown the current card, one entry', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300010',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    const [a, b] = await Promise.all([
      press(card, 'continue', ADVICE_PHONE()),
      press(card, 'continue', ADVICE_PHONE()),
    ]);
    expect([stepOf(a), stepOf(b)]).toEqual(['body_map', 'body_map']);
    expect(await entries('advice_given', 'LCS-300010')).toHaveLength(1);
  });

  it('going Back and changing an answer stores a correction with a reason, never an overwrite', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300011',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    card = await press(card, 'continue', ADVICE_PHONE());
    card = await press(card, 'back');
    expect(stepOf(card)).toBe('record_advice');
    expect(inputsOf(card)).toMatchObject({ adviserName: 'Priya Shah' });
    card = await press(card, 'continue', { ...ADVICE_PHONE(), adviserRole: 'Designated safeguarding manager' });
    const advice = await entries('advice_given', 'LCS-300011');
    expect(advice).toHaveLength(2);
    expect(advice[1]).toMatchObject({
      corrects: advice[0].id,
      fields: { adviserRole: 'Designated safeguarding manager' },
    });
    expect(advice[1].reason).toBeTruthy();
  });

  it("someone else's walkthrough card is refused (and the refusal audited)", async () => {
    const card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300012',
      immediateDanger: 'no',
    });
    const res = await press(card, 'yes', {}, JO);
    expect(res.message).toMatch(/belongs to someone else/);
  });

  it('a card from an older, no longer kept flow version restarts the walkthrough with an explanation, keeping the case details', async () => {
    const card = await press(await newCard(), 'continue', {
      concern: 'signs_of_neglect',
      personType: 'child',
      caseRef: 'lcs-300013',
      immediateDanger: 'no',
    });
    const walkId = button(card, 'yes').data.walkId;
    // The stored walkthrough as an older KeepSafe left it: flow version "0", which this version no longer has.
    const key = `walkthrough:${walkId}`;
    const item = (await bot.app.store.state.read([key]))[key];
    await bot.app.store.state.write({ [key]: { ...item, state: { ...item.state, flowVersion: '0' }, eTag: '*' } });
    const old = JSON.parse(JSON.stringify(card).replace(/"flowVersion":"1"/g, '"flowVersion":"0"'));
    const res = await press(old, 'yes');
    expect(cardText(res)).toMatch(/has changed since you started/);
    expect(stepOf(res)).toBe('seen');
    expect(inputsOf(res)).toMatchObject({ caseRef: 'lcs-300013', concern: 'signs_of_neglect', personType: 'child' });
    expect(button(res, 'continue').data.walkId).not.toBe(walkId); // a new walkthrough; the old one is closed
    expect((await bot.app.store.state.read([key]))[key].state.status).toBe('cancelled');
  });

  it('a card for a step the walkthrough has left is shown the current step, and nothing is stored', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300014',
      immediateDanger: 'no',
    });
    const old = card;
    card = await press(card, 'yes');
    const res = await press(old, 'no');
    expect(stepOf(res)).toBe('record_advice');
    expect(cardText(res)).toMatch(/out of date|already used/);
  });

  it('Cancel ends it; entries already saved stay', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300015',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    card = await press(card, 'continue', ADVICE_PHONE());
    card = await press(card, 'cancel');
    expect(cardText(card)).toMatch(
      /Cancelled\. Anything already saved stays in the record\. To start again, type "photo decision"/,
    );
    expect(await entries('advice_given', 'LCS-300015')).toHaveLength(1);
  });
});

describe('stop and resume, also after a restart', () => {
  it("'photo decision' offers the open walkthroughs; Continue brings back the step with its answers, after the bot restarted", async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-300016',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    const typedButNotSent = stepOf(card);
    expect(typedButNotSent).toBe('record_advice');

    await bot.stop();
    bot = await startBot(env);

    const cards = await say('photo decision');
    const list = cards[cards.length - 1];
    expect(cardText(list)).toMatch(/walkthroughs? open/);
    expect(cardText(list)).toMatch(/LCS-300016: Record the advice/);
    const cont = buttons(list).find((b) => b.verb === 'photoDecision' && /LCS-300016/.test(b.title));
    const res = await bot.post(execute('photoDecision', cont.data, { serviceUrl: connector.url, replyToId: 'list-1' }));
    const resumed = res.body.value;
    expect(stepOf(resumed)).toBe('record_advice');
    expect(cardText(resumed)).toMatch(/Here is where you were/);
    const next = await press(resumed, 'continue', ADVICE_PHONE());
    expect(stepOf(next)).toBe('body_map');

    // The card from before the restart is still recognised: it is out of date now, so it shows the current step.
    const stale = await press(card, 'continue', ADVICE_PHONE());
    expect(stepOf(stale)).toBe('body_map');
    expect(await entries('advice_given', 'LCS-300016')).toHaveLength(1);
  });

  it('"Start a new one" gives a fresh first step', async () => {
    const cards = await say('photo decision');
    const list = cards[cards.length - 1];
    const fresh = buttons(list).find((b) => b.data?.fresh === true);
    const res = await bot.post(
      execute('photoDecision', fresh.data, { serviceUrl: connector.url, replyToId: 'list-2' }),
    );
    expect(stepOf(res.body.value)).toBe('seen');
    expect(inputsOf(res.body.value).caseRef).toBeUndefined();
  });
});

describe('a request nobody answers', () => {
  it('after URGENT_ACK_MINUTES the thread is reminded; after twice that the worker is told to phone and the duty manager is told; answered requests get nothing', async () => {
    let card = await press(await newCard(), 'continue', {
      concern: 'signs_of_neglect',
      personType: 'adult',
      caseRef: 'lcs-300018',
      immediateDanger: 'no',
    });
    card = await press(card, 'no');
    await press(card, 'ask');
    const [request] = await entries('advice_request', 'LCS-300018');
    const answeredBefore = (await entries('advice_request')).filter((r) => r.id !== request.id);
    const opts = {
      store: bot.app.store,
      logger: { info() {}, warn() {} } as never,
      urgentAckMinutes: 15,
      dutyManagerAadObjectId: PRIYA.aadObjectId,
    };
    const at = (minutes: number) => new Date(new Date(request.createdAt).getTime() + minutes * 60_000);

    const early = await queueDueReminders(opts, at(10));
    const mark = connector.calls.length;
    await queueDueReminders(opts, at(16));
    bot.app.delivery.nudge();
    const [thread] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        (c.conversationId ?? '').startsWith(`${CHANNEL_ID};messageid=`) &&
        /waiting .* for advice about photographs \(case LCS-300018/.test(c.body?.text ?? '') &&
        connector.calls.indexOf(c) >= mark,
    );
    expect(thread.body.text).not.toMatch(/Sam Carter/);
    await queueDueReminders(opts, at(31));
    await queueDueReminders(opts, at(45)); // again: nothing new
    bot.app.delivery.nudge();
    const [nudge] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        c.conversationId === WORKER_CONVERSATION &&
        /No manager has answered your request for advice about case LCS-300018/.test(c.body?.text ?? ''),
    );
    expect(nudge.body.text).toMatch(/phone your manager/);
    await connector.waitFor(
      1,
      (c) => c.method === 'POST' && /You are the duty manager: a worker asked for advice/.test(c.body?.text ?? ''),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(
      connector.calls.filter((c) => /LCS-300018/.test(c.body?.text ?? '') && /Reminder/.test(c.body?.text ?? '')),
    ).toHaveLength(1);
    // Requests that were answered (earlier tests) were never reminded.
    for (const r of answeredBefore) {
      if ((await entries('advice_given')).some((g) => g.kind === 'advice_given' && g.fields.adviceRequestId === r.id)) {
        expect(connector.calls.some((c) => (c.body?.text ?? '').includes(`case ${r.caseRef},`))).toBe(false);
      }
    }
    expect(early).toBe(0);
  });
});

describe("no managers' channel yet", () => {
  it('"Ask for advice now" says to phone a manager instead, and nothing is stored or queued', async () => {
    const key = 'managers_channel';
    const saved = await bot.app.store.settings.get(key);
    await bot.app.store.settings.set(key, '', PRIYA.aadObjectId);
    try {
      let card = await press(await newCard(), 'continue', {
        concern: 'physical_injury',
        personType: 'adult',
        caseRef: 'lcs-300017',
        immediateDanger: 'no',
      });
      card = await press(card, 'no');
      card = await press(card, 'ask');
      expect(stepOf(card)).toBe('get_advice');
      expect(cardText(card)).toMatch(/Phone your manager/);
      expect(await entries('advice_request', 'LCS-300017')).toHaveLength(0);
    } finally {
      await bot.app.store.settings.set(key, saved ?? '', PRIYA.aadObjectId);
    }
  });
});

describe('the stored record', () => {
  it('every walkthrough entry passed the record rules, and the audit chain vouches for all of them', async () => {
    const all = (await entries()) as StoredEntry[];
    expect(all.length).toBeGreaterThan(20);
    for (const e of all)
      if ('flowVersion' in (e.fields as object)) expect((e.fields as { flowVersion?: string }).flowVersion).toBe('2');
    expect((await bot.app.store.verifyAudit()).ok).toBe(true);
  });
});
