/**
 * THE INJURY-PHOTO DECISION (guidance section 2.3.2), as data: every step, its questions, what is required,
 * where each answer leads and what it records. "Photographs need advice first" is the step `advice_sought`
 * and its two ways on: `record_advice` (advice had) or `get_advice` (do not take photographs yet).
 *
 *   seen ──(immediate danger: before any other answer is checked)──> danger ──> advice_sought (or back to seen for the rest)
 *   seen ─────────────────────────────────> advice_sought ──(yes)──> record_advice
 *                                           advice_sought ──(no)───> get_advice ──(ask)──> awaiting_advice
 *                                                     get_advice / awaiting_advice ──(had it by phone)──> record_advice
 *   record_advice ──(photograph, adult)──> capacity ──(yes)──> consent ──(given)──> photo_care ──> written_record
 *                                          capacity ──(no)───> best_interests ──(photograph)──> photo_care
 *   record_advice ──(photograph, child)──> parental_consent ──(given)──> photo_care
 *   consent / best_interests / parental_consent ──(refused, not possible)──> consent_refused ──> body_map
 *   record_advice ──(do not photograph)──> body_map ──> written_record ──> referral ──> summary ──(finish)
 *
 * Changing a step, a field or a transition in a way that would confuse a walkthrough already under way means a
 * new FLOW_VERSION, with the old flow kept in FLOWS so that walkthroughs started on it finish on it (or mark it
 * retired to restart them with an explanation).
 */
import { AGE_BAND_LABEL, BODY_REGIONS } from '../bodymap/regions';
import { RECORDS_V1, RECORDS_V2 } from './entries';
import type { Choice, FieldDef, Flow, StepDef } from './types';

export const FLOW_VERSION = '2';

const YES_NO: readonly Choice[] = [
  { value: 'yes', title: 'Yes' },
  { value: 'no', title: 'No' },
];

export const CONCERNS: readonly Choice[] = [
  { value: 'physical_injury', title: 'A possible physical injury' },
  { value: 'signs_of_abuse', title: 'Signs of abuse' },
  { value: 'signs_of_neglect', title: 'Signs of neglect' },
];

export const PERSON_TYPES: readonly Choice[] = [
  { value: 'adult', title: 'An adult' },
  { value: 'child', title: 'A child (under 18)' },
];

export const ADVICE_DECISIONS: readonly Choice[] = [
  { value: 'photograph', title: 'Take photographs' },
  { value: 'do_not_photograph', title: 'Do not take photographs' },
];

export const ADVICE_VIA: readonly Choice[] = [
  { value: 'keepsafe', title: 'Answered in KeepSafe', onlyIfSet: true },
  { value: 'phone', title: 'By phone' },
  { value: 'in_person', title: 'In person' },
];

export const CONSENT_ANSWERS: readonly Choice[] = [
  { value: 'given', title: 'Yes, they agreed' },
  { value: 'refused', title: 'No, they refused' },
  { value: 'not_possible', title: 'They could not be asked' },
];

export const ATTORNEY_OR_DEPUTY: readonly Choice[] = [
  { value: 'none', title: 'No' },
  { value: 'attorney', title: 'Yes, an attorney (lasting power of attorney)' },
  { value: 'deputy', title: 'Yes, a deputy (Court of Protection)' },
  { value: 'not_known', title: "I don't know" },
];

export const MARK_TYPES: readonly Choice[] = [
  { value: 'bruise', title: 'Bruise' },
  { value: 'cut', title: 'Cut' },
  { value: 'burn_or_scald', title: 'Burn or scald' },
  { value: 'redness', title: 'Redness' },
  { value: 'swelling', title: 'Swelling' },
  { value: 'other', title: 'Other' },
];

export const VIEWS: readonly Choice[] = [
  { value: 'front', title: 'Front' },
  { value: 'back', title: 'Back' },
];

const REGIONS: readonly Choice[] = BODY_REGIONS.map((r) => ({ value: r.id, title: r.label }));

/** When the person was seen / the advice was given: date and time, not in the future. */
const dateField = (id: string, label: string): FieldDef => ({
  id,
  label,
  type: 'date',
  required: true,
  notInFuture: true,
  errorMessage: 'Enter the date. It cannot be in the future.',
});
const timeField = (id: string, label: string): FieldDef => ({
  id,
  label,
  type: 'time',
  required: true,
  errorMessage: 'Enter the time, for example 14:30.',
});

