/**
 * The injury-photo walkthrough (src/core/walkthrough) on its own: every branch as a scripted run that presses
 * the buttons of the cards it renders (so the payloads tested are the ones the cards send), Back and Cancel,
 * bad inputs on every step, stale cards, older flow versions. Every entry the walkthrough asks to store must
 * pass validateEntry; every card must be a valid Adaptive Card 1.5 under 28 KB.
 */
import { randomUUID } from 'node:crypto';
import { schemaErrors, sdkParseErrors, TEAMS_MESSAGE_LIMIT } from '../../helpers/adaptiveCards';
import { walkCard } from '../../helpers/cardDriver';
import { cardText } from '../../helpers/bot';
import { bodyMapAltText, bodyMapDataUri } from '../../../src/core/bodymap/render';
import { compileCaseRefPattern } from '../../../src/core/records/caseRef';
import { validateEntry } from '../../../src/core/records/entry';
import type { RecordKind } from '../../../src/core/records/kinds';
import { cardAttachment } from '../../../src/features/cardRender';
import {
  createWalkthroughMachine,
  FLOW_V1,
  FLOWS,
  parseWalkthroughAction,
  RESTART_MESSAGE,
  type Effect,
  type Flow,
  type StepResult,
  type WalkState,
  type WalkthroughMachine,
} from '../../../src/core/walkthrough';
import { renderStepCard, renderSummaryCard, type Card } from '../../../src/features/walkthrough/stepCards';

/**
 * This file tests flow version 1, which walkthroughs started on it still finish on (the body map of front and back
 * with one size per mark); tests/core/walkthrough/bodymap-flow.test.ts tests flow 2's body-map step. Every other step is the same
 * data in both.
 */
const FLOW_VERSION = '1';
const {
  startWalkthrough,
  submitStep,
  back,
  cancel,
  applyAdvice,
  handleAction,
  noteRecorded,
  freeTextInputs,
  checkVersion,
} = createWalkthroughMachine({ flows: FLOWS, current: FLOW_VERSION });
import { londonToDate } from '../../../src/core/time';

// ---- card checks (the same as tests/features/cards.test.ts, plus the walkthrough's own) --------------------------------

const walk = walkCard;

let cardsChecked = 0;
function checkCard(card: Card): Card {
  const problems = schemaErrors(card);
  if (problems) throw new Error(`schema: ${problems}`);
  expect(card.version).toBe('1.5');
  expect(typeof card.fallbackText).toBe('string');
  expect(card.fallbackText.length).toBeGreaterThan(10);
  expect(sdkParseErrors(card)).toEqual([]);
  const ids: string[] = [];
  walk(card, (n) => {
    const type = typeof n.type === 'string' ? n.type : '';
    if (type.startsWith('Input.')) expect(n.label).toBeTruthy();
    if (type === 'Image') expect(n.altText).toBeTruthy();
    if (type.startsWith('Action.')) expect(typeof n.title === 'string' && n.title.trim().length > 0).toBe(true);
    if (type === 'ActionSet') expect(n.actions.length).toBeGreaterThan(0);
    if (type === 'Action.Execute') {
      expect(n.verb).toBe('walkthrough');
      expect(parseWalkthroughAction(n.data)).toMatchObject({ ok: true });
    }
    if (type.startsWith('Input.') || (typeof n.id === 'string' && type)) ids.push(n.id);
  });
  expect(new Set(ids).size).toBe(ids.length); // no two elements share an id
  const message = { type: 'message', attachments: [cardAttachment(card as any)] };
  expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(TEAMS_MESSAGE_LIMIT);
  cardsChecked++;
  return card;
}

function actionsOf(card: Card): any[] {
  const out: any[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute') out.push(n);
  });
  return out;
}

function inputsOf(card: Card): Record<string, any> {
  const out: Record<string, any> = {};
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) out[n.id] = n;
  });
  return out;
}

/** What a client would send for the inputs as they are pre-filled on the card. */
function valuesOf(card: Card): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, n] of Object.entries(inputsOf(card))) if (n.value !== undefined) out[id] = String(n.value);
  return out;
}

function textOf(card: Card): string {
  const parts: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock') parts.push(n.text);
    if (n.type === 'FactSet') for (const f of n.facts) parts.push(`${f.title}: ${f.value}`);
  });
  return parts.join('\n');
}

// ---- a scripted worker ------------------------------------------------------------------------------------

const NOW = new Date('2026-11-24T14:30:00Z'); // GMT: London time = UTC
const PATTERN = compileCaseRefPattern();
const SAM = { aadObjectId: 'aad-sam', name: 'Sam Carter' };

const SEEN = { concern: 'physical_injury', personType: 'child', caseRef: 'lcs-104233', immediateDanger: 'no' };
const ADVICE = {
  adviserName: 'Priya Shah',
  adviserRole: 'Team manager',
  via: 'phone',
  givenDate: '2026-11-24',
  givenTime: '14:05',
  decision: 'do_not_photograph',
  conditions: 'Body map only',
};
const MARK1 = {
  view: 'front',
  region: 'left_forearm',
  markType: 'bruise',
  sizeCm: '3',
  colour: 'purple',
  description: 'Round bruise, yellow at the edges',
};
const MARK2 = {
  view: 'back',
  region: 'upper_back',
  markType: 'redness',
  sizeCm: '10.5',
  colour: '',
  description: 'Red patch across the shoulder blades',
};
const WRITTEN = {
  whatWasSeen: 'Bruise on the left forearm and redness across the upper back',
  seenDate: '2026-11-24',
  seenTime: '13:45',
  whatWasSaid: 'The child said it hurt when lifting the arm',
  explainedBy: 'the child',
  explanationGiven: 'I fell off my bike',
};
const REFERRAL = { referralMade: 'true', referredTo: "Children's front door", referenceNumber: 'REF-99812' };

interface Stored {
  id: string;
  kind: RecordKind;
  corrects?: string;
  fields: Record<string, unknown>;
}

class Run {
  state: WalkState;
  effects: Effect[] = [];
  stored: Stored[] = [];
  last: StepResult | undefined;

  constructor(
    readonly m: Pick<WalkthroughMachine, 'startWalkthrough' | 'handleAction' | 'noteRecorded'> = {
      startWalkthrough,
      handleAction,
      noteRecorded,
    },
    readonly flows: Readonly<Record<string, Flow>> = FLOWS,
  ) {
    this.state = m.startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    this.card();
  }

  card(): Card {
    return checkCard(
      renderStepCard(this.state, {
        errors: this.last?.errors,
        notice: this.last?.notice ?? this.last?.stale?.message,
        now: NOW,
        flows: this.flows,
      }),
    );
  }

  /** Presses the button with this choice on the card as rendered now, with these inputs typed. */
  press(choice: string, inputs: Record<string, unknown> = {}, markId?: string): StepResult {
    const card = this.card();
    const action = actionsOf(card).find(
      (a) => a.data.choice === choice && (markId === undefined || a.data.markId === markId),
    );
    if (!action)
      throw new Error(
        `no "${choice}" button on the ${this.state.step} card: ${actionsOf(card).map((a) => a.data.choice)}`,
      );
    const value =
      action.associatedInputs === 'none' ? { ...action.data } : { ...valuesOf(card), ...inputs, ...action.data };
    return this.apply(this.m.handleAction(this.state, value, NOW));
  }

