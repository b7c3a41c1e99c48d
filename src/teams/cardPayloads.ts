/**
 * Every payload a card can send back, as strict schemas. The Teams layer checks a payload here before any
 * logic runs. Unknown fields are refused, apart from the `msteams` envelope Teams echoes back on messageBack.
 *
 * - Action.Submit payloads (arrive as a message with `activity.value`): a discriminated union on `action`.
 * - Action.Execute payloads (arrive as an `adaptiveCard/action` invoke): one schema per `verb`.
 *
 * Either becomes one CardPress (pressFromSubmit, pressFromExecute) for the one route table in features/routes.ts:
 * a walkthrough button's payload is split there, once, into its checked button data and the step's inputs.
 */
import { z } from 'zod';
import { parseWalkthroughAction } from '../core/walkthrough';
import type { CardPress } from '../features/routes';
import { LEAD_KEYS } from '../features/guidance/views';

/** A section number as the guidance numbers them: 1, 2.1, 2.3.2 (no zeros, at most three levels). */
export const SectionNumberSchema = z.string().regex(/^[1-9](\.[1-9]){0,2}$/, 'not a section number');

/** The envelope Teams adds to (and may echo back in) a messageBack submit. Only its shape is checked. */
const MsTeamsEnvelope = z
  .object({
    type: z.string().max(40),
    displayText: z.string().max(1000),
    text: z.string().max(1000),
    value: z.unknown(),
  })
  .partial()
  .optional();

/** The report card's inputs, as Teams sends them (strings); checked properly in core/incidents/report.ts. */
const ReportInputs = {
  type: z.string().max(64).optional(),
  summary: z.string().max(10_000).optional(),
  happenedDate: z.string().max(32).optional(),
  happenedTime: z.string().max(16).optional(),
  platform: z.string().max(64).optional(),
  urgency: z.string().max(16).optional(),
  caseRef: z.string().max(64).optional(),
  evidenceKept: z.string().max(8).optional(),
};
const IncidentStep = {
  step: z.enum(['submit', 'confirm', 'cancel']),
  digest: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  ...ReportInputs,
};
const IncidentAct = {
  incidentId: z.string().uuid(),
  // Teams sends template numbers back as they were written: accept "3" as well as 3.
  sequence: z.coerce.number().int().min(1).max(10_000),
  // `details`: the full report and managers' notes, sent privately to the manager who asks (nothing is stored).
  act: z.enum(['acknowledge', 'take_ownership', 'note', 'resolve', 'reopen', 'details']),
  note: z.string().max(2000).optional(),
  resolveNote: z.string().max(2000).optional(),
  outcome: z
    .enum([
      'no_further_action',
      'advice_given',
      'post_removed',
      'reported_to_platform',
      'hr_or_disciplinary',
      'police',
      'other',
    ])
    .optional(),
};

/**
 * A walkthrough button: its own fields (checked strictly by core/walkthrough's parseWalkthroughAction) and the
 * step's inputs, whose ids come from the flow. Here only the shape: short values of simple types.
 */
const WalkthroughPress = z
  .object({
    walkId: z.string().max(64),
    step: z.string().max(64),
    flowVersion: z.string().max(32),
    rev: z.number(),
    choice: z.string().max(64),
  })
  .catchall(z.union([z.string().max(10_000), z.number(), z.boolean()]));
const AdviceAnswer = {
  requestId: z.string().uuid(),
  walkId: z.string().uuid(),
  adviceDecision: z.enum(['photograph', 'do_not_photograph']).optional(),
  adviceNote: z.string().max(2000).optional(),
};
/** A did-you-mean press: the section chosen (or none), the sections offered, and the worker's question. */
const SectionList = z
  .string()
  .regex(/^[1-9](\.[1-9]){0,2}( [1-9](\.[1-9]){0,2}){0,2}$/, 'not a list of section numbers');
const Clarify = {
  choice: z.union([SectionNumberSchema, z.literal('none')]),
  offered: SectionList,
  question: z.string().max(1000),
};
/** "Ask a manager": open the form (with the question), submit or confirm it (the card's input), or cancel. */
const AskManager = {
  step: z.enum(['open', 'submit', 'confirm', 'cancel']),
  question: z.string().max(1000).optional(),
  digest: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  from: z.enum(['not_covered', 'did_you_mean']),
  section: z.union([SectionNumberSchema, z.literal('')]).optional(),
};
/** A manager on a question: take it (channel card), or answer it (their private card). */
const QuestionAct = {
  questionId: z.string().uuid(),
  act: z.enum(['take', 'answer']),
  step: z.enum(['submit', 'confirm']).optional(),
  answer: z.string().max(2000).optional(),
  digest: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
};
const PhotoDecision = {
  walkId: z.string().uuid().optional(),
  fresh: z.boolean().optional(),
  kind: z
    .string()
    .regex(/^[a-z]{1,20}$/)
    .optional(),
};

export const SUBMIT_ACTIONS = [
  'showSection',
  'topics',
  'help',
  'ask',
  'reportIncident',
  'photoDecision',
  'incident',
  'incidentAct',
  'walkthrough',
  'adviceAnswer',
  'clarify',
  'askManager',
  'questionAct',
] as const;
export type SubmitActionName = (typeof SUBMIT_ACTIONS)[number];

