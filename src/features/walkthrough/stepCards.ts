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
import {
  bodyMapChoices,
  markDetail,
  markingPicture,
  markLine,
  shownView,
  type BodyMapImage,
} from '../../core/walkthrough/bodyMapCard';
import { CHECK_LIMITS } from '../../core/pii/types';
import { FLOWS } from '../../core/walkthrough/flow';
import { evaluate, pathReader, RESTART_MESSAGE } from '../../core/walkthrough/machine';
import { formatLondon, isDate, isTime, londonParts, londonToDate } from '../../core/time';
import type { ButtonDef, Choice, FieldDef, Flow, StepDef, WalkState } from '../../core/walkthrough/types';

export const WALKTHROUGH_VERB = 'walkthrough';
export const CARD_VERSION = '1.5';
/** Teams refuses a message over about 28 KB; keep a margin for the activity around the card. */
export const CARD_BYTE_BUDGET = 28 * 1024 - 1500;
/** How many problems the summary above the buttons lists in full. */
const SUMMARY_ERRORS = 4;

export type Card = Record<string, unknown> & {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  fallbackText: string;
};

export type { BodyMapImage } from '../../core/walkthrough/bodyMapCard';

/**
 * The council's safety contacts, from configuration (EMERGENCY_DUTY_TEAM_PHONE, REFERRAL_TEAM, REFERRAL_PHONE,
 * REFERRAL_URL): shown on the danger card and the referral step. Missing ones are said plainly, never left out.
 */
export interface SafetyContacts {
  emergencyDutyTeamPhone?: string;
  referral?: { team?: string; phone?: string; url?: string };
}

export interface StepCardOptions {
  /** The emergency duty team's number and the referral route (configuration). */
  contacts?: SafetyContacts;
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
function execute(
  state: WalkState,
  title: string,
  choice: string,
  opts: { style?: string; inputs?: boolean; markId?: string; noFallback?: boolean } = {},
) {
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
    ...(opts.noFallback
      ? {}
      : {
          fallback: {
            type: 'Action.Submit',
            title,
            data,
            associatedInputs: inputs,
            ...(opts.style ? { style: opts.style } : {}),
          },
        }),
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
    // Default (dark) text on the red box: red text on it measures about 3.6:1, under the 4.5:1 WCAG asks.
    items: [
      text(heading, { weight: 'Bolder', size: large ? 'Large' : 'Medium', style: 'heading' }),
      ...lines.map((l) => text(l, { spacing: 'Small' })),
    ],
  };
}

function choiceTitle(flow: Flow, step: string, field: string, value: string): string {
  const f = flow.steps[step]?.fields.find((x) => x.id === field);
  return f?.choices?.find((c) => c.value === value)?.title ?? value;
}

// ---- inputs ------------------------------------------------------------------------------------------------

function input(
  f: FieldDef,
  step: StepDef,
  raw: string,
  now: Date,
  clipAt: number,
  offered?: readonly Choice[],
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: f.id,
    label: f.label,
    errorMessage: f.errorMessage,
  };
  // On a step with an urgent way out (immediate danger), the client must not stop the press for an empty field:
  // the bot checks the answers itself once nobody is in danger.
  const required = (f.required === true || f.mustBeOn === true) && !step.marks && !step.next.some((t) => t.urgent);
  if (required) base.isRequired = true;
  const value = raw.trim();
  switch (f.type) {
    case 'choice':
    case 'multi_choice': {
      const choices = (offered ?? f.choices ?? []).filter((c) => !c.onlyIfSet || c.value === value);
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
      return {
        type: 'Input.Date',
        ...base,
        ...(f.notInFuture ? { max: londonParts(now).date } : {}),
        ...(isDate(value) ? { value } : {}),
      };
    case 'time':
      return { type: 'Input.Time', ...base, ...(isTime(value) ? { value: value.slice(0, 5) } : {}) };
    case 'toggle':
      return {
        type: 'Input.Toggle',
        ...base,
        title: f.toggleTitle ?? f.label,
        valueOn: 'true',
        valueOff: 'false',
        value: value === 'true' ? 'true' : 'false',
        wrap: true,
      };
  }
}

