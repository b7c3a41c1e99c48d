import fs from 'node:fs';
import path from 'node:path';
import { HOLDOUT_SPLIT, parseLabelledQuestions, type GuidanceContent } from '../../src/core/guidance/content';
import { GuidanceEngine, type EngineOptions } from '../../src/core/guidance/engine';
import type { Answer, LabelledQuestion } from '../../src/core/guidance/types';

export type { LabelledQuestion };

/** The labelled staff questions: content the engine learns from (all but the holdout split), and what it is measured on. */
export const QUESTIONS_FILE = path.resolve(__dirname, '../../content/staff-questions.tsv');
const GUIDANCE_FILE = path.resolve(__dirname, '../../content/guidance.json');

/** Reads a file of labelled questions (the content's own, or a sealed blind split), checked against the guidance's sections. */
export function loadQuestions(file = QUESTIONS_FILE): LabelledQuestion[] {
  const sections = new Set<string>(
    (JSON.parse(fs.readFileSync(GUIDANCE_FILE, 'utf8')) as { sections: { number: string }[] }).sections.map(
      (s) => s.number,
    ),
  );
  return parseLabelledQuestions(fs.readFileSync(file, 'utf8'), sections, path.basename(file));
}

/**
 * Is an answer right? A question the guidance does not cover (out_of_scope) is right when the answer has no
 * section; any other question when the intent is right and the section is the labelled one or a fair alternative.
 */
export function isRight(q: LabelledQuestion, a: { intent: string; section: string | null }): boolean {
  if (q.intent === 'out_of_scope') return a.section === null;
  if (a.intent !== q.intent) return false;
  return a.section === q.section || (a.section !== null && q.alsoOk.includes(a.section));
}

/** Splits written by someone who had never seen the engine (blindA, blindB...). */
export const BLIND_SPLIT = /^blind[A-Z]$/;

/**
 * Leave-one-split-out: each blind split's questions answered by an engine built without that split (nor the
 * holdout): the honest estimate for questions nobody taught the engine. Callers count what they need.
 */
export function leaveOneSplitOut(
  content: GuidanceContent,
  options: Omit<EngineOptions, 'learnFrom'> = {},
): { split: string; rows: { q: LabelledQuestion; a: Answer }[] }[] {
  const splits = [...new Set(content.questions.map((q) => q.split))].filter((s) => BLIND_SPLIT.test(s));
  return splits.map((split) => {
    const engine = new GuidanceEngine(content, {
      ...options,
      learnFrom: (q) => q.split !== split && q.split !== HOLDOUT_SPLIT,
    });
    const rows = content.questions.filter((q) => q.split === split);
    return { split, rows: rows.map((q) => ({ q, a: engine.answer(q.question) })) };
  });
}
