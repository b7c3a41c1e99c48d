/**
 * Reply → Teams: the only place that turns what a use case says back into Teams messages and invoke responses.
 *
 * In a message turn (typed, or an Action.Submit press) every reply is a message: a card or a notice as a new
 * message; `update` replaces the pressed card in place (a new message when it cannot); `message` becomes a
 * notice; `fileOffer` becomes a file consent card (Teams asks where to save the file; teams/files.ts does the
 * rest when it is accepted). In an Action.Execute invoke the first reply is the invoke's answer (a card replaces
 * the pressed card, a message is shown beside it) and any further ones are sent as new messages.
 */
import { type AdaptiveCardInvokeResponse, MessageFactory, type TurnContext } from 'botbuilder';
import { cardAttachment, renderCard, type AdaptiveCard } from '../features/cardRender';
import { NOTICES } from '../features/messages';
import type { Reply } from '../features/turn';
import type { Logger } from '../logger';
import { fileConsentAttachment } from './files';
import { activityIds } from './ids';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** Sends a card as a new message. */
export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}

function noticeCard(title: string, message: string): AdaptiveCard {
  return renderCard('notice', { title, message });
}

/** Sends every reply of a message turn, in order. */
export async function sendReplies(context: TurnContext, replies: readonly Reply[], logger: Logger): Promise<void> {
  for (const r of replies) {
    switch (r.kind) {
      case 'card':
        await sendCard(context, r.card);
        break;
      case 'notice':
        await sendCard(context, noticeCard(r.title, r.message));
        break;
      case 'message':
        await sendCard(context, noticeCard(NOTICES.pressMessageTitle, r.text));
        break;
      case 'update':
        await replaceOrSend(context, r.card, logger);
        break;
      case 'fileOffer':
        await context.sendActivity(MessageFactory.attachment(fileConsentAttachment(r.file)));
        break;
    }
  }
}

/** The pressed card replaced in place (Action.Submit fallback); a new message if Teams refuses the update. */
async function replaceOrSend(context: TurnContext, card: AdaptiveCard, logger: Logger): Promise<void> {
  const attachment = cardAttachment(card);
  if (context.activity.replyToId) {
    try {
      await context.updateActivity({ type: 'message', id: context.activity.replyToId, attachments: [attachment] });
      return;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      logger.warn({ ...activityIds(context.activity), status }, 'card.update_failed');
    }
  }
  await context.sendActivity({ type: 'message', attachments: [attachment] });
}

/** A short message Teams shows to the presser without replacing the card. */
export function invokeMessage(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE, value: text as unknown as AdaptiveCardInvokeResponse['value'] };
}

function invokeCard(content: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD, value: content as unknown as AdaptiveCardInvokeResponse['value'] };
}

/** An invoke's answer from its replies: the first answers the invoke, the rest go out as new messages. */
export async function invokeReplies(
  context: TurnContext,
  replies: readonly Reply[],
  logger: Logger,
): Promise<AdaptiveCardInvokeResponse> {
  const [first, ...rest] = replies;
  if (rest.length) await sendReplies(context, rest, logger);
  if (!first) return invokeMessage('');
  switch (first.kind) {
    case 'card':
    case 'update':
      return invokeCard(first.card);
    case 'notice':
      return invokeCard(noticeCard(first.title, first.message));
    case 'message':
      return invokeMessage(first.text);
    case 'fileOffer':
      // A consent card cannot replace the pressed card: it goes as a new message, and the card stays.
      await sendReplies(context, [first], logger);
      return invokeMessage('');
  }
}
