/**
 * Issue 13 over HTTP, against the real app and the Teams connector stand-in, driven the way each defect was
 * found: what a worker and a manager see on their cards after pressing buttons, and what the managers' channel
 * shows once something is dealt with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FakeConnector } from '../helpers/connector';
import { execute, message, WORKER } from '../helpers/activities';
import {
  CHANNEL_ID,
  channelInvoke,
  inChannel as inChannelAs,
  PRIYA,
  startWithManagersChannel,
} from '../helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';
import { londonParts } from '../../src/core/time';
import { buttons, inputsOf, pressButtonOn, pressOn, stepOf, walkCard } from '../helpers/cardDriver';

let connector: FakeConnector;
let bot: RunningBot;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-ux-'));
const env = {
  MANAGER_AAD_IDS: PRIYA.aadObjectId,
  DELIVERY_POLL_MS: '50',
  DATA_DIR: dataDir,
  EMERGENCY_DUTY_TEAM_PHONE: '0151 443 2600',
};

beforeAll(async () => {
  ({ bot, connector } = await startWithManagersChannel(env));
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const press = (card: any, choice: string, typed: Record<string, unknown> = {}, from = WORKER) =>
  pressOn(bot, connector.url, card, choice, typed, from);

async function say(text: string, from = WORKER): Promise<any[]> {
  const before = connector.sent.length;
  await bot.post(message(text, { serviceUrl: connector.url, from }));
  return connector.sent.slice(before).map(cardOf).filter(Boolean);
}

let seq = 0;
/** Presses an Action.Execute that is not a walkthrough button (feedback, photoDecision …) on a card in the worker's chat. */
async function invoke(b: any, from = WORKER): Promise<any> {
  const res = await bot.post(execute(b.verb, b.data, { serviceUrl: connector.url, from, replyToId: `ux-${++seq}` }));
  expect(res.status).toBe(200);
  return res.body.value;
}

const SAFETY_LEAD = /Don't take photos yet/;

describe('the safety box stays on the answer card (item 2)', () => {
  it('after "Was this helpful?" the injury-photo answer still leads with "don\'t take photos yet"', async () => {
    const cards = await say('there are bruises on the child, can I take a photo?');
    const answer = cards[0];
    expect(cardText(answer)).toMatch(SAFETY_LEAD);
    const yes = buttons(answer).find((b) => b.verb === 'feedback' && b.data.helpful === true);
    const thanked = await invoke(yes);
    const text = cardText(thanked);
    expect(text).toMatch(/Thanks for your feedback/);
    expect(text).toMatch(SAFETY_LEAD);
    // The box is still the first thing after the heading, in the attention style.
    const box = thanked.body.find((n: any) => n.type === 'Container' && n.style === 'attention');
    expect(cardText(box)).toMatch(SAFETY_LEAD);
  });

  it('the incident answer keeps "tell your line manager today" after feedback', async () => {
    const cards = await say('someone has set up a fake profile pretending to be me, I want to report it');
    const answer = cards.find((c) => /Tell your line manager/.test(cardText(c)));
    expect(answer).toBeDefined();
    const no = buttons(answer).find((b) => b.verb === 'feedback' && b.data.helpful === false);
    const thanked = await invoke(no);
    expect(cardText(thanked)).toMatch(/Tell your line manager about this today/);
  });
});

describe('answer cards do not offer what was opened right below them (item 5)', () => {
  it('the injury-photo answer has no "Photo decision" button when the walkthrough card follows it, before and after feedback', async () => {
    const cards = await say('there are bruises on the child, can I take a photo?');
    const [answer, walk] = [cards[0], cards[cards.length - 1]];
    expect(stepOf(walk) ?? cardText(walk)).toMatch(/seen|walkthrough/i);
    const titles = (c: any) => [...(c.actions ?? [])].map((a: any) => a.title);
    expect(titles(answer).join(' ')).not.toMatch(/Photo decision/);
    const thanked = await invoke(buttons(answer).find((b) => b.verb === 'feedback'));
    expect(titles(thanked).join(' ')).not.toMatch(/Photo decision/);
    // Asked as a section (nothing opened below), the button is there.
    const section = (await say('section 2.3.2'))[0];
    expect(titles(section).join(' ')).toMatch(/Photo decision/);
  });

  it('the incident answer has no "Report an incident" button when the report card follows it', async () => {
    const cards = await say('someone has set up a fake profile pretending to be me, I want to report it');
    const answer = cards.find((c) => /Tell your line manager/.test(cardText(c)));
    expect(cards.some((c) => JSON.stringify(c).includes('"label":"What happened?"'))).toBe(true);
    expect((answer.actions ?? []).map((a: any) => a.title)).not.toContain('Report an incident');
  });
});

