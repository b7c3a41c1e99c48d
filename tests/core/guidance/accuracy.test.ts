/**
 * Accuracy gates on the labelled staff questions (content/staff-questions.tsv): intent AND section must both be
 * right. The engine learns from every row but the holdout split, so three figures mean different things:
 *   - the rows it learnt from: does it fit what it was taught (the development set, >= 95%);
 *   - the holdout split, never learnt from: a floor under today's figure;
 *   - leave-one-split-out over the blind splits: each split scored by an engine built without it, the honest
 *     estimate for questions nobody has seen (docs/guidance-accuracy.md);
 *   - blind J, N and O (tests/fixtures/blind-*.tsv), kept sealed: written by people who never saw the engine and
 *     not learnt from, so a change that loses ground on questions nobody taught it fails here. Totals only.
 */
import path from 'node:path';
import { HOLDOUT_SPLIT, loadGuidanceContent } from '../../../src/core/guidance/content';
import { GuidanceEngine } from '../../../src/core/guidance/engine';
import { isRight, leaveOneSplitOut, loadQuestions } from '../../helpers/questions';

const content = loadGuidanceContent(path.resolve(__dirname, '../../../content'));
const engine = new GuidanceEngine(content);
const questions = loadQuestions();
const pct = (o: number, t: number) => `${((100 * o) / t).toFixed(1)}% (${o}/${t})`;

