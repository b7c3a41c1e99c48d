/**
 * Small pieces every handler family uses: who pressed or typed (by AAD object id; the display name only for
 * cards and records that show it), and the shapes of the proactive messages queued in the outbox.
 */
import type { TurnContext } from 'botbuilder';
import { cardAttachment } from '../cards';

/** The signed-in member of staff behind an activity, or undefined (no AAD object id: not from Teams). */
export function person(context: TurnContext): { aadObjectId: string; name: string } | undefined {
  const from = context.activity.from;
  if (!from?.aadObjectId) return undefined;
  return { aadObjectId: from.aadObjectId, name: (from.name ?? '').slice(0, 200) };
}

/** A card as an outbox message; `summary` is the notification preview, `text` an optional plain line above it. */
export const cardMessage = (content: object, summary: string, text?: string): Record<string, unknown> => ({
  type: 'message',
  summary,
  ...(text ? { text, textFormat: 'plain' } : {}),
  attachments: [cardAttachment(content as never)],
});

/** A plain-text outbox message (shown as typed, never as Markdown). */
export const textMessage = (text: string): Record<string, unknown> => ({ type: 'message', text, textFormat: 'plain' });