  apply(res: StepResult): StepResult {
    this.last = res;
    this.state = res.state;
    expect(JSON.parse(JSON.stringify(this.state))).toEqual(this.state); // JSON-safe
    for (const e of res.effects) {
      this.effects.push(e);
      if (e.type !== 'append') continue;
      const valid = validateEntry({ ...e.entry, author: SAM }, PATTERN);
      expect(valid.caseRef).toBe('LCS-104233');
      expect(valid.fields.flowVersion).toBe(this.state.flowVersion);
      expect(valid.fields.walkthroughId).toBe(this.state.id);
      const id = randomUUID();
      this.stored.push({ id, kind: e.entry.kind, corrects: e.corrects, fields: valid.fields });
      this.state = this.m.noteRecorded(this.state, e.entry.kind, id);
    }
    this.card();
    return res;
  }

  entry(kind: RecordKind): Stored {
    const all = this.stored.filter((s) => s.kind === kind);
    expect(all.length).toBeGreaterThan(0);
    return all[all.length - 1];
  }

  /** From the start to "record the advice", with advice already had. */
  toRecordAdvice(seen: Record<string, string> = SEEN): this {
    this.press('continue', seen);
    expect(this.state.step).toBe('advice_sought');
    this.press('yes');
    expect(this.state.step).toBe('record_advice');
    return this;
  }

  /** After the advice: the body map (marks), written record, referral, summary, finish. */
  finishFrom(step: 'body_map' | 'written_record', marks = [MARK1]): this {
    if (step === 'body_map') {
      for (const mk of marks.slice(0, -1)) this.press('add_mark', mk);
      this.press('continue', marks[marks.length - 1]);
    }
    expect(this.state.step).toBe('written_record');
    this.press('continue', WRITTEN);
    expect(this.state.step).toBe('referral');
    this.press('continue', REFERRAL);
    expect(this.state.step).toBe('summary');
    this.press('finish');
    expect(this.state.status).toBe('finished');
    return this;
  }

  summaryEffect() {
    const s = this.effects.filter((e) => e.type === 'incident_summary');
    expect(s).toHaveLength(1);
    return s[0] as Extract<Effect, { type: 'incident_summary' }>;
  }
}

/** The channel summary carries codes and numbers only: none of the free text typed, no names. */
function expectMinimised(effect: object, run: Run): void {
  const json = JSON.stringify(effect);
  const freeText = (step: string, field: string) =>
    FLOW_V1.steps[step]?.fields.some(
      (f) => f.id === field && (f.type === 'text' || f.type === 'multiline') && f.format !== 'caseRef',
    );
  const typed = Object.entries(run.state.answers).flatMap(([step, a]) =>
    Object.entries(a)
      .filter(([k, v]) => v.trim() && freeText(step, k))
      .map(([, v]) => v),
  );
  expect(typed.length).toBeGreaterThan(3);
  for (const t of [...typed, ...run.state.marks.map((m) => m.description), 'Priya', 'Shah', 'purple', 'bike'])
    expect(json).not.toContain(t);
}

// ---- branches ------------------------------------------------------------------------------------------------

