/**
 * Messages from a worker: typed questions and commands, and Action.Submit presses (which arrive as messages
 * with a `value`). Every submit payload is checked against its schema before anything else happens.
 */
import { type TurnContext } from 'botbuilder';
import { type CommandName, parseCommand, parseCommandDetail } from '../../core/commands';
import { sectionCommand } from '../../core/guidance/engine';
import type { Answer } from '../../core/guidance/types';
import { ErrorCodes } from '../../errors';
import { parseSubmit } from '../cardActions';
import { activityIds } from '../ids';
import type { BotDeps } from '../bot';
import { showMyRecords, showTeamRecords } from './records';
import { showMyConsentLog, showTeamConsentLog } from './consentLog';
import { actOnIncident, openReportForm, showOpenIncidents, submitReport } from './incidents';
import { cardAttachment } from '../cards';
import { setManagersChannel } from './channel';
import { showFailedMessages } from './delivery';
import { answerAdvice, resumeWalkthrough, startWalkthroughChat, walkthroughAction } from './walkthrough';
import { prefillFromQuestion } from '../../core/walkthrough/prefill';
import { actOnQuestion, askManager } from './askManager';
import { chooseClarify, didYouMeanCard } from './clarify';
import { gapDays, recordGap, showGuidanceGaps } from './gaps';
import { pointsFirst } from '../answerPoints';
import { prefillReport } from '../reportPrefill';
import {
  answerCardData,
  LEADS,
  helpCardData,
  notCoveredCardData,
  topicsCardData,
  welcomeCardData,
  type AnswerView,
} from '../views';


export async function handleMessage(context: TurnContext, deps: BotDeps): Promise<void> {
  const { activity } = context;
  if (activity.value !== undefined && activity.value !== null) {
    await handleSubmit(context, deps);
    return;
  }
  const text = cleanText(context);
  if (!text) {
    const hasFiles = (activity.attachments ?? []).length > 0;
    deps.logger.info({ ...activityIds(activity), hasFiles }, 'message.empty');
    if (hasFiles) {
      await deps.replies.sendCard(context, 'notice', {
        title: 'I can only read text',
        message:
          'Please type your question. Photos or documents about the people you work with must never be shared in Teams: keep them in the case record.',
      });
      return;
    }
    await deps.replies.sendCard(context, 'notCovered', notCoveredCardData(deps.guidance.document, 'empty'));
    return;
  }
  const command = parseCommand(text);
  if (command) {
    deps.logger.info({ ...activityIds(activity), command }, 'command');
    await runCommand(context, deps, command);
    return;
  }
  const asked = sectionCommand(text);
  if (asked) {
    await showSection(context, deps, asked);
    return;
  }
  const answer = deps.guidance.answer(text);
  deps.logger.info(
    { ...activityIds(activity), intent: answer.intent, section: answer.section, score: round(answer.score) },
    'question.answered',
  );
  await replyToAnswer(context, deps, answer, text);
}

async function runCommand(context: TurnContext, deps: BotDeps, command: CommandName): Promise<void> {
  switch (command) {
    case 'my_records':
      return showMyRecords(context, deps);
    case 'team_records':
      return showTeamRecords(context, deps);
    case 'report_incident':
      return openReportForm(context, deps);
    case 'open_incidents':
      return showOpenIncidents(context, deps);
    case 'set_managers_channel':
      return setManagersChannel(context, deps);
    case 'failed_messages':
      return showFailedMessages(context, deps);
    case 'photo_decision':
      return startWalkthroughChat(context, deps);
    case 'log_consent':
      return startWalkthroughChat(context, deps, { kind: 'consent' });
    case 'my_consent_log':
      return showMyConsentLog(context, deps);
    case 'team_consent_log':
      return showTeamConsentLog(context, deps, parseCommandDetail(cleanText(context))?.caseRef);
    case 'guidance_gaps':
      return showGuidanceGaps(context, deps);
    default:
      await deps.replies.sendCard(context, 'notice', {
        title: 'Not available yet',
        message: "That part of KeepSafe isn't switched on yet. For now, please speak to your line manager.",
      });
  }
}