// ---- the urgent request for advice in the managers' channel (item 3) ----------------------------------------------

const earlier = () => londonParts(new Date(Date.now() - 3600_000));
const channelPosts = (since: number) =>
  connector.calls.slice(since).filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId);
const channelUpdates = (since: number) =>
  connector.calls.slice(since).filter((c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID);

async function newWalk(): Promise<any> {
  const cards = await say('photo decision');
  let card = cards[cards.length - 1];
  const fresh = buttons(card).find((b) => b.verb === 'photoDecision' && b.data?.fresh === true);
  if (fresh) card = await invoke(fresh);
  return card;
}

/** A walkthrough up to "waiting for advice", with the urgent card posted in the channel: that card and the worker's. */
async function askForAdvice(caseRef: string): Promise<{ card: any; posted: any; requestId: string; walkId: string }> {
  let card = await press(await newWalk(), 'continue', {
    immediateDanger: 'no',
    concern: 'physical_injury',
    personType: 'child',
    caseRef,
  });
  card = await press(card, 'no');
  const mark = connector.calls.length;
  card = await press(card, 'ask');
  expect(stepOf(card)).toBe('awaiting_advice');
  await connector.waitFor(
    1,
    (c) =>
      c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId && connector.calls.indexOf(c) >= mark,
  );
  const posted = cardOf(channelPosts(mark)[0].body);
  const send = buttons(posted).find((b) => b.verb === 'adviceAnswer');
  return { card, posted, requestId: send.data.requestId, walkId: send.data.walkId };
}

describe('the urgent request for advice updates in place when dealt with, and names who is asking (item 3)', () => {
  it("the urgent card says which member of staff is asking (a staff name, not a service user's)", async () => {
    const { posted } = await askForAdvice('lcs-400001');
    expect(cardText(posted)).toMatch(/Asked by: Sam Carter/);
    expect(cardText(posted)).toMatch(/Urgent: a worker needs advice/);
  });

  it('advice recorded by phone: the channel card becomes "dealt with: advice recorded by phone" with the form and Send advice gone; a late answer changes nothing', async () => {
    const { card, requestId, walkId } = await askForAdvice('lcs-400002');
    let next = await press(card, 'had_advice');
    expect(stepOf(next)).toBe('record_advice');
    const mark = connector.calls.length;
    next = await press(next, 'continue', {
      adviserName: 'Priya Shah',
      adviserRole: 'Team manager',
      via: 'phone',
      givenDate: earlier().date,
      givenTime: earlier().time,
      decision: 'do_not_photograph',
      conditions: '',
    });
    expect(stepOf(next)).toBe('body_map');
    const [update] = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID && connector.calls.indexOf(c) >= mark,
    );
    const updated = cardOf(update.body);
    const text = cardText(updated);
    expect(text).toMatch(/Dealt with: advice recorded by phone/);
    expect(text).not.toMatch(/Urgent: a worker needs advice/);
    expect(buttons(updated).filter((b) => b.verb === 'adviceAnswer')).toHaveLength(0);
    expect(JSON.stringify(updated)).not.toContain('"Input.');
    const [line] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' &&
        (c.conversationId ?? '').startsWith(`${CHANNEL_ID};messageid=`) &&
        connector.calls.indexOf(c) >= mark,
    );
    expect(line.body.text).toMatch(/Dealt with: advice recorded by phone/);
    // A manager pressing Send advice on an old copy of the card: nothing stored, the dealt-with card shown.
    const before = (await bot.app.store.list({ kind: 'advice_given', caseRef: 'LCS-400002', limit: 10 })).length;
    const res = await bot.post(
      channelInvoke(
        connector.url,
        'adviceAnswer',
        { requestId, walkId, adviceDecision: 'photograph' },
        PRIYA,
        'late-1',
      ),
    );
    expect(cardText(res.body.value)).toMatch(/Dealt with: advice recorded by phone/);
    expect(await bot.app.store.list({ kind: 'advice_given', caseRef: 'LCS-400002', limit: 10 })).toHaveLength(before);
  });

  it('the worker cancels while waiting: the channel card says so, once', async () => {
    const { card } = await askForAdvice('lcs-400003');
    const mark = connector.calls.length;
    const cancelled = await press(card, 'cancel');
    expect(cardText(cancelled)).toMatch(/Cancelled/);
    const [update] = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID && connector.calls.indexOf(c) >= mark,
    );
    expect(cardText(cardOf(update.body))).toMatch(/Dealt with: the worker cancelled the walkthrough/);
    await new Promise((r) => setTimeout(r, 300));
    expect(channelUpdates(mark)).toHaveLength(1);
  });

  it('a manager who answers first keeps the answered card: the worker saving that advice does not mark it "dealt with"', async () => {
    const { requestId, walkId } = await askForAdvice('lcs-400004');
    const mark = connector.calls.length;
    const res = await bot.post(
      channelInvoke(
        connector.url,
        'adviceAnswer',
        { requestId, walkId, adviceDecision: 'do_not_photograph' },
        PRIYA,
        'ans-1',
      ),
    );
    expect(cardText(res.body.value)).toMatch(/Advice given/);
    const [told] = await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === `a:personal-${WORKER.id}` && connector.calls.indexOf(c) >= mark,
    );
    const moved = cardOf(told.body);
    expect(stepOf(moved)).toBe('record_advice');
    await connector.waitFor(
      1,
      (c) => c.method === 'PUT' && c.conversationId === CHANNEL_ID && connector.calls.indexOf(c) >= mark,
    );
    const afterAnswer = connector.calls.length;
    await press(moved, 'continue');
    await new Promise((r) => setTimeout(r, 300));
    expect(channelUpdates(afterAnswer)).toHaveLength(0);
  });
});

