/**
 * "Did you mean…?": when the engine hesitates (Answer.clarify), the worker gets the two or three best sections as
 * buttons, plus "None of these". A press shows that section's answer card in place and stores what was offered,
 * what was chosen and which engine hesitated (a clarify_choice entry: never the question text), once per card.
 * "None of these" shows the topic list with Ask a manager, and counts as a content gap.
 */
import type { Answer } from '../../core/guidance/types';
import { renderCard, type AdaptiveCard } from '../cardRender';
import type { FeatureDeps } from '../deps';
import { GONE, SAID } from '../messages';
import { boundedKey } from '../keys';
import { cardKeyOf, type PressResult, type Turn } from '../turn';
import { pointsFirst } from './answerPoints';
import { gapDays, recordGap } from './gaps';
import { didYouMeanCardData, offeredSections } from './questionViews';
import { answerCardData, notCoveredCardData } from './views';

type Deps = Pick<FeatureDeps, 'guidance' | 'logger' | 'store' | 'features' | 'gapDays'>;

/** The did-you-mean card for an answer the engine hesitated on; undefined when there is nothing to offer. */
export function didYouMeanCard(
  deps: Pick<FeatureDeps, 'guidance' | 'gapDays'>,
  answer: Answer,
  question: string,
): AdaptiveCard | undefined {
  const offered = offeredSections(answer, deps.guidance.document);
  if (offered.length === 0) return undefined;
  return renderCard('didYouMean', didYouMeanCardData(deps.guidance.document, offered, question, gapDays(deps)));
}

export interface ClarifyData {
  choice: string;
  offered: string;
  question: string;
}

/** A press on the did-you-mean card. Returns the card to show in its place. */
export async function chooseClarify(turn: Turn, deps: Deps, data: ClarifyData): Promise<PressResult> {
  const doc = deps.guidance.document;
  const offered = data.offered.split(' ').filter((n) => deps.guidance.section(n));
  if (offered.length === 0) return { message: GONE.sections };
  if (data.choice !== 'none' && !offered.includes(data.choice)) return { message: SAID.notAChoice };

  // The key of one did-you-mean card: its activity id in this conversation (one choice per card).
  const key = cardKeyOf(turn);
  await recordChoice(turn, deps, { offered, chosen: data.choice, key });

  if (data.choice === 'none') {
    // Ask a manager only where the question can stay private: the worker's 1:1 chat.
    const personal = turn.place === 'personal';
    await recordGap(turn, deps, { reason: 'none_fitted', question: data.question, section: offered[0], key });
    return {
      card: renderCard(
        'notCovered',
        notCoveredCardData(
          doc,
          'none_fitted',
          data.question.trim() && personal
            ? { question: data.question, from: 'did_you_mean', section: offered[0] }
            : null,
          data.question.trim() ? gapDays(deps) : null,
        ),
      ),
    };
  }
  const section = deps.guidance.section(data.choice)!;
  // The points of the chosen section that fit the question first, as on any answer card.
  const points = pointsFirst(data.question, section.keyPoints, 'guidance');
  return {
    card: renderCard(
      'answer',
      answerCardData(doc, section, null, deps.features, null, points ? { points } : {}, data.question),
    ),
  };
}

/** Stores which section the worker picked (never the question). Best effort: the worker gets their answer anyway. */
async function recordChoice(
  turn: Turn,
  deps: Deps,
  choice: { offered: string[]; chosen: string; key: string },
): Promise<void> {
  const ids = turn.log;
  // Every record needs a real author (the edge checks the id is a GUID); without one the choice is not stored.
  const author = turn.actor?.aadObjectId.toLowerCase();
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
