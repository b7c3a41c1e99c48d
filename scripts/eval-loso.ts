/**
 * `npm run eval:loso`: the leave-one-split-out estimate of first-sight accuracy. For each blind split, the engine is
 * built from the content with that split's labelled questions left out, and scored on them: how well it answers
 * questions written by someone it has never learnt from. The pooled figure is the honest estimate for a split
 * nobody has seen, as far as the labelled questions go (the phrasings and slang were written after reading splits
 * A to F, so it is still a little optimistic for those: see docs/guidance-accuracy.md).
 *   --threshold 0.2,0.3   score these answering thresholds too (default: the shipped one)
 */
import path from 'node:path';
import { loadGuidanceContent } from '../src/core/guidance/content';
import { CONFIDENCE_THRESHOLD } from '../src/core/guidance/engine';
import { isRight, leaveOneSplitOut } from '../tests/helpers/questions';

const content = loadGuidanceContent(path.resolve(process.env.CONTENT_DIR || 'content'));
const at = process.argv.indexOf('--threshold');
const thresholds = at > 0 ? process.argv[at + 1].split(',').map(Number) : [CONFIDENCE_THRESHOLD];
const pct = (o: number, t: number) => `${((100 * o) / t).toFixed(1)}% (${o}/${t})`;
const KINDS = ['guidance', 'injury_photo', 'report_incident', 'out_of_scope'] as const;

for (const threshold of thresholds) {
  const pooled = new Map<string, [number, number]>();
  const count = (key: string, right: boolean) => {
    const v = pooled.get(key) ?? [0, 0];
    v[0] += right ? 1 : 0;
    v[1]++;
    pooled.set(key, v);
  };
  console.log(`threshold ${threshold}`);
  for (const { split, rows } of leaveOneSplitOut(content, { threshold })) {
    let ok = 0;
    for (const { q, a } of rows) {
      const right = isRight(q, a);
      if (right) ok++;
      count('all', right);
      count(q.intent, right);
      if (q.intent === 'report_incident') count('report card', a.intent === 'report_incident');
    }
    console.log(`  held out ${split}: ${pct(ok, rows.length)}`);
  }
  const line = (k: string) => (pooled.has(k) ? `${k} ${pct(...pooled.get(k)!)}` : '');
  console.log(`  leave-one-split-out: ${line('all')}`);
  console.log(`    ${[...KINDS, 'report card'].map(line).filter(Boolean).join(', ')}`);
}
