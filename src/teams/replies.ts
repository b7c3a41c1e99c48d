/**
 * Sends cards rendered from the templates in cards/. The only place that turns a card into a Teams message.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { cardAttachment, renderCard, type CardName } from './cards';
import type { Replies } from './handlers/context';

export function createReplies(): Replies {
  return {
    async sendCard(context: TurnContext, template: string, data: object): Promise<void> {
      const card = renderCard(template as CardName, data);
      await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    },
    render(template: string, data: object): object {
      return renderCard(template as CardName, data);
    },
  };
}
