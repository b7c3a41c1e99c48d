/**
 * The stand-alone consent log (consent-1) and its correction flow (consent-fix-1) on their own: every path, run
 * through the machine, records exactly one valid consent_decision and no incident summary; a correction is
 * stored as a correction of the entry it was started for, with the worker's reason; the flows reuse the photo
 * decision's consent steps (same ids, so RECORDS_V1 builds the entry).
 */
import { randomUUID } from 'node:crypto';
import { compileCaseRefPattern } from '../../../src/core/records/caseRef';
import { validateEntry } from '../../../src/core/records/entry';
import {
  CONSENT_CORRECTION_FLOW_V1,
  CONSENT_CORRECTION_REGISTRY,
  CONSENT_FLOW_V1,
  CONSENT_REGISTRY,
  createWalkthroughMachine,
  FLOW_V1,
  WalkthroughError,
  type AppendEffect,
  type Effect,
  type Flow,
  type WalkState,
} from '../../../src/core/walkthrough';
import { renderStepCard } from '../../../src/features/walkthrough/stepCards';

const NOW = new Date('2026-11-25T14:00:00Z');
const GUIDANCE = '2024.1';
const consent = createWalkthroughMachine(CONSENT_REGISTRY);
const correction = createWalkthroughMachine(CONSENT_CORRECTION_REGISTRY);

type Machine = typeof consent;

/** Presses through the steps with these answers; returns every effect and the final state. */
function run(
  machine: Machine,
  state: WalkState,
  answers: Array<Record<string, string>>,
): { state: WalkState; effects: Effect[] } {
  const effects: Effect[] = [];
  let s = state;
  for (const a of answers) {
    const r = machine.submitStep(s, { step: s.step, rev: s.rev }, a, NOW);
    expect(r.stale).toBeUndefined();
    expect(r.errors).toBeUndefined();
    s = r.state;
    for (const e of r.effects) if (e.type === 'append') s = machine.noteRecorded(s, e.entry.kind, randomUUID());
    effects.push(...r.effects);
  }
  return { state: s, effects };
}

const start = () => consent.startWalkthrough({ now: NOW, guidanceVersion: GUIDANCE });
const FINISH = { choice: 'finish' };

function onlyConsent(effects: Effect[]): AppendEffect {
  expect(effects.map((e) => e.type)).toEqual(['append']);
  const e = effects[0] as AppendEffect;
  expect(e.entry.kind).toBe('consent_decision');
  // The store would take it as it is.
  validateEntry({ ...e.entry, author: { aadObjectId: 'aad-sam', name: 'Sam' } }, compileCaseRefPattern());
  return e;
}