/** The key points of the answer's section that fit the question, to show first (views.AnswerView.points). */
function fitting(deps: BotDeps, answer: Answer, question: string): AnswerView {
  const section = answer.section ? deps.guidance.section(answer.section) : undefined;
  const points = section ? pointsFirst(question, section.keyPoints, answer.intent) : undefined;
  return points ? { points } : {};
}

/** The help card, with the managers' commands only for a manager. */
async function sendHelp(context: TurnContext, deps: BotDeps): Promise<void> {
  const aad = context.activity.from?.aadObjectId;
  const manager = aad ? await deps.managers.isManager(context, aad).catch(() => false) : false;
  await deps.replies.sendCard(context, 'help', helpCardData(manager));
}

async function replyToAnswer(context: TurnContext, deps: BotDeps, answer: Answer, question = ''): Promise<void> {
  const doc = deps.guidance.document;
  switch (answer.intent) {
    case 'help':
      return sendHelp(context, deps);
    case 'topics':
      return deps.replies.sendCard(context, 'topics', topicsCardData(doc));
    case 'greeting':
      return deps.replies.sendCard(context, 'welcome', welcomeCardData(doc));
    case 'out_of_scope':
      await recordDecline(context, deps, answer, question);
      return deps.replies.sendCard(context, 'notCovered', notCoveredCardData(doc, 'out_of_scope', null, question.trim() ? gapDays(deps) : null));
    case 'report_incident':
      // What the guidance says, then the report card ready to fill in (1:1 chats only).
      if (answer.section) await showSection(context, deps, answer.section, null, { lead: 'report_incident', ...(personal(context) ? { below: 'report' as const } : {}), ...fitting(deps, answer, question) }, question);
      // What the question already said (the kind of incident, the platform) is ticked for the worker to check.
      return openReportForm(context, deps, prefillReport(question));
    case 'injury_photo':
      // What the guidance says (advice first), then the walkthrough's first card, in a 1:1 chat.
      if (answer.section) await showSection(context, deps, answer.section, null, { lead: 'injury_photo', ...(personal(context) ? { below: 'photo' as const } : {}), ...fitting(deps, answer, question) }, question);
      if (context.activity.conversation?.conversationType === 'personal') return startWalkthroughChat(context, deps, { prefill: prefillFromQuestion(question) });
      if (answer.section) return;
      return deps.replies.sendCard(context, 'notCovered', notCoveredCardData(doc, 'not_covered'));
    case 'guidance': {
      if (answer.section && answer.clarify && question) {
        // The engine hesitates between sections: ask which one was meant (clarify.ts).
        const card = didYouMeanCard(deps, answer, question);
        if (card) return sendCard(context, card);
      }
      if (answer.section) return showSection(context, deps, answer.section, LEADS[answer.intent] ?? null, fitting(deps, answer, question), question);
      await recordDecline(context, deps, answer, question);
      return deps.replies.sendCard(context, 'notCovered', notCoveredCardData(doc, 'not_covered', askOffer(context, deps, answer, question), question.trim() ? gapDays(deps) : null));
    }
  }
}

const personal = (context: TurnContext) => context.activity.conversation?.conversationType === 'personal';

/** "Ask a manager" on the not-covered card: only in a 1:1 chat, where the question can stay private. */
function askOffer(context: TurnContext, deps: BotDeps, answer: Answer, question: string) {
  if (!question.trim() || context.activity.conversation?.conversationType !== 'personal') return null;
  return { question, from: 'not_covered' as const, section: answer.section ?? answer.alternatives[0]?.section ?? deps.nearestSection?.(question) ?? null };
}

/** A declined question is a content gap (masked, with the nearest section when the engine gives one). */
async function recordDecline(context: TurnContext, deps: BotDeps, answer: Answer, question: string): Promise<void> {
  if (!question.trim()) return;
  const key = `${context.activity.conversation?.id ?? ''}:${context.activity.id ?? ''}`;
  const section = answer.section ?? answer.alternatives[0]?.section ?? deps.nearestSection?.(question) ?? null;
  await recordGap(context, deps, { reason: 'declined', question, section, key });
}

async function sendCard(context: TurnContext, card: object): Promise<void> {
  await context.sendActivity({ type: 'message', attachments: [cardAttachment(card as never)] });
}

