/**
 * "Was this helpful?" on an answer card: one feedback entry per person per card (a retried or repeated press
 * makes no second entry), and for "No" a content-gap signal. The card is drawn again as it was, with the thanks
 * in place of the question.
 */
import { createHash } from 'node:crypto';
import { renderCard } from '../cardRender';
import type { FeatureDeps, FeedbackRecorder } from '../deps';
import type { RecordStore } from '../../storage/types';
import { GONE } from '../messages';
import type { PressResult, Turn } from '../turn';
import { recordGap } from './gaps';
import { answerCardData, type LeadKey } from './views';

export interface FeedbackData {
  section: string;
  helpful: boolean;
  lead?: LeadKey;
  below?: 'report' | 'photo';
  points?: number[];
  question?: string;
}

/** Feedback stored as a record, stamped with the guidance version the answer came from. */
export function storeFeedback(store: Pick<RecordStore, 'recordFeedback'>, guidanceVersion: string): FeedbackRecorder {
  return {
    async recordFeedback(input) {
      await store.recordFeedback({
        section: input.section,
        helpful: input.helpful,
        authorId: input.author.aadObjectId,
        guidanceVersion,
        idempotencyKey: input.idempotencyKey,
      });
    },
  };
}

/**
 * One feedback per person per answer card. The conversation and card ids are bounded at the edge but can still
 * be long, so they go into the key as a hash: the key is always `feedback:<32 hex>:<guid>` (86 characters).
 */
export function feedbackKey(conversationId: string, replyToId: string, aadObjectId: string): string {
  const digest = createHash('sha256').update(`${conversationId}\n${replyToId}`).digest('hex').slice(0, 32);
  return `feedback:${digest}:${aadObjectId}`;
}

type Deps = Pick<FeatureDeps, 'guidance' | 'feedback' | 'logger' | 'features' | 'store'>;

const NO_AUTHOR =
  "Thanks — I couldn't record that because Teams didn't say who you are. Please try again from your KeepSafe chat.";

export async function giveFeedback(turn: Turn, deps: Deps, data: FeedbackData): Promise<PressResult> {
  const section = deps.guidance.section(data.section);
  if (!section) return { message: GONE.section };
  // A record needs a real author: Teams gives every signed-in user an Entra object id (checked as a GUID at
  // the edge). Without one nothing is stored.
  const person = turn.actor?.aadObjectId.toLowerCase();
  if (!person) {
    deps.logger.warn({ ...turn.log, code: 'NO_AUTHOR' }, 'feedback.refused');
    return { message: NO_AUTHOR };
  }
  await deps.feedback.recordFeedback({
    section: section.number,
    helpful: data.helpful,
    author: { aadObjectId: person },
    idempotencyKey: feedbackKey(turn.ids.conversationId, turn.ids.replyToId, person),
  });
  deps.logger.info({ ...turn.log, section: section.number, helpful: data.helpful }, 'feedback.recorded');
  if (!data.helpful) {
    // "Not helpful" is a content gap: the section shown, and the question when the card carried it (masked).
    const key = `${turn.ids.conversationId}:${turn.ids.replyToId}:${person}`;
    await recordGap(turn, deps, { reason: 'not_helpful', question: data.question, section: section.number, key });
  }
  // Drawn again as it was (the safety box and all), with the thanks in place of the question.
  const view = {
    ...(data.lead ? { lead: data.lead } : {}),
    ...(data.below ? { below: data.below } : {}),
    ...(data.points ? { points: data.points } : {}),
  };
  const thanked = answerCardData(deps.guidance.document, section, { helpful: data.helpful }, deps.features, null, view);
  return { card: renderCard('answer', thanked) };
}