describe('the walkthrough, branch by branch', () => {
  it('starts on "what was seen" on the current flow version, as plain JSON', () => {
    const s = startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    expect(s).toMatchObject({
      flowVersion: FLOW_VERSION,
      step: 'seen',
      status: 'active',
      rev: 0,
      history: [],
      marks: [],
    });
    expect(checkVersion(s)).toBe('current');
    const card = checkCard(renderStepCard(s, { now: NOW }));
    // Danger is the first question (issue 13, item 1).
    expect(Object.keys(inputsOf(card))).toEqual(['immediateDanger', 'concern', 'personType', 'caseRef']);
    expect(actionsOf(card).map((a) => a.title)).toEqual(['Next', 'Cancel']); // no Back on the first step
    // The client must not stop "yes, someone is in danger" for an empty case reference: the bot checks it.
    expect(inputsOf(card).caseRef).toMatchObject({ errorMessage: expect.stringMatching(/case reference/) });
    expect(inputsOf(card).caseRef.isRequired).toBeUndefined();
  });

  it('immediate danger: the next card says call 999 or the emergency duty team now, first; then the worker may go on', () => {
    const run = new Run();
    run.press('continue', { ...SEEN, immediateDanger: 'yes' });
    expect(run.state.step).toBe('danger');
    const card = run.card();
    const first = card.body[0] as any;
    expect(first).toMatchObject({ type: 'Container', style: 'attention' });
    expect(first.items[0].text).toMatch(/^Call 999 or the emergency duty team now\./);
    expect(JSON.stringify(first)).toContain('before anything else');
    expect(card.speak).toMatch(/^Call 999/);
    expect(run.effects).toEqual([]);
    run.press('continue');
    expect(run.state.step).toBe('advice_sought');
    run.press('no');
    run.press('ask');
    expect(run.effects.find((e) => e.type === 'request_advice')).toMatchObject({ immediateDanger: true });
    expect(run.entry('advice_request').fields).toMatchObject({ immediateDanger: true });
  });

  it('immediate danger short-circuits: "yes" alone, nothing else filled in, goes to the danger card; then back for the details, kept', () => {
    const run = new Run();
    run.press('continue', { immediateDanger: 'yes' });
    expect(run.last?.errors).toBeUndefined();
    expect(run.state.step).toBe('danger');
    expect(run.effects).toEqual([]);
    // Continue: the details the danger card skipped are asked for now, with the danger answer kept.
    run.press('continue');
    expect(run.state.step).toBe('seen');
    expect(inputsOf(run.card()).immediateDanger.value).toBe('yes');
    // This time the answers are checked (the danger card is behind the walkthrough)…
    run.press('continue', { immediateDanger: 'yes' });
    expect(run.state.step).toBe('seen');
    expect(Object.keys(run.last?.errors ?? {})).toEqual(['concern', 'personType', 'caseRef']);
    // …and once given, on to advice without the danger card again.
    run.press('continue', { ...SEEN, immediateDanger: 'yes' });
    expect(run.state.step).toBe('advice_sought');
    expect(run.state.history).toEqual(['seen', 'danger', 'seen']);
  });

  it('the danger card shows the emergency duty team number from configuration, or says plainly that it is not set up', () => {
    const run = new Run();
    run.press('continue', { immediateDanger: 'yes' });
    const unset = checkCard(renderStepCard(run.state, { now: NOW }));
    expect(cardText(unset)).toMatch(/emergency duty team's number is not set up in KeepSafe/);
    const set = checkCard(
      renderStepCard(run.state, { now: NOW, contacts: { emergencyDutyTeamPhone: '0151 443 2600' } }),
    );
    expect(cardText(set)).toContain('0151 443 2600');
    const calls: any[] = [];
    walkCard(set, (n: any) => n.type === 'Action.OpenUrl' && calls.push(n.url));
    expect(calls).toEqual(['tel:999', 'tel:01514432600']);
    // The number comes right after the red "call 999" box, before the step's heading.
    expect(JSON.stringify(set.body.slice(0, 2))).toContain('0151 443 2600');
  });

  it('no advice yet: "do not take photographs yet", ask for advice, wait, a manager answers, the worker saves it and goes on', () => {
    const run = new Run();
    run.press('continue', SEEN);
    run.press('no');
    expect(run.state.step).toBe('get_advice');
    const card = run.card();
    expect((card.body[0] as any).items[0].text).toBe('Do not take photographs yet.');
    expect(actionsOf(card).map((a) => a.title)).toEqual(['Ask for advice now', "I've had advice", 'Back', 'Cancel']);

    run.press('ask');
    expect(run.state).toMatchObject({ step: 'awaiting_advice', status: 'awaiting_advice' });
    expect(run.effects.map((e) => e.type)).toEqual(['append', 'request_advice']);
    const request = run.effects[1];
    expect(request).toEqual({
      type: 'request_advice',
      walkId: run.state.id,
      flowVersion: '1',
      concern: 'physical_injury',
      personType: 'child',
      caseRef: 'LCS-104233',
      immediateDanger: false,
    });
    expect(run.entry('advice_request').fields).toEqual({
      concern: 'physical_injury',
      personType: 'child',
      immediateDanger: false,
      flowVersion: '1',
      walkthroughId: run.state.id,
    });
    expect(textOf(run.card())).toContain('Do not take photographs yet.');

    // the manager answers on the channel card
    const answered = applyAdvice(
      run.state,
      {
        decision: 'photograph',
        adviserName: 'Priya Shah',
        adviserRole: 'Designated safeguarding manager',
        givenAt: new Date(NOW.getTime() - 10 * 60000),
        note: 'Arm only',
      },
      NOW,
    );
    expect(answered.stale).toBeUndefined();
    run.apply(answered);
    expect(run.state).toMatchObject({ step: 'record_advice', status: 'active' });
    const shown = valuesOf(run.card());
    expect(shown).toMatchObject({
      adviserName: 'Priya Shah',
      adviserRole: 'Designated safeguarding manager',
      via: 'keepsafe',
      givenDate: '2026-11-24',
      givenTime: '14:20',
      decision: 'photograph',
      conditions: 'Arm only',
    });
    expect(textOf(run.card())).toContain('Advice has come: take photographs');

    run.press('continue'); // the worker checks the filled-in card and saves it
    const advice = run.entry('advice_given');
    expect(advice.fields).toMatchObject({
      adviceRequestId: run.entry('advice_request').id,
      decision: 'photograph',
      via: 'keepsafe',
      givenAt: '2026-11-24T14:20:00.000Z',
      conditions: 'Arm only',
    });
    expect(run.state.step).toBe('parental_consent'); // a child
  });

  it('no advice yet: advice had by phone while waiting is recorded by the worker; a late manager answer is then not applied', () => {
    const run = new Run();
    run.press('continue', { ...SEEN, personType: 'adult' });
    run.press('no');
    run.press('ask');
    run.press('had_advice');
    expect(run.state).toMatchObject({ step: 'record_advice', status: 'active' });
    run.press('continue', ADVICE);
    expect(run.entry('advice_given').fields).toMatchObject({
      via: 'phone',
      adviceRequestId: run.entry('advice_request').id,
      decision: 'do_not_photograph',
    });
    const late = applyAdvice(
      run.state,
      { decision: 'photograph', adviserName: 'A', adviserRole: 'B', givenAt: NOW },
      NOW,
    );
    expect(late.stale?.reason).toBe('not_waiting');
    expect(late.state).toBe(run.state);
  });

  it('advice to photograph, an adult with capacity who consents: consent decision, work device, case record, never in Teams', () => {
    const run = new Run().toRecordAdvice({ ...SEEN, personType: 'adult' });
    run.press('continue', { ...ADVICE, decision: 'photograph' });
    expect(run.state.step).toBe('capacity');
    run.press('continue', { hasCapacity: 'yes' });
    expect(run.state.step).toBe('consent');
    run.press('continue', { personConsent: 'given' });
    expect(run.state.step).toBe('photo_care');
    const card = run.card();
    expect(textOf(card)).toContain('Photographs never go into Teams.');
    expect(inputsOf(card).workDevice).toMatchObject({
      type: 'Input.Toggle',
      isRequired: true,
      title: 'I will use a work phone or tablet only',
    });
    expect(textOf(card)).toMatch(/personal cloud/); // why a work device
    expect(inputsOf(card).caseRecord.title).toMatch(/case record only, not the phone's gallery or a chat/);

    run.press('continue', { workDevice: 'true', caseRecord: 'true' });
    expect(run.entry('consent_decision').fields).toEqual({
      adviceRecordId: run.entry('advice_given').id,
      personType: 'adult',
      consent: 'given',
      consentBy: 'the person',
      capacity: 'has_capacity',
      decision: 'photograph',
      device: 'work_device',
      imagesStoredIn: 'case_record',
      flowVersion: '1',
      walkthroughId: run.state.id,
    });
    expect(run.state.step).toBe('written_record');
    run.finishFrom('written_record');
    expect(run.stored.map((s) => s.kind)).toEqual(['advice_given', 'consent_decision', 'written_record', 'referral']);
    const summary = run.summaryEffect();
    expect(summary).toMatchObject({
      consent: { decision: 'photograph', capacity: 'has_capacity', consent: 'given' },
      marks: [],
      referralMade: true,
      advice: { decision: 'photograph', via: 'phone' },
    });
    expectMinimised(summary, run);
    expect(textOf(run.card())).toContain('Photographs go in the case record only. Never in Teams.');
  });

  it('advice to photograph, an adult without capacity: best-interests decision, who was consulted, attorney or deputy', () => {
    const run = new Run().toRecordAdvice({ ...SEEN, personType: 'adult' });
    run.press('continue', { ...ADVICE, decision: 'photograph' });
    run.press('continue', { hasCapacity: 'no' });
    expect(run.state.step).toBe('best_interests');
    run.press('continue', {
      bestInterestsDecision: 'photograph',
      consulted: 'Daughter and GP',
      attorneyOrDeputy: 'attorney',
      note: 'Discussed with both by phone',
    });
    expect(run.state.step).toBe('photo_care');
    run.press('continue', { workDevice: 'true', caseRecord: 'true' });
    expect(run.entry('consent_decision').fields).toMatchObject({
      personType: 'adult',
      capacity: 'lacks_capacity',
      consent: 'not_possible',
      bestInterests: {
        decision: 'photograph',
        consulted: 'Daughter and GP',
        attorneyOrDeputy: 'attorney',
        note: 'Discussed with both by phone',
      },
      decision: 'photograph',
    });
    run.finishFrom('written_record');
    expect(run.summaryEffect().consent).toEqual({
      decision: 'photograph',
      capacity: 'lacks_capacity',
      consent: 'not_possible',
      attorneyOrDeputy: 'attorney',
    });
    expect(textOf(run.card())).toMatch(/Lacks capacity/);
  });

  it('an adult without capacity where photographs are not in their best interests goes to "what instead" and the body map', () => {
    const run = new Run().toRecordAdvice({ ...SEEN, personType: 'adult' });
    run.press('continue', { ...ADVICE, decision: 'photograph' });
    run.press('continue', { hasCapacity: 'no' });
    run.press('continue', { bestInterestsDecision: 'do_not_photograph', consulted: 'Son', attorneyOrDeputy: 'none' });
    expect(run.state.step).toBe('consent_refused');
    run.press('continue', { whatHappensInstead: 'Body map and written record' });
    expect(run.entry('consent_decision').fields).toMatchObject({
      capacity: 'lacks_capacity',
      decision: 'do_not_photograph',
      whatHappensInstead: 'Body map and written record',
    });
    expect(run.state.step).toBe('body_map');
  });

  it("advice to photograph, a child with parental consent: who has parental responsibility, their consent, the child's own view", () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', { ...ADVICE, decision: 'photograph' });
    expect(run.state.step).toBe('parental_consent');
    run.press('continue', {
      parentalResponsibility: 'Mother',
      parentalConsent: 'given',
      childView: 'Said it was OK if it helps',
    });
    run.press('continue', { workDevice: 'true', caseRecord: 'true' });
    expect(run.entry('consent_decision').fields).toMatchObject({
      personType: 'child',
      capacity: 'not_applicable',
      consent: 'given',
      consentBy: 'Mother',
      parentalResponsibility: 'Mother',
      parentalConsent: 'given',
      childView: 'Said it was OK if it helps',
      decision: 'photograph',
      device: 'work_device',
      imagesStoredIn: 'case_record',
    });
    run.finishFrom('written_record');
    expect(textOf(run.card())).toContain("Child's view: Said it was OK if it helps");
  });

  it('consent refused: do not take photographs, say what happens instead, then the body map', () => {
    const run = new Run().toRecordAdvice({ ...SEEN, personType: 'adult' });
    run.press('continue', { ...ADVICE, decision: 'photograph' });
    run.press('continue', { hasCapacity: 'yes' });
    run.press('continue', { personConsent: 'refused' });
    expect(run.state.step).toBe('consent_refused');
    expect((run.card().body[0] as any).items[0].text).toBe('Do not take photographs.');
    run.press('continue', { whatHappensInstead: 'Body map, written record and referral' });
    expect(run.entry('consent_decision').fields).toEqual({
      adviceRecordId: run.entry('advice_given').id,
      personType: 'adult',
      consent: 'refused',
      capacity: 'has_capacity',
      decision: 'do_not_photograph',
      whatHappensInstead: 'Body map, written record and referral',
      flowVersion: '1',
      walkthroughId: run.state.id,
    });
    run.finishFrom('body_map');
    expect(run.summaryEffect().consent).toEqual({
      decision: 'do_not_photograph',
      capacity: 'has_capacity',
      consent: 'refused',
    });
  });

  it('advice not to photograph: body map (two marks added, one removed), written record, referral, summary', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    expect(run.state.step).toBe('body_map');
    expect(run.entry('advice_given').fields).toEqual({
      adviserName: 'Priya Shah',
      adviserRole: 'Team manager',
      givenAt: '2026-11-24T14:05:00.000Z',
      decision: 'do_not_photograph',
      conditions: 'Body map only',
      via: 'phone',
      flowVersion: '1',
      walkthroughId: run.state.id,
    });

    let card = run.card();
    expect(inputsOf(card).region.choices.map((c: any) => c.value)).toContain('left_forearm');
    expect(Object.values(inputsOf(card)).some((i: any) => i.isRequired)).toBe(false); // Continue with an empty form is allowed
    run.press('add_mark', MARK1);
    expect(run.last?.notice).toMatch(/Mark added/);
    run.press('add_mark', MARK2);
    expect(run.state.marks.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(run.state.step).toBe('body_map');
    expect(run.stored.filter((s) => s.kind === 'body_map')).toHaveLength(0); // nothing stored until Continue
    card = run.card();
    expect(
      actionsOf(card)
        .filter((a) => a.data.choice === 'remove_mark')
        .map((a) => [a.title, a.data.markId]),
    ).toEqual([
      ['Remove mark 1', 'm1'],
      ['Remove mark 2', 'm2'],
    ]);
    expect(valuesOf(card)).toEqual({ view: 'back' }); // the form is empty for the next mark, the side kept

    run.press('remove_mark', { description: 'half typed' }, 'm1');
    expect(run.state.marks.map((m) => m.id)).toEqual(['m2']);
    expect(run.state.answers.body_map.description).toBe('half typed'); // a mark being typed is not lost
    run.press('continue', { view: 'back', description: '' });
    expect(run.state.step).toBe('written_record');
    expect(run.entry('body_map').fields).toEqual({
      marks: [
        {
          view: 'back',
          region: 'upper_back',
          type: 'redness',
          sizeCm: 10.5,
          description: 'Red patch across the shoulder blades',
        },
      ],
      flowVersion: '1',
      walkthroughId: run.state.id,
    });

    run.press('continue', WRITTEN);
    expect(run.entry('written_record').fields).toEqual({
      whatWasSeen: WRITTEN.whatWasSeen,
      whatWasSaid: WRITTEN.whatWasSaid,
      explainedBy: 'the child',
      explanationGiven: 'I fell off my bike',
      seenAt: '2026-11-24T13:45:00.000Z',
      flowVersion: '1',
      walkthroughId: run.state.id,
    });
    run.press('continue', REFERRAL);
    expect(run.entry('referral').fields).toEqual({
      referralMade: true,
      referredTo: "Children's front door",
      referenceNumber: 'REF-99812',
      flowVersion: '1',
      walkthroughId: run.state.id,
    });
    expect(run.state.step).toBe('summary');
    card = run.card();
    expect(actionsOf(card).map((a) => a.title)).toEqual(['Finish', 'Back', 'Cancel']);
    const summaryText = textOf(card);
    for (const t of [
      'LCS-104233',
      'Priya Shah (Team manager)',
      'Do not take photographs',
      'Back, Upper back: redness, 10.5 cm',
      'I fell off my bike',
      'REF-99812',
    ])
      expect(summaryText).toContain(t);

    run.press('finish');
    expect(run.state).toMatchObject({ status: 'finished', finishedAt: NOW.toISOString() });
    const summary = run.summaryEffect();
    expect(summary).toEqual({
      type: 'incident_summary',
      walkId: run.state.id,
      flowVersion: '1',
      caseRef: 'LCS-104233',
      concern: 'physical_injury',
      personType: 'child',
      immediateDanger: false,
      advice: { decision: 'do_not_photograph', via: 'phone' },
      consent: null,
      marks: [{ view: 'back', region: 'upper_back', type: 'redness', sizeCm: 10.5 }],
      referralMade: true,
      entryIds: Object.fromEntries(run.stored.map((s) => [s.kind, s.id])),
      finishedAt: NOW.toISOString(),
    });
    expectMinimised(summary, run);
    expect(run.stored.map((s) => s.kind)).toEqual(['advice_given', 'body_map', 'written_record', 'referral']);

    // the finished card is the summary, with the picture and the reference, and no buttons
    const marks = run.state.marks.map((m) => ({ view: m.view, region: m.region, type: m.type }));
    const image = { url: bodyMapDataUri(marks), altText: bodyMapAltText(marks) };
    const done = checkCard(renderStepCard(run.state, { bodyMapImage: image, reference: 'KS-7Q2M4X' }));
    expect(done.actions).toBeUndefined();
    expect(textOf(done)).toContain('Reference: KS-7Q2M4X');
    const img: any[] = [];
    walk(done, (n) => n.type === 'Image' && img.push(n));
    expect(img).toEqual([{ type: 'Image', url: image.url, altText: image.altText, size: 'Stretch' }]);
    expect(renderSummaryCard(run.state, { reference: 'KS-7Q2M4X', bodyMapImage: image })).toEqual(done);
  });

  it('step labels move on with every card and end at "Step N of N" (not "Step 4 of 5" on four cards)', () => {
    const labels: string[] = [];
    const label = (r: Run) => {
      const t = textOf(r.card()).match(/Photo decision · Step (\d+) of (\d+)/);
      expect(t).not.toBeNull();
      labels.push(`${t![1]}/${t![2]}`);
    };
    const run = new Run();
    label(run);
    run.press('continue', SEEN);
    label(run);
    run.press('yes');
    label(run);
    run.press('continue', ADVICE);
    label(run);
    run.press('continue', MARK1);
    label(run);
    run.press('continue', WRITTEN);
    label(run);
    run.press('continue', REFERRAL);
    label(run);
    expect(run.state.step).toBe('summary');
    const ns = labels.map((l) => Number(l.split('/')[0]));
    expect(ns).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(labels[labels.length - 1]).toBe('7/7');
    expect(new Set(labels).size).toBe(labels.length);
    // The danger card is a detour, not a step: no count on it.
    const danger = new Run();
    danger.press('continue', { immediateDanger: 'yes' });
    expect(textOf(danger.card())).not.toMatch(/Step \d+ of/);
  });

  it("accessibility: no text in the success green on any card (a notice may be a warning); the summary's sections are headings", () => {
    const greens: string[] = [];
    const check = (c: Card) => walk(c, (n: any) => n.type === 'TextBlock' && n.color === 'Good' && greens.push(n.text));
    const run = new Run();
    check(run.card());
    run.press('continue', SEEN);
    run.press('yes');
    run.press('continue', ADVICE);
    check(run.card());
    run.press('continue', MARK1);
    run.press('continue', WRITTEN);
    run.press('continue', REFERRAL);
    const summary = run.card();
    check(summary);
    const headings: string[] = [];
    walk(summary, (n: any) => n.type === 'TextBlock' && n.style === 'heading' && headings.push(n.text));
    expect(headings).toEqual(
      expect.arrayContaining(['Summary', 'What you saw', 'Advice', 'Body map', 'Written record', 'Referral']),
    );
    // A stale press: its notice is a warning, shown in default text, not green.
    const stale = run.apply(
      handleAction(
        run.state,
        {
          action: 'walkthrough',
          walkId: run.state.id,
          step: 'seen',
          flowVersion: run.state.flowVersion,
          rev: 0,
          choice: 'continue',
        },
        NOW,
      ),
    );
    expect(stale.stale?.reason).toBe('step');
    const staleCard = run.card();
    check(staleCard);
    expect(textOf(staleCard)).toMatch(/out of date/);
    run.press('finish');
    check(run.card());
    expect(greens).toEqual([]);
  });

  it('a referral not yet made is allowed, and the summary says to refer today', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    run.press('continue', MARK1);
    run.press('continue', WRITTEN);
    run.press('continue', { referralMade: 'false', referredTo: 'typed then unticked' });
    expect(run.entry('referral').fields).toEqual({
      referralMade: false,
      flowVersion: '1',
      walkthroughId: run.state.id,
    });
    expect(textOf(run.card())).toContain('Refer your concerns today, in the usual way.');
  });

  it('the referral step names the configured referral route (team, phone, link), or says it is not set up', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    run.press('continue', MARK1);
    run.press('continue', WRITTEN);
    expect(run.state.step).toBe('referral');
    expect(cardText(run.card())).toMatch(/doesn't have your council's referral route yet/);
    const contacts = {
      referral: { team: "Children's front door", phone: '0151 443 4031', url: 'https://www.knowsley.gov.uk/refer' },
    };
    const card = checkCard(renderStepCard(run.state, { now: NOW, contacts }));
    expect(cardText(card)).toMatch(/Refer to: Children's front door/);
    expect(cardText(card)).toMatch(/Phone: 0151 443 4031/);
    const urls: string[] = [];
    walkCard(card, (n: any) => n.type === 'Action.OpenUrl' && urls.push(n.url));
    expect(urls).toEqual(['https://www.knowsley.gov.uk/refer', 'tel:01514434031']);
  });
});