function fieldBlock(
  f: FieldDef,
  step: StepDef,
  raw: string,
  error: string | undefined,
  now: Date,
  clipAt: number,
  identifier?: string,
  offered?: readonly Choice[],
) {
  const items: unknown[] = [input(f, step, raw, now, clipAt, offered)];
  if (f.help) items.push(text(f.help, { isSubtle: true, size: 'Small', spacing: 'None' }));
  if (error)
    items.push(
      text(clip(error, Math.max(Math.min(clipAt, 300), 120)), {
        color: 'Attention',
        weight: 'Bolder',
        spacing: 'Small',
        id: `${f.id}Error`,
      }),
    );
  if (identifier) {
    items.push(
      // On a card shortened to fit, what was found is cut too (the worker sees the field's own text above it).
      text(
        plain(
          `This may identify someone: ${clip(identifier, clipAt < Infinity ? Math.max(clipAt * 2, 100) : 400)}. Use the case reference, or a role such as "mother", instead.`,
        ),
        {
          color: 'Attention',
          weight: 'Bolder',
          spacing: 'Small',
          id: `${f.id}Identifier`,
        },
      ),
    );
  }
  return { type: 'Container', spacing: 'Medium', items };
}

// ---- the council's contacts ---------------------------------------------------------------------------------

/** "0151 443 2600" → "tel:01514432600" (digits and a leading +). */
function telUrl(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}

const EDT_NOT_SET =
  "The emergency duty team's number is not set up in KeepSafe yet. Use the number your team gave you, and ask your manager to have it added.";
const REFERRAL_NOT_SET =
  "KeepSafe doesn't have your council's referral route yet. Use your team's usual route, or ask your manager.";

/** The emergency duty team's number (or the plain fact that it is not set up), with a call button when there is one. */
export function emergencyContactBlock(contacts: SafetyContacts | undefined): unknown[] {
  const phone = contacts?.emergencyDutyTeamPhone?.trim();
  const call999 = { type: 'Action.OpenUrl', title: 'Call 999', url: 'tel:999' };
  if (!phone) {
    return [
      {
        type: 'Container',
        style: 'attention',
        spacing: 'Small',
        items: [
          text('Emergency duty team', { weight: 'Bolder' }),
          text(EDT_NOT_SET, { spacing: 'Small', id: 'edtNotSet' }),
        ],
      },
      { type: 'ActionSet', spacing: 'Small', actions: [call999] },
    ];
  }
  return [
    {
      type: 'Container',
      style: 'attention',
      spacing: 'Small',
      items: [
        text('Emergency duty team', { weight: 'Bolder' }),
        text(plain(phone), { size: 'ExtraLarge', weight: 'Bolder', spacing: 'None', id: 'edtPhone' }),
      ],
    },
    {
      type: 'ActionSet',
      spacing: 'Small',
      actions: [call999, { type: 'Action.OpenUrl', title: 'Call the duty team', url: telUrl(phone) }],
    },
  ];
}

/** Where to refer concerns: the team, its phone and link, from configuration. */
export function referralContactBlock(contacts: SafetyContacts | undefined): unknown[] {
  const r = contacts?.referral;
  const facts = [
    ...(r?.team ? [{ title: 'Refer to', value: plain(r.team) }] : []),
    ...(r?.phone ? [{ title: 'Phone', value: plain(r.phone) }] : []),
  ];
  if (!facts.length && !r?.url) return [text(REFERRAL_NOT_SET, { spacing: 'Small', id: 'referralNotSet' })];
  const out: unknown[] = [
    {
      type: 'Container',
      style: 'emphasis',
      spacing: 'Small',
      id: 'referralRoute',
      items: [
        ...(facts.length ? [{ type: 'FactSet', facts }] : []),
        ...(r?.url ? [text('Use the referral form: the button below opens it.', { spacing: 'Small' })] : []),
      ],
    },
  ];
  const actions = [
    ...(r?.url ? [{ type: 'Action.OpenUrl', title: 'Referral form', url: r.url }] : []),
    ...(r?.phone ? [{ type: 'Action.OpenUrl', title: 'Call the team', url: telUrl(r.phone) }] : []),
  ];
  if (actions.length) out.push({ type: 'ActionSet', spacing: 'Small', actions });
  return out;
}

