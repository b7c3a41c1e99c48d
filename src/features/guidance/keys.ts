import { boundedKey } from '../keys';

/** Keys of a question's messages and actions, so every retry finds the same ones. */
export const questionKeys = {
  ask: (conversationId: string, cardId: string) => boundedKey('ask', conversationId, cardId),
  post: (id: string) => `question:${id}:post`,
  worker: (id: string) => `question:${id}:worker`,
  take: (id: string) => `question:${id}:take`,
  answer: (id: string) => `question:${id}:answer`,
};