const STEPS: readonly StepDef[] = [
  {
    id: 'seen',
    stage: 1,
    title: 'What did you see?',
    text: ['Answer a few questions. You can stop and come back later: nothing is lost.'],
    fields: [
      {
        id: 'immediateDanger',
        label: 'Is anyone in immediate danger?',
        type: 'choice',
        choices: YES_NO,
        required: true,
        errorMessage: 'Say whether anyone is in immediate danger.',
      },
      {
        id: 'concern',
        label: 'What did you see?',
        type: 'choice',
        choices: CONCERNS,
        required: true,
        errorMessage: 'Choose what you saw.',
      },
      {
        id: 'personType',
        label: 'Is this about an adult or a child?',
        type: 'choice',
        choices: PERSON_TYPES,
        required: true,
        errorMessage: 'Choose adult or child.',
      },
      {
        id: 'caseRef',
        label: 'Case reference',
        type: 'text',
        required: true,
        maxLength: 20,
        format: 'caseRef',
        placeholder: 'For example LCS-123456',
        help: "From the case record. Never the person's name.",
        errorMessage: 'Enter the case reference from the case record, not a name.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    // Danger first: "yes" goes straight to the danger card, even with the rest of this card empty.
    next: [{ when: { field: 'immediateDanger', equals: 'yes' }, to: 'danger', urgent: true }, { to: 'advice_sought' }],
  },
  {
    id: 'danger',
    stage: 1,
    title: 'Someone is in immediate danger',
    warning: {
      heading: 'Call 999 or the emergency duty team now.',
      text: ['Do this before anything else.', 'Come back here when it is safe. What you entered is kept.'],
    },
    contact: 'emergency',
    fields: [],
    buttons: [{ choice: 'continue', title: "I've made the call", style: 'positive' }],
    // On to advice when the first card was filled in; otherwise back to it (what was entered is kept) for the rest.
    next: [{ when: { complete: 'seen' }, to: 'advice_sought' }, { to: 'seen' }],
  },
  {
    id: 'advice_sought',
    stage: 2,
    title: 'Advice before photographs',
    text: ['Have you asked your manager or designated safeguarding manager for advice about taking photographs?'],
    fields: [],
    buttons: [
      { choice: 'yes', title: "Yes, I've had advice", style: 'positive' },
      { choice: 'no', title: 'No, not yet' },
    ],
    next: [{ when: { choice: 'yes' }, to: 'record_advice' }, { to: 'get_advice' }],
  },
  {
    id: 'get_advice',
    stage: 2,
    title: 'Get advice first',
    warning: {
      heading: 'Do not take photographs yet.',
      text: [
        'Get advice from your manager or designated safeguarding manager first.',
        'This protects you if your actions could be misread.',
      ],
    },
    text: [
      '"Ask for advice now" sends the managers an urgent request. It says only the case reference, the kind of concern and your name.',
      'Had advice by phone or in person? Press "I\'ve had advice" to record it.',
    ],
    fields: [],
    buttons: [
      { choice: 'ask', title: 'Ask for advice now', style: 'positive' },
      { choice: 'had_advice', title: "I've had advice" },
    ],
    next: [{ when: { choice: 'ask' }, to: 'awaiting_advice' }, { to: 'record_advice' }],
    emits: [
      { what: 'advice_request', when: { choice: 'ask' } },
      { what: 'request_advice', when: { choice: 'ask' } },
    ],
  },
  {
    id: 'awaiting_advice',
    stage: 2,
    title: 'Waiting for advice',
    status: 'awaiting_advice',
    warning: { heading: 'Do not take photographs yet.', text: ['Wait for advice from a manager.'] },
    text: [
      'Your request has gone to the managers.',
      'You will get a message here when a manager answers. You can close this and come back.',
      'Had advice by phone or in person meanwhile? Press "I\'ve had advice" to record it.',
    ],
    fields: [],
    buttons: [{ choice: 'had_advice', title: "I've had advice" }],
    next: [{ to: 'record_advice' }],
  },
  {
    id: 'record_advice',
    stage: 3,
    title: 'Record the advice',
    text: ['Write down the advice you were given.'],
    fields: [
      {
        id: 'adviserName',
        label: 'Who gave the advice?',
        type: 'text',
        required: true,
        maxLength: 120,
        placeholder: 'Their name',
        namesStaff: true,
        errorMessage: 'Enter the name of the person who gave the advice.',
      },
      {
        id: 'adviserRole',
        label: 'Their role',
        type: 'text',
        required: true,
        maxLength: 120,
        placeholder: 'For example: team manager',
        namesStaff: true,
        help: 'For example: team manager, designated safeguarding manager.',
        errorMessage: 'Enter their role.',
      },
      {
        id: 'via',
        label: 'How did you get the advice?',
        type: 'choice',
        choices: ADVICE_VIA,
        required: true,
        errorMessage: 'Choose how you got the advice.',
      },
      dateField('givenDate', 'Date of the advice'),
      timeField('givenTime', 'Time of the advice'),
      {
        id: 'decision',
        label: 'What was the advice?',
        type: 'choice',
        choices: ADVICE_DECISIONS,
        required: true,
        errorMessage: 'Choose what the advice was.',
      },
      {
        id: 'conditions',
        label: 'Any conditions or other advice',
        type: 'multiline',
        maxLength: 2000,
        help: 'Optional. For example: only the arm, with a colleague present.',
        errorMessage: 'Keep this under 2000 characters.',
      },
    ],
    checks: [
      {
        kind: 'not_in_future',
        date: 'givenDate',
        time: 'givenTime',
        message: 'The time of the advice cannot be in the future.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Save and continue', style: 'positive', inputs: true }],
    emits: [{ what: 'advice_given' }],
    next: [
      {
        when: {
          all: [
            { field: 'decision', equals: 'photograph' },
            { step: 'seen', field: 'personType', equals: 'adult' },
          ],
        },
        to: 'capacity',
      },
      { when: { field: 'decision', equals: 'photograph' }, to: 'parental_consent' },
      { to: 'body_map' },
    ],
  },
  {
    id: 'capacity',
    stage: 4,
    title: 'Capacity to consent',
    fields: [
      {
        id: 'hasCapacity',
        label: 'Can the person decide for themselves about photographs?',
        type: 'choice',
        choices: [
          { value: 'yes', title: 'Yes, they have capacity' },
          { value: 'no', title: 'No, they lack capacity' },
        ],
        required: true,
        help: 'Assume they can, unless they cannot understand, remember, weigh up or communicate the decision (Mental Capacity Act 2005).',
        errorMessage: 'Say whether the person has capacity to consent.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    next: [{ when: { field: 'hasCapacity', equals: 'yes' }, to: 'consent' }, { to: 'best_interests' }],
  },
  {
    id: 'consent',
    stage: 4,
    title: 'Consent',
    text: ['Ask the person if they agree to photographs. Explain why, and who will see them.'],
    fields: [
      {
        id: 'personConsent',
        label: 'Did they agree to photographs?',
        type: 'choice',
        choices: CONSENT_ANSWERS,
        required: true,
        errorMessage: 'Say whether they agreed.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    next: [{ when: { field: 'personConsent', equals: 'given' }, to: 'photo_care' }, { to: 'consent_refused' }],
  },
  {
    id: 'best_interests',
    stage: 4,
    title: 'Best-interests decision',
    text: ['The person cannot consent. A decision must be made in their best interests.'],
    fields: [
      {
        id: 'bestInterestsDecision',
        label: "Are photographs in the person's best interests?",
        type: 'choice',
        choices: [
          { value: 'photograph', title: 'Yes, take photographs' },
          { value: 'do_not_photograph', title: 'No, do not take photographs' },
        ],
        required: true,
        errorMessage: 'Choose the best-interests decision.',
      },
      {
        id: 'consulted',
        label: 'Who was consulted?',
        type: 'text',
        required: true,
        maxLength: 500,
        help: 'Their relationship or role, for example: daughter, GP, care home manager.',
        errorMessage: 'Say who was consulted.',
      },
      {
        id: 'attorneyOrDeputy',
        label: 'Is there an attorney or deputy for health and welfare?',
        type: 'choice',
        choices: ATTORNEY_OR_DEPUTY,
        required: true,
        errorMessage: 'Say whether there is an attorney or deputy.',
      },
      {
        id: 'note',
        label: 'How was the decision reached?',
        type: 'multiline',
        maxLength: 2000,
        help: 'Optional.',
        errorMessage: 'Keep this under 2000 characters.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    next: [
      { when: { field: 'bestInterestsDecision', equals: 'photograph' }, to: 'photo_care' },
      { to: 'consent_refused' },
    ],
  },
  {
    id: 'parental_consent',
    stage: 4,
    title: 'Consent for a child',
    fields: [
      {
        id: 'parentalResponsibility',
        label: 'Who has parental responsibility?',
        type: 'text',
        required: true,
        maxLength: 200,
        help: 'Their relationship to the child, for example: mother, the council (care order). Not a name.',
        errorMessage: 'Say who has parental responsibility.',
      },
      {
        id: 'parentalConsent',
        label: 'Did they agree to photographs?',
        type: 'choice',
        choices: CONSENT_ANSWERS,
        required: true,
        errorMessage: 'Say whether they agreed.',
      },
      {
        id: 'childView',
        label: "The child's own view",
        type: 'multiline',
        required: true,
        maxLength: 1000,
        help: 'In their words if you can. If they are too young to say, write that.',
        errorMessage: "Write down the child's view, or that they are too young to give one.",
      },
    ],
    buttons: [{ choice: 'continue', title: 'Next', style: 'positive', inputs: true }],
    next: [{ when: { field: 'parentalConsent', equals: 'given' }, to: 'photo_care' }, { to: 'consent_refused' }],
  },
  {
    id: 'consent_refused',
    stage: 4,
    title: 'No consent',
    warning: { heading: 'Do not take photographs.', text: ['Consent was refused or was not possible.'] },
    fields: [
      {
        id: 'whatHappensInstead',
        label: 'What will happen instead?',
        type: 'multiline',
        required: true,
        maxLength: 2000,
        help: 'For example: mark the injuries on a body map, write a record and refer my concerns.',
        errorMessage: 'Say what will happen instead of photographs.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Save and continue', style: 'positive', inputs: true }],
    emits: [{ what: 'consent_decision' }],
    next: [{ to: 'body_map' }],
  },
  {
    id: 'photo_care',
    stage: 4,
    title: 'Taking the photographs',
    warning: { heading: 'Photographs never go into Teams.', text: ['Not this chat, not a channel, not a message.'] },
    fields: [
      {
        id: 'workDevice',
        label: 'Device',
        type: 'toggle',
        toggleTitle: 'I will use a work phone or tablet only',
        required: true,
        mustBeOn: true,
        help: "A work device keeps the photographs in the council's secure systems. A personal phone can copy them to personal cloud storage.",
        errorMessage: 'Use a work device only. Switch this on to continue.',
      },
      {
        id: 'caseRecord',
        label: 'Where the photographs go',
        type: 'toggle',
        toggleTitle: "I will save them to the case record only, not the phone's gallery or a chat",
        required: true,
        mustBeOn: true,
        help: 'Then delete them from the device.',
        errorMessage: 'Photographs go in the case record only. Switch this on to continue.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Save and continue', style: 'positive', inputs: true }],
    emits: [{ what: 'consent_decision' }],
    next: [{ to: 'written_record' }],
  },
  {
    id: 'body_map',
    stage: 4,
    title: 'Body map',
    text: ['Mark where each injury is. Add one mark at a time, then press Continue.'],
    marks: { min: 1, max: 20 },
    fields: [
      {
        id: 'view',
        label: 'Front or back of the body?',
        type: 'choice',
        choices: VIEWS,
        required: true,
        errorMessage: 'Choose front or back.',
      },
      {
        id: 'region',
        label: 'Where on the body?',
        type: 'choice',
        choices: REGIONS,
        required: true,
        errorMessage: 'Choose where on the body.',
      },
      {
        id: 'markType',
        label: 'Type of mark',
        type: 'choice',
        choices: MARK_TYPES,
        required: true,
        errorMessage: 'Choose the type of mark.',
      },
      {
        id: 'sizeCm',
        label: 'Approximate size (cm)',
        type: 'number',
        required: true,
        min: 0,
        minExclusive: true,
        max: 200,
        errorMessage: 'Enter the size in centimetres: a number more than 0 and up to 200.',
      },
      {
        id: 'colour',
        label: 'Colour',
        type: 'text',
        maxLength: 60,
        help: 'Optional. For example: purple, yellow-green.',
        errorMessage: 'Keep the colour under 60 characters.',
      },
      {
        id: 'description',
        label: 'Describe it, factually',
        type: 'multiline',
        required: true,
        maxLength: 1000,
        help: 'What you saw, not what you think caused it.',
        errorMessage: 'Describe the mark (what you saw).',
      },
    ],
    checks: [
      {
        kind: 'region_in_view',
        region: 'region',
        view: 'view',
        message: 'That part of the body is not seen from that side. Check front or back.',
      },
    ],
    buttons: [
      { choice: 'add_mark', title: 'Add this mark', action: 'add_mark', inputs: true },
      { choice: 'continue', title: 'Continue', style: 'positive', inputs: true },
    ],
    emits: [{ what: 'body_map' }],
    next: [{ to: 'written_record' }],
  },
  {
    id: 'written_record',
    stage: 4,
    title: 'Written record',
    text: ['Write down what you saw and what was said. Facts only.'],
    fields: [
      {
        id: 'whatWasSeen',
        label: 'What did you see?',
        type: 'multiline',
        required: true,
        maxLength: 4000,
        help: 'Where on the body, size, colour, how the person seemed.',
        errorMessage: 'Write down what you saw.',
      },
      dateField('seenDate', 'Date you saw it'),
      timeField('seenTime', 'Time you saw it'),
      {
        id: 'whatWasSaid',
        label: 'What was said, and by whom?',
        type: 'multiline',
        maxLength: 2000,
        help: 'Optional.',
        errorMessage: 'Keep this under 2000 characters.',
      },
      {
        id: 'explainedBy',
        label: 'Who explained the injury?',
        type: 'text',
        maxLength: 200,
        help: 'Their relationship or role, for example: the child, mother. Leave empty if nobody did.',
        errorMessage: 'Keep this under 200 characters.',
      },
      {
        id: 'explanationGiven',
        label: 'Their explanation, in their own words',
        type: 'multiline',
        maxLength: 2000,
        requiredWhen: { field: 'explainedBy', filled: true },
        errorMessage: 'Write down their explanation in their own words.',
      },
    ],
    checks: [
      {
        kind: 'not_in_future',
        date: 'seenDate',
        time: 'seenTime',
        message: 'The time you saw it cannot be in the future.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Save and continue', style: 'positive', inputs: true }],
    emits: [{ what: 'written_record' }],
    next: [{ to: 'referral' }],
  },
  {
    id: 'referral',
    stage: 4,
    title: 'Refer your concerns',
    text: ['Refer your concerns in the usual way, today.'],
    contact: 'referral',
    fields: [
      {
        id: 'referralMade',
        label: 'Referral',
        type: 'toggle',
        toggleTitle: 'I have referred my concerns',
        errorMessage: 'Say whether you have referred your concerns.',
      },
      {
        id: 'referredTo',
        label: 'Referred to',
        type: 'text',
        maxLength: 200,
        requiredWhen: { field: 'referralMade', equals: 'true' },
        help: "The team, for example: children's front door, adult safeguarding.",
        errorMessage: 'Say who you referred to.',
      },
      {
        id: 'referenceNumber',
        label: 'Referral reference number',
        type: 'text',
        maxLength: 60,
        help: 'Optional, if you have one.',
        errorMessage: 'Keep the reference under 60 characters.',
      },
    ],
    buttons: [{ choice: 'continue', title: 'Save and continue', style: 'positive', inputs: true }],
    emits: [{ what: 'referral' }],
    next: [{ to: 'summary' }],
  },
  {
    id: 'summary',
    stage: 5,
    title: 'Summary',
    summary: true,
    fields: [],
    buttons: [{ choice: 'finish', title: 'Finish', action: 'finish', style: 'positive' }],
    emits: [{ what: 'incident_summary' }],
    next: [],
  },
];

export const FLOW_V1: Flow = {
  version: '1',
  title: 'Photo decision',
  first: 'seen',
  stages: ['What you saw', 'Advice', 'Record the advice', 'Consent or body map', 'Summary'],
  steps: Object.fromEntries(STEPS.map((s) => [s.id, s])),
  records: RECORDS_V1,
};

// ---- flow version 2: the body map with a picture, four views, three outlines, and each mark as practice records it ----

export const BODY_VIEWS_CHOICES: readonly Choice[] = [
  { value: 'front', title: 'Front' },
  { value: 'back', title: 'Back' },
  { value: 'left', title: 'Left side' },
  { value: 'right', title: 'Right side' },
];

export const MARK_VERTICAL: readonly Choice[] = [
  { value: 'upper', title: 'Upper part' },
  { value: 'middle', title: 'Middle' },
  { value: 'lower', title: 'Lower part' },
];

/** Every side a mark can be on; the card offers those that fit the view and region (geometry.acrossChoices). */
export const MARK_ACROSS: readonly Choice[] = [
  { value: 'inner', title: 'Inner side (towards the middle of the body)' },
  { value: 'outer', title: 'Outer side' },
  { value: 'left', title: "The person's left" },
  { value: 'right', title: "The person's right" },
  { value: 'front', title: 'Towards the front' },
  { value: 'back', title: 'Towards the back' },
];

export const MARK_SHAPES: readonly Choice[] = [
  { value: 'round', title: 'Round' },
  { value: 'oval', title: 'Oval' },
  { value: 'line', title: 'A line or strip' },
  { value: 'irregular', title: 'Irregular' },
  { value: 'patterned', title: 'Has a pattern (e.g. fingertips, a loop, an imprint)' },
];

const YES_NO_UNKNOWN: readonly Choice[] = [
  { value: 'yes', title: 'Yes' },
  { value: 'no', title: 'No' },
  { value: 'not_known', title: "Can't tell" },
];

export const EXPLANATIONS: readonly Choice[] = [
  { value: 'none', title: 'No explanation was given' },
  { value: 'the_person', title: 'The person explained it' },
  { value: 'someone_else', title: 'Someone else explained it' },
];

const ALL_REGIONS: readonly Choice[] = BODY_REGIONS.map((r) => ({ value: r.id, title: r.label }));

const triField = (id: string, label: string, what: string): FieldDef => ({
  id,
  label,
  type: 'choice',
  choices: YES_NO_UNKNOWN,
  required: true,
  errorMessage: `Say whether ${what}, or that you can't tell.`,
});

const isChild = { step: 'seen', field: 'personType', equals: 'child' } as const;

const BODY_MAP_V2: StepDef = {
  id: 'body_map',
  stage: 4,
  title: 'Body map',
  text: [
    'Choose the side of the body, then the numbered part in the picture. Add one mark at a time, then press Continue.',
  ],
  marks: { min: 1, max: 20, keep: ['view', 'ageBand'], defaults: { view: 'front' } },
  fields: [
    {
      id: 'region',
      label: 'Where on the body? (the number in the picture)',
      type: 'choice',
      choices: ALL_REGIONS,
      bodyMapChoices: 'region',
      required: true,
      errorMessage: 'Choose the part of the body, by its number in the picture.',
    },
    {
      id: 'vertical',
      label: 'Which part of it?',
      type: 'choice',
      choices: MARK_VERTICAL,
      help: 'Optional. Leave it for the middle.',
      errorMessage: 'Choose upper, middle or lower.',
    },
    {
      id: 'across',
      label: 'Which side of it?',
      type: 'choice',
      choices: MARK_ACROSS,
      bodyMapChoices: 'across',
      help: 'Optional. Leave it for the centre.',
      errorMessage: 'Choose a side that fits this part of the body.',
    },
    {
      id: 'markType',
      label: 'Type of mark',
      type: 'choice',
      choices: MARK_TYPES,
      required: true,
      errorMessage: 'Choose the type of mark.',
    },
    {
      id: 'lengthCm',
      label: 'Length (cm)',
      type: 'number',
      required: true,
      min: 0,
      minExclusive: true,
      max: 200,
      help: 'The longest measurement.',
      errorMessage: 'Enter the length in centimetres: a number more than 0 and up to 200.',
    },
    {
      id: 'widthCm',
      label: 'Width (cm)',
      type: 'number',
      required: true,
      min: 0,
      minExclusive: true,
      max: 200,
      help: 'Across, at the widest. The same as the length for a round mark.',
      errorMessage: 'Enter the width in centimetres: a number more than 0 and up to 200.',
    },
    {
      id: 'shape',
      label: 'Shape',
      type: 'choice',
      choices: MARK_SHAPES,
      required: true,
      errorMessage: 'Choose the shape.',
    },
    {
      id: 'colour',
      label: 'Colour, in plain words',
      type: 'text',
      required: true,
      maxLength: 60,
      placeholder: 'For example: purple with a yellow edge',
      help: 'Describe it. Never use the colour to guess how old a bruise is.',
      errorMessage: 'Say what colour it is, in plain words.',
    },
    triField('skinBroken', 'Is the skin broken?', 'the skin is broken'),
    triField('swelling', 'Is there swelling?', 'there is swelling'),
    triField('bleeding', 'Is it bleeding?', 'it is bleeding'),
    {
      id: 'explanation',
      label: 'Was it explained?',
      type: 'choice',
      choices: EXPLANATIONS,
      required: true,
      errorMessage: 'Say whether anyone explained it.',
    },
    {
      id: 'explainedBy',
      label: 'Who explained it?',
      type: 'text',
      maxLength: 120,
      requiredWhen: { field: 'explanation', equals: 'someone_else' },
      help: 'Their relationship or role, for example: mother, carer. Not a name.',
      errorMessage: 'Say who explained it, by relationship or role.',
    },
    {
      id: 'explanationWords',
      label: 'The explanation, in their own words',
      type: 'multiline',
      maxLength: 1000,
      requiredWhen: { field: 'explanation', oneOf: ['the_person', 'someone_else'] },
      errorMessage: 'Write down the explanation in their own words.',
    },
    {
      id: 'description',
      label: 'Anything else you saw',
      type: 'multiline',
      maxLength: 1000,
      help: 'Optional. Facts only.',
      errorMessage: 'Keep this under 1000 characters.',
    },
    {
      id: 'recorderRole',
      label: 'Your role',
      type: 'text',
      required: true,
      maxLength: 120,
      perMap: true,
      namesStaff: true,
      placeholder: 'For example: support worker',
      help: 'Recorded with your name and the time.',
      errorMessage: 'Enter your role.',
    },
  ],
  checks: [
    {
      kind: 'region_in_view',
      region: 'region',
      view: 'view',
      message: 'That part of the body is not seen from this side. Choose a number from the picture.',
    },
    {
      kind: 'across_fits',
      region: 'region',
      view: 'view',
      across: 'across',
      message:
        'That side does not fit this part of the body. Inner or outer for an arm or leg; left or right for the head, neck or trunk.',
    },
    {
      kind: 'not_more_than',
      field: 'widthCm',
      than: 'lengthCm',
      message: 'The width is the shorter measurement: no more than the length.',
    },
  ],
  buttons: [
    // "Front view", "Back view": a plain "Back" would read as the Back button that goes to the step before.
    ...BODY_VIEWS_CHOICES.map((v) => ({
      choice: `view_${v.value}`,
      title: v.value === 'front' || v.value === 'back' ? `${v.title} view` : v.title,
      action: 'set' as const,
      inputs: true,
      sets: { view: v.value },
    })),
    ...(['baby', 'child', 'adult'] as const).map((b) => ({
      choice: `band_${b}`,
      title: { baby: 'Baby outline', child: 'Child outline', adult: 'Adult outline' }[b],
      action: 'set' as const,
      inputs: true,
      sets: { ageBand: b },
      when: isChild,
    })),
    { choice: 'add_mark', title: 'Add this mark', action: 'add_mark', inputs: true },
    { choice: 'continue', title: 'Continue', style: 'positive', inputs: true },
  ],
  emits: [{ what: 'body_map' }],
  next: [{ to: 'written_record' }],
};

/** The outline buttons' help, for the card. */
export const AGE_BAND_HELP = `Outlines: ${AGE_BAND_LABEL.baby}, ${AGE_BAND_LABEL.child}, ${AGE_BAND_LABEL.adult}.`;

export const FLOW_V2: Flow = {
  ...FLOW_V1,
  version: '2',
  steps: { ...FLOW_V1.steps, body_map: BODY_MAP_V2 },
  records: RECORDS_V2,
};

/** Every flow version a stored walkthrough may be on. Keep old versions here until no walkthrough uses them. */
export const FLOWS: Readonly<Record<string, Flow>> = { [FLOW_V1.version]: FLOW_V1, [FLOW_V2.version]: FLOW_V2 };

export const STEP_IDS = STEPS.map((s) => s.id);

/** Names used in the card's data that no field may take. */
export const RESERVED_KEYS = ['action', 'walkId', 'step', 'flowVersion', 'rev', 'choice', 'markId'] as const;