describe('labelled staff questions', () => {
  it('are the content the engine loads, big and varied enough to mean something', () => {
    expect(content.questions).toEqual(questions);
    expect(questions.length).toBeGreaterThanOrEqual(1000);
    expect(questions.filter((q) => q.split === HOLDOUT_SPLIT).length).toBeGreaterThanOrEqual(80);
    expect(questions.filter((q) => q.intent === 'out_of_scope').length).toBeGreaterThanOrEqual(100);
    expect(questions.filter((q) => q.intent === 'report_incident').length).toBeGreaterThanOrEqual(100);
    // Questions the guidance does not cover at all, asked about social media or not: the answer must be null.
    expect(
      questions.filter((q) => q.section === null && ['guidance', 'out_of_scope'].includes(q.intent)).length,
    ).toBeGreaterThanOrEqual(100);
    const intents = new Set(questions.map((q) => q.intent));
    expect([...intents].sort()).toEqual([
      'greeting',
      'guidance',
      'help',
      'injury_photo',
      'out_of_scope',
      'report_incident',
      'topics',
    ]);
    const sections = new Set(questions.map((q) => q.section).filter(Boolean));
    for (const s of content.document.sections.map((x) => x.number).filter((n) => n !== '2.3'))
      expect(sections).toContain(s);
  });

  it('are answered at 95% or better where learnt from, and the holdout split holds', () => {
    const misses: string[] = [];
    const score = (rows: typeof questions) => {
      let ok = 0;
      for (const q of rows) {
        const a = engine.answer(q.question);
        if (isRight(q, a)) ok++;
        else
          misses.push(
            `  line ${q.line} [${q.split}] want ${q.intent}/${q.section ?? '-'} got ${a.intent}/${a.section ?? '-'} (${a.score}): ${q.question}`,
          );
      }
      return ok / rows.length;
    };
    const learnt = questions.filter((q) => q.split !== HOLDOUT_SPLIT);
    const holdout = questions.filter((q) => q.split === HOLDOUT_SPLIT);
    const learntShare = score(learnt);
    const holdoutShare = score(holdout);
    process.stdout.write(
      `learnt from: ${(100 * learntShare).toFixed(1)}%, holdout: ${(100 * holdoutShare).toFixed(1)}%\nmisses:\n${misses.join('\n')}\n`,
    );
    expect(learntShare).toBeGreaterThanOrEqual(0.95);
    // 82 of 86 today (the round-3 rule engine: 80 of 86, having been tuned with it in sight).
    expect(holdoutShare).toBeGreaterThanOrEqual(0.93);
  });

  it('generalise: leave-one-split-out over the blind splits stays at 90% or better, declines and incidents too', () => {
    const folds = leaveOneSplitOut(content);
    expect(folds.length).toBeGreaterThanOrEqual(11);
    let ok = 0;
    let total = 0;
    const declined = { ok: 0, total: 0 };
    const reported = { ok: 0, total: 0 };
    const lines: string[] = [];
    for (const { split: held, rows } of folds) {
      let here = 0;
      for (const { q, a } of rows) {
        if (isRight(q, a)) here++;
        if (q.intent === 'out_of_scope') {
          declined.total++;
          if (a.section === null) declined.ok++;
        }
        if (q.intent === 'report_incident') {
          reported.total++;
          if (a.intent === 'report_incident') reported.ok++;
        }
      }
      lines.push(`  ${held}: ${pct(here, rows.length)}`);
      ok += here;
      total += rows.length;
    }
    process.stdout.write(
      `leave-one-split-out: ${pct(ok, total)}\n${lines.join('\n')}\n  declined ${pct(declined.ok, declined.total)}, report card ${pct(reported.ok, reported.total)}\n`,
    );
    // Today (blind A to M): 93.0% overall, 97.0% of not-covered questions declined, 88.5% of incidents to the report card.
    expect(ok / total).toBeGreaterThanOrEqual(0.91);
    expect(declined.ok / declined.total).toBeGreaterThanOrEqual(0.93);
    expect(reported.ok / reported.total).toBeGreaterThanOrEqual(0.85);
  });

  // Sealed splits: written by someone who never saw the engine, scored once at first sight, and never learnt from.
  // Floors a few questions under the first-sight figures (docs/guidance-accuracy.md): a learnt model moves single
  // sentences as content is added, and these catch a change that loses ground on questions nobody taught it.
  it.each([
    // First sight at 6625050 (ks-engine-6): 122/130 (report card 14/15, not covered 13/15).
    { split: 'blindJ', file: 'blind-j.tsv', size: 130, floor: 0.93, reported: 13, declined: 13, same: 7 },
    // First sight at aaea5b6 (ks-engine-7): 131/135 (report card 19/20, not covered 19/20).
    { split: 'blindN', file: 'blind-n.tsv', size: 135, floor: 0.94, reported: 18, declined: 18, same: 7 },
    // First sight at aaea5b6 (ks-engine-7): 132/135 (report card 19/20, not covered 20/20).
    { split: 'blindO', file: 'blind-o.tsv', size: 135, floor: 0.94, reported: 18, declined: 18, same: 10 },
  ])('hold on $split, kept sealed: declines and the report card too', (s) => {
    const sealed = loadQuestions(path.resolve(__dirname, '../../fixtures', s.file));
    expect(sealed).toHaveLength(s.size);
    expect(new Set(sealed.map((q) => q.split))).toEqual(new Set([s.split]));
    // Never learnt from: not a split of the content. (A few short questions coincide with other writers' word for
    // word, "when is payday this month" among them: common questions get asked the same way.)
    expect(questions.some((q) => q.split === s.split)).toBe(false);
    const known = new Set(questions.map((q) => q.question.toLowerCase()));
    expect(sealed.filter((q) => known.has(q.question.toLowerCase())).length).toBeLessThanOrEqual(s.same);
    // Totals only: a sealed split's rows are never printed, so nobody tuning reads its misses.
    const ok = sealed.filter((q) => isRight(q, engine.answer(q.question))).length;
    process.stdout.write(`${s.split} (sealed): ${pct(ok, sealed.length)}\n`);
    expect(ok / sealed.length).toBeGreaterThanOrEqual(s.floor);
    const incidents = sealed.filter((q) => q.intent === 'report_incident');
    expect(
      incidents.filter((q) => engine.answer(q.question).intent === 'report_incident').length,
    ).toBeGreaterThanOrEqual(s.reported);
    const outside = sealed.filter((q) => q.intent === 'out_of_scope');
    expect(outside.filter((q) => engine.answer(q.question).section === null).length).toBeGreaterThanOrEqual(s.declined);
  });
});
