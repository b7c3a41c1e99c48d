/**
 * Builds the data each card template is bound with, from core results. Pure functions: no botbuilder, no I/O.
 */
import { helpButtons } from '../../core/commands';
import type { GuidanceDocument, GuidanceSection, Intent } from '../../core/guidance/types';

export interface TopicItem {
  number: string;
  title: string;
  parent: string | null;
}

export interface FeatureFlags {
  reportIncident: boolean;
  photoDecision: boolean;
}

/** A flow's button shows only when the flow is switched on: no button may lead nowhere (the app turns both on). */
export const DEFAULT_FEATURES: FeatureFlags = { reportIncident: false, photoDecision: false };

export const EXAMPLE_QUESTIONS = [
  'A mum on my caseload added me on Facebook, what do I do?',
  'Can I take a photo of bruises I saw on a visit?',
  'Someone posted lies about me online',
  'How do I check my privacy settings?',
  "I got tagged in a photo I don't like",
];

export function topicsOf(doc: GuidanceDocument): TopicItem[] {
  return doc.sections.map((s) => ({ number: s.number, title: s.title, parent: s.parent }));
}

/** A first line for answers that call for action now, by intent. */
export const LEADS: Partial<Record<Intent, string>> = {
  injury_photo:
    "Don't take photos yet: ask your manager or designated safeguarding manager first, and write down the advice they give. If anyone is in immediate danger, call 999.",
  report_incident: 'Tell your line manager about this today: the report card below goes straight to your managers.',
};

/** The answers whose card leads with a safety box (LEADS), named in the card's feedback buttons. */
export const LEAD_KEYS = ['injury_photo', 'report_incident'] as const;
export type LeadKey = (typeof LEAD_KEYS)[number];

/**
 * What an answer card showed besides the section, carried in its "Was this helpful?" buttons so that the card
 * drawn again after the press shows the same: the safety box (`lead`), and which flow was opened right below it
 * (`below`: its button is not offered again).
 */
export interface AnswerView {
  lead?: LeadKey;
  below?: 'report' | 'photo';
  /** Indices of the key points shown first (those that fit the question); the rest go behind the toggle. */
  points?: number[];
}

export function answerCardData(
  doc: GuidanceDocument,
  section: GuidanceSection,
  feedback: { helpful: boolean } | null,
  features: FeatureFlags = DEFAULT_FEATURES,
  lead: string | null = null,
  view: AnswerView = {},
  question: string | null = null,
) {
  const byNumber = new Map(doc.sections.map((s) => [s.number, s]));
  const picked = view.points?.filter((i) => Number.isInteger(i) && i >= 0 && i < section.keyPoints.length);
  const shown = picked?.length ? picked.map((i) => section.keyPoints[i]) : section.keyPoints;
  const more = picked?.length ? section.keyPoints.filter((_, i) => !picked.includes(i)) : [];
  const related = section.related
    .map((n) => byNumber.get(n))
    .filter((s): s is GuidanceSection => Boolean(s))
    .slice(0, 4)
    .map((s) => ({ number: s.number, title: s.title }));
  return {
    doc: { title: doc.title, version: doc.version },
    section: { number: section.number, title: section.title, keyPoints: shown, paragraphs: section.paragraphs },
    morePoints: more,
    related,
    feedback,
    lead: lead ?? (view.lead ? (LEADS[view.lead] ?? null) : null),
    feedbackData: {
      yes: { section: section.number, helpful: true, ...view },
      // "No" carries the typed question back for the content-gap report (masked when it is stored).
      no: {
        section: section.number,
        helpful: false,
        ...view,
        ...(question?.trim() ? { question: question.trim().slice(0, 1000) } : {}),
      },
    },
    actions: {
      reportIncident: features.reportIncident && view.below !== 'report',
      photoDecision: features.photoDecision && section.number === '2.3.2' && view.below !== 'photo',
    },
  };
}

export type NotCoveredReason = 'not_covered' | 'out_of_scope' | 'unknown_section' | 'empty' | 'none_fitted';

const NOT_COVERED_TEXT: Record<NotCoveredReason, { heading: string; message: string }> = {
  not_covered: {
    heading: "The guidance doesn't cover that",
    message:
      "I couldn't find this in the council's guidance on keeping safe on social media, so I won't guess. Pick a topic below, or ask your line manager.",
  },
  out_of_scope: {
    heading: "That's outside what I can help with",
    message:
      "I only answer questions about keeping safe on social media, from the council's guidance. For anything else (leave, pay, IT log-ins) please use the usual route or ask your line manager.",
  },
  unknown_section: {
    heading: "There's no section with that number",
    message: 'The guidance has sections 1, 2.1 to 2.5 and 4. Pick one below.',
  },
  empty: {
    heading: 'Ask me about keeping safe on social media',
    message: 'Type a question in your own words, or pick a topic below.',
  },
  none_fitted: {
    heading: 'None of those?',
    message: 'Pick a topic below, or ask a manager: your question goes to them privately.',
  },
};

/** "Ask a manager" on the card: the worker's question, where it came from, and the nearest section ('' if none). */
export interface AskOffer {
  question: string;
  from: 'not_covered' | 'did_you_mean';
  section: string | null;
}

/**
 * `keptDays`: the question was kept (masked) for the content-gap report, for that many days; the card says so.
 */
export function notCoveredCardData(
  doc: GuidanceDocument,
  reason: NotCoveredReason,
  ask: AskOffer | null = null,
  keptDays: number | null = null,
) {
  const question = ask?.question.trim().slice(0, 1000);
  return {
    ...NOT_COVERED_TEXT[reason],
    topics: topicsOf(doc),
    suggestManager: reason === 'not_covered' || reason === 'none_fitted',
    ask: ask && question ? { question, from: ask.from, section: ask.section ?? '' } : null,
    keptDays,
  };
}

export function topicsCardData(doc: GuidanceDocument) {
  return { doc: { title: doc.title, version: doc.version }, topics: topicsOf(doc) };
}

/**
 * Fits one phone screen: two example questions, the commands as buttons, managers' commands for managers only
 * (both from the command table, core/commands.ts).
 */
export function helpCardData(isManager = false) {
  return {
    examples: EXAMPLE_QUESTIONS.slice(0, 2),
    commands: helpButtons(false),
    managerCommands: isManager ? helpButtons(true) : [],
  };
}

export function welcomeCardData(doc: GuidanceDocument) {
  return { doc: { title: doc.title, version: doc.version }, examples: EXAMPLE_QUESTIONS.slice(0, 3) };
}
