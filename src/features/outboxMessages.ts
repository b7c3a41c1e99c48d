/**
 * The proactive messages the use cases queue in the outbox, in KeepSafe's own shape (OutboxContent in
 * src/storage/types.ts: a card, a card with a line, a line of text), not an SDK's; src/teams/delivery.ts turns
 * each into a Bot Framework message when it sends it, and an adapter for another SDK reads the same shape.
 */
import type { OutboxContent } from '../storage/types';
import type { AdaptiveCard } from './cardRender';

/** A card as an outbox message; `summary` is the notification preview, `text` an optional plain line above it. */
export const cardMessage = (card: AdaptiveCard, summary: string, text?: string): OutboxContent => ({
  kind: 'card',
  card,
  summary,
  ...(text ? { text } : {}),
});

/** A text outbox message: shown as typed (plain, the default), or read as Markdown. */
export const textMessage = (text: string, format: 'plain' | 'markdown' = 'plain'): OutboxContent => ({
  kind: 'text',
  text,
  format,
});
