/**
 * The walkthrough, driven directly: starting one (1:1 and signed in only), its buttons (the payload parsed once
 * at the edge, then typed), the open-walkthroughs card, someone else's walkthrough, and a manager's advice.
 */
import { randomUUID } from 'node:crypto';
import { parseWalkthroughAction } from '../../../src/core/walkthrough';
import type { AdaptiveCard } from '../../../src/features/cardRender';
import { runCommand, runPress } from '../../../src/features/routes';
import type { Reply } from '../../../src/features/turn';
import { button, buttons, inputsOf } from '../../helpers/cardDriver';
import { harness, only, PRIYA, SAM, textOf, turn, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

const cardOf = (r: Reply): AdaptiveCard => {
  if (r.kind !== 'card' && r.kind !== 'update') throw new Error(`expected a card, got ${JSON.stringify(r)}`);
  return r.card;
};

/** A walkthrough button pressed as Teams sends it: the inputs as shown, what was typed, the button's data. */
function pressed(card: AdaptiveCard, choice: string, typed: Record<string, unknown> = {}) {
  const b = button(card, choice);
  return parseWalkthroughAction({ ...inputsOf(card), ...typed, ...b.data });
}

const SEEN = { concern: 'physical_injury', personType: 'adult', caseRef: 'lcs-300001', immediateDanger: 'no' };

describe("'photo decision' and 'log consent'", () => {
  it('sends the first step of a new walkthrough; nothing is stored until it is used', async () => {
    const card = cardOf(only(await runCommand(turn(), h.deps, 'photo_decision')));
    expect(textOf({ kind: 'card', card })).toMatch(/What did you see\?/);
    expect(await h.store.state.read([`walkthroughs-open:${SAM.aadObjectId}`])).toEqual({});
    const consent = cardOf(only(await runCommand(turn(), h.deps, 'log_consent')));
    expect(buttons(consent)[0].data.flowVersion).not.toBe(buttons(card)[0].data.flowVersion);
  });
  it('is refused in a channel, and without a signed-in person', async () => {
    expect(only(await runCommand(turn({ place: 'channel' }), h.deps, 'photo_decision'))).toMatchObject({ kind: 'notice', title: 'Do this in your chat with me' });
    expect(textOf(only(await runCommand(turn({ place: 'group' }), h.deps, 'log_consent')))).toMatch(/type 'log consent'/);
    expect(only(await runCommand(turn({ actor: undefined }), h.deps, 'photo_decision'))).toMatchObject({ title: "I can't tell who you are" });
  });
});

describe('a walkthrough button', () => {
  let first: AdaptiveCard;
  beforeAll(async () => {
    first = cardOf(only(await runCommand(turn(), h.deps, 'photo_decision')));
  });

  it('moves the walkthrough on in place and keeps it for its owner', async () => {
    const next = only(await runPress(turn({ ids: { replyToId: 'walk-1' } }), h.deps, { verb: 'walkthrough', data: pressed(first, 'continue', SEEN) }));
    expect(next.kind).toBe('update');
    expect(buttons(cardOf(next))[0].data.step).not.toBe('seen');
    const walkId = buttons(first)[0].data.walkId;
    const open = await h.store.state.read([`walkthroughs-open:${SAM.aadObjectId}`]);
    expect(Object.values(open)[0].ids).toEqual([walkId]);
  });
  it("refuses someone else's walkthrough, and audits it", async () => {
    const before = h.refusals().length;
    const reply = only(await runPress(turn({ actor: PRIYA }), h.deps, { verb: 'walkthrough', data: pressed(first, 'continue', SEEN) }));
    expect(reply).toMatchObject({ kind: 'message' });
    expect(textOf(reply)).toMatch(/belongs to someone else/);
    expect(h.refusals().slice(before)).toEqual([{ actor: PRIYA.aadObjectId, what: 'walkthrough.not_owner', record: null }]);
  });
  it('a payload the edge could not read gets a short message, and changes nothing', async () => {
    const reply = only(await runPress(turn(), h.deps, { verb: 'walkthrough', data: parseWalkthroughAction({ action: 'walkthrough', walkId: 'x' }) }));
    expect(reply).toEqual({ kind: 'message', text: "I couldn't read that button. Type 'photo decision' to carry on where you were." });
  });
  it('needs a signed-in person', async () => {
    const reply = only(await runPress(turn({ actor: undefined }), h.deps, { verb: 'walkthrough', data: pressed(first, 'continue', SEEN) }));
    expect(textOf(reply)).toMatch(/signed in with your council account/);
  });
});

describe('the open-walkthroughs card (photoDecision)', () => {
  it("'photo decision' with one open offers to carry on; Continue shows it in place, Start a new one a fresh card", async () => {
    const list = cardOf(only(await runPress(turn(), h.deps, { verb: 'photoDecision', data: {} })));
    expect(textOf({ kind: 'card', card: list })).toMatch(/You have a walkthrough open/);
    const carry = buttons(list).find((b) => b.data?.walkId);
    const resumed = only(await runPress(turn(), h.deps, { verb: 'photoDecision', data: { walkId: carry.data.walkId } }));
    expect(resumed.kind).toBe('update');
    expect(textOf(resumed)).toMatch(/Here is where you were/);
    const fresh = only(await runPress(turn(), h.deps, { verb: 'photoDecision', data: { fresh: true } }));
    expect(textOf(fresh)).toMatch(/What did you see\?/);
  });
  it("does not show someone else's walkthrough", async () => {
    const open = await h.store.state.read([`walkthroughs-open:${SAM.aadObjectId}`]);
    const [walkId] = Object.values(open)[0].ids as string[];
    const reply = only(await runPress(turn({ actor: PRIYA }), h.deps, { verb: 'photoDecision', data: { walkId } }));
    expect(reply).toMatchObject({ kind: 'message' });
    expect(textOf(reply)).toMatch(/can't find that walkthrough/);
  });
});

describe('advice from a manager (adviceAnswer)', () => {
  it('a manager answering a request that does not exist is told so', async () => {
    const reply = only(await runPress(turn({ actor: PRIYA, place: 'channel' }), h.deps, { verb: 'adviceAnswer', data: { requestId: randomUUID(), walkId: randomUUID(), adviceDecision: 'photograph' } }));
    expect(reply).toEqual({ kind: 'message', text: "I can't find that request for advice any more." });
  });
  it('a worker is refused and audited against the request', async () => {
    const before = h.refusals().length;
    const requestId = randomUUID();
    const reply = only(await runPress(turn({ place: 'channel' }), h.deps, { verb: 'adviceAnswer', data: { requestId, walkId: randomUUID() } }));
    expect(textOf(reply)).toMatch(/^Only managers can answer requests for advice/);
    expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'advice.answer', record: null }]);
  });
});
