import fs from 'node:fs';
import path from 'node:path';

export interface LabelledQuestion {
  /** dev: tuned on; holdout: written first, never tuned on; blind, blind2...: written later, scored once on first sight. */
  split: string;
  intent: string;
  section: string | null;
  question: string;
  line: number;
}

export const QUESTIONS_FILE = path.resolve(__dirname, '../fixtures/dev-questions.tsv');

export function loadQuestions(file = QUESTIONS_FILE): LabelledQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() && !line.startsWith('#'))
    .map(({ line, n }) => {
      const [split, intent, section, question] = line.split('\t');
      if (!question || !/^(dev|holdout|blind\d*)$/.test(split)) throw new Error(`${file}:${n}: expected split<TAB>intent<TAB>section<TAB>question`);
      return { split, intent, section: section === '-' ? null : section, question, line: n };
    });
}
