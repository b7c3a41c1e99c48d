/**
 * Turn logic through botbuilder's TestAdapter: scripted conversations against the real KeepSafeBot, with the
 * real engine and card templates and a feedback recorder that keeps entries in memory.
 */
import path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { loadGuidanceContent } from '../src/core/guidance/content';
import { GuidanceEngine } from '../src/core/guidance/engine';
import { createLogger } from '../src/logger';
import { KeepSafeBot } from '../src/teams/bot';
import type { FeedbackInput } from '../src/teams/handlers/context';
import { createReplies } from '../src/teams/replies';
import { cardText } from './helpers/bot';

const engine = new GuidanceEngine(loadGuidanceContent(path.resolve(__dirname, '../content')));

function makeBot(feedback: FeedbackInput[] = []) {
  const bot = new KeepSafeBot({
    logger: createLogger('silent'),
    guidance: engine,
    replies: createReplies(),
    allowedTenantIds: [],
    feedback: { recordFeedback: async (f) => void feedback.push(f) },
  });
  const adapter = new TestAdapter((context) => bot.run(context), {
    channelId: 'msteams',
    from: { id: '29:sam', name: 'Sam Carter', aadObjectId: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f' },
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
const scripts: Array<[string, Array<[string, RegExp]>]> = [
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
      ['got a frend req from a yps dad on fb', /Section 2\.2/],
      ['my insta got hacked last nite', /Section 2\.1/],
      ['can i claim mileage for visits', /outside what I can help with/],
    ],
  ],
];

describe.each(scripts)('%s', (_title, turns) => {
  it('answers each turn with the right card', async () => {
    let flow: any = makeBot();
    for (const [typed, expected] of turns) flow = flow.send(typed).assertReply(shows(expected));
    await flow;
  });
});

it('an Action.Submit from a Related button shows that section', async () => {
  await makeBot()
    .send({ type: 'message', value: { action: 'showSection', section: '2.5' } } as Partial<Activity>)
    .assertReply(shows(/Section 2\.5[\s\S]*Act wisely/));
});

it('feedback is recorded with the worker\'s id and no name, and the invoke answers with the updated card', async () => {
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
  expect(recorded[0]).toMatchObject({ section: '2.4', helpful: false, author: { aadObjectId: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f' } });
  expect(recorded[0].idempotencyKey).toContain('card-7');
  expect(JSON.stringify(recorded[0])).not.toContain('Sam Carter');
});