async function showSection(context: TurnContext, deps: BotDeps, number: string, lead: string | null = null, view: AnswerView = {}, question: string | null = null): Promise<void> {
  const doc = deps.guidance.document;
  const section = deps.guidance.section(number);
  if (!section) {
    await deps.replies.sendCard(context, 'notCovered', notCoveredCardData(doc, 'unknown_section'));
    return;
  }
  await deps.replies.sendCard(context, 'answer', answerCardData(doc, section, null, deps.features, lead, view, question));
}

async function handleSubmit(context: TurnContext, deps: BotDeps): Promise<void> {
  const parsed = parseSubmit(context.activity.value);
  if (!parsed.ok) {
    deps.logger.warn({ ...activityIds(context.activity), code: 'CARD_PAYLOAD_INVALID' }, 'card.submit.rejected');
    await deps.replies.sendCard(context, 'notice', {
      title: "I couldn't use that button",
      message: ErrorCodes.CARD_PAYLOAD_INVALID,
    });
    return;
  }
  const action = parsed.value;
  deps.logger.info({ ...activityIds(context.activity), action: action.action }, 'card.submit');
  const doc = deps.guidance.document;
  switch (action.action) {
    case 'showSection':
      return showSection(context, deps, action.section);
    case 'topics':
      return deps.replies.sendCard(context, 'topics', topicsCardData(doc));
    case 'help':
      return sendHelp(context, deps);
    case 'ask': {
      // A tapped command (the help card's buttons) runs as if typed.
      const command = parseCommand(action.question);
      if (command) return runCommand(context, deps, command);
      const answer = deps.guidance.answer(action.question);
      return replyToAnswer(context, deps, answer, action.question);
    }
    case 'reportIncident':
      return openReportForm(context, deps);
    case 'photoDecision': {
      // The 2.3.2 answer card's button starts (or offers to resume); the open-walkthroughs card's buttons resume.
      if (!action.walkId && !action.fresh) return startWalkthroughChat(context, deps, { kind: action.kind });
      const { action: _a, msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await resumeWalkthrough(context, deps, data));
    }
    case 'walkthrough': {
      // Action.Submit fallback of a walkthrough button.
      const { msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await walkthroughAction(context, deps, data));
    }
    case 'adviceAnswer': {
      const { action: _a, msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await answerAdvice(context, deps, data));
    }
    case 'incident': {
      // Action.Submit fallback (clients without Universal Actions): the result replaces the card if it can.
      const { action: _a, msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await submitReport(context, deps, data));
    }
    case 'incidentAct': {
      const { action: _a, msteams: _m, resolveNote, ...data } = action;
      return replaceOrSend(context, deps, await actOnIncident(context, deps, { ...data, note: data.act === 'resolve' ? resolveNote : data.note }));
    }
    case 'clarify': {
      const { action: _a, msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await chooseClarify(context, deps, data));
    }
    case 'askManager': {
      const { action: _a, msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await askManager(context, deps, data));
    }
    case 'questionAct': {
      const { action: _a, msteams: _m, ...data } = action;
      return replaceOrSend(context, deps, await actOnQuestion(context, deps, data));
    }
    default:
      await deps.replies.sendCard(context, 'notice', {
        title: 'Not available yet',
        message: "That part of KeepSafe isn't switched on yet. For now, please speak to your line manager.",
      });
  }
}

async function replaceOrSend(context: TurnContext, deps: BotDeps, result: { card: object } | { message: string }): Promise<void> {
  if ('message' in result) {
    await deps.replies.sendCard(context, 'notice', { title: 'KeepSafe', message: result.message });
    return;
  }
  const attachment = cardAttachment(result.card as never);
  if (context.activity.replyToId) {
    try {
      await context.updateActivity({ type: 'message', id: context.activity.replyToId, attachments: [attachment] });
      return;
    } catch (err) {
      deps.logger.warn({ ...activityIds(context.activity), status: (err as { statusCode?: number }).statusCode }, 'card.update_failed');
    }
  }
  await context.sendActivity({ type: 'message', attachments: [attachment] });
}

/** The worker's text without the bot's @mention, HTML tags or entities Teams may add. */
export function cleanText(context: TurnContext): string {
  const withoutMention = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, ' ');
  return withoutMention
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
