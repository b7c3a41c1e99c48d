/**
 * The walkthrough's cards, built from the flow's data: one card per step (Adaptive Card 1.5), with the fields
 * as labelled inputs, what was typed filled back in, each problem shown under its field, and Back and Cancel.
 * Every button is an Action.Execute with verb "walkthrough" and data naming the walkthrough, its flow version,
 * the step and revision the card was drawn for, and the button (`choice`): the machine rejects it as stale
 * if any of them no longer match.
 *
 * Built in code rather than from a template in cards/: the form is generated from the flow, so a template
 * would only be a loop over the same data. Pure: no Teams SDK, no I/O.
 */
import { bodyRegion } from '../bodymap/regions';
import { CHECK_LIMITS } from '../pii/types';
import { FLOWS } from './flow';
import { pathReader, RESTART_MESSAGE } from './machine';
import { formatLondon, isDate, isTime, londonParts, londonToDate } from '../time';
import type { ButtonDef, FieldDef, Flow, StepDef, WalkState } from './types';

export const WALKTHROUGH_VERB = 'walkthrough';
export const CARD_VERSION = '1.5';
/** Teams refuses a message over about 28 KB; keep a margin for the activity around the card. */
export const CARD_BYTE_BUDGET = 28 * 1024 - 1500;

export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[]; fallbackText: string };

export interface BodyMapImage {
  /** A data: URL (the bot's own PNG) or an https URL. */
  url: string;
  altText: string;
}

export interface StepCardOptions {
  /** Field id → what to fix, from submitStep. Keys that are not fields ("marks") are shown at the top. */
  errors?: Record<string, string>;
  /** A short message at the top: "Mark added.", a stale-card explanation, a manager's answer. */
  notice?: string;
  /** Something that stopped the press, shown at the top in red ("couldn't be saved just now"). */
  problem?: string;
  /**
   * Possible personal identifiers found in what was typed, by field id (a description such as "a phone number
   * (07700 900123)"): shown under each field, with a switch to save them as they are. The switch sends `digest`
   * as `identifiersOk`, so it confirms exactly this text and nothing typed later.
   */
  identifiers?: { found: Record<string, string>; digest: string };
  bodyMapImage?: BodyMapImage;
  /** The record's reference, shown on the summary. */
  reference?: string;
  /** For the date pickers' "not after today" (default: the clock). */
  now?: Date;
  flows?: Readonly<Record<string, Flow>>;
}

export interface SummaryCardOptions {
  reference: string;
  bodyMapImage?: BodyMapImage;
  flows?: Readonly<Record<string, Flow>>;
}

// ---- small builders ----------------------------------------------------------------------------------------

/** Text typed by a person, shown and not obeyed as Markdown. */
export function plain(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\`*_[\]]/g, (c) => `\\${c}`)
    .replace(/^([ \t]*)([-+>#])(?=[ \t]|$)/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])(?=[ \t]|$)/gm, '$1\\$2');
}

function clip(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, Math.max(1, limit - 1)).trimEnd()}…`;
}

const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: t, wrap: true, ...extra });

/** The identifier-confirmation switch's input id (not a field of any step: the machine ignores it). */
export const IDENTIFIERS_OK_INPUT = 'identifiersOk';

/**
 * A button: Action.Execute (the card is replaced in place), with an Action.Submit fallback carrying the same
 * data for a client without Universal Actions (the bot then replaces or re-sends the card).
 */
function execute(state: WalkState, title: string, choice: string, opts: { style?: string; inputs?: boolean; markId?: string; noFallback?: boolean } = {}) {
  const data = {
    action: 'walkthrough',
    walkId: state.id,
    step: state.step,
    flowVersion: state.flowVersion,
    rev: state.rev,
    choice,
    ...(opts.markId ? { markId: opts.markId } : {}),
  };
  const inputs = opts.inputs ? 'auto' : 'none';
  return {
    type: 'Action.Execute',
    title,
    verb: WALKTHROUGH_VERB,
    data,
    associatedInputs: inputs,
    ...(opts.style ? { style: opts.style } : {}),
    // "Remove mark" buttons (up to 20) go without, to keep the card small: every Teams client today has Action.Execute.
    ...(opts.noFallback ? {} : { fallback: { type: 'Action.Submit', title, data, associatedInputs: inputs, ...(opts.style ? { style: opts.style } : {}) } }),
  };
}

