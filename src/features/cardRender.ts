/**
 * Card rendering. Each template in cards/ is loaded once and bound with adaptivecards-templating.
 *
 * What the data may and may not do (checked in tests/cards.test.ts):
 * - Data is plain text. adaptivecards-templating evaluates `${...}` only in the template, never inside a data
 *   value, so a value such as "${doc.title}" is shown as typed.
 * - TextBlock and FactSet text is Markdown in Teams. Templates pass data shown there through `plain(...)`,
 *   which backslash-escapes Markdown syntax, so a "*" or "[x](y)" in the content is shown, not obeyed.
 *   Button titles, fallbackText and action payloads take data as is (they are not Markdown).
 * - Every card's data is checked against its schema before binding: the templating engine would otherwise
 *   leave a literal "${section.title}" in the card for a missing field, and null for a null one.
 * - `$when` false drops the element; a `$data` bound to an empty array drops it too (an ActionSet whose
 *   actions were all dropped keeps `"actions": []`, so templates guard such sets with `$when`).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as AEL from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths';

export const CARDS_DIR = path.join(PROJECT_ROOT, 'cards');
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

// ---- The data each template is bound with ----------------------------------------------------------------

const text = z.string();
const Doc = z.object({ title: text.min(1), version: text.min(1) });
const SectionRef = z.object({ number: text.min(1), title: text.min(1) });
const Topic = SectionRef.extend({ parent: text.nullable() });
const Choice = z.object({ title: text.min(1), value: text.min(1) });

export const CardDataSchemas = {
  answer: z.object({
    doc: Doc,
    section: z.object({
      number: text.min(1),
      title: text.min(1),
      keyPoints: z.array(text),
      paragraphs: z.array(text).min(1),
    }),
    related: z.array(SectionRef),
    /** The section's other key points, behind "Read the full section" (when the first ones fit the question). */
    morePoints: z.array(text).optional().transform((v) => v ?? []),
    feedback: z.object({ helpful: z.boolean() }).nullable(),
    actions: z.object({ reportIncident: z.boolean(), photoDecision: z.boolean() }),
    /** An optional first line calling for action now (e.g. "Don't take photos yet ..."). */
    lead: text.min(1).nullable().optional().transform((v) => v ?? null),
    /** The "Was this helpful?" buttons' data: the section, the answer, and what the card showed (views.AnswerView). */
    feedbackData: z.object({ yes: z.record(z.string(), z.unknown()), no: z.record(z.string(), z.unknown()) }),
  }),
  notCovered: z.object({
    heading: text.min(1),
    message: text.min(1),
    topics: z.array(Topic.extend({ parent: text.nullable().optional().transform((v) => v ?? null) })),
    suggestManager: z.boolean(),
    /** Days a declined question is kept (masked) for the content-gap report, to say so on the card; null when nothing is kept. */
    keptDays: z.number().int().min(1).nullable().optional().transform((v) => v ?? null),
    /** "Ask a manager" with the worker's question (the card is in their own chat), or null for no button. */
    ask: z
      .object({ question: text.min(1).max(1000), from: z.enum(['not_covered', 'did_you_mean']), section: text })
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  }),
  topics: z.object({ doc: Doc, topics: z.array(Topic).min(1) }),
  help: z.object({
    examples: z.array(text.min(1)),
    commands: z.array(z.object({ title: text.min(1).max(24), command: text.min(1), description: text.min(1) })),
    /** Shown to managers only (empty for everyone else). */
    managerCommands: z.array(z.object({ title: text.min(1).max(24), command: text.min(1), description: text.min(1) })),
  }),
  welcome: z.object({ doc: Doc, examples: z.array(text.min(1)) }),
  error: z.object({ message: text.min(1), reference: text.min(1) }),
  notice: z.object({ title: text.min(1), message: text.min(1) }),
  myRecords: z.object({
    heading: text.min(1),
    summary: text.min(1),
    entries: z.array(z.object({ kind: text.min(1), when: text.min(1), caseRef: text.min(1), reference: text.min(1), correction: z.boolean() })),
    footnote: text.min(1),
  }),
  teamRecords: z.object({
    heading: text.min(1),
    summary: text.min(1),
    weeks: z.array(z.object({ label: text.min(1), total: z.number().int().min(1), kinds: z.array(z.object({ label: text.min(1), count: z.number().int().min(1) })).min(1) })),
    footnote: text.min(1),
  }),
  incidentReport: z.object({
    heading: text.min(1),
    intro: text.min(1),
    /** A problem with the whole report (e.g. it could not be saved yet), shown at the top. */
    problem: text.min(1).nullable(),
    pii: z.object({ found: text.min(1), digest: text.min(1) }).nullable(),
    types: z.array(Choice).min(1),
    platforms: z.array(text.min(1)).min(1),
    urgencies: z.array(Choice).min(1),
    values: z.object({
      type: text,
      summary: text,
      happenedDate: text,
      happenedTime: text,
      platform: text,
      urgency: text,
      caseRef: text,
      evidenceKept: z.enum(['true', 'false']),
    }),
    errors: z.object({
      type: text.nullable(),
      summary: text.nullable(),
      happenedDate: text.nullable(),
      happenedTime: text.nullable(),
      platform: text.nullable(),
      urgency: text.nullable(),
      caseRef: text.nullable(),
    }),
    maxDate: text.regex(/^\d{4}-\d{2}-\d{2}$/),
    /** What stopped the press, repeated right above the buttons (null when nothing did). */
    bottom: z.object({ heading: text.min(1), lines: z.array(text.min(1)).min(1) }).nullable(),
  }),
  incidentConfirm: z.object({
    reference: text.min(1),
    typeLabel: text.min(1),
    status: text.min(1),
    statusLine: text.min(1),
    owner: text.min(1).nullable(),
    updated: text.min(1),
    section: text.min(1),
    advice: z.array(text.min(1)).min(1),
  }),
  escalation: z.object({
    incidentId: text.min(1),
    sequence: z.number().int().min(1),
    reference: text.min(1),
    typeLabel: text.min(1),
    urgent: z.boolean(),
    status: text.min(1),
    owner: text.min(1),
    urgency: text.min(1),
    happened: text.min(1),
    platform: text.min(1),
    reporter: text.min(1),
    caseRef: text.min(1),
    evidence: text.min(1),
    history: z.array(text.min(1)),
    actions: z.object({ acknowledge: z.boolean(), takeOwnership: z.boolean(), note: z.boolean(), resolve: z.boolean(), reopen: z.boolean() }),
    /** "Take ownership", or "Take over" once someone owns it. */
    takeOwnershipTitle: text.min(1),
    /** A line for the manager who pressed ("The full report has gone to your chat with KeepSafe."). */
    notice: text.min(1).nullable(),
    outcomes: z.array(Choice).min(1),
  }),
  openIncidents: z.object({
    heading: text.min(1),
    summary: text.min(1),
    weeks: z.number().int().min(1),
    incidents: z.array(z.object({ title: text.min(1), detail: text.min(1), urgent: z.boolean() })),
    byType: z.array(z.object({ label: text.min(1), count: z.number().int().min(1) })),
    byWeek: z.array(z.object({ label: text.min(1), count: z.number().int().min(1) })),
  }),
  adviceRequest: z.object({
    requestId: text.uuid(),
    walkId: text.uuid(),
    reference: text.min(1),
    caseRef: text.min(1),
    concern: text.min(1),
    person: text.min(1),
    danger: text.min(1),
    requested: text.min(1),
    decisions: z.array(Choice).min(2),
    /** Set once a manager has answered: the card then shows the answer and no inputs. */
    answered: z.object({ decision: text.min(1), by: text.min(1), at: text.min(1) }).nullable(),
    /** The member of staff asking (a staff name, never a service user's). */
    asker: text.min(1),
    /** Set once nobody needs to answer (advice had by phone, the walkthrough ended): no inputs, and why. */
    closed: z.object({ how: text.min(1), at: text.min(1) }).nullable(),
  }),
  /** The managers' channel copy of a finished walkthrough: codes, numbers and labels only (no free text, no names). */
  photoSummary: z.object({
    reference: text.min(1),
    caseRef: text.min(1),
    concern: text.min(1),
    person: text.min(1),
    danger: text.min(1),
    advice: text.min(1),
    consent: text.min(1),
    photographs: text.min(1),
    marksLine: text.min(1),
    marks: z.array(text.min(1)),
    referral: text.min(1),
    finished: text.min(1),
    image: z.object({ url: text.min(1), altText: text.min(1) }).nullable(),
  }),
  /** "my consent log" (own entries, each with a Correct button) and the managers' list (with who logged each). */
  consentLog: z.object({
    heading: text.min(1),
    summary: text.min(1),
    entries: z.array(
      z.object({
        title: text.min(1),
        when: text.min(1),
        facts: z.array(z.object({ title: text.min(1), value: text.min(1) })).min(1),
        note: text.min(1).nullable(),
        /** Starts a correction walkthrough (a walkthrough button: checked again when pressed). */
        correct: z
          .object({
            title: text.min(1),
            data: z.strictObject({
              action: z.literal('walkthrough'),
              walkId: text.uuid(),
              step: text.min(1),
              flowVersion: text.min(1),
              rev: z.literal(0),
              choice: text.min(1),
              corrects: text.uuid(),
            }),
          })
          .nullable(),
      }),
    ),
    footnote: text.min(1),
  }),
  /** "Did you mean…?": the engine hesitated between sections; each option is a button, then "None of these". */
  didYouMean: z.object({
    heading: text.min(1),
    intro: text.min(1),
    options: z.array(z.object({ number: text.min(1), title: text.min(1), hint: text.min(1).nullable() })).min(1).max(3),
    /** The offered section numbers, space-separated, sent back with the choice. */
    offered: text.regex(/^\d+(\.\d+){0,3}( \d+(\.\d+){0,3}){0,2}$/),
    /** The worker's question, sent back with the choice (for "Ask a manager" and feedback); never recorded with it. */
    question: text.max(1000),
    /** How long a question none of the sections fit is kept (masked) for the gap report. */
    keptDays: z.number().int().min(1),
  }),
  /** The worker's "Ask a manager" card: the form (identifier check as the incident report), then its status. */
  askManager: z.object({
    form: z.boolean(),
    heading: text.min(1),
    intro: text.min(1),
    problem: text.min(1).nullable(),
    pii: z.object({ found: text.min(1), digest: text.min(1) }).nullable(),
    values: z.object({ question: text.max(1000) }),
    topic: text.min(1).nullable(),
    context: z.object({ from: z.enum(['not_covered', 'did_you_mean']), section: text }),
    status: z
      .object({
        reference: text.min(1),
        label: text.min(1),
        asked: text.min(1),
        answer: z.object({ text: text.min(1), by: text.min(1), at: text.min(1) }).nullable(),
      })
      .nullable(),
    footnote: text.min(1),
  }),
  /** The managers' channel copy of a question: no question text and no name, only that one is waiting. */
  questionChannel: z.object({
    questionId: text.uuid(),
    reference: text.min(1),
    heading: text.min(1),
    status: text.min(1),
    owner: text.min(1),
    topic: text.min(1),
    asked: text.min(1),
    answered: text.min(1).nullable(),
    canTake: z.boolean(),
  }),
  /** The question, privately, for the manager who took it, with the answer form. */
  questionOwner: z.object({
    questionId: text.uuid(),
    reference: text.min(1),
    heading: text.min(1),
    asker: text.min(1),
    asked: text.min(1),
    topic: text.min(1),
    question: text.min(1),
    problem: text.min(1).nullable(),
    pii: z.object({ found: text.min(1), digest: text.min(1) }).nullable(),
    values: z.object({ answer: text.max(2000) }),
    answered: z.object({ text: text.min(1), at: text.min(1) }).nullable(),
  }),
  /** The content-gap report for managers: counts by section and week; the masked questions only in a 1:1 chat. */
  guidanceGaps: z.object({
    heading: text.min(1),
    summary: text.min(1),
    sections: z.array(z.object({ label: text.min(1), total: z.number().int().min(1), detail: text.min(1) })),
    weeks: z.array(z.object({ label: text.min(1), total: z.number().int().min(1), detail: text.min(1) })),
    questions: z.array(z.object({ text: text.min(1), meta: text.min(1) })),
    /** Where the engine asked "Did you mean…?" and what workers chose (sections only: fine in a channel). */
    hesitations: z.array(z.object({ label: text.min(1), total: z.number().int().min(1), detail: text.min(1) })).optional().transform((v) => v ?? []),
    footnote: text.min(1),
  }),
  walkthroughsOpen: z.object({
    heading: text.min(1),
    intro: text.min(1),
    items: z.array(z.object({ walkId: text.uuid(), title: text.min(1), detail: text.min(1), button: text.min(1) })).min(1),
    kind: text.regex(/^[a-z]{1,20}$/),
  }),
} as const;

