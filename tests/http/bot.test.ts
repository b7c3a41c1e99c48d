/**
 * The real bot over HTTP: Teams-shaped activities POSTed to /api/messages, replies captured on a loopback
 * stand-in for the Teams connector service.
 */
import { FakeConnector } from '../helpers/connector';
import { execute, installed, message, submit, TENANT, WORKER } from '../helpers/activities';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';

let connector: FakeConnector;
let bot: RunningBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startBot();
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});
beforeEach(() => connector.reset());

const opts = () => ({ serviceUrl: connector.url });

/** Sends a message and returns the one card the bot replied with. */
async function ask(text: string): Promise<{ card: any; text: string }> {
  connector.reset();
  const res = await bot.post(message(text, opts()));
  expect(res.status).toBe(200);
  const [call] = await connector.waitFor(1);
  const card = cardOf(call.body);
  expect(card).toBeDefined();
  return { card, text: cardText(card) };
}

describe('a worker asks a question in a 1:1 chat', () => {
  it('answers with the right section of the guidance as an Adaptive Card, as a reply to the question', async () => {
    const activity = message('a mum on my caseload added me on insta, what do i do', opts());
    const res = await bot.post(activity);
    expect(res.status).toBe(200);
    const [call] = await connector.waitFor(1);
    expect(call.method).toBe('POST');
    expect(call.path).toBe(
      `/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${activity.id}`,
    );
    const card = cardOf(call.body);
    expect(card.type).toBe('AdaptiveCard');
    const text = cardText(card);
    expect(text).toContain('Section 2.2');
    expect(text).toContain('Connect wisely');
    expect(text).toContain('Read the full section');
    expect(text).toContain('Was this helpful?');
    expect(call.body.replyToId).toBe(activity.id);
  });

  it('answers an injury-photo question with Section 2.3.2 and the manager-advice-first rule', async () => {
    const { text } = await ask('can i snap a pic of the bruises on this kid');
    expect(text).toContain('Section 2.3.2');
    expect(text).toMatch(/advice from your manager or designated safeguarding manager BEFORE taking any photos/);
    expect(text).toMatch(/^Don't take photos yet/m); // the action comes first, above the key points
    const incident = await ask('someone has posted lies about me on facebook');
    expect(incident.text).toMatch(/Section 1[\s\S]*Tell your line manager about this today/);
    const plain = await ask('how do i make my facebook private');
    expect(plain.text).not.toMatch(/line manager about this today|Don't take photos yet/);
  });

  it('says plainly when the guidance does not cover a question, with the topic list and the line manager', async () => {
    const { card, text } = await ask('how do i book annual leave');
    expect(text).toMatch(/outside what I can help with/);
    expect(text).toContain('2.3.2  Professional information');
    expect(text).toMatch(/line manager/);
    expect(JSON.stringify(card)).not.toContain('fullText'); // not an answer card: nothing is quoted as if it applied

    const notCovered = await ask('can i make a tiktok for our team');
    expect(notCovered.text).toMatch(/The guidance doesn't cover that[\s\S]*won't guess/);
    expect(notCovered.text).toMatch(/safeguarding manager/);
  });

  it.each([
    ['help', /What KeepSafe can do/],
    ['topics', /Topics in the guidance/],
    ['menu', /Topics in the guidance/],
    ['hiya', /Welcome to KeepSafe/],
    ['section 2.4', /Section 2\.4[\s\S]*Review content/],
    ['2.3.1', /Section 2\.3\.1[\s\S]*Personal information/],
  ])('understands "%s"', async (typed, expected) => {
    const { text } = await ask(typed);
    expect(text).toMatch(expected);
  });

  it('says so when asked for a section that does not exist (there is no section 3)', async () => {
    const { text } = await ask('section 3.1');
    expect(text).toMatch(/no section with that number/);
  });

  it('welcomes the worker when the app is installed in a personal chat', async () => {
    const res = await bot.post(installed(opts()));
    expect(res.status).toBe(200);
    const [call] = await connector.waitFor(1);
    expect(cardText(cardOf(call.body))).toMatch(/Welcome to KeepSafe[\s\S]*don't type service users' names/);
  });
});

describe('card buttons', () => {
  it('a Related button (Action.Submit) shows that section', async () => {
    const res = await bot.post(
      submit(
        { action: 'showSection', section: '2.5', msteams: { type: 'messageBack', text: 'section 2.5' } },
        opts(),
        'section 2.5',
      ),
    );
    expect(res.status).toBe(200);
    const [call] = await connector.waitFor(1);
    expect(cardText(cardOf(call.body))).toMatch(/Section 2\.5[\s\S]*Act wisely/);
  });

  it('"Was this helpful?" records the answer once, thanks the worker and updates the card in place', async () => {
    const press = execute('feedback', { section: '2.2', helpful: true }, { ...opts(), replyToId: 'answer-card-42' });
    const first = await bot.post(press);
    expect(first.status).toBe(200);
    expect(first.body.statusCode).toBe(200);
    expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const updated = cardText(first.body.value);
    expect(updated).toContain('Thanks for your feedback!');
    expect(updated).toContain('Section 2.2');
    expect(updated).not.toContain('Was this helpful?');

    // Teams retries an invoke it did not hear back from in time: the retry must not make a second entry.
    const retry = await bot.post({ ...press, id: `${press.id}-retry` });
    expect(retry.body.statusCode).toBe(200);
    const counts = await bot.app.store.feedbackCounts();
    expect(counts.find((c) => c.section === '2.2')).toEqual({ section: '2.2', helpful: 1, notHelpful: 0 });
    expect(connector.calls).toHaveLength(0); // the invoke response carries the card; nothing else is sent
  });

  it('feedback from another card is a separate entry', async () => {
    await bot.post(execute('feedback', { section: '2.1', helpful: false }, { ...opts(), replyToId: 'card-a' }));
    await bot.post(execute('feedback', { section: '2.1', helpful: true }, { ...opts(), replyToId: 'card-b' }));
    const counts = await bot.app.store.feedbackCounts();
    expect(counts.find((c) => c.section === '2.1')).toEqual({ section: '2.1', helpful: 1, notHelpful: 1 });
  });
});

describe('bad input gets a helpful reply, never a crash or a stack trace', () => {
  it.each([
    ['an empty message', ''],
    ['whitespace only', '   \n  '],
    ['emoji only', '😀😀🙈'],
  ])('%s', async (_label, text) => {
    const { text: shown } = await ask(text);
    expect(shown).toMatch(
      /Ask me about keeping safe on social media|Topics in the guidance|What KeepSafe can do|doesn't cover/,
    );
  });

  it('a 10,000-character message', async () => {
    const { text } = await ask(`my facebook privacy settings ${'blah '.repeat(2000)}`);
    expect(text.length).toBeGreaterThan(0);
  });

  it('HTML and markdown in the question are not echoed back', async () => {
    const { card } = await ask(
      '<script>alert(1)</script> **bold** [link](http://evil.example) how do i change my password',
    );
    const json = JSON.stringify(card);
    expect(json).not.toContain('<script>');
    // Shown as typed, never obeyed: no link in any text (a button's payload may carry the question back as it was typed).
    expect(cardText(card)).not.toContain('](http://evil.example)');
    expect(cardText(card)).toContain('Section 2.1');
  });

  it.each([
    ['missing fields', { action: 'showSection' }],
    ['extra fields', { action: 'topics', sneaky: true }],
    ['an unknown action', { action: 'deleteEverything' }],
    ['not an object', 'hello'],
  ])('a card submission with %s', async (_label, value) => {
    const res = await bot.post(submit(value, opts()));
    expect(res.status).toBe(200);
    const [call] = await connector.waitFor(1);
    expect(cardText(cardOf(call.body))).toMatch(/couldn't use that button/);
  });

  it('an Action.Execute with an unknown verb or a bad payload', async () => {
    for (const [verb, data] of [
      ['nuke', {}],
      ['feedback', { section: '9.9.9.9', helpful: 'maybe' }],
    ] as const) {
      const res = await bot.post(execute(verb, data, opts()));
      expect(res.status).toBe(200);
      expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(res.body.value).toMatch(/couldn't use that button/);
    }
  });

  it('an unknown command', async () => {
    const { text } = await ask('/deleteall');
    expect(text).toMatch(/doesn't cover|outside what I can help with/);
  });

  it('malformed JSON is a 400', async () => {
    const res = await bot.postRaw('{"type": "message", ', 'application/json');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('a body that is not an activity is a 400', async () => {
    expect((await bot.post([])).status).toBe(400);
    expect((await bot.post({ text: 'no type' })).status).toBe(400);
    expect((await bot.post({ type: 'message', serviceUrl: 42 })).status).toBe(400);
  });

  it('anything but JSON is refused with 415', async () => {
    const res = await bot.postRaw('type=message', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
  });

  it('a body over the size limit is refused with 413', async () => {
    const res = await bot.post(message('x'.repeat(300 * 1024), opts()));
    expect(res.status).toBe(413);
  });
});

describe('operations', () => {
  it('GET /healthz reports liveness and the database', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, mode: 'local', database: { ok: true, engine: 'sqlite' } });
  });

  it('logs carry ids and event names, never what the worker typed or their name', async () => {
    const secret = 'Mrs Gladys Pemberton at 14 Acacia Avenue L36 9XY keeps adding me on facebook';
    await ask(secret);
    const log = bot.logLines.join('\n');
    expect(log).toContain('question.answered');
    expect(log).toContain(WORKER.aadObjectId);
    expect(log).not.toMatch(/Gladys|Pemberton|Acacia|L36 9XY/);
    expect(log).not.toContain(WORKER.name);
  });
});

describe('tenants', () => {
  it('drops activities from a tenant that is not ours, and logs only ids', async () => {
    const other = await startBot({ ALLOWED_TENANT_IDS: TENANT });
    try {
      const res = await other.post(
        message('how do i make my facebook private', { ...opts(), tenantId: '0f0f0f0f-1111-2222-3333-444444444444' }),
      );
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(connector.calls).toHaveLength(0);
      expect(other.logLines.join('\n')).toContain('activity.dropped.tenant_not_allowed');
      // Our own tenant is still answered.
      await other.post(message('how do i make my facebook private', opts()));
      await connector.waitFor(1);
    } finally {
      await other.stop();
    }
  });
});
