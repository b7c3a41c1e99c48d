/**
 * Every card KeepSafe shows, by name, with the schema of the data its template (cards/<name>.json) is bound
 * with. Each family keeps its cards' schemas in its own cardData.ts, beside the views that build the data; the
 * two cards that belong to no family (the error card and a titled notice) are here. cardRender.ts binds them.
 */
import { z } from 'zod';
import { text } from './cardFields';
import { CONSENT_CARDS } from './consent/cardData';
import { GUIDANCE_CARDS } from './guidance/cardData';
import { INCIDENT_CARDS } from './incidents/cardData';
import { RECORD_CARDS } from './records/cardData';
import { WALKTHROUGH_CARDS } from './walkthrough/cardData';

/** Cards of no one family: an unexpected error (with its reference) and a notice (messages.ts words them). */
const GENERIC_CARDS = {
  error: z.object({ message: text.min(1), reference: text.min(1) }),
  notice: z.object({ title: text.min(1), message: text.min(1) }),
} as const;

export const CardDataSchemas = {
  ...GUIDANCE_CARDS,
  ...GENERIC_CARDS,
  ...RECORD_CARDS,
  ...INCIDENT_CARDS,
  ...WALKTHROUGH_CARDS,
  ...CONSENT_CARDS,
} as const;

export type CardName = keyof typeof CardDataSchemas;
export const CARD_NAMES = Object.keys(CardDataSchemas) as CardName[];

/** What a caller passes for each card (optional fields may be left out). */
export type CardData = { [N in CardName]: z.input<(typeof CardDataSchemas)[N]> };
