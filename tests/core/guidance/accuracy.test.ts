/**
 * Accuracy gate on the development question set (tests/fixtures/dev-questions.tsv): intent AND section must both
 * be right. Prints accuracy per split, so the holdout and blind splits (never or not yet tuned on) show how well
 * the engine generalises, and lists every miss.
 */
import path from 'node:path';
import { loadGuidanceContent } from '../../../src/core/guidance/content';
import { GuidanceEngine } from '../../../src/core/guidance/engine';
import { isRight, loadQuestions } from '../../helpers/questions';

const content = loadGuidanceContent(path.resolve(__dirname, '../../../content'));
const engine = new GuidanceEngine(content);
const questions = loadQuestions();

describe('development question set', () => {
  it('is big and varied enough to mean something', () => {
    expect(questions.length).toBeGreaterThanOrEqual(250);
    expect(questions.filter((q) => q.split === 'holdout').length).toBeGreaterThanOrEqual(80);
    expect(questions.filter((q) => q.intent === 'out_of_scope').length).toBeGreaterThanOrEqual(40);
    // Questions the guidance does not cover at all, asked about social media or not: the answer must be null.
    expect(questions.filter((q) => q.section === null && ['guidance', 'out_of_scope'].includes(q.intent)).length).toBeGreaterThanOrEqual(20);
    const intents = new Set(questions.map((q) => q.intent));
    expect([...intents].sort()).toEqual(['greeting', 'guidance', 'help', 'injury_photo', 'out_of_scope', 'report_incident', 'topics']);
    const sections = new Set(questions.map((q) => q.section).filter(Boolean));
    for (const s of content.document.sections.map((x) => x.number).filter((n) => n !== '2.3')) expect(sections).toContain(s);
  });

  it('is answered with at least 95% accuracy on the development splits and holds the blind splits A to D', () => {
    const bySplit = new Map<string, { ok: number; total: number }>();
    const misses: string[] = [];
    let ok = 0;
    for (const q of questions) {
      const a = engine.answer(q.question);
      const right = isRight(q, a);
      if (right) ok++;
      else misses.push(`  line ${q.line} [${q.split}] want ${q.intent}/${q.section ?? '-'} got ${a.intent}/${a.section ?? '-'} (${a.score}): ${q.question}`);
      const t = bySplit.get(q.split) ?? { ok: 0, total: 0 };
      t.total++;
      if (right) t.ok++;
      bySplit.set(q.split, t);
    }
    const pct = (o: number, t: number) => `${((100 * o) / t).toFixed(1)}% (${o}/${t})`;
    const declined = questions.filter((q) => q.intent === 'out_of_scope' || (q.intent === 'guidance' && q.section === null));
    const declinedOk = declined.filter((q) => engine.answer(q.question).section === null).length;
    expect(declinedOk / declined.length).toBeGreaterThanOrEqual(0.9); // not covered: declined, never guessed
    const lines = [`guidance accuracy: ${pct(ok, questions.length)} overall`, ...[...bySplit].map(([k, t]) => `  ${k.padEnd(8)} ${pct(t.ok, t.total)}`), 'misses:', ...misses];
    process.stdout.write(`${lines.join('\n')}\n`);
    const share = (pred: (split: string) => boolean) => {
      const rows = [...bySplit].filter(([k]) => pred(k)).map(([, t]) => t);
      return rows.reduce((n, t) => n + t.ok, 0) / rows.reduce((n, t) => n + t.total, 0);
    };
    // The development set proper (every split before issue 11) stays at 95% or better.
    expect(share((k) => !['blindA', 'blindB', 'blindC', 'blindD', 'blindE', 'blindF', 'blindG'].includes(k))).toBeGreaterThanOrEqual(0.95);
    // Blind splits A and B (first sight 70.0% and 64.6%), tuned on since: a floor under today's figures, so a change
    // that loses ground on them fails here. See docs/guidance-accuracy.md.
    expect(share((k) => k === 'blindA')).toBeGreaterThanOrEqual(0.9);
    expect(share((k) => k === 'blindB')).toBeGreaterThanOrEqual(0.9);
    // Blind splits C and D (first sight 80.0% and 69.6% with the engine at the end of round 1), tuned on in rounds 2
    // and 3: floors under today's figures (90.4%, 84.8%).
    expect(share((k) => k === 'blindC')).toBeGreaterThanOrEqual(0.9);
    expect(share((k) => k === 'blindD')).toBeGreaterThanOrEqual(0.84);
    // Blind splits E and F (a third writer; first sight 79.1% and 62.7% with the engine at the end of round 2), tuned
    // on by class in round 3: floors under today's figures (88.2%, 80.9%).
    expect(share((k) => k === 'blindE')).toBeGreaterThanOrEqual(0.88);
    expect(share((k) => k === 'blindF')).toBeGreaterThanOrEqual(0.8);
    // Blind split G (a fourth writer, after round 3): first sight 79.3% with the round-3 engine, not tuned on yet.
    expect(share((k) => k === 'blindG')).toBeGreaterThanOrEqual(0.79);
  });
});