function card(body: unknown[], actions: unknown[], fallbackText: string, speak?: string): Card {
  return {
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
    fallbackText,
    ...(speak ? { speak } : {}),
  };
}

export function cardBytes(c: object): number {
  return Buffer.byteLength(JSON.stringify(c));
}

function warningBlock(heading: string, lines: readonly string[], large: boolean) {
  return {
    type: 'Container',
    style: 'attention',
    bleed: true,
    items: [text(heading, { weight: 'Bolder', size: large ? 'Large' : 'Medium', color: 'Attention', style: 'heading' }), ...lines.map((l) => text(l, { spacing: 'Small' }))],
  };
}

function choiceTitle(flow: Flow, step: string, field: string, value: string): string {
  const f = flow.steps[step]?.fields.find((x) => x.id === field);
  return f?.choices?.find((c) => c.value === value)?.title ?? value;
}

// ---- inputs ------------------------------------------------------------------------------------------------

function input(f: FieldDef, step: StepDef, raw: string, now: Date, clipAt: number): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: f.id,
    label: f.label,
    errorMessage: f.errorMessage,
  };
  const required = (f.required === true || f.mustBeOn === true) && !step.marks;
  if (required) base.isRequired = true;
  const value = raw.trim();
  switch (f.type) {
    case 'choice':
    case 'multi_choice': {
      const choices = f.choices ?? [];
      return {
        type: 'Input.ChoiceSet',
        ...base,
        choices: choices.map((c) => ({ title: c.title, value: c.value })),
        style: choices.length <= 4 ? 'expanded' : 'compact',
        ...(f.type === 'multi_choice' ? { isMultiSelect: true } : {}),
        ...(choices.length > 4 ? { placeholder: 'Choose…' } : {}),
        wrap: true,
        ...(value ? { value } : {}),
      };
    }
    case 'text':
    case 'multiline':
      return {
        type: 'Input.Text',
        ...base,
        ...(f.type === 'multiline' ? { isMultiline: true } : {}),
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        ...(raw ? { value: raw.length > clipAt ? raw.slice(0, clipAt) : raw } : {}),
      };
    case 'number': {
      const n = Number(value);
      return {
        type: 'Input.Number',
        ...base,
        ...(f.min !== undefined ? { min: f.min } : {}),
        ...(f.max !== undefined ? { max: f.max } : {}),
        ...(value && Number.isFinite(n) ? { value: n } : {}),
      };
    }
    case 'date':
      return { type: 'Input.Date', ...base, ...(f.notInFuture ? { max: londonParts(now).date } : {}), ...(isDate(value) ? { value } : {}) };
    case 'time':
      return { type: 'Input.Time', ...base, ...(isTime(value) ? { value: value.slice(0, 5) } : {}) };
    case 'toggle':
      return { type: 'Input.Toggle', ...base, title: f.toggleTitle ?? f.label, valueOn: 'true', valueOff: 'false', value: value === 'true' ? 'true' : 'false', wrap: true };
  }
}

function fieldBlock(f: FieldDef, step: StepDef, raw: string, error: string | undefined, now: Date, clipAt: number, identifier?: string) {
  const items: unknown[] = [input(f, step, raw, now, clipAt)];
  if (f.help) items.push(text(f.help, { isSubtle: true, size: 'Small', spacing: 'None' }));
  if (error) items.push(text(error, { color: 'Attention', weight: 'Bolder', spacing: 'Small', id: `${f.id}Error` }));
  if (identifier) {
    items.push(
      text(plain(`This may identify someone: ${identifier}. Use the case reference, or a role such as "mother", instead.`), {
        color: 'Attention',
        weight: 'Bolder',
        spacing: 'Small',
        id: `${f.id}Identifier`,
      }),
    );
  }
  return { type: 'Container', spacing: 'Medium', items };
}

