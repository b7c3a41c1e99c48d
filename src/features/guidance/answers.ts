/**
 * A typed question (or a tapped one) answered from the guidance: the answer card, the topic list, help, the
 * welcome, "Did you mean…?", or the not-covered card (a content gap), and for an incident or an injury photo the
 * section followed by the flow's first card.
 */
import { sectionCommand } from '../../core/guidance/engine';
import type { Answer } from '../../core/guidance/types';
import { prefillFromQuestion } from '../../core/walkthrough/prefill';
import { renderCard } from '../cardRender';
import type { FeatureDeps } from '../deps';
import { openReportForm } from '../incidents/incidents';
import { prefillReport } from '../incidents/reportPrefill';
import { NOTICES } from '../messages';
import { reply, type Reply, type Turn } from '../turn';
import { startWalkthroughChat } from '../walkthrough/walkthrough';
import { pointsFirst } from './answerPoints';
import { didYouMeanCard } from './clarify';
import { gapDays, recordGap } from './gaps';
import {
  answerCardData,
  helpCardData,
  LEADS,
  notCoveredCardData,
  topicsCardData,
  welcomeCardData,
  type AnswerView,
} from './views';

type Deps = FeatureDeps;

/** A typed message that is not a command: a section number, or a question for the engine. */
export async function answerText(turn: Turn, deps: Deps): Promise<Reply[]> {
  const text = turn.text;
  if (!text) {
    deps.logger.info({ ...turn.log, hasFiles: turn.hasFiles }, 'message.empty');
    if (turn.hasFiles) return [reply.notice(NOTICES.filesNotRead)];
    return [reply.card(renderCard('notCovered', notCoveredCardData(deps.guidance.document, 'empty')))];
  }
  const asked = sectionCommand(text);
  if (asked) return [showSection(deps, asked)];
  const answer = deps.guidance.answer(text);
  const said = { intent: answer.intent, section: answer.section, score: round(answer.score) };
  deps.logger.info({ ...turn.log, ...said }, 'question.answered');
  return replyToAnswer(turn, deps, answer, text);
}

/** The key points of the answer's section that fit the question, to show first (views.AnswerView.points). */
function fitting(deps: Pick<FeatureDeps, 'guidance'>, answer: Answer, question: string): AnswerView {
  const section = answer.section ? deps.guidance.section(answer.section) : undefined;
  const points = section ? pointsFirst(question, section.keyPoints, answer.intent) : undefined;
  return points ? { points } : {};
}

/** The help card, with the managers' commands only for a manager. */
export async function showHelp(turn: Turn, deps: Pick<FeatureDeps, 'managers'>): Promise<Reply> {
  const aad = turn.actor?.aadObjectId;
  const manager = aad ? await deps.managers.isManager(aad).catch(() => false) : false;
  return reply.card(renderCard('help', helpCardData(manager)));
}

export function showTopics(deps: Pick<FeatureDeps, 'guidance'>): Reply {
  return reply.card(renderCard('topics', topicsCardData(deps.guidance.document)));
}

export function showWelcome(deps: Pick<FeatureDeps, 'guidance'>): Reply {
  return reply.card(renderCard('welcome', welcomeCardData(deps.guidance.document)));
}

export async function replyToAnswer(turn: Turn, deps: Deps, answer: Answer, question = ''): Promise<Reply[]> {
  const doc = deps.guidance.document;
  const personal = turn.place === 'personal';
  const notCovered = (...args: Parameters<typeof notCoveredCardData> extends [unknown, ...infer R] ? R : never) =>
    reply.card(renderCard('notCovered', notCoveredCardData(doc, ...args)));
  switch (answer.intent) {
    case 'help':
      return [await showHelp(turn, deps)];
    case 'topics':
      return [showTopics(deps)];
    case 'greeting':
      return [showWelcome(deps)];
    case 'out_of_scope':
      await recordDecline(turn, deps, answer, question);
      return [notCovered('out_of_scope', null, question.trim() ? gapDays(deps) : null)];
    case 'report_incident': {
      // What the guidance says, then the report card ready to fill in (1:1 chats only).
      const out: Reply[] = [];
      if (answer.section) {
        const below = personal ? { below: 'report' as const } : {};
        const view = { lead: 'report_incident' as const, ...below, ...fitting(deps, answer, question) };
        out.push(showSection(deps, answer.section, null, view, question));
      }
      // What the question already said (the kind of incident, the platform) is ticked for the worker to check.
      out.push(...(await openReportForm(turn, deps, prefillReport(question))));
      return out;
    }
    case 'injury_photo': {
      // What the guidance says (advice first), then the walkthrough's first card, in a 1:1 chat.
      const out: Reply[] = [];
      if (answer.section) {
        const below = personal ? { below: 'photo' as const } : {};
        const view = { lead: 'injury_photo' as const, ...below, ...fitting(deps, answer, question) };
        out.push(showSection(deps, answer.section, null, view, question));
      }
      if (personal) {
        const walkthrough = await startWalkthroughChat(turn, deps, { prefill: prefillFromQuestion(question) });
        return [...out, ...walkthrough];
      }
      if (answer.section) return out;
      return [notCovered('not_covered')];
    }
    case 'guidance': {
      if (answer.section && answer.clarify && question) {
        // The engine hesitates between sections: ask which one was meant (clarify.ts).
        const card = didYouMeanCard(deps, answer, question);
        if (card) return [reply.card(card)];
      }
      if (answer.section) {
        return [
          showSection(deps, answer.section, LEADS[answer.intent] ?? null, fitting(deps, answer, question), question),
        ];
      }
      await recordDecline(turn, deps, answer, question);
      const kept = question.trim() ? gapDays(deps) : null;
      return [notCovered('not_covered', askOffer(turn, deps, answer, question), kept)];
    }
  }
}

/** "Ask a manager" on the not-covered card: only in a 1:1 chat, where the question can stay private. */
function askOffer(turn: Turn, deps: Pick<FeatureDeps, 'nearestSection'>, answer: Answer, question: string) {
  if (!question.trim() || turn.place !== 'personal') return null;
  const section = answer.section ?? answer.alternatives[0]?.section ?? deps.nearestSection?.(question) ?? null;
  return { question, from: 'not_covered' as const, section };
}

/** A declined question is a content gap (masked, with the nearest section when the engine gives one). */
async function recordDecline(turn: Turn, deps: Deps, answer: Answer, question: string): Promise<void> {
  if (!question.trim()) return;
  const key = `${turn.ids.conversationId}:${turn.ids.activityId}`;
  const section = answer.section ?? answer.alternatives[0]?.section ?? deps.nearestSection?.(question) ?? null;
  await recordGap(turn, deps, { reason: 'declined', question, section, key });
}

/** A section's answer card, or the not-covered card for a number the guidance does not have. */
export function showSection(
  deps: Pick<FeatureDeps, 'guidance' | 'features'>,
  number: string,
  lead: string | null = null,
  view: AnswerView = {},
  question: string | null = null,
): Reply {
  const doc = deps.guidance.document;
  const section = deps.guidance.section(number);
  if (!section) return reply.card(renderCard('notCovered', notCoveredCardData(doc, 'unknown_section')));
  return reply.card(renderCard('answer', answerCardData(doc, section, null, deps.features, lead, view, question)));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
