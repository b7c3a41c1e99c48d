/**
 * Card rendering: each template in cards/ is loaded once and bound with adaptivecards-templating.
 * Data is plain text; templating expressions are only evaluated in the template, never in the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { PROJECT_ROOT } from '../paths';

export const CARD_NAMES = ['answer', 'notCovered', 'topics', 'help', 'welcome', 'error', 'notice'] as const;
export type CardName = (typeof CARD_NAMES)[number];

export const CARDS_DIR = path.join(PROJECT_ROOT, 'cards');
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body?: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    if (!CARD_NAMES.includes(name)) throw new Error(`Unknown card template "${name}"`);
    const json = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    t = new ACData.Template(json);
    templates.set(name, t);
  }
  return t;
}

/** Loads and parses every template now, so a broken card stops the start rather than a worker's turn. */
export function loadAllTemplates(): void {
  CARD_NAMES.forEach((name) => template(name));
}

export function renderCard(name: CardName, data: object): AdaptiveCard {
  const card = template(name).expand({ $root: data }) as AdaptiveCard;
  return card;
}

/** A card as a Bot Framework message attachment (plain object: no botbuilder import here). */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