// ---- the summary -------------------------------------------------------------------------------------------

interface Fact {
  title: string;
  value: string;
}

function section(heading: string, facts: Fact[]): unknown[] {
  const kept = facts.filter((f) => f.value.trim() !== '');
  if (!kept.length) return [];
  // A heading a screen reader can jump between (style "heading"), not only bold text.
  return [
    text(heading, { weight: 'Bolder', spacing: 'Medium', separator: true, style: 'heading' }),
    { type: 'FactSet', facts: kept.map((f) => ({ title: f.title, value: plain(f.value) })) },
  ];
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
        value:
          g('seen', 'immediateDanger') === 'yes'
            ? 'Yes: told to call 999 or the emergency duty team'
            : g('seen', 'immediateDanger') === 'no'
              ? 'No'
              : '',
      },
    ]),
  );

  if (r.onPath('record_advice') && state.step !== 'record_advice') {
    const at = londonToDate(g('record_advice', 'givenDate'), g('record_advice', 'givenTime'));
    body.push(
      ...section('Advice', [
        {
          title: 'From',
          value: clip(`${g('record_advice', 'adviserName')} (${g('record_advice', 'adviserRole')})`, 250),
        },
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
        {
          title: 'Their consent',
          value: choiceTitle(flow, 'parental_consent', 'parentalConsent', g('parental_consent', 'parentalConsent')),
        },
        { title: "Child's view", value: clip(g('parental_consent', 'childView'), limit) },
      );
    } else if (g('capacity', 'hasCapacity') === 'no') {
      facts.push(
        { title: 'Capacity', value: 'Lacks capacity to consent' },
        {
          title: 'Best interests',
          value: choiceTitle(
            flow,
            'best_interests',
            'bestInterestsDecision',
            g('best_interests', 'bestInterestsDecision'),
          ),
        },
        { title: 'Consulted', value: clip(g('best_interests', 'consulted'), limit) },
        {
          title: 'Attorney or deputy',
          value: choiceTitle(flow, 'best_interests', 'attorneyOrDeputy', g('best_interests', 'attorneyOrDeputy')),
        },
        { title: 'How decided', value: clip(g('best_interests', 'note'), limit) },
      );
    } else {
      facts.push(
        { title: 'Capacity', value: 'Has capacity to consent' },
        { title: 'Consent', value: choiceTitle(flow, 'consent', 'personConsent', g('consent', 'personConsent')) },
      );
    }
    facts.push({ title: 'Photographs', value: photographing ? 'To be taken' : 'Not to be taken' });
    if (photographing)
      facts.push({ title: 'Device', value: 'Work device only' }, { title: 'Stored in', value: 'The case record only' });
    else facts.push({ title: 'Instead', value: clip(g('consent_refused', 'whatHappensInstead'), limit) });
    body.push(...section('Consent', facts));
  }

  if (r.onPath('body_map') && state.step !== 'body_map') {
    body.push(text('Body map', { weight: 'Bolder', spacing: 'Medium', separator: true, style: 'heading' }));
    if (image) body.push({ type: 'Image', url: image.url, altText: image.altText, size: 'Stretch' });
    for (const [i, m] of state.marks.entries()) {
      const detail = markDetail(m);
      if (m.lengthCm !== undefined) {
        // Flow 2: the mark and its details in one block (20 marks and a 720 px picture share 28 KB).
        body.push(
          text(`${plain(markLine(m, i, flow))}. ${plain(clip(detail, Math.min(limit, 300)))}`, { spacing: 'Small' }),
        );
        continue;
      }
      body.push(text(plain(markLine(m, i, flow)), { spacing: 'Small' }));
      if (detail) body.push(text(plain(clip(detail, Math.min(limit, 300))), { isSubtle: true, spacing: 'None' }));
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
  if (photographing)
    body.push(text('Photographs go in the case record only. Never in Teams.', { weight: 'Bolder', spacing: 'Medium' }));
  return body;
}

const SUMMARY_LIMITS = [2000, 1000, 500, 250, 120, 60];

/** Builds with the longest texts that fit the budget; drops the picture (its alt text stays) as a last resort. */
function fitted(
  build: (limit: number, image: BodyMapImage | undefined) => Card,
  image: BodyMapImage | undefined,
): Card {
  for (const img of image ? [image, undefined] : [undefined]) {
    for (const limit of SUMMARY_LIMITS) {
      const c = build(limit, img);
      if (cardBytes(c) <= CARD_BYTE_BUDGET) return c;
    }
  }
  return build(SUMMARY_LIMITS[SUMMARY_LIMITS.length - 1], undefined);
}

/** Steps reached only by an urgent transition (the danger card) are not counted: they are a detour, not a step. */
function detours(flow: Flow): Set<string> {
  const out = new Set<string>();
  for (const s of Object.values(flow.steps)) for (const t of s.next) if (t.urgent) out.add(t.to);
  return out;
}

/**
 * Where this card is on the walkthrough's own path: the cards already behind it, and the cards still ahead on the
 * answers given so far (the first way on where an answer is not known yet). "Step 4 of 5" on four cards in a row
 * told a worker nothing; this moves on with every card, and the total follows the branch taken.
 */
export function stepPosition(flow: Flow, state: WalkState): { n: number; of: number } | undefined {
  const skip = detours(flow);
  if (skip.has(state.step)) return undefined;
  const behind = new Set(state.history.filter((id) => id !== state.step && !skip.has(id) && flow.steps[id]));
  let ahead = 0;
  let cur = state.step;
  const passed = new Set([cur]);
  for (let i = 0; i < 50; i++) {
    const t = flow.steps[cur]?.next.find((x) => !x.urgent && (!x.when || evaluate(x.when, { state, step: cur })));
    if (!t || passed.has(t.to)) break;
    passed.add(t.to);
    cur = t.to;
    if (!skip.has(cur) && !behind.has(cur)) ahead += 1;
  }
  return { n: behind.size + 1, of: behind.size + 1 + ahead };
}

function header(flow: Flow, state: WalkState, reference?: string): unknown {
  const at = stepPosition(flow, state);
  // Once something is stored, the walkthrough's one reference (the same on the managers' cards and in "my records").
  const ref = reference && Object.keys(state.recorded).length ? ` · ${reference}` : '';
  return text(plain(`${flow.title ?? 'Photo decision'}${at ? ` · Step ${at.n} of ${at.of}` : ''}${ref}`), {
    isSubtle: true,
    size: 'Small',
    spacing: 'None',
  });
}

/** The whole record of a walkthrough, with its reference and the body-map picture. No buttons. */
export function renderSummaryCard(state: WalkState, opts: SummaryCardOptions): Card {
  const flow = (opts.flows ?? FLOWS)[state.flowVersion];
  if (!flow) return unavailableCard();
  return fitted((limit, image) => {
    const body: unknown[] = [
      text(`${flow.summaryTitle ?? 'Injury photo decision'}: summary`, {
        weight: 'Bolder',
        size: 'Medium',
        style: 'heading',
      }),
      text(`Reference: ${plain(opts.reference)}`, { weight: 'Bolder', spacing: 'Small' }),
      text(
        state.status === 'finished'
          ? `Finished ${formatLondon(state.finishedAt ?? state.updatedAt)}. The record is saved.`
          : 'Not finished yet.',
        { isSubtle: true, spacing: 'None' },
      ),
      ...summaryBody(state, flow, limit, image),
    ];
    if (limit < SUMMARY_LIMITS[0])
      body.push(
        text('Long answers are shortened here. The record has them in full.', { isSubtle: true, size: 'Small' }),
      );
    const title = flow.summaryTitle ?? 'Injury photo decision';
    return card(
      body,
      [],
      `${title} summary, reference ${opts.reference}.`,
      `Summary of the ${title.toLowerCase()}, reference ${opts.reference}.`,
    );
  }, opts.bodyMapImage);
}

function unavailableCard(): Card {
  return card(
    [text('Photo decision', { weight: 'Bolder', style: 'heading' }), text(RESTART_MESSAGE)],
    [],
    RESTART_MESSAGE,
    RESTART_MESSAGE,
  );
}

function cancelledCard(flow: Flow, notice?: string): Card {
  const msg = `Cancelled. Anything already saved stays in the record. To start again, type "${flow.command ?? 'photo decision'}".`;
  const heading = flow.title ?? 'Photo decision';
  return card(
    [
      text(heading, { weight: 'Bolder', style: 'heading' }),
      ...(notice && !notice.startsWith('Walkthrough cancelled') ? [text(plain(notice), { isSubtle: true })] : []),
      text(msg),
    ],
    [],
    `${heading}: ${msg}`,
    msg,
  );
}

// ---- the body-map picker ---------------------------------------------------------------------------------------

/**
 * The body map while marking (flow 2 on): buttons for the four views (and, for a child, the three outlines), then
 * the picture of the view shown with its numbered parts and the marks so far. The view buttons send what was typed,
 * so nothing is lost when the picture changes.
 */
function bodyMapPicker(
  state: WalkState,
  step: StepDef,
  buttons: readonly ButtonDef[],
  pic: BodyMapImage | undefined,
): unknown[] {
  const view = shownView(state, step);
  const sets = buttons.filter((b) => b.action === 'set');
  const viewButtons = sets.filter((b) => b.sets?.view);
  const bandButtons = sets.filter((b) => b.sets?.ageBand);
  const band = state.answers[step.id]?.ageBand;
  const button = (b: ButtonDef, current: boolean) =>
    execute(state, current ? `${b.title} ✓` : b.title, b.choice, {
      inputs: true,
      noFallback: true,
      ...(current ? { style: 'positive' } : {}),
    });
  const out: unknown[] = [text('Side of the body', { weight: 'Bolder', spacing: 'Medium' })];
  // Two rows of two: four buttons in one row overflow a phone's width.
  for (let i = 0; i < viewButtons.length; i += 2) {
    out.push({
      type: 'ActionSet',
      spacing: 'Small',
      actions: viewButtons.slice(i, i + 2).map((b) => button(b, b.sets?.view === view)),
    });
  }
  if (bandButtons.length) {
    out.push(text('Outline for a child: choose the nearest age', { weight: 'Bolder', spacing: 'Medium' }));
    const current = band ?? 'child';
    out.push({
      type: 'ActionSet',
      spacing: 'Small',
      actions: bandButtons.map((b) => button(b, b.sets?.ageBand === current)),
    });
  }
  // Left out only when the card would not fit Teams' limit with it (every answer at its longest and every error).
  if (pic) out.push({ type: 'Image', url: pic.url, altText: pic.altText, size: 'Stretch', spacing: 'Small' });
  else
    out.push(
      text(
        'The picture is left out to keep this card small enough for Teams. The numbers in the list below are the same.',
        { isSubtle: true, spacing: 'Small' },
      ),
    );
  return out;
}

/**
 * The marks so far (flow 2 on), numbered as on the picture, one short line each, and one Remove chooser: a Remove
 * button per mark would cost about 350 bytes each, which 20 marks and the picture cannot afford in 28 KB.
 */
function markList(state: WalkState, flow: Flow): unknown[] {
  if (!state.marks.length)
    return [text('No marks yet. Add the first one below.', { spacing: 'Medium', weight: 'Bolder' })];
  const out: unknown[] = [text(`Marks added (${state.marks.length})`, { weight: 'Bolder', spacing: 'Medium' })];
  // One numbered Markdown list: each line's text is escaped, the list numbers are the marks' numbers.
  out.push(
    text(
      state.marks
        .map((m, i) => `${i + 1}. ${plain(clip(markLine(m, i, flow).replace(/^\d+\. /, ''), 100))}`)
        .join('\n'),
      { spacing: 'Small' },
    ),
  );
  const last = state.marks[state.marks.length - 1];
  out.push({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.ChoiceSet',
            id: 'markId',
            label: 'Remove a mark before saving',
            style: 'compact',
            value: last.id,
            choices: state.marks.map((m, i) => ({ title: `Mark ${i + 1}`, value: m.id })),
          },
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Bottom',
        items: [
          { type: 'ActionSet', actions: [execute(state, 'Remove', 'remove_mark', { inputs: true, noFallback: true })] },
        ],
      },
    ],
  });
  out.push(text('Add another mark below, or press Continue.', { spacing: 'Medium', weight: 'Bolder' }));
  return out;
}

