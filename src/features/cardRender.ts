/**
 * Card rendering. Each template in cards/ is loaded once and bound with adaptivecards-templating. Which cards
 * there are, and the schema of each one's data, is cardCatalogue.ts (each family's schemas in its cardData.ts).
 *
 * What the data may and may not do (checked in tests/features/cards.test.ts):
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
import { PROJECT_ROOT } from '../paths';
import { CARD_NAMES, CardDataSchemas, type CardData, type CardName } from './cardCatalogue';

export const CARDS_DIR = path.join(PROJECT_ROOT, 'cards');
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

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
    if (!Object.prototype.hasOwnProperty.call(CardDataSchemas, name))
      throw new Error(`Unknown card template "${name}"`);
    registerTemplateFunctions();
    const file = path.join(CARDS_DIR, `${name}.json`);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(
        `Card template ${path.relative(process.cwd(), file)} could not be read: ${(err as Error).message}`,
      );
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
