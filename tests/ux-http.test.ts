/**
 * Issue 13 over HTTP, against the real app and the Teams connector stand-in, driven the way each defect was
 * found: what a worker and a manager see on their cards after pressing buttons, and what the managers' channel
 * shows once something is dealt with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeConnector } from './helpers/connector';
import { execute, message, WORKER } from './helpers/activities';
import { CHANNEL_ID, channelInvoke, inChannel as inChannelAs, PRIYA, roster } from './helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from './helpers/bot';
import { londonParts } from '../src/core/time';
import { buttons, pressButtonOn, pressOn, stepOf } from './helpers/cardDriver';

let connector: FakeConnector;
let bot: RunningBot;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-ux-'));
const env = { MANAGER_AAD_IDS: PRIYA.aadObjectId, DELIVERY_POLL_MS: '50', DATA_DIR: dataDir, EMERGENCY_DUTY_TEAM_PHONE: '0151 443 2600' };

beforeAll(async () => {
  connector = await new FakeConnector().start();
  connector.responder = roster;
  bot = await startBot(env);
  await bot.post(inChannel('<at>KeepSafe</at> set as managers channel', PRIYA));
  await connector.waitFor(1, (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true);
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const inChannel = (text: string, from = PRIYA) => inChannelAs(connector.url, text, from);
const press = (card: any, choice: string, typed: Record<string, unknown> = {}, from = WORKER) => pressOn(bot, connector.url, card, choice, typed, from);

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

export { pressButtonOn, londonParts, channelInvoke };
