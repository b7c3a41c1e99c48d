/**
 * THE CONSENT LOG ON ITS OWN ("log consent"), as data: the consent steps of the photo decision (FLOW_V1, guidance
 * 2.3.2) with their own transitions, for a worker who has had advice to photograph and needs to log the consent
 * decision. Same step and field ids as FLOW_V1, so RECORDS_V1.consent_decision builds the entry unchanged.
 *
 *   seen ──(adult)──> capacity ──(yes)──> consent ──(given)──> photo_care ──> summary ──(finish)
 *                     capacity ──(no)───> best_interests ──(photograph)──> photo_care
 *   seen ──(child)──> parental_consent ──(given)──> photo_care
 *   consent / best_interests / parental_consent ──(refused, not possible)──> consent_refused ──> summary
 *
 * photo_care and consent_refused each record the consent_decision; the summary records nothing more (no
 * incident summary: the managers' channel is for incidents, and the photo decision posts its own).
 *
 * CONSENT_CORRECTION_FLOW is the same, started from an entry in "my consent log": its first step also asks why
 * the entry needs correcting (required), and the consent_decision it records is a correction of that entry
 * (Flow.corrects; the machine stores it with the worker's reason). The entry corrected is never changed.
 */
import { FLOW_V1 } from './flow';
import { RECORDS_V1 } from './entries';
import type { FlowRegistry } from './machine';
import type { FieldDef, Flow, StepDef } from './types';

export const CONSENT_FLOW_VERSION = 'consent-1';
export const CONSENT_CORRECTION_FLOW_VERSION = 'consent-fix-1';

const photoStep = (id: string): StepDef => {
  const step = FLOW_V1.steps[id];
  if (!step) throw new Error(`FLOW_V1 has no step ${id}`);
  return step;
};

const field = (step: string, id: string): FieldDef => {
  const f = photoStep(step).fields.find((x) => x.id === id);
  if (!f) throw new Error(`FLOW_V1 step ${step} has no field ${id}`);
  return f;
};

/** What the log asks first: adult or child, and the case. Photographs need advice before any of this. */
const SEEN_FIELDS: readonly FieldDef[] = [field('seen', 'personType'), field('seen', 'caseRef')];

const ADVICE_FIRST =
  "Photographs of injuries need advice from your manager or designated safeguarding manager first. If you have not had that advice, do not take photographs: type 'photo decision' instead.";

/** The consent steps, reused from FLOW_V1 with this log's stages and transitions. */
function consentSteps(): StepDef[] {
  const at = (id: string, stage: number, next: StepDef['next'], extra: Partial<StepDef> = {}): StepDef => ({
    ...photoStep(id),
    stage,
    next,
    ...extra,
  });
  return [
    at('capacity', 2, photoStep('capacity').next),
    at('consent', 2, photoStep('consent').next),
    at('best_interests', 2, photoStep('best_interests').next),
    at('parental_consent', 2, photoStep('parental_consent').next),
    at('photo_care', 3, [{ to: 'summary' }]),
    at('consent_refused', 3, [{ to: 'summary' }]),
    {
      id: 'summary',
      stage: 4,
      title: 'Summary',
      summary: true,
      fields: [],
      buttons: [{ choice: 'finish', title: 'Finish', action: 'finish', style: 'positive' }],
      next: [],
    },
  ];
}

const BY_PERSON: StepDef['next'] = [
  { when: { field: 'personType', equals: 'adult' }, to: 'capacity' },
  { to: 'parental_consent' },
];

const STAGES = ['The case', 'Consent', 'Photographs or not', 'Summary'];

const CONSENT_STEPS: readonly StepDef[] = [
  {
    id: 'seen',
    stage: 1,
    title: 'Log a consent decision',
    text: ['Use this to log a consent decision about evidential photographs.', ADVICE_FIRST],
    fields: SEEN_FIELDS,
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    next: BY_PERSON,
  },
  ...consentSteps(),
];

export const CONSENT_FLOW_V1: Flow = {
  version: CONSENT_FLOW_VERSION,
  title: 'Consent log',
  summaryTitle: 'Consent decision',
  command: 'log consent',
  first: 'seen',
  stages: STAGES,
  steps: Object.fromEntries(CONSENT_STEPS.map((s) => [s.id, s])),
  records: RECORDS_V1,
};

/** The reason for a correction: the worker's own words, checked for personal identifiers like any free text. */
const REASON_FIELD: FieldDef = {
  id: 'reason',
  label: 'Why does the entry need correcting?',
  type: 'multiline',
  required: true,
  maxLength: 1000,
  help: 'For example: I chose the wrong answer for consent. Use roles, not names.',
  errorMessage: 'Say why the entry needs correcting.',
};

const CORRECTION_STEPS: readonly StepDef[] = [
  {
    id: 'seen',
    stage: 1,
    title: 'Correct a consent decision',
    text: [
      'The entry you are correcting is kept as it is. Your correction is saved as a new entry that points to it, with your reason.',
      'Then answer the questions again, as they should have been answered.',
    ],
    fields: [REASON_FIELD, ...SEEN_FIELDS],
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    next: BY_PERSON,
  },
  ...consentSteps(),
];

export const CONSENT_CORRECTION_FLOW_V1: Flow = {
  version: CONSENT_CORRECTION_FLOW_VERSION,
  title: 'Consent log correction',
  summaryTitle: 'Corrected consent decision',
  command: 'my consent log',
  first: 'seen',
  stages: STAGES,
  steps: Object.fromEntries(CORRECTION_STEPS.map((s) => [s.id, s])),
  records: { ...RECORDS_V1, correctionReason: (r) => r.get('seen', 'reason') },
  corrects: 'consent_decision',
};

/** Every version of the stand-alone consent log a stored walkthrough may be on. */
export const CONSENT_REGISTRY: FlowRegistry = {
  flows: { [CONSENT_FLOW_V1.version]: CONSENT_FLOW_V1 },
  current: CONSENT_FLOW_VERSION,
};
export const CONSENT_CORRECTION_REGISTRY: FlowRegistry = {
  flows: { [CONSENT_CORRECTION_FLOW_V1.version]: CONSENT_CORRECTION_FLOW_V1 },
  current: CONSENT_CORRECTION_FLOW_VERSION,
};

/** The button that starts a correction walkthrough (it is created, pre-filled from the entry, on this press). */
export const BEGIN_CHOICE = 'begin';