export const SubmitActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('showSection'), section: SectionNumberSchema, msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('topics'), msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('help'), msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('ask'), question: z.string().trim().min(1).max(1000), msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('reportIncident'), msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('photoDecision'), ...PhotoDecision, msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('incident'), ...IncidentStep, msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('incidentAct'), ...IncidentAct, msteams: MsTeamsEnvelope }),
  WalkthroughPress.extend({ action: z.literal('walkthrough'), msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('adviceAnswer'), ...AdviceAnswer, msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('clarify'), ...Clarify, msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('askManager'), ...AskManager, msteams: MsTeamsEnvelope }),
  z.strictObject({ action: z.literal('questionAct'), ...QuestionAct, msteams: MsTeamsEnvelope }),
]);
export type SubmitAction = z.infer<typeof SubmitActionSchema>;

export const ExecuteSchemas = {
  // `lead` and `below`: what the answer card showed (views.AnswerView), so the thanked card shows the same.
  feedback: z.strictObject({
    section: SectionNumberSchema,
    helpful: z.boolean(),
    lead: z.enum(LEAD_KEYS).optional(),
    below: z.enum(['report', 'photo']).optional(),
    points: z.array(z.number().int().min(0).max(50)).max(50).optional(),
    question: z.string().max(1000).optional(),
  }),
  incident: z.strictObject(IncidentStep),
  incidentAct: z.strictObject(IncidentAct),
  walkthrough: WalkthroughPress.extend({ action: z.literal('walkthrough') }),
  adviceAnswer: z.strictObject(AdviceAnswer),
  photoDecision: z.strictObject(PhotoDecision),
  clarify: z.strictObject(Clarify),
  askManager: z.strictObject(AskManager),
  questionAct: z.strictObject(QuestionAct),
} as const;

export type ExecuteVerb = keyof typeof ExecuteSchemas;
export const EXECUTE_VERBS = Object.keys(ExecuteSchemas) as ExecuteVerb[];
export type ExecuteAction = { [V in ExecuteVerb]: { verb: V; data: z.infer<(typeof ExecuteSchemas)[V]> } }[ExecuteVerb];

/**
 * Why a payload was refused. `kind` is stable and safe to log; `message` and `issues` are for developers'
 * logs and tests, never for the worker (they may quote field names, never field values).
 */
export type CardPayloadErrorKind = 'not_an_object' | 'unknown_action' | 'unknown_verb' | 'invalid_fields';

export class CardPayloadError extends Error {
  override readonly name = 'CardPayloadError';
  constructor(
    readonly kind: CardPayloadErrorKind,
    message: string,
    /** Each problem as "path: message", e.g. "section: not a section number", "(payload): Unrecognized key: extra". */
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: CardPayloadError };

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an Action.Submit payload (`activity.value`). */
export function parseSubmit(value: unknown): Parsed<SubmitAction> {
  if (!isPlainObject(value))
    return { ok: false, error: new CardPayloadError('not_an_object', 'The card payload is not an object') };
  const action = value.action;
  if (typeof action !== 'string' || !(SUBMIT_ACTIONS as readonly string[]).includes(action)) {
    return { ok: false, error: new CardPayloadError('unknown_action', 'The card payload has no known action') };
  }
  const result = SubmitActionSchema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issues = issuesOf(result.error);
  return {
    ok: false,
    error: new CardPayloadError('invalid_fields', `Invalid "${action}" payload: ${issues.join('; ')}`, issues),
  };
}

/** Checks an Action.Execute payload: the invoke's `action.verb` and `action.data`. */
export function parseExecute(verb: unknown, data: unknown): Parsed<ExecuteAction> {
  if (typeof verb !== 'string' || !Object.prototype.hasOwnProperty.call(ExecuteSchemas, verb)) {
    return { ok: false, error: new CardPayloadError('unknown_verb', 'The card action has no known verb') };
  }
  const known = verb as ExecuteVerb;
  const result = ExecuteSchemas[known].safeParse(data ?? {});
  if (result.success) return { ok: true, value: { verb: known, data: result.data } as ExecuteAction };
  const issues = issuesOf(result.error);
  return {
    ok: false,
    error: new CardPayloadError('invalid_fields', `Invalid "${known}" data: ${issues.join('; ')}`, issues),
  };
}

/** The press a checked Action.Execute payload is. */
export function pressFromExecute(action: ExecuteAction): CardPress {
  switch (action.verb) {
    case 'walkthrough':
      return { verb: 'walkthrough', data: parseWalkthroughAction(action.data) };
    case 'incidentAct': {
      const { resolveNote, ...rest } = action.data;
      return { verb: 'incidentAct', data: { ...rest, note: rest.act === 'resolve' ? resolveNote : rest.note } };
    }
    default:
      return action as CardPress;
  }
}

/** The press a checked Action.Submit payload is: the same as its Action.Execute twin, without the envelope. */
export function pressFromSubmit(action: SubmitAction): CardPress {
  if (action.action === 'walkthrough') {
    const { msteams: _m, ...data } = action;
    return { verb: 'walkthrough', data: parseWalkthroughAction(data) };
  }
  const { action: verb, msteams: _m, ...data } = action;
  if (verb === 'incidentAct') return pressFromExecute({ verb, data: data as ExecuteAction['data'] } as ExecuteAction);
  return { verb, data } as CardPress;
}