describe("the worker's waiting card moves on in place when a manager answers (item 5)", () => {
  it('the card the worker pressed "Ask for advice now" on is replaced; the worker gets a short message, not a second card', async () => {
    let card = await press(await newWalk(), 'continue', {
      immediateDanger: 'no',
      concern: 'signs_of_abuse',
      personType: 'adult',
      caseRef: 'lcs-400007',
    });
    card = await press(card, 'no');
    const mark = connector.calls.length;
    card = await pressOn(bot, connector.url, card, 'ask', {}, WORKER, { replyToId: 'the-waiting-card' });
    expect(stepOf(card)).toBe('awaiting_advice');
    await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId && connector.calls.indexOf(c) >= mark,
    );
    const send = buttons(cardOf(channelPosts(mark)[0].body)).find((b) => b.verb === 'adviceAnswer');
    const answered = connector.calls.length;
    await bot.post(
      channelInvoke(connector.url, 'adviceAnswer', { ...send.data, adviceDecision: 'photograph' }, PRIYA, 'ans-7'),
    );
    const [put] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'PUT' && c.conversationId === `a:personal-${WORKER.id}` && connector.calls.indexOf(c) >= answered,
    );
    expect(put.activityId).toBe('the-waiting-card');
    expect(stepOf(cardOf(put.body))).toBe('record_advice');
    expect(cardText(cardOf(put.body))).toMatch(/Advice has come: take photographs/);
    const [note] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' && c.conversationId === `a:personal-${WORKER.id}` && connector.calls.indexOf(c) >= answered,
    );
    expect(note.body.text).toMatch(
      /Priya Shah answered your request for advice about case LCS-400007: take photographs/,
    );
    await new Promise((r) => setTimeout(r, 300));
    const toWorker = connector.calls
      .slice(answered)
      .filter((c) => c.method === 'POST' && c.conversationId === `a:personal-${WORKER.id}`);
    expect(toWorker.filter((c) => cardOf(c.body))).toHaveLength(0);
  });
});

