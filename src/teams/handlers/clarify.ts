/**
 * "Did you mean…?": when the engine hesitates (Answer.clarify), the worker gets the two or three best sections as
 * buttons, plus "None of these". A press shows that section's answer card in place and stores what was offered,
 * what was chosen and which engine hesitated (a clarify_choice entry: never the question text), once per card.
 * "None of these" shows the topic list with Ask a manager, and counts as a content gap.
 */
import type { TurnContext } from 'botbuilder';
import type { Answer } from '../../core/guidance/types';
import { pointsFirst } from '../answerPoints';
import { renderCard } from '../cards';
import { activityIds, boundedKey } from '../ids';
import type { BotDeps } from '../bot';
import { didYouMeanCardData, offeredSections } from '../questionViews';
import { answerCardData, notCoveredCardData } from '../views';
import { gapDays, recordGap } from './gaps';

/** The did-you-mean card for an answer the engine hesitated on; undefined when there is nothing to offer. */
export function didYouMeanCard(deps: BotDeps, answer: Answer, question: string): object | undefined {
  const offered = offeredSections(answer, deps.guidance.document);
  if (offered.length === 0) return undefined;
  return renderCard('didYouMean', didYouMeanCardData(deps.guidance.document, offered, question, gapDays(deps)));
}

export interface ClarifyData {
  choice: string;
  offered: string;
  question: string;
}

/** The key of one did-you-mean card: its activity id in this conversation (one choice per card). */
function cardKey(context: TurnContext): string {
  return `${context.activity.conversation?.id ?? ''}:${context.activity.replyToId || context.activity.id || ''}`;
}

/** A press on the did-you-mean card. Returns the card to show in its place. */
export async function chooseClarify(context: TurnContext, deps: BotDeps, data: ClarifyData): Promise<{ card: object } | { message: string }> {
  const doc = deps.guidance.document;
  const offered = data.offered.split(' ').filter((n) => deps.guidance.section(n));
  if (offered.length === 0) return { message: "Those sections aren't in the guidance any more. Type 'topics' to see the current ones." };
  if (data.choice !== 'none' && !offered.includes(data.choice)) return { message: "That section wasn't one of the choices. Type your question again, or 'topics'." };

  const key = cardKey(context);
  await recordChoice(context, deps, { offered, chosen: data.choice, key });

  if (data.choice === 'none') {
    // Ask a manager only where the question can stay private: the worker's 1:1 chat.
    const personal = context.activity.conversation?.conversationType === 'personal';
    await recordGap(context, deps, { reason: 'none_fitted', question: data.question, section: offered[0], key });
    return { card: renderCard('notCovered', notCoveredCardData(doc, 'none_fitted', data.question.trim() && personal ? { question: data.question, from: 'did_you_mean', section: offered[0] } : null, data.question.trim() ? gapDays(deps) : null)) };
  }
  const section = deps.guidance.section(data.choice)!;
  // The points of the chosen section that fit the question first, as on any answer card.
  const points = pointsFirst(data.question, section.keyPoints, 'guidance');
  return { card: renderCard('answer', answerCardData(doc, section, null, deps.features, null, points ? { points } : {}, data.question)) };
}

/** Stores which section the worker picked (never the question). Best effort: the worker gets their answer anyway. */
async function recordChoice(context: TurnContext, deps: BotDeps, choice: { offered: string[]; chosen: string; key: string }): Promise<void> {
  const ids = activityIds(context.activity);
  // Every record needs a real author (the edge checks the id is a GUID); without one the choice is not stored.
  const author = context.activity.from?.aadObjectId?.toLowerCase();
  if (!author) {
    deps.logger.warn({ ...ids, code: 'NO_AUTHOR' }, 'clarify.not_recorded');
    return;
  }
  try {
    await deps.store.append(
      {
        kind: 'clarify_choice',
        author: { aadObjectId: author, name: '' },
        fields: { offered: choice.offered, chosen: choice.chosen as never, engineVersion: deps.guidance.engineVersion },
        guidanceVersion: deps.guidance.document.version,
      },
      // One choice per card: a retried invoke, a double press, or a second button on the same card stores nothing new.
      { idempotencyKey: boundedKey('clarify', choice.key) },
    );
    deps.logger.info({ ...ids, chosen: choice.chosen, offered: choice.offered.length }, 'clarify.chosen');
  } catch (err) {
    // The worker still gets what they chose; only this record is lost (logged by code).
    deps.logger.warn({ ...ids, code: (err as { code?: string }).code ?? (err as Error).name }, 'clarify.not_recorded');
  }
}