// ---- step cards --------------------------------------------------------------------------------------------

/** The card for where the walkthrough is now: its step's questions, or the summary, or its end. */
export function renderStepCard(state: WalkState, opts: StepCardOptions = {}): Card {
  const flow = (opts.flows ?? FLOWS)[state.flowVersion];
  if (!flow || !flow.steps[state.step]) return unavailableCard();
  if (state.status === 'cancelled') return cancelledCard(flow, opts.notice);
  if (flow.retired && state.status !== 'finished') return unavailableCard();
  if (state.status === 'finished') {
    const c = renderSummaryCard(state, {
      reference: opts.reference ?? state.id.slice(0, 8).toUpperCase(),
      bodyMapImage: opts.bodyMapImage,
      flows: opts.flows,
    });
    if (opts.notice) c.body.splice(1, 0, text(plain(opts.notice), { weight: 'Bolder', spacing: 'Small' }));
    return c;
  }
  const step = flow.steps[state.step];
  const now = opts.now ?? new Date();
  const errors = opts.errors ?? {};
  const answers = state.answers[step.id] ?? {};

  // Buttons that set the view or outline of a body map sit by its picture; those whose condition fails are not offered.
  const offeredButtons = step.buttons.filter((b) => !b.when || evaluate(b.when, { state, step: step.id }));
  const actions: unknown[] = offeredButtons
    .filter((b) => b.action !== 'set')
    .map((b: ButtonDef) =>
      execute(state, b.title, b.choice, { style: b.style, inputs: b.inputs && step.fields.length > 0 }),
    );
  if (state.history.length > 0 && step.back !== false) actions.push(execute(state, 'Back', 'back'));
  actions.push(execute(state, 'Cancel', 'cancel'));

  const speak = [step.warning?.heading, step.title, ...(step.warning?.text ?? []), ...(step.text ?? [])]
    .filter(Boolean)
    .join(' ');
  const identifiersFound = Boolean(opts.identifiers && Object.keys(opts.identifiers.found).length);
  const fallback = `KeepSafe ${(flow.title ?? 'Photo decision').toLowerCase()}: ${step.title}. ${step.warning ? `${step.warning.heading} ` : ''}${
    identifiersFound ? 'Some of what you typed may identify someone: check it before you save. ' : ''
  }Open this in Teams to continue.`;

  const build = (clipAt: number, image: BodyMapImage | undefined): Card => {
    const body: unknown[] = [];
    if (step.warning) body.push(warningBlock(step.warning.heading, step.warning.text, step.id === 'danger'));
    if (step.contact === 'emergency') body.push(...emergencyContactBlock(opts.contacts));
    body.push(
      header(flow, state, opts.reference),
      text(step.title, { weight: 'Bolder', size: 'Medium', style: 'heading', spacing: 'Small' }),
    );
    // A notice may be good news ("Mark added.") or a warning ("That button was already used"): never in the
    // success green, which measures about 2:1 against a white card (WCAG asks 4.5:1). Default text, bold.
    if (opts.notice)
      body.push({
        type: 'Container',
        style: 'emphasis',
        spacing: 'Small',
        items: [text(plain(opts.notice), { weight: 'Bolder' })],
      });
    if (opts.problem) body.push(text(plain(opts.problem), { color: 'Attention', weight: 'Bolder', spacing: 'Small' }));
    const found = opts.identifiers && Object.keys(opts.identifiers.found).length ? opts.identifiers : undefined;
    if (found) {
      body.push(
        text(
          `Some of what you typed may identify someone. Records name people by case reference or role. ${CHECK_LIMITS} Change it below and press the button again to check it again, or switch on "save as it is" if it is needed.`,
          {
            color: 'Attention',
            weight: 'Bolder',
            spacing: 'Small',
          },
        ),
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
      body.push(
        text('Please check the answers marked below. What you typed is kept.', {
          color: 'Attention',
          weight: 'Bolder',
          spacing: 'Small',
        }),
      );
      for (const [, msg] of loose) body.push(text(plain(msg), { color: 'Attention', spacing: 'Small' }));
    }
    for (const t of step.text ?? []) body.push(text(t, { spacing: 'Small' }));
    if (step.contact === 'referral') body.push(...referralContactBlock(opts.contacts));
    if (step.summary) {
      body.push(...summaryBody(state, flow, clipAt, image));
      body.push(
        text('Check the summary. To change something, press Back. Then press Finish.', {
          spacing: 'Medium',
          weight: 'Bolder',
        }),
      );
    }
    if (step.marks?.keep) body.push(...bodyMapPicker(state, step, offeredButtons, image), ...markList(state, flow));
    else if (step.marks) {
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
                items: [
                  text(plain(markLine(m, i, flow))),
                  text(plain(clip(markDetail(m), 80)), { isSubtle: true, size: 'Small', spacing: 'None' }),
                ],
              },
              {
                type: 'Column',
                width: 'auto',
                verticalContentAlignment: 'Center',
                items: [
                  {
                    type: 'ActionSet',
                    actions: [
                      execute(state, `Remove mark ${i + 1}`, 'remove_mark', {
                        markId: m.id,
                        inputs: true,
                        noFallback: true,
                      }),
                    ],
                  },
                ],
              },
            ],
          });
        }
        body.push(text('Add another mark below, or press Continue.', { spacing: 'Medium', weight: 'Bolder' }));
      } else {
        body.push(text('No marks yet. Add the first one below.', { spacing: 'Medium', weight: 'Bolder' }));
      }
    }
    for (const f of step.fields)
      body.push(
        fieldBlock(
          f,
          step,
          answers[f.id] ?? '',
          errors[f.id],
          now,
          clipAt,
          found?.found[f.id],
          bodyMapChoices(f, state, step),
        ),
      );
    // What stopped the press, again right above the buttons: after a press Teams shows a phone the bottom of a
    // tall card, so the worker sees what to fix without scrolling back up.
    // On a card shortened to fit the budget, the summary lists one problem and counts the rest.
    const listed = clipAt < Infinity ? 1 : SUMMARY_ERRORS;
    const bottom: string[] = [
      ...(opts.problem ? [plain(clip(opts.problem, Math.min(clipAt, 160)))] : []),
      // Each field's message says what to do ("Choose what you saw."), so it stands on its own here; past a few,
      // the rest are counted (each is also under its own field), so a long list never pushes the card over budget.
      ...Object.values(errors)
        .slice(0, listed)
        .map((msg) => plain(clip(msg, Math.min(clipAt, 160)))),
      ...(Object.keys(errors).length > listed
        ? [`And ${Object.keys(errors).length - listed} more, each marked under its answer above.`]
        : []),
      ...(found
        ? [
            plain(
              `May identify someone: ${clip(
                step.fields
                  .filter((f) => found.found[f.id])
                  .map((f) => f.label)
                  .join('; '),
                Math.min(clipAt * 3, 300),
              )}. Change it, or switch on "save them as they are" above.`,
            ),
          ]
        : []),
    ];
    if (bottom.length) {
      body.push({
        type: 'Container',
        style: 'attention',
        spacing: 'Medium',
        id: 'checkSummary',
        items: [
          text(opts.problem && bottom.length === 1 ? 'Not saved yet' : 'Please check', { weight: 'Bolder' }),
          ...bottom.map((b) => text(`- ${b}`, { spacing: 'Small' })),
        ],
      });
    }
    if (clipAt < Infinity) {
      body.push(
        step.summary
          ? text('Long answers are shortened here. The record has them in full.', { isSubtle: true, size: 'Small' })
          : text('Some long text could not be shown again in full. Please check it.', { color: 'Attention' }),
      );
    }
    return card(body, actions, fallback, speak);
  };

  // The body-map step's own picture (flow 2 on) is drawn here; the summary's comes from the caller.
  const image = step.marks?.keep ? markingPicture(state, step) : opts.bodyMapImage;
  const full = build(Infinity, image);
  if (cardBytes(full) <= CARD_BYTE_BUDGET) return full;
  return fitted(build, image);
}
