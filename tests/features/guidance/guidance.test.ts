/**
 * The guidance family, driven directly: typed questions and sections, topics, help, feedback, "Did you
 * mean…?", "Ask a manager" and the managers' side of it, and the gaps report.
 */
import { randomUUID } from 'node:crypto';
import { answerTyped, welcome } from '../../../src/features/routes';
import { commandWith, harnessForFile, only, pressWith, PRIYA, SAM, textOf, turn } from '../harness';

const h = harnessForFile();
const press = pressWith(h);
const command = commandWith(h);

const typed = (text: string, over = {}) => answerTyped(turn({ text, ...over }), h.deps);
const fieldsOf = async (kind: 'guidance_gap' | 'clarify_choice') =>
  (await h.store.list({ kind })).map((e) => e.fields as Record<string, unknown>);

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
    expect(await fieldsOf('guidance_gap')).toContainEqual(expect.objectContaining({ reason: 'declined' }));
  });
  it("help shows the managers' commands to managers only", async () => {
    expect(textOf(only(await typed('help')))).not.toMatch(/For managers/);
    expect(textOf(only(await typed('help', { actor: PRIYA })))).toMatch(/For managers/);
    expect(textOf(only(await press('help', {})))).not.toMatch(/For managers/);
  });
  it('a typed command runs its route, with the case reference it ends with', async () => {
    expect(textOf(only(await typed('team consent log LCS-12', { actor: PRIYA })))).toMatch(/Consent log: case LCS-12/);
    const bad = only(await typed('team consent log AB1', { actor: PRIYA }));
    expect(bad).toMatchObject({ title: 'Check the case reference' });
  });
});

describe('presses', () => {
  it('showSection and topics', async () => {
    expect(textOf(only(await press('showSection', { section: '2.5' })))).toMatch(/Section 2\.5/);
    expect(textOf(only(await press('topics', {})))).toMatch(/Topics in the guidance/);
  });
  it('ask: a tapped command runs as if typed; a tapped question is answered', async () => {
    expect(textOf(only(await press('ask', { question: 'my records' })))).toMatch(/Your recent entries/);
    const [answer] = await press('ask', { question: 'How do I check my privacy settings?' });
    expect(textOf(answer)).toMatch(/Section/);
  });
  it('feedback: thanked in place, once per card; "No" is a content gap; no one to record is a message', async () => {
    const onCard = { ids: { replyToId: 'answer-1' } };
    const no = () => press('feedback', { section: '2.4', helpful: false, question: 'q' }, onCard);
    const reply = only(await no());
    expect(reply.kind).toBe('update');
    expect(textOf(reply)).toMatch(/Thanks for your feedback!/);
    await no();
    expect(await h.store.feedbackCounts()).toEqual([{ section: '2.4', helpful: 0, notHelpful: 1 }]);
    expect(await fieldsOf('guidance_gap')).toContainEqual(expect.objectContaining({ reason: 'not_helpful' }));
    const anonymous = only(await press('feedback', { section: '2.4', helpful: true }, { actor: undefined }));
    expect(anonymous.kind).toBe('message');
  });
  it('clarify: a choice shows that section; "None of these" the topics; a tampered one a message', async () => {
    const offered = '2.2 2.4';
    const card = (id: string) => ({ ids: { replyToId: id } });
    const chosen = only(await press('clarify', { choice: '2.2', offered, question: 'q' }, card('dym-1')));
    expect(textOf(chosen)).toMatch(/Section 2\.2/);
    const none = only(await press('clarify', { choice: 'none', offered, question: 'my q' }, card('dym-2')));
    expect(textOf(none)).toMatch(/None of those\?/);
    expect((await fieldsOf('clarify_choice')).map((f) => f.chosen).sort()).toEqual(['2.2', 'none']);
    expect(only(await press('clarify', { choice: '2.5', offered, question: 'q' })).kind).toBe('message');
  });
});

describe('ask a manager', () => {
  const ask = (data: object, over = {}) => press('askManager', { from: 'not_covered', ...data } as never, over);
  it('opens the form with the question, in the 1:1 chat only, for a signed-in person', async () => {
    const form = only(await ask({ step: 'open', question: 'Can I use WhatsApp with a carer?' }));
    expect(form.kind).toBe('update');
    expect(JSON.stringify(form)).toMatch(/Can I use WhatsApp with a carer\?/);
    const inChannel = only(await ask({ step: 'open', question: 'q' }, { place: 'channel' }));
    expect(inChannel.kind).toBe('message');
    expect(textOf(inChannel)).toMatch(/1:1 chat with KeepSafe/);
    const anonymous = only(await ask({ step: 'open', question: 'q' }, { actor: undefined }));
    expect(textOf(anonymous)).toMatch(/signed in with your council account/);
  });
  it('says so on the form when the managers have no channel yet, and stores nothing', async () => {
    const reply = only(await ask({ step: 'submit', question: 'Can I use WhatsApp?' }, { ids: { replyToId: 'ask-1' } }));
    expect(textOf(reply)).toMatch(/haven't set up their channel/);
    expect(await h.store.list({ kind: 'manager_question' })).toHaveLength(0);
  });
  it('a manager taking a question that is not there is told so; a worker is refused and audited', async () => {
    const questionId = randomUUID();
    const taken = only(await press('questionAct', { questionId, act: 'take' }, { actor: PRIYA, place: 'channel' }));
    expect(taken.kind).toBe('message');
    const before = h.refusals().length;
    await press('questionAct', { questionId, act: 'answer', answer: 'a' }, { place: 'channel' });
    expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'question.answer', record: null }]);
  });
});

describe("'guidance gaps'", () => {
  it('shows a manager the report (its reading audited), and refuses a worker with what to do instead', async () => {
    expect(only(await command('guidance_gaps', { actor: PRIYA })).kind).toBe('card');
    expect(h.audited('export').map((e) => e.actor)).toContain(PRIYA.aadObjectId);
    const refused = only(await command('guidance_gaps'));
    expect(refused).toMatchObject({ kind: 'notice', title: 'Managers only' });
    expect(textOf(refused)).toMatch(/press Ask a manager on the answer/);
  });
});
