/**
 * The injury-photo walkthrough as pure functions over a JSON-safe WalkState. The flow itself (steps, fields,
 * transitions, what each records) is data in flow.ts; this file only interprets it. No clock (the caller
 * passes `now`), no I/O, no Teams: what must happen outside — store an entry, ask the managers, post a
 * summary — comes back as Effects, in order.
 *
 * Every call returns a new state; the one passed in is never changed. A card pressed for a step, version or
 * walkthrough other than the current one is reported as `stale` and nothing is applied.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { acrossFits, type MarkAcross } from '../bodymap/geometry';
import { isBodyView, regionInView } from '../bodymap/regions';
import { CaseRefError, checkCaseRef, DEFAULT_CASE_REF_PATTERN } from '../records/caseRef';
import { RECORD_KINDS, type RecordKind } from '../records/kinds';
import { FLOW_VERSION, FLOWS, RESERVED_KEYS } from './flow';
import { isDate, isTime, londonParts, londonToDate } from '../time';
import type {
  ButtonDef,
  Condition,
  Effect,
  FieldDef,
  Flow,
  Mark,
  PathReader,
  RecordBuilders,
  StepDef,
  WalkState,
  WalkStatus,
} from './types';

export interface FlowRegistry {
  flows: Readonly<Record<string, Flow>>;
  /** The version new walkthroughs start on. */
  current: string;
}

export const DEFAULT_REGISTRY: FlowRegistry = { flows: FLOWS, current: FLOW_VERSION };

export interface StartOptions {
  now: Date;
  /** The version of the guidance in force; every entry carries it. */
  guidanceVersion: string;
  /** CASE_REF_PATTERN (a regular expression source); the default when not given. */
  caseRefPattern?: string;
  /** A UUID; a new one when not given. */
  id?: string;
  /** Answers already known for the first step (e.g. "a child" from the question that started it). */
  prefill?: Record<string, string>;
  /** On a correcting flow (Flow.corrects), required: the stored entry this walkthrough corrects. */
  corrects?: { kind: RecordKind; id: string };
  /** Entries stored before this walkthrough that its entries link to (e.g. the advice a corrected decision rested on). */
  recorded?: Partial<Record<RecordKind, string>>;
}

export type StaleReason =
  | 'invalid'
  | 'other_walkthrough'
  | 'flow_version'
  | 'unknown_flow'
  | 'not_active'
  | 'step'
  | 'revision'
  | 'unknown_button'
  | 'unknown_mark'
  | 'not_waiting'
  | 'first_step';

export interface Stale {
  reason: StaleReason;
  /** A plain sentence for the worker. */
  message: string;
}

export interface StepResult {
  state: WalkState;
  effects: Effect[];
  /** Field id → what to fix ("marks" for the body map as a whole). The state keeps what was typed. */
  errors?: Record<string, string>;
  /** Nothing was applied: the card or call did not match the walkthrough as it is now. */
  stale?: Stale;
  /** A short confirmation to show on the card ("Mark added."). */
  notice?: string;
}

/** What a card's button names: the step it was drawn for and, when known, the walkthrough, version and revision. */
export interface StepRef {
  step: string;
  walkId?: string;
  flowVersion?: string;
  rev?: number;
}

export interface ManagerAdvice {
  decision: 'photograph' | 'do_not_photograph';
  adviserName: string;
  adviserRole: string;
  givenAt: Date | string;
  note?: string;
  /** How it reached the worker: a manager's answer in KeepSafe (default), or by phone or in person. */
  via?: 'keepsafe' | 'phone' | 'in_person';
  /** The advice_request entry it answers. */
  adviceRequestId?: string;
}

export type VersionPolicy = 'current' | 'finish_on_old' | 'restart';

export class WalkthroughError extends Error {
  constructor(
    public readonly code: 'flow_bug' | 'bad_start',
    message: string,
  ) {
    super(message);
    this.name = 'WalkthroughError';
  }
}

export const STALE_MESSAGES: Record<StaleReason, string> = {
  invalid: "I couldn't read that button. Here is where you are now.",
  other_walkthrough: 'That button is from a different walkthrough.',
  flow_version: 'That card is from an older version of this walkthrough. Here is where you are now.',
  unknown_flow:
    'This walkthrough was started on a version of KeepSafe that has since changed. Please start again: the case details are kept.',
  not_active: 'This walkthrough has ended. Anything it saved is kept in the record.',
  step: 'That card is out of date: you have moved on. Here is where you are now.',
  revision: 'That button was already used. Here is where you are now.',
  unknown_button: "That button isn't part of this step. Here is where you are now.",
  unknown_mark: 'That mark has already been removed.',
  not_waiting: 'This walkthrough is not waiting for advice.',
  first_step: 'This is the first step.',
};

