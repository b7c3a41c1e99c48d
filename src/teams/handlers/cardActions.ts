/**
 * Universal Actions (Action.Execute, invoke `adaptiveCard/action`), routed by verb. Each answer must come
 * back well inside Teams' ~5 s, and a retried invoke must not make a second entry.
 */
import { createHash } from 'node:crypto';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { ErrorCodes, KeepSafeError, errorCodeOf, newErrorReference } from '../../errors';
import { invokeErrorResponse } from '../adapter';
import { parseExecute } from '../cardActions';
import { activityIds } from '../ids';
import type { BotDeps } from '../bot';
import { answerCardData } from '../views';
import { actOnIncident, submitReport } from './incidents';
import { answerAdvice, resumeWalkthrough, walkthroughAction } from './walkthrough';
import { actOnQuestion, askManager } from './askManager';
import { chooseClarify } from './clarify';
import { recordGap } from './gaps';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** A short message Teams shows to the presser without replacing the card. */
function message(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE, value: text as unknown as AdaptiveCardInvokeResponse['value'] };
}

function card(content: object): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD, value: content as AdaptiveCardInvokeResponse['value'] };
}

function asInvoke(result: { card: object } | { message: string }): AdaptiveCardInvokeResponse {
  return 'card' in result ? card(result.card) : message(result.message);
}

/**
 * One feedback per person per answer card. The conversation and card ids are bounded at the edge but can still
 * be long, so they go into the key as a hash: the key is always `feedback:<32 hex>:<guid>` (86 characters).
 */
export function feedbackKey(conversationId: string, replyToId: string, aadObjectId: string): string {
  const digest = createHash('sha256').update(`${conversationId}\n${replyToId}`).digest('hex').slice(0, 32);
  return `feedback:${digest}:${aadObjectId}`;
}

export async function handleCardAction(
  context: TurnContext,
  invokeValue: AdaptiveCardInvokeValue,
  deps: BotDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const ids = activityIds(context.activity);
  const verb = invokeValue?.action?.verb;
  const parsed = parseExecute(verb, invokeValue?.action?.data);
  if (!parsed.ok) {
    deps.logger.warn({ ...ids, verb: typeof verb === 'string' ? verb.slice(0, 40) : undefined, code: 'CARD_PAYLOAD_INVALID' }, 'card.execute.rejected');
    return message(ErrorCodes.CARD_PAYLOAD_INVALID);
  }
  const action = parsed.value;
  deps.logger.info({ ...ids, verb: action.verb }, 'card.execute');
  try {
    switch (action.verb) {
      case 'feedback': {
        const section = deps.guidance.section(action.data.section);
        if (!section) return message("That section isn't in the guidance any more. Type 'topics' to see the current ones.");
        // A record needs a real author: Teams gives every signed-in user an Entra object id (checked as a GUID at
        // the edge). Without one nothing is stored.
        const person = context.activity.from?.aadObjectId?.toLowerCase();
        if (!person) {
          deps.logger.warn({ ...ids, code: 'NO_AUTHOR' }, 'feedback.refused');
          return message("Thanks — I couldn't record that because Teams didn't say who you are. Please try again from your KeepSafe chat.");
        }
        await deps.feedback.recordFeedback({
          section: section.number,
          helpful: action.data.helpful,
          author: { aadObjectId: person },
          idempotencyKey: feedbackKey(String(context.activity.conversation?.id ?? ''), String(context.activity.replyToId ?? ''), person),
        });
        deps.logger.info({ ...ids, section: section.number, helpful: action.data.helpful }, 'feedback.recorded');
        if (!action.data.helpful) {
          // "Not helpful" is a content gap: the section shown, and the question when the card carried it (masked).
          await recordGap(context, deps, { reason: 'not_helpful', question: action.data.question, section: section.number, key: `${context.activity.conversation?.id}:${context.activity.replyToId ?? ''}:${person}` });
        }
        // Drawn again as it was (the safety box and all), with the thanks in place of the question.
        const view = { ...(action.data.lead ? { lead: action.data.lead } : {}), ...(action.data.below ? { below: action.data.below } : {}), ...(action.data.points ? { points: action.data.points } : {}) };
        return card(deps.replies.render('answer', answerCardData(deps.guidance.document, section, { helpful: action.data.helpful }, deps.features, null, view)));
      }
      case 'incident':
        return asInvoke(await submitReport(context, deps, action.data));
      case 'incidentAct': {
        const { resolveNote, ...rest } = action.data;
        return asInvoke(await actOnIncident(context, deps, { ...rest, note: rest.act === 'resolve' ? resolveNote : rest.note }));
      }
      case 'walkthrough':
        return asInvoke(await walkthroughAction(context, deps, action.data));
      case 'adviceAnswer':
        return asInvoke(await answerAdvice(context, deps, action.data));
      case 'photoDecision':
        // "Continue" (a walkId) or "Start a new one" on the open-walkthroughs card: the card is replaced in place.
        return asInvoke(await resumeWalkthrough(context, deps, action.data));
      case 'clarify':
        return asInvoke(await chooseClarify(context, deps, action.data));
      case 'askManager':
        return asInvoke(await askManager(context, deps, action.data));
      case 'questionAct':
        return asInvoke(await actOnQuestion(context, deps, action.data));
    }
  } catch (err) {
    if (err instanceof KeepSafeError) {
      deps.logger.warn({ ...ids, code: err.code }, 'card.execute.failed');
      return message(err.userMessage);
    }
    // A bug, or a failure nobody planned for: Teams gets the invoke error shape with a reference, the log the same
    // reference with the error's type and code (never its message, which could quote what was typed).
    const reference = newErrorReference();
    deps.logger.error({ ...ids, verb: action.verb, reference, code: errorCodeOf(err), err: { type: (err as Error)?.name, stack: (err as Error)?.stack } }, 'card.execute.error');
    return invokeErrorResponse(reference) as unknown as AdaptiveCardInvokeResponse;
  }
}