// ---- the summary -------------------------------------------------------------------------------------------

interface Fact {
  title: string;
  value: string;
}

function section(heading: string, facts: Fact[]): unknown[] {
  const kept = facts.filter((f) => f.value.trim() !== '');
  if (!kept.length) return [];
  return [text(heading, { weight: 'Bolder', spacing: 'Medium', separator: true }), { type: 'FactSet', facts: kept.map((f) => ({ title: f.title, value: plain(f.value) })) }];
}

function markLine(m: WalkState['marks'][number], i: number, flow: Flow): string {
  const region = bodyRegion(m.region)?.label ?? m.region;
  const view = m.view === 'front' ? 'Front' : 'Back';
  const type = choiceTitle(flow, 'body_map', 'markType', m.type);
  return `${i + 1}. ${view}, ${region}: ${type.toLowerCase()}, ${m.sizeCm} cm${m.colour ? `, ${m.colour}` : ''}`;
}

function summaryBody(state: WalkState, flow: Flow, limit: number, image: BodyMapImage | undefined): unknown[] {
  const r = pathReader(state);
  const g = (step: string, field: string) => r.get(step, field);
  const body: unknown[] = [];

  body.push(
    ...section(r.onPath('seen') && flow.steps.seen?.fields.some((f) => f.id === 'concern') ? 'What you saw' : 'Case', [
      { title: 'Case reference', value: g('seen', 'caseRef').toUpperCase() },
      { title: 'Concern', value: choiceTitle(flow, 'seen', 'concern', g('seen', 'concern')) },
      { title: 'About', value: choiceTitle(flow, 'seen', 'personType', g('seen', 'personType')) },
      {
        title: 'Immediate danger',
        value: g('seen', 'immediateDanger') === 'yes' ? 'Yes: told to call 999 or the emergency duty team' : g('seen', 'immediateDanger') === 'no' ? 'No' : '',
      },
    ]),
  );

  if (r.onPath('record_advice') && state.step !== 'record_advice') {
    const at = londonToDate(g('record_advice', 'givenDate'), g('record_advice', 'givenTime'));
    body.push(
      ...section('Advice', [
        { title: 'From', value: clip(`${g('record_advice', 'adviserName')} (${g('record_advice', 'adviserRole')})`, 250) },
        { title: 'When', value: at ? formatLondon(at) : '' },
        { title: 'How', value: choiceTitle(flow, 'record_advice', 'via', g('record_advice', 'via')) },
        { title: 'Advice', value: choiceTitle(flow, 'record_advice', 'decision', g('record_advice', 'decision')) },
        { title: 'Conditions', value: clip(g('record_advice', 'conditions'), limit) },
      ]),
    );
  } else if (r.onPath('awaiting_advice')) {
    body.push(...section('Advice', [{ title: 'Advice', value: 'Asked for: waiting for a manager' }]));
  }

  const photographing = r.onPath('photo_care');
  if (photographing || r.onPath('consent_refused')) {
    const facts: Fact[] = [];
    if (g('seen', 'personType') === 'child') {
      facts.push(
        { title: 'Parental responsibility', value: clip(g('parental_consent', 'parentalResponsibility'), 200) },
        { title: 'Their consent', value: choiceTitle(flow, 'parental_consent', 'parentalConsent', g('parental_consent', 'parentalConsent')) },
        { title: "Child's view", value: clip(g('parental_consent', 'childView'), limit) },
      );
    } else if (g('capacity', 'hasCapacity') === 'no') {
      facts.push(
        { title: 'Capacity', value: 'Lacks capacity to consent' },
        { title: 'Best interests', value: choiceTitle(flow, 'best_interests', 'bestInterestsDecision', g('best_interests', 'bestInterestsDecision')) },
        { title: 'Consulted', value: clip(g('best_interests', 'consulted'), limit) },
        { title: 'Attorney or deputy', value: choiceTitle(flow, 'best_interests', 'attorneyOrDeputy', g('best_interests', 'attorneyOrDeputy')) },
        { title: 'How decided', value: clip(g('best_interests', 'note'), limit) },
      );
    } else {
      facts.push({ title: 'Capacity', value: 'Has capacity to consent' }, { title: 'Consent', value: choiceTitle(flow, 'consent', 'personConsent', g('consent', 'personConsent')) });
    }
    facts.push({ title: 'Photographs', value: photographing ? 'To be taken' : 'Not to be taken' });
    if (photographing) facts.push({ title: 'Device', value: 'Work device only' }, { title: 'Stored in', value: 'The case record only' });
    else facts.push({ title: 'Instead', value: clip(g('consent_refused', 'whatHappensInstead'), limit) });
    body.push(...section('Consent', facts));
  }

  if (r.onPath('body_map') && state.step !== 'body_map') {
    body.push(text('Body map', { weight: 'Bolder', spacing: 'Medium', separator: true }));
    if (image) body.push({ type: 'Image', url: image.url, altText: image.altText, size: 'Stretch' });
    for (const [i, m] of state.marks.entries()) {
      body.push(text(plain(markLine(m, i, flow)), { spacing: 'Small' }));
      body.push(text(plain(clip(m.description, Math.min(limit, 300))), { isSubtle: true, spacing: 'None' }));
    }
  }

  if (r.onPath('written_record') && state.step !== 'written_record') {
    const at = londonToDate(g('written_record', 'seenDate'), g('written_record', 'seenTime'));
    body.push(
      ...section('Written record', [
        { title: 'Seen', value: clip(g('written_record', 'whatWasSeen'), limit) },
        { title: 'When', value: at ? formatLondon(at) : '' },
        { title: 'What was said', value: clip(g('written_record', 'whatWasSaid'), limit) },
        { title: 'Explained by', value: clip(g('written_record', 'explainedBy'), 200) },
        { title: 'Their words', value: clip(g('written_record', 'explanationGiven'), limit) },
      ]),
    );
  }

  if (r.onPath('referral') && state.step !== 'referral') {
    const made = g('referral', 'referralMade') === 'true';
    body.push(
      ...section('Referral', [
        { title: 'Referred', value: made ? 'Yes' : 'Not yet' },
        { title: 'To', value: made ? g('referral', 'referredTo') : '' },
        { title: 'Reference', value: made ? g('referral', 'referenceNumber') : '' },
      ]),
    );
    if (!made) body.push(warningBlock('Refer your concerns today, in the usual way.', [], false));
  }
  if (photographing) body.push(text('Photographs go in the case record only. Never in Teams.', { weight: 'Bolder', spacing: 'Medium' }));
  return body;
}