// ---- Back and Cancel ---------------------------------------------------------------------------------------

describe('Back and Cancel', () => {
  it('Back at every step returns to the one before with its answers shown again, and going on again works', () => {
    const run = new Run();
    const script: [string, Record<string, unknown>][] = [
      ['continue', { ...SEEN, immediateDanger: 'yes' }],
      ['continue', {}],
      ['no', {}],
      ['ask', {}],
    ];
    const visited: string[] = [];
    for (const [choice, inputs] of script) {
      visited.push(run.state.step);
      run.press(choice, inputs);
      const here = run.state.step;
      const typedBefore = visited[visited.length - 1];
      run.press('back');
      expect(run.state.step).toBe(typedBefore);
      if (typedBefore === 'seen')
        expect(valuesOf(run.card())).toMatchObject({ ...SEEN, immediateDanger: 'yes', caseRef: 'lcs-104233' });
      run.press(choice, inputs);
      expect(run.state.step).toBe(here);
    }
    expect(run.state.status).toBe('awaiting_advice');
    run.press('back');
    expect(run.state).toMatchObject({ step: 'get_advice', status: 'active' }); // leaving the wait
    run.press('had_advice');

    const rest: [string, string, Record<string, unknown>][] = [
      ['record_advice', 'continue', ADVICE],
      ['body_map', 'continue', MARK1],
      ['written_record', 'continue', WRITTEN],
      ['referral', 'continue', REFERRAL],
    ];
    for (const [step, choice, inputs] of rest) {
      expect(run.state.step).toBe(step);
      run.press(choice, inputs);
      const next = run.state.step;
      run.press('back');
      expect(run.state.step).toBe(step);
      const shown = valuesOf(run.card());
      if (step !== 'body_map')
        for (const [k, v] of Object.entries(inputs)) if (v !== '') expect(shown[k]).toBe(String(v));
      run.press(choice, step === 'body_map' ? {} : inputs); // the mark is already added
      expect(run.state.step).toBe(next);
    }
    expect(run.state.step).toBe('summary');
    run.press('back');
    expect(run.state.step).toBe('referral');
    run.press('continue', REFERRAL);
    run.press('finish');

    // each entry saved again after Back corrects the one before it, never a silent duplicate
    for (const kind of ['advice_given', 'body_map', 'written_record', 'referral'] as const) {
      const chain = run.stored.filter((s) => s.kind === kind);
      expect(chain.length).toBeGreaterThan(1);
      chain.slice(1).forEach((s, i) => expect(s.corrects).toBe(chain[i].id));
    }
    const appends = run.effects.filter((e): e is Extract<Effect, { type: 'append' }> => e.type === 'append');
    expect(appends.filter((e) => e.corrects).every((e) => e.reason)).toBe(true);
    expect(new Set(appends.map((e) => e.idempotencyKey)).size).toBe(appends.length);
    expect(run.state.marks).toHaveLength(1);
  });

  it('Back from a branch and a different answer leave the abandoned branch out of the records', () => {
    const run = new Run().toRecordAdvice({ ...SEEN, personType: 'adult' });
    run.press('continue', { ...ADVICE, decision: 'photograph' });
    run.press('continue', { hasCapacity: 'no' });
    run.press('back');
    run.press('continue', { hasCapacity: 'yes' });
    run.press('continue', { personConsent: 'given' });
    run.press('continue', { workDevice: 'true', caseRecord: 'true' });
    expect(run.entry('consent_decision').fields.bestInterests).toBeUndefined();
    expect(run.state.history).toEqual(['seen', 'advice_sought', 'record_advice', 'capacity', 'consent', 'photo_care']);
  });

  it('there is no Back on the first step; back() there changes nothing', () => {
    const s = startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    const res = back(s);
    expect(res.stale?.reason).toBe('first_step');
    expect(res.state).toBe(s);
  });

  it('Cancel stops the walkthrough; its card has no buttons; later presses are stale; saved entries stay', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    const before = run.state;
    run.press('cancel');
    expect(run.state.status).toBe('cancelled');
    expect(run.last?.effects).toEqual([]);
    const card = run.card();
    expect(card.actions).toBeUndefined();
    expect(textOf(card)).toMatch(/cancelled.*saved stays/i);
    // a press on the card from before the cancel
    const res = handleAction(run.state, { ...actionsOf(renderStepCard(before, { now: NOW }))[0].data, ...MARK1 }, NOW);
    expect(res.stale?.reason).toBe('not_active');
    expect(cancel(run.state).stale?.reason).toBe('not_active');
    expect(back(run.state).stale?.reason).toBe('not_active');
    expect(run.stored.map((s) => s.kind)).toEqual(['advice_given']);
  });
});

