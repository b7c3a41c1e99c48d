/**
 * The walkthrough, driven directly: starting one (1:1 and signed in only), its buttons (the payload parsed once
 * at the edge, then typed), the open-walkthroughs card, someone else's walkthrough, and a manager's advice.
 */
import { randomUUID } from 'node:crypto';
import { parseWalkthroughAction } from '../../../src/core/walkthrough';
import type { AdaptiveCard } from '../../../src/features/cardRender';
import type { Reply } from '../../../src/features/turn';
import { button, buttons, inputsOf } from '../../helpers/cardDriver';
import { commandWith, harnessForFile, only, pressWith, PRIYA, SAM, textOf } from '../harness';

const h = harnessForFile();
const press = pressWith(h);
const command = commandWith(h);

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
    const card = cardOf(only(await command('photo_decision')));
    expect(textOf({ kind: 'card', card })).toMatch(/What did you see\?/);
    expect(await h.store.state.read([`walkthroughs-open:${SAM.aadObjectId}`])).toEqual({});
    const consent = cardOf(only(await command('log_consent')));
    expect(buttons(consent)[0].data.flowVersion).not.toBe(buttons(card)[0].data.flowVersion);
  });
  it('is refused in a channel, and without a signed-in person', async () => {
    const inChannel = only(await command('photo_decision', { place: 'channel' }));
    expect(inChannel).toMatchObject({ kind: 'notice', title: 'Do this in your chat with me' });
    expect(textOf(only(await command('log_consent', { place: 'group' })))).toMatch(/type 'log consent'/);
    const anonymous = only(await command('photo_decision', { actor: undefined }));
    expect(anonymous).toMatchObject({ title: "I can't tell who you are" });
  });
});

describe('a walkthrough button', () => {
  let first: AdaptiveCard;
  beforeAll(async () => {
    first = cardOf(only(await command('photo_decision')));
  });

  it('moves the walkthrough on in place and keeps it for its owner', async () => {
    const next = only(await press('walkthrough', pressed(first, 'continue', SEEN), { ids: { replyToId: 'walk-1' } }));
    expect(next.kind).toBe('update');
    expect(buttons(cardOf(next))[0].data.step).not.toBe('seen');
    const walkId = buttons(first)[0].data.walkId;
    const open = await h.store.state.read([`walkthroughs-open:${SAM.aadObjectId}`]);
    expect(Object.values(open)[0].ids).toEqual([walkId]);
  });
  it("refuses someone else's walkthrough, and audits it", async () => {
    const before = h.refusals().length;
    const reply = only(await press('walkthrough', pressed(first, 'continue', SEEN), { actor: PRIYA }));
    expect(reply).toMatchObject({ kind: 'message' });
    expect(textOf(reply)).toMatch(/belongs to someone else/);
    const audited = h.refusals().slice(before);
    expect(audited).toEqual([{ actor: PRIYA.aadObjectId, what: 'walkthrough.not_owner', record: null }]);
  });
  it('a payload the edge could not read gets a short message, and changes nothing', async () => {
    const reply = only(await press('walkthrough', parseWalkthroughAction({ action: 'walkthrough', walkId: 'x' })));
    const text = "I couldn't read that button. Type 'photo decision' to carry on where you were.";
    expect(reply).toEqual({ kind: 'message', text });
  });
  it('needs a signed-in person', async () => {
    const reply = only(await press('walkthrough', pressed(first, 'continue', SEEN), { actor: undefined }));
    expect(textOf(reply)).toMatch(/signed in with your council account/);
  });
});

describe('the open-walkthroughs card (photoDecision)', () => {
  it('with one open, offers to carry on; Continue shows it in place, Start a new one a fresh card', async () => {
    const list = cardOf(only(await press('photoDecision', {})));
    expect(textOf({ kind: 'card', card: list })).toMatch(/You have a walkthrough open/);
    const carry = buttons(list).find((b) => b.data?.walkId);
    const resumed = only(await press('photoDecision', { walkId: carry.data.walkId }));
    expect(resumed.kind).toBe('update');
    expect(textOf(resumed)).toMatch(/Here is where you were/);
    const fresh = only(await press('photoDecision', { fresh: true }));
    expect(textOf(fresh)).toMatch(/What did you see\?/);
  });
  it("does not show someone else's walkthrough", async () => {
    const open = await h.store.state.read([`walkthroughs-open:${SAM.aadObjectId}`]);
    const [walkId] = Object.values(open)[0].ids as string[];
    const reply = only(await press('photoDecision', { walkId }, { actor: PRIYA }));
    expect(reply).toMatchObject({ kind: 'message' });
    expect(textOf(reply)).toMatch(/can't find that walkthrough/);
  });
});

describe('advice from a manager (adviceAnswer)', () => {
  it('a manager answering a request that does not exist is told so', async () => {
    const data = { requestId: randomUUID(), walkId: randomUUID(), adviceDecision: 'photograph' };
    const reply = only(await press('adviceAnswer', data, { actor: PRIYA, place: 'channel' }));
    expect(reply).toEqual({ kind: 'message', text: "I can't find that request for advice any more." });
  });
  it('a worker is refused and audited against the request', async () => {
    const before = h.refusals().length;
    const requestId = randomUUID();
    const reply = only(await press('adviceAnswer', { requestId, walkId: randomUUID() }, { place: 'channel' }));
    expect(textOf(reply)).toMatch(/^Only managers can answer requests for advice/);
    expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'advice.answer', record: null }]);
  });
});
