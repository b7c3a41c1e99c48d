/**
 * The shapes of the proactive messages queued in the outbox (delivered later by src/teams/delivery.ts). They are
 * stored as Bot Framework message activities — plain objects, no botbuilder import — so messages already queued
 * keep working; an adapter for another SDK reads these three shapes (a card, a card with a line, a plain line).
 */
import { cardAttachment, type AdaptiveCard } from './cardRender';

/** A card as an outbox message; `summary` is the notification preview, `text` an optional plain line above it. */
export const cardMessage = (content: AdaptiveCard, summary: string, text?: string): Record<string, unknown> => ({
  type: 'message',
  summary,
  ...(text ? { text, textFormat: 'plain' } : {}),
  attachments: [cardAttachment(content)],
});

/** A plain-text outbox message (shown as typed, never as Markdown). */
export const textMessage = (text: string): Record<string, unknown> => ({ type: 'message', text, textFormat: 'plain' });