// ---- bad inputs ------------------------------------------------------------------------------------------------

describe('bad inputs on every step: the error names the field, the state stays, what was typed is kept and shown', () => {
  const toStep: Record<string, (run: Run) => void> = {
    seen: () => undefined,
    record_advice: (run) => run.toRecordAdvice(),
    capacity: (run) => {
      run.toRecordAdvice({ ...SEEN, personType: 'adult' });
      run.press('continue', { ...ADVICE, decision: 'photograph' });
    },
    consent: (run) => {
      toStep.capacity(run);
      run.press('continue', { hasCapacity: 'yes' });
    },
    best_interests: (run) => {
      toStep.capacity(run);
      run.press('continue', { hasCapacity: 'no' });
    },
    parental_consent: (run) => {
      run.toRecordAdvice();
      run.press('continue', { ...ADVICE, decision: 'photograph' });
    },
    consent_refused: (run) => {
      toStep.consent(run);
      run.press('continue', { personConsent: 'refused' });
    },
    photo_care: (run) => {
      toStep.consent(run);
      run.press('continue', { personConsent: 'given' });
    },
    body_map: (run) => {
      run.toRecordAdvice();
      run.press('continue', ADVICE);
    },
    written_record: (run) => {
      toStep.body_map(run);
      run.press('continue', MARK1);
    },
    referral: (run) => {
      toStep.written_record(run);
      run.press('continue', WRITTEN);
    },
  };

  const cases: [string, string, Record<string, unknown>, string[]][] = [
    ['seen', 'continue', {}, ['concern', 'personType', 'caseRef', 'immediateDanger']],
    ['seen', 'continue', { ...SEEN, caseRef: 'Mrs Jones' }, ['caseRef']],
    ['seen', 'continue', { ...SEEN, concern: 'gossip', immediateDanger: 'maybe' }, ['concern', 'immediateDanger']],
    [
      'record_advice',
      'continue',
      { ...ADVICE, adviserName: '   ', givenDate: '2026-11-25' },
      ['adviserName', 'givenDate'],
    ],
    ['record_advice', 'continue', { ...ADVICE, givenTime: '14:50' }, ['givenTime']], // later today: in the future
    [
      'record_advice',
      'continue',
      { ...ADVICE, givenDate: '2026-02-30', givenTime: '25:00', decision: 'perhaps', via: '' },
      ['givenDate', 'givenTime', 'decision', 'via'],
    ],
    ['record_advice', 'continue', { ...ADVICE, conditions: 'x'.repeat(2001) }, ['conditions']],
    ['capacity', 'continue', {}, ['hasCapacity']],
    ['consent', 'continue', { personConsent: 'sort of' }, ['personConsent']],
    ['best_interests', 'continue', { bestInterestsDecision: 'photograph', attorneyOrDeputy: 'none' }, ['consulted']],
    ['parental_consent', 'continue', { parentalResponsibility: 'Mother', parentalConsent: 'given' }, ['childView']],
    ['consent_refused', 'continue', { whatHappensInstead: '  ' }, ['whatHappensInstead']],
    ['photo_care', 'continue', { workDevice: 'false', caseRecord: 'true' }, ['workDevice']],
    ['photo_care', 'continue', { workDevice: 'true', caseRecord: 'false' }, ['caseRecord']],
    ['body_map', 'add_mark', { ...MARK1, sizeCm: '0' }, ['sizeCm']],
    ['body_map', 'add_mark', { ...MARK1, sizeCm: '201' }, ['sizeCm']],
    ['body_map', 'add_mark', { ...MARK1, sizeCm: 'about three', description: '' }, ['sizeCm', 'description']],
    ['body_map', 'add_mark', { ...MARK1, view: 'back', region: 'face' }, ['region']],
    ['body_map', 'add_mark', { ...MARK1, region: 'tail', markType: 'tattoo' }, ['region', 'markType']],
    ['body_map', 'continue', { ...MARK1, colour: 'c'.repeat(61) }, ['colour']],
    ['body_map', 'continue', {}, ['marks']],
    [
      'written_record',
      'continue',
      { ...WRITTEN, whatWasSeen: '', seenDate: '2027-01-01' },
      ['whatWasSeen', 'seenDate'],
    ],
    ['written_record', 'continue', { ...WRITTEN, explanationGiven: '' }, ['explanationGiven']],
    [
      'referral',
      'continue',
      { referralMade: 'true', referredTo: '', referenceNumber: 'r'.repeat(61) },
      ['referredTo', 'referenceNumber'],
    ],
  ];

  it.each(cases)('%s (%s) %j', (step, choice, inputs, fields) => {
    const run = new Run();
    toStep[step](run);
    expect(run.state.step).toBe(step);
    const before = run.state;
    const stored = run.stored.length;
    const res = run.press(choice, inputs);
    expect(Object.keys(res.errors ?? {}).sort()).toEqual([...fields].sort());
    expect(res.effects).toEqual([]);
    expect(run.stored.length).toBe(stored);
    expect(run.state).toMatchObject({ step, history: before.history, marks: before.marks, rev: before.rev + 1 });
    const card = run.card();
    const shown = valuesOf(card);
    const inputsShown = inputsOf(card);
    for (const [k, v] of Object.entries(inputs)) {
      if (typeof v !== 'string' || !v.trim() || !(k in inputsShown)) continue;
      expect(run.state.answers[step][k]).toBe(v); // kept as typed
      const t = inputsShown[k].type;
      if (
        t === 'Input.Text' ||
        t === 'Input.Toggle' ||
        (t === 'Input.ChoiceSet' && inputsShown[k].choices.some((c: any) => c.value === v))
      )
        expect(shown[k]).toBe(v);
    }
    const text = textOf(card);
    for (const f of fields) expect(text).toContain(res.errors![f]);
    const errorBlocks: any[] = [];
    walk(card, (n) => n.type === 'TextBlock' && n.color === 'Attention' && errorBlocks.push(n));
    expect(errorBlocks.length).toBeGreaterThanOrEqual(fields.length);
    // fixed, it goes on
    const fixed = run.press(choice, choice === 'continue' && step === 'body_map' ? MARK1 : defaultsFor(step, choice));
    expect(fixed.errors).toBeUndefined();
  });

  function defaultsFor(step: string, choice: string): Record<string, unknown> {
    const d: Record<string, Record<string, unknown>> = {
      seen: SEEN,
      record_advice: ADVICE,
      capacity: { hasCapacity: 'yes' },
      consent: { personConsent: 'given' },
      best_interests: { bestInterestsDecision: 'photograph', consulted: 'GP', attorneyOrDeputy: 'none', note: '' },
      parental_consent: { parentalResponsibility: 'Mother', parentalConsent: 'given', childView: 'Too young to say' },
      consent_refused: { whatHappensInstead: 'Body map' },
      photo_care: { workDevice: 'true', caseRecord: 'true' },
      body_map: MARK1,
      written_record: WRITTEN,
      referral: REFERRAL,
    };
    return choice === 'add_mark' ? MARK1 : d[step];
  }

  it('a body map takes at most 20 marks', () => {
    const run = new Run();
    toStep.body_map(run);
    for (let i = 0; i < 20; i++) run.press('add_mark', MARK1);
    const res = run.press('add_mark', MARK2);
    expect(Object.keys(res.errors!)).toEqual(['marks']);
    expect(run.state.marks).toHaveLength(20);
    expect(run.state.answers.body_map).toMatchObject({ region: 'upper_back' });
  });

  it('inputs that are not fields of the step, or not text, are ignored', () => {
    const s = startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    const res = submitStep(
      s,
      'seen',
      { ...SEEN, evil: 'x', __proto__: { polluted: true }, caseRef: { toString: () => 'LCS-1' } },
      NOW,
    );
    expect(Object.keys(res.errors!)).toEqual(['caseRef']);
    expect(Object.keys(res.state.answers.seen).sort()).toEqual(['caseRef', 'concern', 'immediateDanger', 'personType']);
  });
});

