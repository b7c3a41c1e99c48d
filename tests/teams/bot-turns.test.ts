/**
 * Turn logic through botbuilder's TestAdapter: scripted conversations against the real KeepSafeBot, with the
 * real engine and card templates and a feedback recorder that keeps entries in memory.
 */
import path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { loadGuidanceContent } from '../../src/core/guidance/content';
import { GuidanceEngine } from '../../src/core/guidance/engine';
import { createLogger } from '../../src/logger';
import { KeepSafeBot } from '../../src/teams/bot';
import type { FeedbackInput } from '../../src/features/deps';
import fs from 'node:fs';
import os from 'node:os';
import { openStore } from '../../src/storage/store';
import type { RecordStore } from '../../src/storage/types';
import { ManagerDirectory } from '../../src/teams/managers';
import { compileCaseRefPattern } from '../../src/core/records/caseRef';
import { cardText } from '../helpers/bot';

const engine = new GuidanceEngine(loadGuidanceContent(path.resolve(__dirname, '../../content')));

const SAM_AAD = '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f';
const PRIYA_AAD = '3d9b7c2a-5e1f-4a6b-8c7d-9e0f1a2b3c4d';

let store: RecordStore;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-turns-'));
  store = await openStore({ dataDir });
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function makeBot(
  feedback: FeedbackInput[] = [],
  from: { id: string; name: string; aadObjectId: string } = { id: '29:sam', name: 'Sam Carter', aadObjectId: SAM_AAD },
) {
  const logger = createLogger('silent');
  const bot = new KeepSafeBot({
    logger,
    guidance: engine,
    allowedTenantIds: [],
    feedback: { recordFeedback: async (f) => void feedback.push(f) },
    store,
    managers: new ManagerDirectory({
      configuredIds: [PRIYA_AAD],
      adminIds: [],
      channel: async () => undefined,
      logger,
    }),
    caseRefPattern: compileCaseRefPattern(),
    features: { reportIncident: true, photoDecision: false },
    nudgeDelivery: () => undefined,
  });
  const adapter = new TestAdapter((context) => bot.run(context), {
    channelId: 'msteams',
    from,
    conversation: { id: 'a:personal', conversationType: 'personal', isGroup: false, name: '' } as any,
  } as Partial<Activity>);
  return adapter;
}

const shows = (pattern: RegExp) => (activity: Partial<Activity>) => {
  const card = activity.attachments?.[0]?.content;
  expect(card?.type).toBe('AdaptiveCard');
  expect(cardText(card)).toMatch(pattern);
};

// Scripted conversations: each row is what the worker types, then what the card must show.
const scripts: Array<[string, Array<[string, RegExp, ...RegExp[]]>]> = [
  [
    'a worker browses from the topic list into a section',
    [
      ['menu', /Topics in the guidance/],
      ['2.4', /Section 2\.4[\s\S]*Review content/],
      ['section 2.3.2', /Section 2\.3\.2[\s\S]*BEFORE taking any photos/],
    ],
  ],
  [
    'a worker asks in their own words, then something the guidance does not cover',
    [
      // A request from a service user's family: an incident. The report card shows the section on connecting, as the
      // section or among the related ones (the labelled questions split such requests between 2.2 and 2.5).
      ['got a frend req from a yps dad on fb', /Section 2\.(2|5)[\s\S]*Connect wisely/, /Report an incident/],
      ['my insta got hacked last nite', /Section 2\.1/, /Report an incident/], // an incident: the report card follows
      ['can i claim mileage for visits', /outside what I can help with/],
    ],
  ],
];

describe.each(scripts)('%s', (_title, turns) => {
  it('answers each turn with the right card', async () => {
    let flow: any = makeBot();
    for (const [typed, ...expected] of turns) {
      flow = flow.send(typed);
      for (const pattern of expected) flow = flow.assertReply(shows(pattern));
    }
    await flow;
  });
});

