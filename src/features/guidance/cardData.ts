/**
 * The data the guidance's cards are bound with (each template is cards/<name>.json), checked by renderCard before
 * binding: the answer, not-covered, topics, help and welcome cards (built in views.ts), and "Did you mean…?",
 * "Ask a manager", the managers' question cards and the content-gap report (built in questionViews.ts).
 */
import { z } from 'zod';
import { text } from '../cardFields';

const Doc = z.object({ title: text.min(1), version: text.min(1) });
const SectionRef = z.object({ number: text.min(1), title: text.min(1) });
const Topic = SectionRef.extend({ parent: text.nullable() });

export const GUIDANCE_CARDS = {
  answer: z.object({
    doc: Doc,
    section: z.object({
      number: text.min(1),
      title: text.min(1),
      keyPoints: z.array(text),
      paragraphs: z.array(text).min(1),
    }),
    related: z.array(SectionRef),
    /** The section's other key points, behind "Read the full section" (when the first ones fit the question). */
    morePoints: z
      .array(text)
      .optional()
      .transform((v) => v ?? []),
    feedback: z.object({ helpful: z.boolean() }).nullable(),
    actions: z.object({ reportIncident: z.boolean(), photoDecision: z.boolean() }),
    /** An optional first line calling for action now (e.g. "Don't take photos yet ..."). */
    lead: text
      .min(1)
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    /** The "Was this helpful?" buttons' data: the section, the answer, and what the card showed (views.AnswerView). */
    feedbackData: z.object({ yes: z.record(z.string(), z.unknown()), no: z.record(z.string(), z.unknown()) }),
  }),
  notCovered: z.object({
    heading: text.min(1),
    message: text.min(1),
    topics: z.array(
      Topic.extend({
        parent: text
          .nullable()
          .optional()
          .transform((v) => v ?? null),
      }),
    ),
    suggestManager: z.boolean(),
    /** Days a declined question is kept (masked) for the content-gap report, to say so on the card; null when nothing is kept. */
    keptDays: z
      .number()
      .int()
      .min(1)
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    /** "Ask a manager" with the worker's question (the card is in their own chat), or null for no button. */
    ask: z
      .object({ question: text.min(1).max(1000), from: z.enum(['not_covered', 'did_you_mean']), section: text })
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  }),
  topics: z.object({ doc: Doc, topics: z.array(Topic).min(1) }),
  help: z.object({
    examples: z.array(text.min(1)),
    commands: z.array(z.object({ title: text.min(1).max(24), command: text.min(1), description: text.min(1) })),
    /** Shown to managers only (empty for everyone else). */
    managerCommands: z.array(z.object({ title: text.min(1).max(24), command: text.min(1), description: text.min(1) })),
  }),
  welcome: z.object({ doc: Doc, examples: z.array(text.min(1)) }),
  /** "Did you mean…?": the engine hesitated between sections; each option is a button, then "None of these". */
  didYouMean: z.object({
    heading: text.min(1),
    intro: text.min(1),
    options: z
      .array(z.object({ number: text.min(1), title: text.min(1), hint: text.min(1).nullable() }))
      .min(1)
      .max(3),
    /** The offered section numbers, space-separated, sent back with the choice. */
    offered: text.regex(/^\d+(\.\d+){0,3}( \d+(\.\d+){0,3}){0,2}$/),
    /** The worker's question, sent back with the choice (for "Ask a manager" and feedback); never recorded with it. */
    question: text.max(1000),
    /** How long a question none of the sections fit is kept (masked) for the gap report. */
    keptDays: z.number().int().min(1),
  }),
  /** The worker's "Ask a manager" card: the form (identifier check as the incident report), then its status. */
  askManager: z.object({
    form: z.boolean(),
    heading: text.min(1),
    intro: text.min(1),
    problem: text.min(1).nullable(),
    pii: z.object({ found: text.min(1), digest: text.min(1) }).nullable(),
    values: z.object({ question: text.max(1000) }),
    topic: text.min(1).nullable(),
    context: z.object({ from: z.enum(['not_covered', 'did_you_mean']), section: text }),
    status: z
      .object({
        reference: text.min(1),
        label: text.min(1),
        asked: text.min(1),
        answer: z.object({ text: text.min(1), by: text.min(1), at: text.min(1) }).nullable(),
      })
      .nullable(),
    footnote: text.min(1),
  }),
  /** The managers' channel copy of a question: no question text and no name, only that one is waiting. */
  questionChannel: z.object({
    questionId: text.uuid(),
    reference: text.min(1),
    heading: text.min(1),
    status: text.min(1),
    owner: text.min(1),
    topic: text.min(1),
    asked: text.min(1),
    answered: text.min(1).nullable(),
    canTake: z.boolean(),
  }),
  /** The question, privately, for the manager who took it, with the answer form. */
  questionOwner: z.object({
    questionId: text.uuid(),
    reference: text.min(1),
    heading: text.min(1),
    asker: text.min(1),
    asked: text.min(1),
    topic: text.min(1),
    question: text.min(1),
    problem: text.min(1).nullable(),
    pii: z.object({ found: text.min(1), digest: text.min(1) }).nullable(),
    values: z.object({ answer: text.max(2000) }),
    answered: z.object({ text: text.min(1), at: text.min(1) }).nullable(),
  }),
  /** The content-gap report for managers: counts by section and week; the masked questions only in a 1:1 chat. */
  guidanceGaps: z.object({
    heading: text.min(1),
    summary: text.min(1),
    sections: z.array(z.object({ label: text.min(1), total: z.number().int().min(1), detail: text.min(1) })),
    weeks: z.array(z.object({ label: text.min(1), total: z.number().int().min(1), detail: text.min(1) })),
    questions: z.array(z.object({ text: text.min(1), meta: text.min(1) })),
    /** Where the engine asked "Did you mean…?" and what workers chose (sections only: fine in a channel). */
    hesitations: z
      .array(z.object({ label: text.min(1), total: z.number().int().min(1), detail: text.min(1) }))
      .optional()
      .transform((v) => v ?? []),
    footnote: text.min(1),
  }),
} as const;