// ---- stale cards -------------------------------------------------------------------------------------------

describe('stale submissions are reported, never applied', () => {
  it('the same button pressed twice: the second press is stale', () => {
    const s = startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    const payload = { ...actionsOf(renderStepCard(s, { now: NOW }))[0].data, ...SEEN };
    const first = handleAction(s, payload, NOW);
    expect(first.state.step).toBe('advice_sought');
    const second = handleAction(first.state, payload, NOW);
    expect(second.stale?.reason).toBe('step');
    expect(second.state).toBe(first.state);
    expect(second.effects).toEqual([]);
  });

  it('a card for the same step drawn before a change (e.g. before Back and forward again) is stale by its revision', () => {
    const run = new Run().toRecordAdvice();
    const oldCard = run.card();
    run.press('continue', ADVICE);
    run.press('back');
    expect(run.state.step).toBe('record_advice');
    const res = handleAction(run.state, { ...actionsOf(oldCard)[0].data, ...ADVICE }, NOW);
    expect(res.stale).toEqual({ reason: 'revision', message: expect.stringMatching(/already used/) });
    expect(res.state).toBe(run.state);
  });

  it('a card from an earlier step, another walkthrough, another flow version, an unknown button or bad data', () => {
    const run = new Run();
    const seenCard = run.card();
    run.press('continue', SEEN);
    const data = actionsOf(seenCard)[0].data;
    expect(handleAction(run.state, { ...data, ...SEEN }, NOW).stale?.reason).toBe('step');
    expect(submitStep(run.state, 'seen', SEEN, NOW).stale?.reason).toBe('step');
    const current = actionsOf(run.card())[0].data;
    expect(handleAction(run.state, { ...current, walkId: randomUUID() }, NOW).stale?.reason).toBe('other_walkthrough');
    expect(handleAction(run.state, { ...current, flowVersion: '0' }, NOW).stale?.reason).toBe('flow_version');
    expect(handleAction(run.state, { ...current, choice: 'photograph_anyway' }, NOW).stale?.reason).toBe(
      'unknown_button',
    );
    expect(handleAction(run.state, { ...current, rev: 'x' }, NOW).stale?.reason).toBe('invalid');
    expect(handleAction(run.state, { ...current, action: 'incident' }, NOW).stale?.reason).toBe('invalid');
    expect(handleAction(run.state, null, NOW).stale?.reason).toBe('invalid');
    expect(run.state.step).toBe('advice_sought');
  });

  it('removing a mark that is already gone is stale', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    run.press('add_mark', MARK1);
    const card = run.card();
    run.press('remove_mark', {}, 'm1');
    const again = actionsOf(card).find((a) => a.data.choice === 'remove_mark');
    const res = handleAction(run.state, { ...again.data, rev: run.state.rev }, NOW);
    expect(res.stale?.reason).toBe('unknown_mark');
  });

  it('a stale press re-renders the current card with the explanation', () => {
    const run = new Run();
    const seenCard = run.card();
    run.press('continue', SEEN);
    run.apply(handleAction(run.state, { ...actionsOf(seenCard)[0].data, ...SEEN }, NOW));
    expect(textOf(run.card())).toContain('That card is out of date');
  });
});