it('an Action.Submit from a Related button shows that section', async () => {
  await makeBot()
    .send({ type: 'message', value: { action: 'showSection', section: '2.5' } } as Partial<Activity>)
    .assertReply(shows(/Section 2\.5[\s\S]*Act wisely/));
});

it("feedback is recorded with the worker's id and no name, and the invoke answers with the updated card", async () => {
  const recorded: FeedbackInput[] = [];
  const adapter = makeBot(recorded);
  const invoke = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'card-7',
    value: { action: { type: 'Action.Execute', verb: 'feedback', data: { section: '2.4', helpful: false } } },
  } as Partial<Activity>;
  await adapter.send(invoke).assertReply((a) => {
    expect(a.type).toBe('invokeResponse');
    const body = (a.value as any).body;
    expect(body.statusCode).toBe(200);
    expect(cardText(body.value)).toMatch(/Section 2\.4[\s\S]*Thanks for your feedback!/);
  });
  expect(recorded).toHaveLength(1);
  expect(recorded[0]).toMatchObject({
    section: '2.4',
    helpful: false,
    author: { aadObjectId: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f' },
  });
  // Bounded, built from validated ids only: the card id goes in hashed with the conversation.
  expect(recorded[0].idempotencyKey).toMatch(/^feedback:[0-9a-f]{32}:8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f$/);
  expect(JSON.stringify(recorded[0])).not.toContain('Sam Carter');
});

describe('records in Teams', () => {
  const written = (author: { aadObjectId: string; name: string }, caseRef: string) => ({
    kind: 'written_record' as const,
    caseRef,
    author,
    fields: { whatWasSeen: 'Bruise on left forearm, about 3 cm' },
    guidanceVersion: '1.0',
  });

  it("'my records' lists the worker's own entries (never their feedback, never anyone else's), newest first", async () => {
    const sam = { aadObjectId: SAM_AAD, name: 'Sam Carter' };
    const jo = { aadObjectId: 'aad-jo', name: 'Jo Bennett' };
    const first = await store.append(written(sam, 'LCS-100001'));
    await store.append(written(jo, 'LCS-999999'));
    const second = await store.append(written(sam, 'LCS-100002'));
    await store.recordFeedback({
      section: '2.2',
      helpful: true,
      authorId: SAM_AAD,
      guidanceVersion: '1.0',
      idempotencyKey: 'fb-1',
    });
    await makeBot()
      .send('show me my records please')
      .assertReply((a) => {
        const text = cardText(a.attachments?.[0]?.content);
        expect(text).toMatch(/Your 2 most recent entries/);
        expect(text.indexOf('LCS-100002')).toBeLessThan(text.indexOf('LCS-100001'));
        expect(text).toContain(`KS-${second.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`);
        expect(text).toContain(`KS-${first.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`);
        expect(text).not.toContain('LCS-999999');
        expect(text).not.toMatch(/Feedback/);
        expect(text).not.toContain('Bruise'); // the list never repeats free text
      });
  });

  it("'my team's records' is refused politely to staff, and shows managers counts by kind and week", async () => {
    await makeBot()
      .send("my team's records")
      .assertReply((a) => expect(cardText(a.attachments?.[0]?.content)).toMatch(/Managers only/));
    await makeBot([], { id: '29:priya', name: 'Priya Shah', aadObjectId: PRIYA_AAD })
      .send('team records')
      .assertReply((a) => {
        const text = cardText(a.attachments?.[0]?.content);
        expect(text).toMatch(/Records by week/);
        expect(text).toMatch(/Written record:? *3/);
        expect(text).not.toMatch(/LCS-/); // counts only
        expect(text).not.toMatch(/Feedback/);
      });
  });

  it('a question that only mentions records is still answered from the guidance, not taken as a command', async () => {
    await makeBot()
      .send('should i keep records of what people post about me')
      .assertReply((a) => expect(cardText(a.attachments?.[0]?.content)).not.toMatch(/Your recent entries/));
  });
});
