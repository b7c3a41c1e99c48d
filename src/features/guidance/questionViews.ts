/**
 * Card data for "Did you mean…?", "Ask a manager" (the worker's form and its status, the managers' channel card,
 * the owning manager's private card) and the content-gap report. Pure functions. The channel card never carries
 * the question or who asked: only that a question is waiting, its nearest topic and who took it.
 */
import type { Answer, GuidanceDocument } from '../../core/guidance/types';
import { GAP_REASON_LABEL, GAP_REASONS, type GapCounts, type GapReport } from '../../core/questions/gaps';
import { QUESTION_STATUS_LABEL, type QuestionState } from '../../core/questions/state';
import { recordReference, ukDate, ukDateTime } from '../../core/records/reference';
import type { CardData } from '../cardCatalogue';

/** At most this many sections on a did-you-mean card: the best and the next two. */
export const MAX_OFFERED = 3;

/** The sections a did-you-mean card offers for an answer: the best, then the runners-up, each once. */
export function offeredSections(answer: Answer, doc: GuidanceDocument): string[] {
  const known = new Set(doc.sections.map((s) => s.number));
  const out: string[] = [];
  for (const n of [answer.section, ...answer.alternatives.map((a) => a.section)]) {
    if (n && known.has(n) && !out.includes(n)) out.push(n);
    if (out.length === MAX_OFFERED) break;
  }
  return out;
}

export function sectionLabel(doc: GuidanceDocument, number: string | null | undefined): string | null {
  if (!number) return null;
  const s = doc.sections.find((x) => x.number === number);
  return s ? `${s.number} ${s.title}` : null;
}

export function didYouMeanCardData(
  doc: GuidanceDocument,
  offered: readonly string[],
  question: string,
  keptDays = 90,
): CardData['didYouMean'] {
  const byNumber = new Map(doc.sections.map((s) => [s.number, s]));
  const options = offered
    .map((n) => byNumber.get(n))
    .filter((s): s is NonNullable<typeof s> => Boolean(s))
    .map((s) => ({ number: s.number, title: s.title, hint: s.keyPoints[0] ?? null }));
  return {
    heading: 'Did you mean…?',
    intro:
      options.length > 1
        ? "I'm not sure which part of the guidance you need. Tap the one closest to your question."
        : "I'm not sure this is the part of the guidance you need. Tap it if it is.",
    options,
    offered: options.map((o) => o.number).join(' '),
    question: question.trim().slice(0, 1000),
    keptDays,
  };
}

const ASK_INTRO =
  "Your question goes to a manager privately. The managers' channel is only told that a question is waiting, never what you wrote or who you are. Don't include names or details of anyone you work with: use a case reference if you need one.";

export interface AskFormOptions {
  pii?: { found: string; digest: string };
  problem?: string;
}

export function askFormCardData(
  doc: GuidanceDocument,
  values: { question: string; from: 'not_covered' | 'did_you_mean'; section: string | null },
  opts: AskFormOptions = {},
): CardData['askManager'] {
  return {
    form: true,
    heading: 'Ask a manager',
    intro: ASK_INTRO,
    problem: opts.problem ?? null,
    pii: opts.pii ?? null,
    values: { question: values.question.slice(0, 1000) },
    topic: sectionLabel(doc, values.section),
    context: { from: values.from, section: values.section ?? '' },
    status: null,
    footnote: "You'll get the answer here, in this chat.",
  };
}

const WORKER_STATUS_LINE: Record<QuestionState['status'], string> = {
  waiting: "Sent to your managers. You'll get the answer here, in this chat.",
  taken: 'A manager has taken your question and will answer here, in this chat.',
  answered: 'Your manager has answered: see below.',
};

/** The worker's card once the question is sent: status, their question, and the answer when there is one. */
export function askStatusCardData(doc: GuidanceDocument, state: QuestionState): CardData['askManager'] {
  return {
    form: false,
    heading: state.status === 'answered' ? 'Your question has been answered' : 'Question sent to a manager',
    intro:
      state.status === 'taken' && state.owner
        ? `${state.owner.name || 'A manager'} has taken your question and will answer here, in this chat.`
        : WORKER_STATUS_LINE[state.status],
    problem: null,
    pii: null,
    values: { question: state.question },
    topic: sectionLabel(doc, state.nearestSection),
    context: { from: state.from, section: state.nearestSection ?? '' },
    status: {
      reference: recordReference(state.id),
      label: QUESTION_STATUS_LABEL[state.status],
      asked: ukDateTime(state.askedAt),
      answer: state.answer
        ? { text: state.answer.text, by: state.answer.by || 'Your manager', at: ukDateTime(state.answer.at) }
        : null,
    },
    footnote:
      'Only you and the manager who takes it see your question. If something has happened that needs reporting, type "report an incident".',
  };
}