const SUMMARY_LIMITS = [2000, 1000, 500, 250, 120, 60];

/** Builds with the longest texts that fit the budget; drops the picture (its alt text stays) as a last resort. */
function fitted(build: (limit: number, image: BodyMapImage | undefined) => Card, image: BodyMapImage | undefined): Card {
  for (const img of image ? [image, undefined] : [undefined]) {
    for (const limit of SUMMARY_LIMITS) {
      const c = build(limit, img);
      if (cardBytes(c) <= CARD_BYTE_BUDGET) return c;
    }
  }
  return build(SUMMARY_LIMITS[SUMMARY_LIMITS.length - 1], undefined);
}

function header(flow: Flow, step: StepDef): unknown {
  const label = flow.stages[step.stage - 1] ?? '';
  return text(`${flow.title ?? 'Photo decision'} · Step ${step.stage} of ${flow.stages.length}${label ? `: ${label}` : ''}`, { isSubtle: true, size: 'Small', spacing: 'None' });
}

/** The whole record of a walkthrough, with its reference and the body-map picture. No buttons. */
export function renderSummaryCard(state: WalkState, opts: SummaryCardOptions): Card {
  const flow = (opts.flows ?? FLOWS)[state.flowVersion];
  if (!flow) return unavailableCard();
  return fitted((limit, image) => {
    const body: unknown[] = [
      text(`${flow.summaryTitle ?? 'Injury photo decision'}: summary`, { weight: 'Bolder', size: 'Medium', style: 'heading' }),
      text(`Reference: ${plain(opts.reference)}`, { weight: 'Bolder', spacing: 'Small' }),
      text(state.status === 'finished' ? `Finished ${formatLondon(state.finishedAt ?? state.updatedAt)}. The record is saved.` : 'Not finished yet.', { isSubtle: true, spacing: 'None' }),
      ...summaryBody(state, flow, limit, image),
    ];
    if (limit < SUMMARY_LIMITS[0]) body.push(text('Long answers are shortened here. The record has them in full.', { isSubtle: true, size: 'Small' }));
    const title = flow.summaryTitle ?? 'Injury photo decision';
    return card(body, [], `${title} summary, reference ${opts.reference}.`, `Summary of the ${title.toLowerCase()}, reference ${opts.reference}.`);
  }, opts.bodyMapImage);
}