export type CardName = keyof typeof CardDataSchemas;
export const CARD_NAMES = Object.keys(CardDataSchemas) as CardName[];

/** What a caller passes for each card (optional fields may be left out). */
export type CardData = { [N in CardName]: z.input<(typeof CardDataSchemas)[N]> };
export type AnswerCardData = CardData['answer'];
export type NotCoveredCardData = CardData['notCovered'];
export type TopicsCardData = CardData['topics'];
export type HelpCardData = CardData['help'];
export type WelcomeCardData = CardData['welcome'];
export type ErrorCardData = CardData['error'];
export type NoticeCardData = CardData['notice'];

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  fallbackText?: string;
  body?: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

/** A card's data did not match its schema: a programming error, caught by the turn's error boundary. */
export class CardDataError extends Error {
  override readonly name = 'CardDataError';
  constructor(
    readonly card: CardName,
    readonly issues: readonly string[],
  ) {
    super(`Data for the "${card}" card is not valid: ${issues.join('; ')}`);
  }
}

// ---- Markdown ------------------------------------------------------------------------------------------

/**
 * Makes text safe to show in a TextBlock or FactSet (both Markdown in Teams): emphasis, code and link
 * characters are backslash-escaped, and a line that starts like a list item no longer starts a list.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\`*_[\]]/g, (c) => `\\${c}`)
    .replace(/^([ \t]*)([-+>#])(?=[ \t]|$)/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])(?=[ \t]|$)/gm, '$1\\$2');
}

/** Makes `plain(text)` available to the templates (adaptivecards-templating looks functions up here). */
function registerTemplateFunctions(): void {
  const functions = AEL.ExpressionFunctions.standardFunctions as Map<string, AEL.ExpressionEvaluator>;
  if (functions.has('plain')) return;
  functions.set(
    'plain',
    new AEL.ExpressionEvaluator(
      'plain',
      AEL.FunctionUtils.apply((args: unknown[]) => escapeMarkdown(String(args[0])), AEL.FunctionUtils.verifyString),
      AEL.ReturnType.String,
      AEL.FunctionUtils.validateUnaryString,
    ),
  );
}