export function questionChannelCardData(doc: GuidanceDocument, state: QuestionState): CardData['questionChannel'] {
  return {
    questionId: state.id,
    reference: recordReference(state.id),
    heading: "A worker has a question the guidance doesn't cover",
    status: QUESTION_STATUS_LABEL[state.status],
    owner: state.owner ? `${state.owner.name || 'A manager'}, ${ukDateTime(state.owner.at)}` : 'Nobody yet',
    topic: sectionLabel(doc, state.nearestSection) ?? 'Not known',
    asked: ukDateTime(state.askedAt),
    answered: state.answer
      ? `Answered by ${state.answer.by || 'a manager'}, ${ukDateTime(state.answer.at)}. The worker has the answer.`
      : null,
    canTake: state.status === 'waiting',
  };
}

export function questionOwnerCardData(
  doc: GuidanceDocument,
  state: QuestionState,
  opts: { answer?: string; pii?: { found: string; digest: string }; problem?: string } = {},
): CardData['questionOwner'] {
  return {
    questionId: state.id,
    reference: recordReference(state.id),
    heading: state.answer ? 'Question answered' : 'You took this question',
    asker: state.asker.name || 'A worker',
    asked: ukDateTime(state.askedAt),
    topic: sectionLabel(doc, state.nearestSection) ?? 'Not known',
    question: state.question,
    problem: opts.problem ?? null,
    pii: opts.pii ?? null,
    values: { answer: (opts.answer ?? '').slice(0, 2000) },
    answered: state.answer ? { text: state.answer.text, at: ukDateTime(state.answer.at) } : null,
  };
}

/** At most this many masked questions on the card (the CSV has them all). */
export const GAP_QUESTIONS_SHOWN = 10;
const GAP_QUESTION_CHARS = 300;

function detail(c: GapCounts): string {
  const words: Record<(typeof GAP_REASONS)[number], string> = {
    declined: 'declined',
    asked_manager: 'asked a manager',
    not_helpful: 'not helpful',
    none_fitted: 'none of the suggestions',
  };
  return GAP_REASONS.filter((r) => c[r] > 0)
    .map((r) => `${c[r]} ${words[r]}`)
    .join(', ');
}

/**
 * The gap report as a card. `withQuestions` (a 1:1 chat with a manager) lists the newest masked questions; in a
 * channel only counts are shown, since masking can miss an identifying detail.
 */
export function guidanceGapsCardData(
  doc: GuidanceDocument,
  report: GapReport,
  days: number,
  withQuestions: boolean,
): CardData['guidanceGaps'] {
  const cut = (t: string) => (t.length > GAP_QUESTION_CHARS ? `${t.slice(0, GAP_QUESTION_CHARS - 1)}…` : t);
  return {
    heading: 'Guidance gaps',
    summary:
      report.total === 0
        ? `No questions in the last ${days} days that the guidance didn't answer. Declined questions, questions asked of a manager and answers marked "not helpful" show here.`
        : `${report.total} ${report.total === 1 ? 'question' : 'questions'} in the last ${days} days that the guidance didn't answer well: declined, asked of a manager, marked "not helpful" or none of the suggestions fitted.`,
    sections: report.bySection
      .slice(0, 12)
      .map((r) => ({ label: sectionLabel(doc, r.section) ?? 'No section near', total: r.total, detail: detail(r) })),
    weeks: report.byWeek
      .slice(0, 13)
      .map((r) => ({ label: `Week of ${ukDate(r.weekStart)}`, total: r.total, detail: detail(r) })),
    questions: withQuestions
      ? report.items.slice(0, GAP_QUESTIONS_SHOWN).map((i) => ({
          text: cut(i.question) || '(question not kept)',
          meta: `${GAP_REASON_LABEL[i.reason]}, ${ukDate(i.at)}, ${i.section ? `nearest ${i.section}` : 'no section near'}`,
        }))
      : [],
    hesitations: report.hesitations.slice(0, 8).map((h) => ({
      label: `Offered ${h.offered.join(', ')}`,
      total: h.total,
      detail: `chose ${h.chosen.map((c) => `${c.choice === 'none' ? 'none of these' : c.choice} (${c.count})`).join(', ')}`,
    })),
    footnote: withQuestions
      ? `For the guidance's owners. Questions are kept ${days} days, with names and contact details masked; who asked is never shown. Your KeepSafe administrator can export the full masked list (the export is audited).`
      : `Counts only in a channel. For the questions themselves (masked), type "guidance gaps" in your chat with me. Kept ${days} days.`,
  };
}