// ---- flow versions -------------------------------------------------------------------------------------------

describe('flow versions', () => {
  /** A stand-in for an older version: version 0, where the advice step was worded differently. */
  const OLD: Flow = {
    ...FLOW_V1,
    version: '0',
    steps: {
      ...FLOW_V1.steps,
      advice_sought: { ...FLOW_V1.steps.advice_sought, title: 'Have you had advice? (version 0)' },
    },
  };

  it('a walkthrough started on an older version that is still kept finishes on it, and its entries say so', () => {
    const flows = { '0': OLD, '1': FLOW_V1 };
    const before = createWalkthroughMachine({ flows, current: '0' });
    const after = createWalkthroughMachine({ flows, current: '1' });
    const run = new Run(before, flows);
    run.press('continue', SEEN);
    // KeepSafe is upgraded mid-walkthrough
    const upgraded = new Run(after, flows);
    upgraded.state = run.state;
    expect(after.checkVersion(upgraded.state)).toBe('finish_on_old');
    const card = upgraded.card();
    expect(textOf(card)).toContain('(version 0)');
    expect(actionsOf(card)[0].data.flowVersion).toBe('0');
    upgraded.press('yes');
    upgraded.press('continue', ADVICE);
    upgraded.finishFrom('body_map');
    expect(upgraded.stored.every((s) => s.fields.flowVersion === '0')).toBe(true);
    expect(upgraded.summaryEffect().flowVersion).toBe('0');
    // and a new one starts on the current version
    expect(after.startWalkthrough({ now: NOW, guidanceVersion: '1.0' }).flowVersion).toBe('1');
  });

  it('a walkthrough on a retired or unknown version is restarted with an explanation, keeping the first answers; never mixed', () => {
    const flows = { '0': { ...OLD, retired: true }, '1': FLOW_V1 };
    const m = createWalkthroughMachine({ flows, current: '1' });
    const old = createWalkthroughMachine({ flows: { '0': OLD }, current: '0' });
    let s = old.startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    s = old.submitStep(s, 'seen', SEEN, NOW).state;
    expect(m.checkVersion(s)).toBe('restart');
    const res = m.submitStep(s, 'advice_sought', { choice: 'yes' }, NOW);
    expect(res.stale?.reason).toBe('unknown_flow');
    expect(res.state).toBe(s);
    expect(m.back(s).stale?.reason).toBe('unknown_flow');
    const card = checkCard(renderStepCard(s, { flows }));
    expect(textOf(card)).toContain(RESTART_MESSAGE);
    expect(card.actions).toBeUndefined();

    const fresh = m.restartWalkthrough(s, { now: NOW, guidanceVersion: '1.0' });
    expect(fresh).toMatchObject({ flowVersion: '1', step: 'seen', rev: 0, history: [] });
    expect(fresh.id).not.toBe(s.id);
    expect(valuesOf(checkCard(renderStepCard(fresh, { now: NOW })))).toMatchObject(SEEN);

    const unknown = { ...s, flowVersion: '99' };
    expect(checkVersion(unknown)).toBe('restart');
    expect(textOf(checkCard(renderStepCard(unknown)))).toContain(RESTART_MESSAGE);
  });

  it('the current flow is registered under its version and every transition leads to a step that exists', () => {
    expect(FLOWS[FLOW_VERSION]).toBe(FLOW_V1);
    for (const step of Object.values(FLOW_V1.steps)) {
      for (const t of step.next) expect(FLOW_V1.steps[t.to]).toBeDefined();
      for (const f of step.fields) {
        expect(['action', 'walkId', 'step', 'flowVersion', 'rev', 'choice', 'markId']).not.toContain(f.id);
        expect(f.errorMessage.length).toBeGreaterThan(5);
      }
      if (!step.summary) expect(step.next.some((t) => !t.when)).toBe(true); // never stuck
    }
  });
});