describe('one reference for one walkthrough (item 4)', () => {
  it('the advice request, the waiting card, the finished card, the channel summary and "my records" all show the same KS- reference', async () => {
    const { card, posted } = await askForAdvice('lcs-400006');
    const ref = (c: any) => cardText(c).match(/KS-[0-9A-F]{8}/g) ?? [];
    const [walkRef] = ref(card);
    expect(walkRef).toMatch(/^KS-[0-9A-F]{8}$/);
    expect(cardText(posted)).toMatch(new RegExp(`Reference: ${walkRef}`));
    let next = await press(card, 'had_advice');
    next = await press(next, 'continue', {
      adviserName: 'Priya Shah',
      adviserRole: 'Team manager',
      via: 'phone',
      givenDate: earlier().date,
      givenTime: earlier().time,
      decision: 'do_not_photograph',
      conditions: '',
    });
    next = await press(next, 'continue', {
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
      description: 'Round bruise.',
      recorderRole: 'Support worker',
    });
    next = await press(next, 'continue', {
      whatWasSeen: 'A bruise on the left forearm.',
      seenDate: earlier().date,
      seenTime: earlier().time,
      whatWasSaid: '',
      explainedBy: '',
      explanationGiven: '',
    });
    next = await press(next, 'continue', {
      referralMade: 'true',
      referredTo: "Children's front door",
      referenceNumber: '',
    });
    expect(new Set(ref(next))).toEqual(new Set([walkRef]));
    const mark = connector.calls.length;
    const finished = await press(next, 'finish');
    expect(new Set(ref(finished))).toEqual(new Set([walkRef]));
    await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId && connector.calls.indexOf(c) >= mark,
    );
    const summary = cardOf(channelPosts(mark)[0].body);
    expect(cardText(summary)).toContain(walkRef);
    // "my records": every entry of this walkthrough under that one reference.
    const mine = (await say('my records'))[0];
    const refsForCase: string[] = [];
    walkCard(mine, (n) => {
      if (n.type !== 'FactSet') return;
      const facts = Object.fromEntries(n.facts.map((f: any) => [f.title, f.value]));
      if (facts.Case === 'LCS-400006') refsForCase.push(facts.Reference);
    });
    const stored = await bot.app.store.list({ caseRef: 'LCS-400006', limit: 20 });
    expect(stored.map((e) => e.kind).sort()).toEqual([
      'advice_given',
      'advice_request',
      'body_map',
      'referral',
      'written_record',
    ]);
    expect(refsForCase).toHaveLength(5);
    expect(new Set(refsForCase)).toEqual(new Set([walkRef]));
  });
});