describe('the stand-alone consent log (consent-1)', () => {
  it('is its own flow: reuses the photo decision consent steps, starts on "seen" with the case and adult or child, and says advice comes first', () => {
    expect(CONSENT_FLOW_V1.version).toBe('consent-1');
    expect(CONSENT_FLOW_V1.title).toBe('Consent log');
    expect(CONSENT_FLOW_V1.summaryTitle).toBe('Consent decision');
    expect(CONSENT_FLOW_V1.steps.seen.fields.map((f) => f.id)).toEqual(['personType', 'caseRef']);
    expect(CONSENT_FLOW_V1.steps.seen.text?.join(' ')).toMatch(
      /manager's advice|advice from your manager[\s\S]*photo decision/,
    );
    for (const id of ['capacity', 'consent', 'best_interests', 'parental_consent', 'photo_care', 'consent_refused']) {
      expect(CONSENT_FLOW_V1.steps[id].fields).toBe(FLOW_V1.steps[id].fields);
    }
    expect(CONSENT_FLOW_V1.steps.summary.emits ?? []).toEqual([]);
    const state = start();
    expect(state).toMatchObject({ flowVersion: 'consent-1', step: 'seen', guidanceVersion: GUIDANCE });
    expect(JSON.stringify(renderStepCard(state, { flows: CONSENT_REGISTRY.flows }))).toMatch(
      /Consent log · Step 1 of 4/,
    );
  });

  it.each<[string, Flow]>([
    ['consent-1', CONSENT_FLOW_V1],
    ['consent-fix-1', CONSENT_CORRECTION_FLOW_V1],
  ])('%s: every transition leads to a step that exists, and only photo_care and consent_refused record', (_v, flow) => {
    for (const step of Object.values(flow.steps)) {
      for (const t of step.next) expect(flow.steps[t.to]).toBeDefined();
      const emits = (step.emits ?? []).map((e) => e.what);
      expect(emits).toEqual(['photo_care', 'consent_refused'].includes(step.id) ? ['consent_decision'] : []);
    }
  });

  it('an adult with capacity who agrees: photographs, work device, case record; finish records nothing more', () => {
    const { state, effects } = run(consent, start(), [
      { personType: 'adult', caseRef: 'lcs-500001' },
      { hasCapacity: 'yes' },
      { personConsent: 'given' },
      { workDevice: 'true', caseRecord: 'true' },
    ]);
    expect(state.step).toBe('summary');
    const e = onlyConsent(effects);
    expect(e.entry).toMatchObject({
      caseRef: 'LCS-500001',
      guidanceVersion: GUIDANCE,
      fields: {
        personType: 'adult',
        capacity: 'has_capacity',
        consent: 'given',
        consentBy: 'the person',
        decision: 'photograph',
        device: 'work_device',
        imagesStoredIn: 'case_record',
        flowVersion: 'consent-1',
        walkthroughId: state.id,
      },
    });
    expect(e.corrects).toBeUndefined();
    const done = consent.submitStep(state, 'summary', FINISH, NOW);
    expect(done.state.status).toBe('finished');
    expect(done.effects).toEqual([]); // no incident summary for the managers' channel
  });

  it('an adult without capacity: a best-interests decision (photograph)', () => {
    const { effects } = run(consent, start(), [
      { personType: 'adult', caseRef: 'LCS-500002' },
      { hasCapacity: 'no' },
      { bestInterestsDecision: 'photograph', consulted: 'daughter, GP', attorneyOrDeputy: 'none', note: '' },
      { workDevice: 'true', caseRecord: 'true' },
    ]);
    expect(onlyConsent(effects).entry.fields).toMatchObject({
      capacity: 'lacks_capacity',
      consent: 'not_possible',
      decision: 'photograph',
      bestInterests: { decision: 'photograph', consulted: 'daughter, GP', attorneyOrDeputy: 'none' },
    });
  });

  it('an adult without capacity where photographs are not in their best interests: what happens instead', () => {
    const { effects } = run(consent, start(), [
      { personType: 'adult', caseRef: 'LCS-500003' },
      { hasCapacity: 'no' },
      {
        bestInterestsDecision: 'do_not_photograph',
        consulted: 'care home manager',
        attorneyOrDeputy: 'deputy',
        note: '',
      },
      { whatHappensInstead: 'Body map and written record.' },
    ]);
    expect(onlyConsent(effects).entry.fields).toMatchObject({
      decision: 'do_not_photograph',
      whatHappensInstead: 'Body map and written record.',
      bestInterests: { attorneyOrDeputy: 'deputy' },
    });
  });

  it('a child with parental consent', () => {
    const { effects } = run(consent, start(), [
      { personType: 'child', caseRef: 'LCS-500004' },
      { parentalResponsibility: 'mother', parentalConsent: 'given', childView: 'Said it was OK.' },
      { workDevice: 'true', caseRecord: 'true' },
    ]);
    expect(onlyConsent(effects).entry.fields).toMatchObject({
      personType: 'child',
      capacity: 'not_applicable',
      consent: 'given',
      parentalConsent: 'given',
      consentBy: 'mother',
      childView: 'Said it was OK.',
      decision: 'photograph',
    });
  });

  it.each([
    ['an adult who refuses', 'adult', [{ hasCapacity: 'yes' }, { personConsent: 'refused' }]],
    ['an adult who could not be asked', 'adult', [{ hasCapacity: 'yes' }, { personConsent: 'not_possible' }]],
    [
      'a child whose parent refuses',
      'child',
      [{ parentalResponsibility: 'father', parentalConsent: 'refused', childView: 'Too young to say.' }],
    ],
  ])('%s: no photographs, and what happens instead', (_name, personType, middle) => {
    const { state, effects } = run(consent, start(), [
      { personType: personType as string, caseRef: 'LCS-500005' },
      ...(middle as Array<Record<string, string>>),
      { whatHappensInstead: 'Body map, written record, referral.' },
    ]);
    expect(state.step).toBe('summary');
    expect(onlyConsent(effects).entry.fields).toMatchObject({
      decision: 'do_not_photograph',
      whatHappensInstead: 'Body map, written record, referral.',
    });
  });

  it('Back and a different answer: the second entry corrects the first, with the set reason', () => {
    const first = run(consent, start(), [
      { personType: 'adult', caseRef: 'LCS-500006' },
      { hasCapacity: 'yes' },
      { personConsent: 'refused' },
      { whatHappensInstead: 'Body map.' },
    ]);
    const storedId = first.state.recorded.consent_decision!;
    let s = consent.back(first.state, undefined, NOW).state; // to consent_refused
    s = consent.back(s, undefined, NOW).state; // to consent
    const again = run(consent, s, [{ personConsent: 'given' }, { workDevice: 'true', caseRecord: 'true' }]);
    const e = onlyConsent(again.effects);
    expect(e.corrects).toBe(storedId);
    expect(e.reason).toBe('Changed by the worker in the consent log walkthrough.');
  });

  it('a bad case reference or no answer is refused on the card, nothing recorded', () => {
    const r = consent.submitStep(start(), 'seen', { personType: '', caseRef: 'Mrs Jones' }, NOW);
    expect(Object.keys(r.errors ?? {}).sort()).toEqual(['caseRef', 'personType']);
    expect(r.effects).toEqual([]);
  });
});