// ---- other rules -------------------------------------------------------------------------------------------------

describe('other rules', () => {
  it('applyAdvice only when waiting for it', () => {
    const s = startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
    const res = applyAdvice(s, { decision: 'photograph', adviserName: 'A', adviserRole: 'B', givenAt: NOW }, NOW);
    expect(res.stale?.reason).toBe('not_waiting');
  });

  it('times are London times: a summer advice time is stored as UTC an hour earlier', () => {
    expect(londonToDate('2026-07-01', '14:00')!.toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(londonToDate('2026-12-01', '14:00')!.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(londonToDate('2026-02-30', '14:00')).toBeNull();
  });

  it('freeTextInputs lists the free text of the current step for the personal-identifier check, but not the adviser (staff)', () => {
    const run = new Run().toRecordAdvice();
    expect(freeTextInputs(run.state, { ...ADVICE, conditions: 'Call Mrs Jones on 07700 900123' })).toEqual({
      conditions: 'Call Mrs Jones on 07700 900123',
    });
  });

  it('worker text is shown, not obeyed, as Markdown', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    run.press('continue', { ...MARK1, description: '**bold** [link](https://evil.example)' });
    run.press('continue', WRITTEN);
    run.press('continue', REFERRAL);
    const t = textOf(run.card());
    expect(t).toContain('\\*\\*bold\\*\\* \\[link\\](https://evil.example)');
  });
});

// ---- size -------------------------------------------------------------------------------------------------

describe('cards stay under 28 KB with the largest answers', () => {
  const big = (n: number, c = 'x') => c.repeat(n);

  it('body map with 20 marks of the longest descriptions, and every error shown', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    for (let i = 0; i < 20; i++) run.press('add_mark', { ...MARK1, colour: big(60, 'c'), description: big(1000, 'd') });
    const errors = Object.fromEntries(
      FLOW_V1.steps.body_map.fields.map((f) => [f.id, `${f.errorMessage} ${big(100)}`]),
    );
    checkCard(renderStepCard(run.state, { errors: { ...errors, marks: big(200) }, notice: big(200), now: NOW }));
  });

  it('written record with the longest texts, typed over the limits, with errors', () => {
    const run = new Run().toRecordAdvice();
    run.press('continue', ADVICE);
    run.press('continue', MARK1);
    const res = run.press('continue', {
      ...WRITTEN,
      whatWasSeen: big(4300, 'é'),
      whatWasSaid: big(2200, '"'),
      explanationGiven: big(2200, '€'),
      explainedBy: big(400),
    });
    expect(Object.keys(res.errors!).sort()).toEqual(['explainedBy', 'explanationGiven', 'whatWasSaid', 'whatWasSeen']);
    checkCard(run.card());
  });

  it('the summary with every answer at its longest and the body-map picture', () => {
    const run = new Run().toRecordAdvice({ ...SEEN, personType: 'adult' });
    run.press('continue', {
      ...ADVICE,
      adviserName: big(120),
      adviserRole: big(120),
      decision: 'photograph',
      conditions: big(2000),
    });
    run.press('continue', { hasCapacity: 'no' });
    run.press('continue', {
      bestInterestsDecision: 'do_not_photograph',
      consulted: big(500),
      attorneyOrDeputy: 'deputy',
      note: big(2000),
    });
    run.press('continue', { whatHappensInstead: big(2000) });
    for (let i = 0; i < 19; i++) run.press('add_mark', { ...MARK1, colour: big(60, 'c'), description: big(1000, 'd') });
    run.press('continue', { ...MARK2, colour: big(60), description: big(1000) });
    run.press('continue', {
      ...WRITTEN,
      whatWasSeen: big(4000),
      whatWasSaid: big(2000),
      explainedBy: big(200),
      explanationGiven: big(2000),
    });
    run.press('continue', { referralMade: 'true', referredTo: big(200), referenceNumber: big(60) });
    const marks = run.state.marks.map((m) => ({ view: m.view, region: m.region, type: m.type }));
    const image = { url: bodyMapDataUri(marks), altText: bodyMapAltText(marks) };
    const atSummary = checkCard(renderStepCard(run.state, { bodyMapImage: image, now: NOW }));
    expect(textOf(atSummary)).toContain('shortened');
    run.press('finish');
    const done = checkCard(renderSummaryCard(run.state, { reference: 'KS-ABCDEF', bodyMapImage: image }));
    expect(JSON.stringify(done)).toContain(image.url.slice(0, 40));
  });

  afterAll(() => {
    expect(cardsChecked).toBeGreaterThan(300);
  });
});
