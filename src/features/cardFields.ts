/**
 * Building blocks of the card data schemas (each family's cardData.ts, the generic cards in cardCatalogue.ts):
 * shared so that "a line of text" and "a choice in a list" mean the same on every card.
 */
import { z } from 'zod';

/** Text bound into a template: plain text, shown as typed (see cardRender.ts). */
export const text = z.string();

/** One choice of an Input.ChoiceSet: what it says and the value it sends. */
export const Choice = z.object({ title: text.min(1), value: text.min(1) });
