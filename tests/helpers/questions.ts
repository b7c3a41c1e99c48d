import fs from 'node:fs';
import path from 'node:path';

export interface LabelledQuestion {
  /** dev: tuned on; holdout: written first, never tuned on; blind, blind2..., blindA..blindD: written later, scored on first sight. */
  split: string;
  intent: string;
  section: string | null;
  /** Other sections that are a fair answer too (may be empty). */
  alsoOk: string[];
  question: string;
  line: number;
}

export const QUESTIONS_FILE = path.resolve(__dirname, '../fixtures/dev-questions.tsv');

const SECTION = /^\d(\.\d){0,2}$/;

export function loadQuestions(file = QUESTIONS_FILE): LabelledQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() && !line.startsWith('#'))
    .map(({ line, n }) => {
      const [split, intent, section, alsoOk, question, extra] = line.split('\t');
      const also = alsoOk === '-' ? [] : (alsoOk ?? '').split(',').map((s) => s.trim());
      if (!question || extra !== undefined || !/^(dev|holdout|blind[0-9A-Z]*)$/.test(split) || also.some((s) => !SECTION.test(s))) {
        throw new Error(`${file}:${n}: expected split<TAB>intent<TAB>section<TAB>also_ok<TAB>question`);
      }
      return { split, intent, section: section === '-' ? null : section, alsoOk: also, question, line: n };
    });
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