export const RESTART_MESSAGE =
  'The photo decision walkthrough has changed since you started this one, so it starts again. The case details you gave are kept; nothing already saved is lost.';

/** The payload of a walkthrough button, as Teams sends it (the card's data with the inputs merged in). */
const ActionData = z.object({
  action: z.literal('walkthrough'),
  walkId: z.string().uuid(),
  step: z.string().regex(/^[a-z_]{1,40}$/),
  flowVersion: z.string().regex(/^[0-9A-Za-z.-]{1,16}$/),
  rev: z.number().int().min(0).max(1_000_000),
  choice: z.string().regex(/^[a-z_]{1,40}$/),
  markId: z
    .string()
    .regex(/^m\d{1,5}$/)
    .optional(),
});

export type WalkthroughAction = z.infer<typeof ActionData>;

export type ParsedAction =
  { ok: true; action: WalkthroughAction; inputs: Record<string, unknown> } | { ok: false; error: string };

/** Splits a button's payload into the checked button data and the inputs (everything else). */
export function parseWalkthroughAction(value: unknown): ParsedAction {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not an object' };
  const parsed = ActionData.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue.path.join('.') || 'data'}: ${issue.message}` };
  }
  const inputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(RESERVED_KEYS as readonly string[]).includes(k)) inputs[k] = v;
  }
  return { ok: true, action: parsed.data, inputs };
}

// ---- reading answers ---------------------------------------------------------------------------------------

function onPath(state: WalkState, step: string): boolean {
  return state.step === step || state.history.includes(step);
}

export function pathReader(state: WalkState): PathReader {
  return {
    state,
    onPath: (step) => onPath(state, step),
    get: (step, field) => (onPath(state, step) ? (state.answers[step]?.[field] ?? '').trim() : ''),
  };
}

interface CondContext {
  state: WalkState;
  step: string;
  choice?: string;
  /** For `complete` conditions: does that step's stored answers pass its checks? */
  complete?: (step: string) => boolean;
}

export function evaluate(c: Condition, ctx: CondContext): boolean {
  if ('all' in c) return c.all.every((x) => evaluate(x, ctx));
  if ('any' in c) return c.any.some((x) => evaluate(x, ctx));
  if ('not' in c) return !evaluate(c.not, ctx);
  if ('choice' in c) return ctx.choice === c.choice;
  if ('complete' in c) return ctx.complete?.(c.complete) ?? false;
  const step = c.step ?? ctx.step;
  const value = step === ctx.step || onPath(ctx.state, step) ? (ctx.state.answers[step]?.[c.field] ?? '').trim() : '';
  if ('equals' in c) return value === c.equals;
  if ('oneOf' in c) return c.oneOf.includes(value);
  return c.filled === (value !== '');
}

// ---- checking what was typed -------------------------------------------------------------------------------

/** The inputs of a step as strings, exactly as typed (capped), ignoring anything that is not one of its fields. */
function collect(step: StepDef, inputs: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of step.fields) {
    const v = inputs[f.id];
    let s = '';
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
    else if (typeof v === 'boolean') s = String(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) s = v.join(',');
    if (f.type === 'toggle' && s === '') s = 'false';
    out[f.id] = s.replace(/\r\n?/g, '\n').slice(0, (f.maxLength ?? 200) + 200);
  }
  return out;
}

const NUMBER_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

function isRequired(f: FieldDef, ctx: CondContext): boolean {
  return f.required === true || (f.requiredWhen !== undefined && evaluate(f.requiredWhen, ctx));
}

function fieldError(f: FieldDef, raw: string, ctx: CondContext, now: Date): string | undefined {
  const v = raw.trim();
  if (f.type === 'toggle') {
    if (v !== 'true' && v !== 'false') return f.errorMessage;
    if (f.mustBeOn && v !== 'true') return f.errorMessage;
    return undefined;
  }
  if (!v) return isRequired(f, ctx) ? f.errorMessage : undefined;
  switch (f.type) {
    case 'choice':
      return f.choices?.some((c) => c.value === v) ? undefined : f.errorMessage;
    case 'multi_choice':
      return v.split(',').every((p) => f.choices?.some((c) => c.value === p.trim())) ? undefined : f.errorMessage;
    case 'text':
    case 'multiline':
      if (f.maxLength && v.length > f.maxLength)
        return `Keep this under ${f.maxLength} characters (it is ${v.length} now).`;
      if (f.format === 'caseRef') {
        try {
          checkCaseRef(v, new RegExp(ctx.state.caseRefPattern));
        } catch (err) {
          if (err instanceof CaseRefError) return err.message;
          throw err;
        }
      }
      return undefined;
    case 'number': {
      if (!NUMBER_RE.test(v)) return f.errorMessage;
      const n = Number(v);
      if (!Number.isFinite(n)) return f.errorMessage;
      if (f.min !== undefined && (f.minExclusive ? n <= f.min : n < f.min)) return f.errorMessage;
      if (f.max !== undefined && n > f.max) return f.errorMessage;
      return undefined;
    }
    case 'date':
      if (!isDate(v)) return 'Enter a real date.';
      if (f.notInFuture && v > londonParts(now).date) return 'The date cannot be in the future.';
      return undefined;
    case 'time':
      return isTime(v) ? undefined : f.errorMessage;
  }
}

/** A few minutes' grace for a phone whose clock is slightly ahead. */
const FUTURE_GRACE_MS = 5 * 60 * 1000;

function stepErrors(
  step: StepDef,
  answers: Record<string, string>,
  ctx: CondContext,
  now: Date,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of step.fields) {
    const e = fieldError(f, answers[f.id] ?? '', ctx, now);
    if (e) errors[f.id] = e;
  }
  for (const c of step.checks ?? []) {
    if (c.kind === 'not_in_future') {
      if (errors[c.date] || errors[c.time]) continue;
      const at = londonToDate((answers[c.date] ?? '').trim(), (answers[c.time] ?? '').trim());
      if (at && at.getTime() > now.getTime() + FUTURE_GRACE_MS) errors[c.time] = c.message;
    } else if (c.kind === 'region_in_view') {
      if (errors[c.region] || errors[c.view]) continue;
      const region = (answers[c.region] ?? '').trim();
      const view = (answers[c.view] ?? '').trim();
      if (region && isBodyView(view) && !regionInView(region, view)) errors[c.region] = c.message;
    } else if (c.kind === 'across_fits') {
      if (errors[c.region] || errors[c.across]) continue;
      const region = (answers[c.region] ?? '').trim();
      const view = (answers[c.view] ?? '').trim();
      const across = (answers[c.across] ?? '').trim();
      if (
        region &&
        across &&
        isBodyView(view) &&
        regionInView(region, view) &&
        !acrossFits(view, region, across as MarkAcross)
      )
        errors[c.across] = c.message;
    } else if (c.kind === 'not_more_than') {
      if (errors[c.field] || errors[c.than]) continue;
      const a = Number((answers[c.field] ?? '').trim());
      const b = Number((answers[c.than] ?? '').trim());
      if ((answers[c.field] ?? '').trim() && (answers[c.than] ?? '').trim() && a > b) errors[c.field] = c.message;
    }
  }
  return errors;
}

// ---- the machine ---------------------------------------------------------------------------------------------

function statusOf(step: StepDef): WalkStatus {
  return step.status ?? 'active';
}

function touch(state: WalkState, now?: Date): WalkState {
  state.rev += 1;
  if (now) state.updatedAt = now.toISOString();
  return state;
}

function stale(state: WalkState, reason: StaleReason, message = STALE_MESSAGES[reason]): StepResult {
  return { state, effects: [], stale: { reason, message } };
}

/**
 * The mark form is empty (the side chosen does not count: it is often left from the last mark; nor do answers
 * about the whole map, such as the recorder's role).
 */
function draftEmpty(step: StepDef, answers: Record<string, string>): boolean {
  return step.fields.every((f) => f.id === 'view' || f.perMap || !(answers[f.id] ?? '').trim());
}

/** The answers a marks step keeps for the whole map: those set by its buttons (view, outline) and its per-map fields. */
function kept(step: StepDef, answers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of step.marks?.keep ?? []) if (answers[k]) out[k] = answers[k];
  for (const f of step.fields) if (f.perMap && answers[f.id]) out[f.id] = answers[f.id];
  return out;
}

/** A mark's fields only (the per-map ones dropped). */
function markFields(step: StepDef): StepDef {
  return { ...step, fields: step.fields.filter((f) => !f.perMap) };
}

/** The map-wide fields only, and no mark checks. */
function mapFields(step: StepDef): StepDef {
  return { ...step, fields: step.fields.filter((f) => f.perMap), checks: [] };
}

function markFrom(id: string, a: Record<string, string>, now: Date): Mark {
  const v = (k: string) => (a[k] ?? '').trim();
  const base = {
    id,
    view: v('view') as Mark['view'],
    region: v('region'),
    type: v('markType') as Mark['type'],
    ...(v('colour') ? { colour: v('colour') } : {}),
  };
  if (a.lengthCm === undefined) {
    // Flow 1: one size and a description.
    return { ...base, sizeCm: Number(v('sizeCm')), description: v('description') };
  }
  const optional = (k: 'vertical' | 'across' | 'explainedBy' | 'explanationWords' | 'description') =>
    v(k) ? { [k]: v(k) } : {};
  const explained = v('explanation') !== 'none';
  return {
    ...base,
    ...optional('vertical'),
    ...optional('across'),
    lengthCm: Number(v('lengthCm')),
    widthCm: Number(v('widthCm')),
    shape: v('shape') as Mark['shape'],
    skinBroken: v('skinBroken') as Mark['skinBroken'],
    swelling: v('swelling') as Mark['swelling'],
    bleeding: v('bleeding') as Mark['bleeding'],
    explanation: v('explanation') as Mark['explanation'],
    ...(v('explanation') === 'someone_else' ? optional('explainedBy') : {}),
    ...(explained ? optional('explanationWords') : {}),
    ...optional('description'),
    markedAt: now.toISOString(),
  };
}

export function createWalkthroughMachine(registry: FlowRegistry = DEFAULT_REGISTRY) {
  const flowOf = (state: WalkState): Flow | undefined => registry.flows[state.flowVersion];

  function startWalkthrough(opts: StartOptions): WalkState {
    const flow = registry.flows[registry.current];
    if (!flow) throw new WalkthroughError('bad_start', `No flow version ${registry.current}`);
    if (!opts.guidanceVersion?.trim())
      throw new WalkthroughError('bad_start', 'A walkthrough needs the guidance version');
    const id = opts.id ?? randomUUID();
    if (!z.string().uuid().safeParse(id).success)
      throw new WalkthroughError('bad_start', 'A walkthrough id must be a UUID');
    if (
      flow.corrects &&
      (opts.corrects?.kind !== flow.corrects || !z.string().uuid().safeParse(opts.corrects.id).success)
    ) {
      throw new WalkthroughError('bad_start', `Flow ${flow.version} corrects a ${flow.corrects} entry: say which one`);
    }
    if (!flow.corrects && opts.corrects)
      throw new WalkthroughError('bad_start', `Flow ${flow.version} does not correct entries`);
    const recorded: Partial<Record<RecordKind, string>> = {};
    for (const [k, v] of Object.entries(opts.recorded ?? {}))
      if (typeof v === 'string' && z.string().uuid().safeParse(v).success) recorded[k as RecordKind] = v;
    const pattern = opts.caseRefPattern ?? DEFAULT_CASE_REF_PATTERN;
    new RegExp(pattern); // fails fast on a bad pattern
    const first = flow.steps[flow.first];
    const prefill: Record<string, string> = {};
    for (const f of first.fields) {
      const v = opts.prefill?.[f.id];
      if (typeof v === 'string' && v.trim()) prefill[f.id] = v.slice(0, (f.maxLength ?? 200) + 200);
    }
    const at = opts.now.toISOString();
    return {
      flowVersion: flow.version,
      id,
      rev: 0,
      step: flow.first,
      status: statusOf(first),
      history: [],
      answers: Object.keys(prefill).length ? { [flow.first]: prefill } : {},
      marks: [],
      markSeq: 0,
      recorded,
      ...(opts.corrects ? { corrects: { kind: opts.corrects.kind, id: opts.corrects.id } } : {}),
      guidanceVersion: opts.guidanceVersion.trim(),
      caseRefPattern: pattern,
      startedAt: at,
      updatedAt: at,
    };
  }

  /** Can this walkthrough go on? On the current flow; on an older one still kept; or not (restart it). */
  function checkVersion(state: WalkState): VersionPolicy {
    const flow = flowOf(state);
    if (!flow || flow.retired || !flow.steps[state.step]) return 'restart';
    return state.flowVersion === registry.current ? 'current' : 'finish_on_old';
  }

  /** A new walkthrough on the current flow, keeping the first step's answers (case reference, concern…). */
  function restartWalkthrough(
    old: WalkState,
    opts: Omit<StartOptions, 'prefill' | 'caseRefPattern'> & { caseRefPattern?: string },
  ): WalkState {
    const flow = registry.flows[registry.current];
    const prefill = flow && old.answers[flow.first] ? { ...old.answers[flow.first] } : undefined;
    return startWalkthrough({
      ...opts,
      caseRefPattern: opts.caseRefPattern ?? old.caseRefPattern,
      prefill,
      ...(old.corrects ? { corrects: old.corrects } : {}),
    });
  }

  function refStale(state: WalkState, ref: StepRef | undefined): StepResult | undefined {
    if (ref?.walkId !== undefined && ref.walkId !== state.id) return stale(state, 'other_walkthrough');
    if (ref?.flowVersion !== undefined && ref.flowVersion !== state.flowVersion) return stale(state, 'flow_version');
    if (checkVersion(state) === 'restart') return stale(state, 'unknown_flow');
    if (state.status === 'finished' || state.status === 'cancelled') return stale(state, 'not_active');
    if (ref && ref.step !== state.step) return stale(state, 'step');
    if (ref?.rev !== undefined && ref.rev !== state.rev) return stale(state, 'revision');
    return undefined;
  }

  function appendEffect(
    flow: Flow,
    state: WalkState,
    kind: Extract<keyof RecordBuilders, RecordKind>,
    rev: number,
  ): Effect {
    const reader = pathReader(state);
    const fields = flow.records[kind](reader);
    const check = RECORD_KINDS[kind].fields.safeParse(fields);
    if (!check.success) {
      const issue = check.error.issues[0];
      throw new WalkthroughError(
        'flow_bug',
        `Flow ${flow.version} built an invalid ${kind}: ${issue.path.join('.')}: ${issue.message}`,
      );
    }
    // An entry of this kind stored earlier in this walkthrough (the worker went Back) is corrected with a set
    // reason; on a correcting flow, the first one corrects the entry the walkthrough was started for, with the
    // reason the worker typed.
    const previous = kind === 'advice_request' ? undefined : state.recorded[kind];
    let correction: { corrects: string; reason: string } | undefined;
    if (previous) {
      correction = {
        corrects: previous,
        reason: `Changed by the worker in the ${(flow.title ?? 'photo decision').toLowerCase()} walkthrough.`,
      };
    } else if (state.corrects?.kind === kind) {
      const reason = flow.records.correctionReason?.(reader).trim() ?? '';
      if (!reason) throw new WalkthroughError('flow_bug', `Flow ${flow.version} corrects a ${kind} without a reason`);
      correction = { corrects: state.corrects.id, reason };
    }
    return {
      type: 'append',
      entry: { kind, caseRef: flow.records.caseRef(reader), fields, guidanceVersion: state.guidanceVersion } as Extract<
        Effect,
        { type: 'append' }
      >['entry'],
      // Correcting a stored entry is keyed on that entry: however many correction walkthroughs were opened for
      // it (two cards, two devices), it is corrected once; the store returns the first correction to the others.
      idempotencyKey:
        !previous && correction
          ? `correction:${correction.corrects}:${kind}`
          : `walkthrough:${state.id}:${kind}:${rev}`,
      ...(correction ?? {}),
    };
  }

  function emitted(flow: Flow, step: StepDef, state: WalkState, ctx: CondContext, rev: number, now: Date): Effect[] {
    const effects: Effect[] = [];
    for (const e of step.emits ?? []) {
      if (e.when && !evaluate(e.when, ctx)) continue;
      if (e.what === 'request_advice') {
        effects.push({
          type: 'request_advice',
          walkId: state.id,
          flowVersion: state.flowVersion,
          ...flow.records.requestAdvice(pathReader(state)),
        });
      } else if (e.what === 'incident_summary') {
        effects.push({
          type: 'incident_summary',
          walkId: state.id,
          flowVersion: state.flowVersion,
          ...flow.records.incidentSummary(pathReader(state)),
          entryIds: { ...state.recorded },
          finishedAt: now.toISOString(),
        });
      } else {
        effects.push(appendEffect(flow, state, e.what, rev));
      }
    }
    return effects;
  }

  /**
   * A button on the current step's card. `at` is the step the card was drawn for (or the card's full
   * reference); `inputs` the values it sent, with `choice` the button (the step's only or first button when
   * absent). On errors the state keeps everything typed and does not move.
   */
  function submitStep(state: WalkState, at: string | StepRef, inputs: Record<string, unknown>, now: Date): StepResult {
    const ref = typeof at === 'string' ? { step: at } : at;
    const refused = refStale(state, ref);
    if (refused) return refused;
    const flow = flowOf(state)!;
    const step = flow.steps[state.step];
    const choice = typeof inputs.choice === 'string' ? inputs.choice : (step.buttons[0]?.choice ?? '');
    if (choice === 'remove_mark')
      return removeMark(state, typeof inputs.markId === 'string' ? inputs.markId : '', inputs, now);
    const button: ButtonDef | undefined = step.buttons.find((b) => b.choice === choice);
    if (!button) return stale(state, 'unknown_button');

    if (button.when && !evaluate(button.when, { state, step: step.id, choice })) return stale(state, 'unknown_button');

    const next = structuredClone(state);
    const typed = button.inputs ? collect(step, inputs) : { ...(state.answers[step.id] ?? {}) };
    for (const k of Object.keys(typed)) if (!step.fields.some((f) => f.id === k)) delete typed[k];
    // A marks step's view and outline are set by its buttons and kept (with their defaults) as marks are added.
    if (step.marks?.keep)
      Object.assign(
        typed,
        { ...step.marks.defaults, ...kept({ ...step, fields: [] }, state.answers[step.id] ?? {}) },
        kept({ ...step, fields: [] }, typed),
      );
    if (button.action === 'set') {
      next.answers[step.id] = { ...typed, ...button.sets };
      return { state: touch(next, now), effects: [] };
    }
    next.answers[step.id] = { ...typed, ...(step.fields.length === 0 || !button.inputs ? { choice } : {}) };
    const ctx: CondContext = {
      state: next,
      step: step.id,
      choice,
      complete: (id) => {
        const other = flow.steps[id];
        return (
          !!other &&
          onPath(next, id) &&
          Object.keys(stepErrors(other, next.answers[id] ?? {}, { state: next, step: id }, now)).length === 0
        );
      },
    };
    const action = button.action ?? 'next';
    const rev = state.rev;

    if (action === 'finish') {
      next.status = 'finished';
      next.finishedAt = now.toISOString();
      const effects = emitted(flow, step, next, ctx, rev, now);
      return { state: touch(next, now), effects, notice: 'Finished. The record is saved.' };
    }

    let notice: string | undefined;
    if (step.marks) {
      const empty = draftEmpty(step, typed);
      if (action === 'add_mark' || !empty) {
        const errors = stepErrors(markFields(step), typed, ctx, now);
        if (!Object.keys(errors).length && next.marks.length >= step.marks.max) {
          errors.marks = `You can add up to ${step.marks.max} marks. Describe any others in the written record.`;
        }
        if (action !== 'add_mark') Object.assign(errors, stepErrors(mapFields(step), typed, ctx, now));
        if (Object.keys(errors).length) return { state: touch(next, now), effects: [], errors };
        next.markSeq += 1;
        next.marks.push(markFrom(`m${next.markSeq}`, typed, now));
        next.answers[step.id] = step.marks.keep ? kept(step, typed) : { view: typed.view ?? '' };
        notice = 'Mark added.';
        if (action === 'add_mark')
          return {
            state: touch(next, now),
            effects: [],
            notice: step.marks.keep
              ? `Mark ${next.marks.length} added. Add another, or press Continue.`
              : 'Mark added. Add another, or press Continue.',
          };
      } else if (next.marks.length < step.marks.min) {
        return {
          state: touch(next, now),
          effects: [],
          errors: { marks: 'Add at least one mark: where it is, its type, size and a description.' },
        };
      } else {
        const errors = stepErrors(mapFields(step), typed, ctx, now);
        if (Object.keys(errors).length) return { state: touch(next, now), effects: [], errors };
      }
    } else if (button.inputs) {
      // Someone in immediate danger: straight to what to do, whatever else is still empty on the card.
      const urgent = step.next.find((t) => t.urgent && t.when && evaluate(t.when, ctx) && !next.history.includes(t.to));
      if (urgent && flow.steps[urgent.to]) {
        next.history.push(step.id);
        next.step = urgent.to;
        next.status = statusOf(flow.steps[urgent.to]);
        return { state: touch(next, now), effects: [] };
      }
      const errors = stepErrors(step, typed, ctx, now);
      if (Object.keys(errors).length) return { state: touch(next, now), effects: [], errors };
    }

    const to = step.next.find((t) => !t.urgent && (!t.when || evaluate(t.when, ctx)))?.to;
    if (!to || !flow.steps[to])
      throw new WalkthroughError('flow_bug', `Flow ${flow.version}: no way on from ${step.id}`);
    next.history.push(step.id);
    next.step = to;
    next.status = statusOf(flow.steps[to]);
    const effects = emitted(flow, step, next, ctx, rev, now);
    return { state: touch(next, now), effects, ...(notice ? { notice } : {}) };
  }

  /** Removes one mark; a mark being typed in the form is kept as it is. */
  function removeMark(state: WalkState, markId: string, inputs: Record<string, unknown>, now: Date): StepResult {
    const step = flowOf(state)!.steps[state.step];
    if (!step.marks) return stale(state, 'unknown_button');
    if (!state.marks.some((m) => m.id === markId)) return stale(state, 'unknown_mark');
    const next = structuredClone(state);
    const n = next.marks.findIndex((m) => m.id === markId) + 1;
    next.marks = next.marks.filter((m) => m.id !== markId);
    if (step.fields.some((f) => inputs[f.id] !== undefined))
      next.answers[step.id] = {
        ...kept({ ...step, fields: [] }, state.answers[step.id] ?? {}),
        ...collect(step, inputs),
      };
    return {
      state: touch(next, now),
      effects: [],
      notice: step.marks.keep ? `Mark ${n} removed. The marks after it are numbered again.` : 'Mark removed.',
    };
  }

  /** Back one step, keeping every answer (they are shown again). */
  function back(state: WalkState, ref?: StepRef, now?: Date): StepResult {
    const refused = refStale(state, ref);
    if (refused) return refused;
    const flow = flowOf(state)!;
    if (state.history.length === 0 || flow.steps[state.step].back === false) return stale(state, 'first_step');
    const next = structuredClone(state);
    next.step = next.history.pop()!;
    next.status = statusOf(flow.steps[next.step]);
    return { state: touch(next, now), effects: [] };
  }

  /** Stops the walkthrough. Entries already stored stay (records are append-only). */
  function cancel(state: WalkState, ref?: StepRef, now?: Date): StepResult {
    const refused = refStale(state, ref);
    if (refused) return refused;
    const next = structuredClone(state);
    next.status = 'cancelled';
    return {
      state: touch(next, now),
      effects: [],
      notice: 'Walkthrough cancelled. Anything already saved stays in the record.',
    };
  }

  /**
   * Advice has come (a manager's answer on the channel card, or told by phone or in person) while the
   * walkthrough waits for it: the "record the advice" step opens with it filled in, for the worker to check and save.
   */
  function applyAdvice(state: WalkState, advice: ManagerAdvice, now: Date): StepResult {
    const refused = refStale(state, undefined);
    if (refused) return refused;
    if (state.status !== 'awaiting_advice') return stale(state, 'not_waiting');
    const flow = flowOf(state)!;
    const target = flow.steps[state.step].next.find((t) => !t.when)?.to;
    if (!target || !flow.steps[target])
      throw new WalkthroughError('flow_bug', `Flow ${flow.version}: nowhere to record advice`);
    const given = typeof advice.givenAt === 'string' ? new Date(advice.givenAt) : advice.givenAt;
    const when = Number.isNaN(given.getTime()) ? londonParts(now) : londonParts(given);
    const next = structuredClone(state);
    next.answers[target] = {
      ...(next.answers[target] ?? {}),
      adviserName: String(advice.adviserName ?? '').slice(0, 320),
      adviserRole: String(advice.adviserRole ?? '').slice(0, 320),
      via: advice.via ?? 'keepsafe',
      givenDate: when.date,
      givenTime: when.time,
      decision: advice.decision,
      conditions: String(advice.note ?? '').slice(0, 2200),
    };
    if (advice.adviceRequestId && !next.recorded.advice_request) next.recorded.advice_request = advice.adviceRequestId;
    next.history.push(state.step);
    next.step = target;
    next.status = statusOf(flow.steps[target]);
    const said = advice.decision === 'photograph' ? 'take photographs' : 'do not take photographs';
    return {
      state: touch(next, now),
      effects: [],
      notice: `Advice has come: ${said}. Check the details below and save them.`,
    };
  }

  /** The caller stored an entry from an `append` effect: remember its id (links and corrections use it). */
  function noteRecorded(state: WalkState, kind: RecordKind, entryId: string): WalkState {
    const next = structuredClone(state);
    next.recorded[kind] = entryId;
    return next;
  }

  /**
   * One entry point for a walkthrough button: checks the payload, then Back, Cancel, Remove or the step's
   * own buttons. Anything that does not match the walkthrough as it is now comes back `stale`.
   */
  function handleAction(state: WalkState, value: unknown, now: Date): StepResult {
    return handleParsed(state, parseWalkthroughAction(value), now);
  }

  /** handleAction for a payload already parsed (once, at the edge) by parseWalkthroughAction. */
  function handleParsed(state: WalkState, parsed: ParsedAction, now: Date): StepResult {
    if (!parsed.ok) return stale(state, 'invalid');
    const { action, inputs } = parsed;
    const ref: StepRef = { step: action.step, walkId: action.walkId, flowVersion: action.flowVersion, rev: action.rev };
    if (action.choice === 'back') return back(state, ref, now);
    if (action.choice === 'cancel') return cancel(state, ref, now);
    return submitStep(
      state,
      ref,
      { ...inputs, choice: action.choice, ...(action.markId ? { markId: action.markId } : {}) },
      now,
    );
  }

  /**
   * The walkthrough with what a card just sent filled in for its current step, nothing else changed (same
   * revision): for showing a card again with the typed values kept when the Teams layer stops a press before
   * the machine (an identifier to confirm, the database briefly unavailable).
   */
  function withTyped(state: WalkState, inputs: Record<string, unknown>): WalkState {
    const step = flowOf(state)?.steps[state.step];
    if (!step || step.fields.length === 0) return state;
    const next = structuredClone(state);
    next.answers[step.id] = {
      ...kept({ ...step, fields: [] }, state.answers[step.id] ?? {}),
      ...collect(step, inputs),
    };
    return next;
  }

  /** The free text a step's inputs carry (text and multiline fields), for the personal-identifier check. */
  function freeTextInputs(state: WalkState, inputs: Record<string, unknown>): Record<string, string> {
    const step = flowOf(state)?.steps[state.step];
    const out: Record<string, string> = {};
    for (const f of step?.fields ?? []) {
      const v = inputs[f.id];
      if (
        (f.type === 'text' || f.type === 'multiline') &&
        f.format !== 'caseRef' &&
        !f.namesStaff &&
        typeof v === 'string' &&
        v.trim()
      )
        out[f.id] = v;
    }
    return out;
  }

  return {
    startWalkthrough,
    restartWalkthrough,
    checkVersion,
    submitStep,
    back,
    cancel,
    applyAdvice,
    noteRecorded,
    handleAction,
    handleParsed,
    freeTextInputs,
    withTyped,
    flowOf,
  };
}

export type WalkthroughMachine = ReturnType<typeof createWalkthroughMachine>;

const defaultMachine = createWalkthroughMachine();

export const startWalkthrough: WalkthroughMachine['startWalkthrough'] = defaultMachine.startWalkthrough;
export const restartWalkthrough: WalkthroughMachine['restartWalkthrough'] = defaultMachine.restartWalkthrough;
export const checkVersion: WalkthroughMachine['checkVersion'] = defaultMachine.checkVersion;
export const submitStep: WalkthroughMachine['submitStep'] = defaultMachine.submitStep;
export const back: WalkthroughMachine['back'] = defaultMachine.back;
export const cancel: WalkthroughMachine['cancel'] = defaultMachine.cancel;
export const applyAdvice: WalkthroughMachine['applyAdvice'] = defaultMachine.applyAdvice;
export const noteRecorded: WalkthroughMachine['noteRecorded'] = defaultMachine.noteRecorded;
export const handleAction: WalkthroughMachine['handleAction'] = defaultMachine.handleAction;
export const freeTextInputs: WalkthroughMachine['freeTextInputs'] = defaultMachine.freeTextInputs;
export const withTyped: WalkthroughMachine['withTyped'] = defaultMachine.withTyped;