describe('wording on the advice cards (item 8)', () => {
  const viaChoices = (card: any) => {
    let out: string[] = [];
    walkCard(card, (n) => {
      if (n.type === 'Input.ChoiceSet' && n.id === 'via') out = n.choices.map((c: any) => c.title);
    });
    return out;
  };

  it('the advice-by-phone form does not offer "Answered in KeepSafe"; a manager\'s answer shows it, with no nested brackets anywhere', async () => {
    const { card, requestId, walkId } = await askForAdvice('lcs-400005');
    const byPhone = await press(card, 'had_advice');
    expect(stepOf(byPhone)).toBe('record_advice');
    expect(viaChoices(byPhone)).toEqual(['By phone', 'In person']);
    await press(byPhone, 'back');

    const mark = connector.calls.length;
    await bot.post(
      channelInvoke(
        connector.url,
        'adviceAnswer',
        { requestId, walkId, adviceDecision: 'do_not_photograph' },
        PRIYA,
        'ans-5',
      ),
    );
    const [told] = await connector.waitFor(
      1,
      (c) =>
        c.method === 'PUT' &&
        c.conversationId === `a:personal-${WORKER.id}` &&
        !!cardOf(c.body) &&
        connector.calls.indexOf(c) >= mark,
    );
    const moved = cardOf(told.body);
    expect(viaChoices(moved)).toEqual(['Answered in KeepSafe', 'By phone', 'In person']);
    expect(inputsOf(moved)).toMatchObject({ via: 'keepsafe', adviserName: 'Priya Shah', adviserRole: 'Manager' });
    const saved = await press(moved, 'continue');
    expect(stepOf(saved)).toBe('body_map');
    const [given] = (await bot.app.store.list({ kind: 'advice_given', caseRef: 'LCS-400005', limit: 10 })).filter(
      (e) => e.author.aadObjectId === PRIYA.aadObjectId,
    );
    expect(given.kind === 'advice_given' && given.fields.adviserRole).toBe('Manager');
    for (const c of [moved, saved]) expect(cardText(c)).not.toMatch(/\([^()]*\(|keepsafe/);
  });
});

describe('answers show first the points that fit the question (item 9)', () => {
  /** The key points shown before "Read the full section", and those behind it. */
  const points = (card: any) => {
    const visible = card.body.find(
      (n: any) =>
        n.type === 'Container' && n.id !== 'fullText' && (n.items ?? []).some((i: any) => /^- /.test(i.text ?? '')),
    );
    const hidden = card.body.find((n: any) => n.id === 'fullText');
    return { first: (visible?.items ?? []).map((i: any) => i.text as string), rest: cardText(hidden) };
  };

  /** The answer card for a question; where the engine hesitates and asks "Did you mean…?", the worker picks `section`. */
  async function answerFor(question: string, section: string): Promise<any> {
    const [first] = await say(question);
    const pick = buttons(first).find((b) => b.verb === 'clarify' && b.data?.choice === section);
    return pick ? invoke(pick) : first;
  }

  it('"can I post about my colleagues" leads with "avoid posting about colleagues"; the injury-photo points are not up front', async () => {
    const answer = await answerFor('can I post about my colleagues on facebook?', '2.3.2');
    const { first, rest } = points(answer);
    expect(first[0]).toMatch(/Avoid posting about colleagues/);
    expect(first.length).toBeLessThanOrEqual(2);
    expect(first.join(' ')).not.toMatch(/injur|body map/i);
    expect(rest).toMatch(/body map/); // still there, behind "Read the full section"
    // After "Was this helpful?" the card keeps the same points first.
    const thanked = await invoke(buttons(answer).find((b) => b.verb === 'feedback'));
    expect(points(thanked).first).toEqual(first);
  });

  it('an injury-photo question on the same section leads with the injury-photo points', async () => {
    const [answer] = await say('there are bruises on the child, can I take a photo?');
    const { first } = points(answer);
    expect(first[0]).toMatch(/possible injuries or signs of abuse or neglect/);
    expect(first.join(' ')).not.toMatch(/colleagues of any grade/);
  });

  it('"section 2.3.2" (no question) shows every point as before', async () => {
    const [answer] = await say('section 2.3.2');
    expect(points(answer).first).toHaveLength(5);
  });
});

describe('the report card after an answer is pre-filled from the question, and its advice fits the kind (item 9)', () => {
  it('"a fake instagram profile pretending to be me" ticks the kind and the platform; the advice is about the fake profile, not passwords', async () => {
    const cards = await say('someone has set up a fake instagram profile pretending to be me, I want to report it');
    const report = cards.find((c) => JSON.stringify(c).includes('"label":"What happened?"'));
    expect(report).toBeDefined();
    expect(inputsOf(report)).toMatchObject({ type: 'account_hacked', platform: 'Instagram' });
    const typed = {
      summary: 'Someone made a fake profile with my photo, pretending to be me.',
      happenedDate: earlier().date,
      happenedTime: '',
      urgency: 'medium',
      caseRef: '',
    };
    const send = buttons(report).find((b) => b.verb === 'incident' && b.data.step === 'submit');
    const res = await bot.post(
      execute(
        'incident',
        { ...inputsOf(report), ...typed, ...send.data },
        { serviceUrl: connector.url, replyToId: 'report-fake' },
      ),
    );
    const confirm = cardText(res.body.value);
    expect(confirm).toMatch(/Incident reported/);
    expect(confirm).toMatch(/Report the fake profile to the site/);
    expect(confirm).not.toMatch(/Change your passwords/);
  });
});

describe('on a phone: what went wrong right above the buttons, stacked inputs, short titles (item 10)', () => {
  const lastBody = (card: any) => card.body[card.body.length - 1];

  it('a walkthrough card with problems ends with a short summary of them, just above the buttons', async () => {
    const card = await press(await newWalk(), 'continue', { immediateDanger: 'no' });
    expect(stepOf(card)).toBe('seen');
    const bottom = lastBody(card);
    expect(bottom).toMatchObject({ type: 'Container', style: 'attention', id: 'checkSummary' });
    const text = cardText(bottom);
    expect(text).toMatch(/Choose what you saw/);
    expect(text).toMatch(/Choose adult or child/);
    expect(text).toMatch(/case reference/i);
  });

  it('the incident report with problems ends with them listed above the buttons; its date and time are stacked, not side by side', async () => {
    const res = await bot.post(
      execute(
        'incident',
        {
          step: 'submit',
          type: '',
          summary: '',
          happenedDate: '2099-01-01',
          happenedTime: '',
          platform: '',
          urgency: '',
          caseRef: '',
          evidenceKept: 'false',
        },
        { serviceUrl: connector.url, replyToId: 'report-1' },
      ),
    );
    const card = res.body.value;
    const bottom = lastBody(card);
    expect(bottom).toMatchObject({ type: 'Container', style: 'attention', id: 'checkSummary' });
    expect(cardText(bottom)).toMatch(/What happened\?: /);
    expect(cardText(bottom)).toMatch(/When \(date\): /);
    let sideBySide = false;
    walkCard(card, (n) => {
      if (n.type === 'ColumnSet' && JSON.stringify(n).includes('"Input.Date"')) sideBySide = true;
    });
    expect(sideBySide).toBe(false);
  });

  it('button titles fit a phone: at most 24 characters on the walkthrough, report, answer, help and channel cards', async () => {
    const long: string[] = [];
    const check = (card: any) =>
      walkCard(card, (n) => {
        if (
          typeof n.type === 'string' &&
          n.type.startsWith('Action.') &&
          typeof n.title === 'string' &&
          n.data?.action !== 'showSection' &&
          !(n.data?.action === 'ask' && n.title.startsWith('Ask: ')) &&
          n.title.length > 24
        )
          long.push(n.title);
      });
    const first = await newWalk();
    check(first);
    let card = await press(first, 'continue', {
      immediateDanger: 'no',
      concern: 'physical_injury',
      personType: 'adult',
      caseRef: 'lcs-400008',
    });
    check(card);
    card = await press(card, 'no');
    check(card);
    const mark = connector.calls.length;
    card = await press(card, 'ask');
    check(card);
    check(await press(card, 'had_advice'));
    await connector.waitFor(
      1,
      (c) =>
        c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId && connector.calls.indexOf(c) >= mark,
    );
    check(cardOf(channelPosts(mark)[0].body));
    for (const q of ['there are bruises on the child, can I take a photo?', 'report an incident', 'help'])
      for (const c of await say(q)) check(c);
    expect(long).toEqual([]);
  });
});

describe('help and wording (item 11)', () => {
  const titles = (card: any) =>
    buttons(card)
      .concat(
        ((): any[] => {
          const out: any[] = [];
          walkCard(card, (n) => n.type === 'Action.Submit' && out.push(n));
          return out;
        })(),
      )
      .map((b: any) => b.title);

  it("'help' has the commands as buttons; managers' commands only for managers", async () => {
    const [forWorker] = await say('help');
    const worker = titles(forWorker);
    expect(worker).toEqual(
      expect.arrayContaining(['Report an incident', 'Photo decision', 'My records', 'All topics']),
    );
    expect(worker).not.toContain('Open incidents');
    expect(cardText(forWorker)).not.toMatch(/For managers|\(managers\)|open incidents/i);
    const [forManager] = await say('help', PRIYA);
    expect(titles(forManager)).toEqual(
      expect.arrayContaining(['Open incidents', "Team's records", 'Team consent log']),
    );
    expect(cardText(forManager)).toMatch(/For managers/);
  });

  it('a command button runs the command as if typed', async () => {
    const [help] = await say('help');
    const mine = (() => {
      let found: any;
      walkCard(help, (n) => n.type === 'Action.Submit' && n.title === 'My records' && (found = n));
      return found;
    })();
    const before = connector.sent.length;
    await bot.post({
      ...message(mine.data.msteams.text, { serviceUrl: connector.url }),
      value: { action: mine.data.action, question: mine.data.question },
    });
    const cards = connector.sent.slice(before).map(cardOf).filter(Boolean);
    expect(cardText(cards[0])).toMatch(/Your recent entries/);
  });
});

describe('first set-up: neither ADMIN_AAD_IDS nor MANAGER_AAD_IDS is set (item 13)', () => {
  it('the start-up log warns, and a manager trying to set the channel is told what to configure, not "only managers can do this"', async () => {
    const fresh = await startBot({ DELIVERY_POLL_MS: '50' });
    try {
      expect(
        fresh.logLines.some((l) => /setup\.no_managers_configured/.test(l) && /NO_MANAGERS_CONFIGURED/.test(l)),
      ).toBe(true);
      const before = connector.sent.length;
      const res = await fresh.post(inChannelAs(connector.url, '<at>KeepSafe</at> set as managers channel', PRIYA));
      expect(res.status).toBe(200);
      await connector.waitFor(before + 1, () => true);
      const reply = connector.sent.slice(before).map(cardOf).find(Boolean);
      const text = cardText(reply).replace(/\\(.)/g, '$1'); // as shown: Markdown escapes removed
      expect(text).toMatch(/needs its managers set up first/);
      expect(text).toMatch(/MANAGER_AAD_IDS/);
      expect(text).toMatch(/ADMIN_AAD_IDS/);
      expect(text).toContain(PRIYA.aadObjectId);
      expect(text).not.toMatch(/Only managers can do this/);
    } finally {
      await fresh.stop();
    }
  });

  it('with managers configured, the start-up log has no such warning', () => {
    expect(bot.logLines.some((l) => /setup\.no_managers_configured/.test(l))).toBe(false);
  });
});

export { pressButtonOn };