// ---- Templates -----------------------------------------------------------------------------------------

const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    if (!Object.prototype.hasOwnProperty.call(CardDataSchemas, name)) throw new Error(`Unknown card template "${name}"`);
    registerTemplateFunctions();
    const file = path.join(CARDS_DIR, `${name}.json`);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`Card template ${path.relative(process.cwd(), file)} could not be read: ${(err as Error).message}`);
    }
    t = new ACData.Template(json);
    templates.set(name, t);
  }
  return t;
}

/** Loads and parses every template now, so a broken card stops the start rather than a worker's turn. */
export function loadAllTemplates(): void {
  CARD_NAMES.forEach((name) => template(name));
}

/**
 * Binds a template with its data and returns the card. Throws CardDataError when the data does not match
 * the card's schema (never sends a card showing raw template expressions).
 */
export function renderCard<N extends CardName>(name: N, data: CardData[N]): AdaptiveCard;
/** @deprecated Pass the card's typed data (CardData[name]); this loose form is still checked at run time. */
export function renderCard(name: CardName, data: object): AdaptiveCard;
export function renderCard(name: CardName, data: unknown): AdaptiveCard {
  const t = template(name);
  const parsed = CardDataSchemas[name].safeParse(data);
  if (!parsed.success) {
    throw new CardDataError(
      name,
      parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(data)'}: ${i.message}`),
    );
  }
  return t.expand({ $root: parsed.data }) as AdaptiveCard;
}

/** A card as a Bot Framework message attachment (a plain object: no botbuilder import here). */
export function cardAttachment(card: AdaptiveCard): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