function unavailableCard(): Card {
  return card([text('Photo decision', { weight: 'Bolder', style: 'heading' }), text(RESTART_MESSAGE)], [], RESTART_MESSAGE, RESTART_MESSAGE);
}

function cancelledCard(flow: Flow, notice?: string): Card {
  const msg = `Cancelled. Anything already saved stays in the record. To start again, type "${flow.command ?? 'photo decision'}".`;
  const heading = flow.title ?? 'Photo decision';
  return card([text(heading, { weight: 'Bolder', style: 'heading' }), ...(notice && !notice.startsWith('Walkthrough cancelled') ? [text(plain(notice), { isSubtle: true })] : []), text(msg)], [], `${heading}: ${msg}`, msg);
}

// ---- step cards --------------------------------------------------------------------------------------------

/** The card for where the walkthrough is now: its step's questions, or the summary, or its end. */
export function renderStepCard(state: WalkState, opts: StepCardOptions = {}): Card {
  const flow = (opts.flows ?? FLOWS)[state.flowVersion];
  if (!flow || !flow.steps[state.step]) return unavailableCard();
  if (state.status === 'cancelled') return cancelledCard(flow, opts.notice);
  if (flow.retired && state.status !== 'finished') return unavailableCard();
  if (state.status === 'finished') {
    const c = renderSummaryCard(state, { reference: opts.reference ?? state.id.slice(0, 8).toUpperCase(), bodyMapImage: opts.bodyMapImage, flows: opts.flows });
    if (opts.notice) c.body.splice(1, 0, text(plain(opts.notice), { color: 'Good', spacing: 'Small' }));
    return c;
  }
  const step = flow.steps[state.step];
  const now = opts.now ?? new Date();
  const errors = opts.errors ?? {};
  const answers = state.answers[step.id] ?? {};

  const actions: unknown[] = step.buttons.map((b: ButtonDef) => execute(state, b.title, b.choice, { style: b.style, inputs: b.inputs && step.fields.length > 0 }));
  if (state.history.length > 0 && step.back !== false) actions.push(execute(state, 'Back', 'back'));
  actions.push(execute(state, 'Cancel', 'cancel'));

  const speak = [step.warning?.heading, step.title, ...(step.warning?.text ?? []), ...(step.text ?? [])].filter(Boolean).join(' ');
  const identifiersFound = Boolean(opts.identifiers && Object.keys(opts.identifiers.found).length);
  const fallback = `KeepSafe ${(flow.title ?? 'Photo decision').toLowerCase()}: ${step.title}. ${step.warning ? `${step.warning.heading} ` : ''}${
    identifiersFound ? 'Some of what you typed may identify someone: check it before you save. ' : ''
  }Open this in Teams to continue.`;

  const build = (clipAt: number, image: BodyMapImage | undefined): Card => {
    const body: unknown[] = [];
    if (step.warning) body.push(warningBlock(step.warning.heading, step.warning.text, step.id === 'danger'));
    body.push(header(flow, step), text(step.title, { weight: 'Bolder', size: 'Medium', style: 'heading', spacing: 'Small' }));
    if (opts.notice) body.push(text(plain(opts.notice), { color: 'Good', weight: 'Bolder', spacing: 'Small' }));
    if (opts.problem) body.push(text(plain(opts.problem), { color: 'Attention', weight: 'Bolder', spacing: 'Small' }));
    const found = opts.identifiers && Object.keys(opts.identifiers.found).length ? opts.identifiers : undefined;
    if (found) {
      body.push(
        text(`Some of what you typed may identify someone. Records name people by case reference or role. ${CHECK_LIMITS} Change it below and press the button again to check it again, or switch on "save as it is" if it is needed.`, {
          color: 'Attention',
          weight: 'Bolder',
          spacing: 'Small',
        }),
        {
          type: 'Input.Toggle',
          id: IDENTIFIERS_OK_INPUT,
          label: 'Possible identifiers',
          title: 'These details are needed in the record: save them as they are',
          valueOn: found.digest,
          valueOff: '',
          value: '',
          wrap: true,
        },
      );
    }
    const fieldIds = new Set(step.fields.map((f) => f.id));
    const loose = Object.entries(errors).filter(([k]) => !fieldIds.has(k));
    if (Object.keys(errors).length) {
      body.push(text('Please check the answers marked below. What you typed is kept.', { color: 'Attention', weight: 'Bolder', spacing: 'Small' }));
      for (const [, msg] of loose) body.push(text(plain(msg), { color: 'Attention', spacing: 'Small' }));
    }
    for (const t of step.text ?? []) body.push(text(t, { spacing: 'Small' }));
    if (step.summary) {
      body.push(...summaryBody(state, flow, clipAt, image));
      body.push(text('Check the summary. To change something, press Back. Then press Finish.', { spacing: 'Medium', weight: 'Bolder' }));
    }
    if (step.marks) {
      if (state.marks.length) {
        body.push(text(`Marks added (${state.marks.length})`, { weight: 'Bolder', spacing: 'Medium' }));
        for (const [i, m] of state.marks.entries()) {
          body.push({
            type: 'ColumnSet',
            spacing: 'Small',
            columns: [
              {
                type: 'Column',
                width: 'stretch',
                items: [text(plain(markLine(m, i, flow))), text(plain(clip(m.description, 80)), { isSubtle: true, size: 'Small', spacing: 'None' })],
              },
              {
                type: 'Column',
                width: 'auto',
                verticalContentAlignment: 'Center',
                items: [{ type: 'ActionSet', actions: [execute(state, `Remove mark ${i + 1}`, 'remove_mark', { markId: m.id, inputs: true, noFallback: true })] }],
              },
            ],
          });
        }
        body.push(text('Add another mark below, or press Continue.', { spacing: 'Medium', weight: 'Bolder' }));
      } else {
        body.push(text('No marks yet. Add the first one below.', { spacing: 'Medium', weight: 'Bolder' }));
      }
    }
    for (const f of step.fields) body.push(fieldBlock(f, step, answers[f.id] ?? '', errors[f.id], now, clipAt, found?.found[f.id]));
    if (clipAt < Infinity) {
      body.push(
        step.summary
          ? text('Long answers are shortened here. The record has them in full.', { isSubtle: true, size: 'Small' })
          : text('Some long text could not be shown again in full. Please check it.', { color: 'Attention' }),
      );
    }
    return card(body, actions, fallback, speak);
  };

  const full = build(Infinity, opts.bodyMapImage);
  if (cardBytes(full) <= CARD_BYTE_BUDGET) return full;
  return fitted(build, opts.bodyMapImage);
}
