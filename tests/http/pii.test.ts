/**
 * Issue 12 over HTTP, against the real app: the identifier check on every free-text field KeepSafe stores, with
 * the new kinds (untitled names, social media usernames) in the warning as the worker reads it off the card; the
 * warning's honesty about its limits; "Check again and send"; the card's fallback text; managers' notes on an
 * incident and on advice; the adviser's name (staff) unquestioned; and the channel never getting the free text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FakeConnector } from '../helpers/connector';
import { execute, message, WORKER } from '../helpers/activities';
import { CHANNEL_ID, channelInvoke, startWithManagersChannel, TOM } from '../helpers/managersTeam';
import { cardOf, cardText, type RunningBot } from '../helpers/bot';
import { button, buttons, pressOn, stepOf, walkCard } from '../helpers/cardDriver';
import { londonParts } from '../../src/core/time';

let connector: FakeConnector;
let bot: RunningBot;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-pii-'));

beforeAll(async () => {
  ({ bot, connector } = await startWithManagersChannel({ DATA_DIR: dataDir }));
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const personal = { serviceUrl: () => connector.url };
const press = (card: any, choice: string, typed: Record<string, unknown> = {}, from = WORKER) =>
  pressOn(bot, connector.url, card, choice, typed, from);
/** Card text with Teams' Markdown escapes taken out ("jj\\_dunny99" is shown as "jj_dunny99"). */
const shown = (card: any) => cardText(card).replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1');
const LIMITS = /The check can miss things: read your text once more for names, nicknames and social media usernames/;
const channelPosts = () =>
  connector.calls.filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId);

async function say(text: string): Promise<any[]> {
  const before = connector.sent.length;
  await bot.post(message(text, { serviceUrl: personal.serviceUrl(), from: WORKER }));
  return connector.sent.slice(before).map(cardOf).filter(Boolean);
}

async function newWalk(command: string, first: string): Promise<any> {
  const cards = await say(command);
  let card = cards[cards.length - 1];
  const fresh = buttons(card).find((b) => b.verb === 'photoDecision' && b.data?.fresh === true);
  if (fresh)
    card = (
      await bot.post(
        execute('photoDecision', fresh.data, { serviceUrl: connector.url, replyToId: `list-${Date.now()}` }),
      )
    ).body.value;
  expect(stepOf(card)).toBe(first);
  return card;
}

const earlier = () => londonParts(new Date(Date.now() - 2 * 3600_000));

