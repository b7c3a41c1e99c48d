/**
 * The guidance family, driven directly: typed questions and sections, topics, help, feedback, "Did you
 * mean…?", "Ask a manager" and the managers' side of it, and the gaps report.
 */
import { randomUUID } from 'node:crypto';
import { answerTyped, runCommand, runPress, welcome } from '../../../src/features/routes';
import { harness, only, PRIYA, SAM, textOf, turn, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

const typed = (text: string, over = {}) => answerTyped(turn({ text, ...over }), h.deps);

describe('typed messages', () => {
  it('a question gets the section that answers it', async () => {
    const [reply] = await typed('a mum on my caseload added me on facebook what do i do');
    expect(textOf(reply)).toMatch(/Section 2\.2/);
  });
  it('a section number, the topic list, a greeting', async () => {
    expect(textOf(only(await typed('section 2.4')))).toMatch(/Section 2\.4/);
    expect(textOf(only(await typed('section 9.9')))).toMatch(/no section with that number/);
    expect(textOf(only(await typed('topics')))).toMatch(/Topics in the guidance/);
    expect(textOf(only(await typed('hello')))).toBe(textOf(only(welcome(h.deps))));
  });
  it('nothing typed, or only files: say what KeepSafe can read', async () => {
    expect(textOf(only(await typed('')))).toMatch(/Ask me about keeping safe/);
    expect(only(await typed('', { hasFiles: true }))).toMatchObject({ kind: 'notice', title: 'I can only read text' });
  });
  it('something out of scope is declined and kept, masked, as a content gap', async () => {
    expect(textOf(only(await typed('can i claim mileage for visits')))).toMatch(/outside what I can help with/);
    expect((await h.store.list({ kind: 'guidance_gap' })).map((e) => e.fields)).toContainEqual(expect.objectContaining({ reason: 'declined' }));
  });
  it('help shows the managers\' commands to managers only', async () => {
    expect(textOf(only(await typed('help')))).not.toMatch(/For managers/);
    expect(textOf(only(await typed('help', { actor: PRIYA })))).toMatch(/For managers/);
    expect(textOf(only(await runPress(turn(), h.deps, { verb: 'help', data: {} })))).not.toMatch(/For managers/);
  });
  it('a typed command runs its route, with the case reference it ends with', async () => {
    expect(textOf(only(await typed('team consent log LCS-12', { actor: PRIYA })))).toMatch(/Consent log: case LCS-12/);
    expect(only(await typed('team consent log AB1', { actor: PRIYA }))).toMatchObject({ title: 'Check the case reference' });
  });
});

describe('presses', () => {
  it('showSection and topics', async () => {
    expect(textOf(only(await runPress(turn(), h.deps, { verb: 'showSection', data: { section: '2.5' } })))).toMatch(/Section 2\.5/);
    expect(textOf(only(await runPress(turn(), h.deps, { verb: 'topics', data: {} })))).toMatch(/Topics in the guidance/);
  });
  it('ask: a tapped command runs as if typed; a tapped question is answered', async () => {
    expect(textOf(only(await runPress(turn(), h.deps, { verb: 'ask', data: { question: 'my records' } })))).toMatch(/Your recent entries/);
    const [answer] = await runPress(turn(), h.deps, { verb: 'ask', data: { question: 'How do I check my privacy settings?' } });
    expect(textOf(answer)).toMatch(/Section/);
  });
  it('feedback: thanked in place, once per card; "No" is a content gap; no one to record is a message', async () => {
    const press = () => runPress(turn({ ids: { replyToId: 'answer-1' } }), h.deps, { verb: 'feedback', data: { section: '2.4', helpful: false, question: 'q' } });
    const reply = only(await press());
    expect(reply.kind).toBe('update');
    expect(textOf(reply)).toMatch(/Thanks for your feedback!/);
    await press();
    expect(await h.store.feedbackCounts()).toEqual([{ section: '2.4', helpful: 0, notHelpful: 1 }]);
    expect((await h.store.list({ kind: 'guidance_gap' })).some((e) => (e.fields as { reason?: string }).reason === 'not_helpful')).toBe(true);
    const anonymous = only(await runPress(turn({ actor: undefined }), h.deps, { verb: 'feedback', data: { section: '2.4', helpful: true } }));
    expect(anonymous.kind).toBe('message');
  });
  it('clarify: a choice shows that section; "None of these" the topics with Ask a manager; a tampered one a message', async () => {
    const chosen = only(await runPress(turn({ ids: { replyToId: 'dym-1' } }), h.deps, { verb: 'clarify', data: { choice: '2.2', offered: '2.2 2.4', question: 'q' } }));
    expect(textOf(chosen)).toMatch(/Section 2\.2/);
    const none = only(await runPress(turn({ ids: { replyToId: 'dym-2' } }), h.deps, { verb: 'clarify', data: { choice: 'none', offered: '2.2 2.4', question: 'my question' } }));
    expect(textOf(none)).toMatch(/None of those\?/);
    expect((await h.store.list({ kind: 'clarify_choice' })).map((e) => (e.fields as { chosen?: string }).chosen).sort()).toEqual(['2.2', 'none']);
    const tampered = only(await runPress(turn(), h.deps, { verb: 'clarify', data: { choice: '2.5', offered: '2.2 2.4', question: 'q' } }));
    expect(tampered.kind).toBe('message');
  });
});

describe('ask a manager', () => {
  const ask = (data: object, over = {}) => runPress(turn(over), h.deps, { verb: 'askManager', data: { from: 'not_covered', ...data } as never });
  it('opens the form with the question, in the 1:1 chat only, for a signed-in person', async () => {
    const form = only(await ask({ step: 'open', question: 'Can I use WhatsApp with a carer?' }));
    expect(form.kind).toBe('update');
    expect(JSON.stringify(form)).toMatch(/Can I use WhatsApp with a carer\?/);
    expect(only(await ask({ step: 'open', question: 'q' }, { place: 'channel' }))).toMatchObject({ kind: 'message' });
    expect(textOf(only(await ask({ step: 'open', question: 'q' }, { place: 'channel' })))).toMatch(/1:1 chat with KeepSafe/);
    expect(textOf(only(await ask({ step: 'open', question: 'q' }, { actor: undefined })))).toMatch(/signed in with your council account/);
  });
  it('says so on the form when the managers have no channel yet, and stores nothing', async () => {
    const reply = only(await ask({ step: 'submit', question: 'Can I use WhatsApp with a carer?' }, { ids: { replyToId: 'ask-1' } }));
    expect(textOf(reply)).toMatch(/haven't set up their channel/);
    expect(await h.store.list({ kind: 'manager_question' })).toHaveLength(0);
  });
  it('a manager taking a question that is not there is told so; a worker is refused and audited', async () => {
    const questionId = randomUUID();
    expect(only(await runPress(turn({ actor: PRIYA, place: 'channel' }), h.deps, { verb: 'questionAct', data: { questionId, act: 'take' } }))).toMatchObject({ kind: 'message' });
    const before = h.refusals().length;
    await runPress(turn({ place: 'channel' }), h.deps, { verb: 'questionAct', data: { questionId, act: 'answer', answer: 'a' } });
    expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'question.answer', record: null }]);
  });
});

describe("'guidance gaps'", () => {
  it('shows a manager the report (audited as a read of the gaps), and refuses a worker with what to do instead', async () => {
    const reply = only(await runCommand(turn({ actor: PRIYA }), h.deps, 'guidance_gaps'));
    expect(reply.kind).toBe('card');
    expect(h.audited('export').map((e) => e.actor)).toContain(PRIYA.aadObjectId);
    const refused = only(await runCommand(turn(), h.deps, 'guidance_gaps'));
    expect(refused).toMatchObject({ kind: 'notice', title: 'Managers only' });
    expect(textOf(refused)).toMatch(/press Ask a manager on the answer/);
  });
});