describe('a correction (consent-fix-1)', () => {
  const OLD = '3f9a21c0-1b2c-4d3e-8f4a-5b6c7d8e9f0a';
  const ADVICE = '77b0e412-1b2c-4d3e-8f4a-5b6c7d8e9f0a';
  const begin = () =>
    correction.startWalkthrough({
      now: NOW,
      guidanceVersion: GUIDANCE,
      prefill: { caseRef: 'LCS-500007', personType: 'adult' },
      corrects: { kind: 'consent_decision', id: OLD },
      recorded: { advice_given: ADVICE },
    });

  it('cannot start without the entry it corrects (nor may another flow take one)', () => {
    expect(() => correction.startWalkthrough({ now: NOW, guidanceVersion: GUIDANCE })).toThrow(WalkthroughError);
    expect(() =>
      correction.startWalkthrough({ now: NOW, guidanceVersion: GUIDANCE, corrects: { kind: 'advice_given', id: OLD } }),
    ).toThrow(WalkthroughError);
    expect(() =>
      consent.startWalkthrough({
        now: NOW,
        guidanceVersion: GUIDANCE,
        corrects: { kind: 'consent_decision', id: OLD },
      }),
    ).toThrow(WalkthroughError);
  });

  it('starts pre-filled from the entry and asks why; the reason is required', () => {
    const s = begin();
    expect(s.corrects).toEqual({ kind: 'consent_decision', id: OLD });
    expect(s.answers.seen).toEqual({ caseRef: 'LCS-500007', personType: 'adult' });
    const r = correction.submitStep(s, 'seen', { reason: '  ', caseRef: 'LCS-500007', personType: 'adult' }, NOW);
    expect(r.errors).toEqual({ reason: 'Say why the entry needs correcting.' });
    expect(correction.freeTextInputs(s, { reason: 'Mrs Jones said no', caseRef: 'LCS-500007' })).toEqual({
      reason: 'Mrs Jones said no',
    });
  });

  it("its consent decision is a correction of that entry, with the worker's reason, keeping the advice link; a later change corrects the correction", () => {
    const { state, effects } = run(correction, begin(), [
      { reason: 'I ticked refused by mistake: they agreed.', caseRef: 'LCS-500007', personType: 'adult' },
      { hasCapacity: 'yes' },
      { personConsent: 'given' },
      { workDevice: 'true', caseRecord: 'true' },
    ]);
    const e = onlyConsent(effects);
    expect(e.corrects).toBe(OLD);
    expect(e.reason).toBe('I ticked refused by mistake: they agreed.');
    expect(e.entry.fields).toMatchObject({ consent: 'given', flowVersion: 'consent-fix-1', adviceRecordId: ADVICE });
    // Keyed on the entry corrected: a second correction walkthrough for the same entry stores nothing new.
    expect(e.idempotencyKey).toBe(`correction:${OLD}:consent_decision`);
    const other = run(correction, begin(), [
      { reason: 'Opened on my phone as well.', caseRef: 'LCS-500007', personType: 'adult' },
      { hasCapacity: 'yes' },
      { personConsent: 'given' },
      { workDevice: 'true', caseRecord: 'true' },
    ]);
    expect(onlyConsent(other.effects).idempotencyKey).toBe(e.idempotencyKey);

    let s = correction.back(state, undefined, NOW).state;
    s = correction.back(s, undefined, NOW).state;
    const again = run(correction, s, [{ personConsent: 'refused' }, { whatHappensInstead: 'Body map.' }]);
    const e2 = onlyConsent(again.effects);
    expect(e2.corrects).toBe(state.recorded.consent_decision);
    expect(e2.reason).toBe('Changed by the worker in the consent log correction walkthrough.');
    expect(e2.idempotencyKey).toMatch(/^walkthrough:/);
  });
});