describe('an incident report', () => {
  const REPORT = {
    type: 'contact_request',
    summary: 'Rose said her ex keeps messaging her, his snap is jj_dunny99 and aunty Shelley has seen it.',
    happenedDate: '2026-11-20',
    happenedTime: '19:30',
    platform: 'Snapchat',
    urgency: 'medium',
    caseRef: 'lcs-700001',
    evidenceKept: 'false',
  };
  let warned: any;

  it('lists the untitled names and the username, says the check can miss things, and says what Check again does', async () => {
    const res = await bot.post(
      execute(
        'incident',
        { ...REPORT, step: 'submit' },
        { serviceUrl: connector.url, from: WORKER, replyToId: 'pii-form-1' },
      ),
    );
    warned = res.body.value;
    const text = shown(warned);
    expect(text).toMatch(/This may identify someone/);
    expect(text).toMatch(/I found 2 names \(Rose, Shelley\), a social media username \(jj_dunny99\)/);
    expect(text).toMatch(/never their name or their social media username/); // the instruction mentions usernames
    expect(text).toMatch(LIMITS);
    expect(text).toMatch(/Check again and send checks your edited text and sends the report if nothing is found/);
    const titles = buttons(warned).map((b) => b.title);
    expect(titles).toEqual(expect.arrayContaining(['Check again and send', 'Send as it is']));
    expect(warned.fallbackText).toMatch(
      /This may identify someone: I found 2 names \(Rose, Shelley\), a social media username \(jj_dunny99\)/,
    );
    expect(await bot.app.store.list({ kind: 'incident_report' })).toHaveLength(0);
  });

  it('with only what was listed taken out, Check again and send still warns about the rest', async () => {
    const edited = 'Rose said her ex keeps messaging her and aunty Shelley has seen it. Her insta is @rosie.x.2011.';
    const res = await bot.post(
      execute(
        'incident',
        { ...REPORT, summary: edited, step: 'submit' },
        { serviceUrl: connector.url, from: WORKER, replyToId: 'pii-form-1' },
      ),
    );
    expect(shown(res.body.value)).toMatch(
      /I found 2 names \(Rose, Shelley\), a social media username \(@rosie\.x\.2011\)/,
    );
    expect(await bot.app.store.list({ kind: 'incident_report' })).toHaveLength(0);
  });

  it('edited to roles, Check again and send stores it and the channel card carries no free text', async () => {
    const clean = 'The young person said her ex keeps messaging her on Snapchat and her aunt has seen it.';
    const res = await bot.post(
      execute(
        'incident',
        { ...REPORT, summary: clean, step: 'submit' },
        { serviceUrl: connector.url, from: WORKER, replyToId: 'pii-form-1' },
      ),
    );
    expect(cardText(res.body.value)).toMatch(/Incident reported[\s\S]*KS-[0-9A-F]{8}/);
    const [stored] = await bot.app.store.list({ kind: 'incident_report' });
    expect(stored.fields).toMatchObject({ summary: clean });
    const [post] = await connector.waitFor(
      1,
      (c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && !c.activityId,
    );
    expect(JSON.stringify(cardOf(post.body))).not.toMatch(/messaging|aunt|Rose|Shelley/);
  });

  it("a manager's note naming someone untitled is refused with what was found and the same caveat", async () => {
    const [stored] = await bot.app.store.list({ kind: 'incident_report' });
    const res = await bot.post(
      channelInvoke(
        connector.url,
        'incidentAct',
        { incidentId: stored.id, sequence: 1, act: 'note', note: 'Spoke to kieran, his tiktok is @kieran.b_09' },
        TOM,
        'root-1',
      ),
    );
    const said = String(res.body.value);
    expect(said).toMatch(/Your note seems to contain a name \(kieran\), a social media username \(@kieran\.b_09\)/);
    expect(said).toMatch(LIMITS);
    expect(await bot.app.store.list({ kind: 'manager_action' })).toHaveLength(0);
    expect(channelPosts()).toHaveLength(1);
  });
});

describe('the injury-photo walkthrough', () => {
  it("the adviser's name is not questioned; a written record with an untitled name and a username is, field by field", async () => {
    let card = await press(await newWalk('photo decision', 'seen'), 'continue', {
      concern: 'physical_injury',
      personType: 'child',
      caseRef: 'lcs-700002',
      immediateDanger: 'no',
    });
    card = await press(card, 'yes');
    card = await press(card, 'continue', {
      adviserName: 'Priya Shah',
      adviserRole: 'Team manager',
      via: 'phone',
      givenDate: earlier().date,
      givenTime: earlier().time,
      decision: 'do_not_photograph',
      conditions: '',
    });
    expect(stepOf(card)).toBe('body_map'); // Priya Shah, the adviser, is staff: no warning
    card = await press(card, 'add_mark', {
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
      description: 'Round bruise on the forearm.',
      recorderRole: 'Support worker',
    });
    card = await press(card, 'continue');
    expect(stepOf(card)).toBe('written_record');
    const typed = {
      whatWasSeen: 'A bruise on the left forearm, about 3 cm.',
      seenDate: earlier().date,
      seenTime: earlier().time,
      whatWasSaid: 'Tyler said his mum hit him. His snap is tyler_b_2014.',
      explainedBy: 'the child',
      explanationGiven: 'Mum hit me.',
    };
    card = await press(card, 'continue', typed);
    expect(stepOf(card)).toBe('written_record');
    const text = shown(card);
    expect(text).toMatch(/This may identify someone: a name \(Tyler\), a social media username \(tyler_b_2014\)/);
    expect(text).toMatch(LIMITS);
    expect(card.fallbackText).toMatch(/may identify someone/);
    let notes = 0;
    walkCard(card, (n) => typeof n.id === 'string' && n.id.endsWith('Identifier') && notes++);
    expect(notes).toBe(1); // only the field that has them
    expect(await bot.app.store.list({ kind: 'written_record', caseRef: 'LCS-700002' })).toHaveLength(0);
  });

  it("a manager's advice note with a name in it is refused before anything is stored", async () => {
    let card = await press(await newWalk('photo decision', 'seen'), 'continue', {
      concern: 'signs_of_abuse',
      personType: 'child',
      caseRef: 'lcs-700003',
      immediateDanger: 'no',
    });
    card = await press(card, 'no');
    card = await press(card, 'ask');
    const [request] = await bot.app.store.list({ kind: 'advice_request', caseRef: 'LCS-700003' });
    const walkId = button(card, 'had_advice').data.walkId;
    const res = await bot.post(
      channelInvoke(
        connector.url,
        'adviceAnswer',
        {
          requestId: request.id,
          walkId,
          adviceDecision: 'do_not_photograph',
          adviceNote: "Ring Summer-Lily's nan first",
        },
        TOM,
        'post-1',
      ),
    );
    expect(String(res.body.value)).toMatch(/Your note seems to contain a name \(Summer-Lily\)/);
    expect(String(res.body.value)).toMatch(LIMITS);
    expect(await bot.app.store.list({ kind: 'advice_given', caseRef: 'LCS-700003' })).toHaveLength(0);
  });
});

describe('the consent log', () => {
  it("a name in who has parental responsibility, or a username in the child's view, is pointed out before the decision is saved", async () => {
    let card = await press(await newWalk('log consent', 'seen'), 'continue', {
      personType: 'child',
      caseRef: 'lcs-700004',
    });
    expect(stepOf(card)).toBe('parental_consent');
    card = await press(card, 'continue', {
      parentalResponsibility: 'Mum (Leanne Hughes)',
      parentalConsent: 'given',
      childView: 'Fine with it, she said to send it to her insta @lil.miss.x',
    });
    expect(stepOf(card)).toBe('parental_consent');
    const text = shown(card);
    expect(text).toMatch(/This may identify someone: a name \(Leanne Hughes\)/);
    expect(text).toMatch(/This may identify someone: a social media username \(@lil\.miss\.x\)/);
    expect(text).toMatch(LIMITS);
    expect(await bot.app.store.list({ kind: 'consent_decision', caseRef: 'LCS-700004' })).toHaveLength(0);
    card = await press(card, 'continue', {
      parentalResponsibility: 'Mother',
      parentalConsent: 'given',
      childView: 'Fine with a photo of the leg.',
    });
    expect(stepOf(card)).toBe('photo_care');
  });
});
