/**
 * npm run eval:pii [-- --verbose] [-- FILE.jsonl ...]: the identifier check scored on the evaluation sets in
 * tests/fixtures (pii-eval.jsonl, our own; pii-blind1.jsonl, written blind and now tuned on): recall per kind,
 * overall recall, precision and the near-miss false-alarm rate, per set and together; --verbose lists every miss
 * and false alarm.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLabelled, ratio, score, type Score } from '../src/core/pii/evaluate';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const files = args.filter((a) => !a.startsWith('-'));
const root = path.resolve(__dirname, '..');
const sets = files.length
  ? files
  : ['tests/fixtures/pii-eval.jsonl', 'tests/fixtures/pii-blind1.jsonl', 'tests/fixtures/pii-blind2.jsonl'];
/** A fixed "today" so the 0–110 years rule for dates of birth gives the same figures every run. */
const NOW = new Date('2026-12-01T12:00:00Z');

const pct = (a: number, b: number) => `${(100 * ratio(a, b)).toFixed(1)}%`;

function report(name: string, s: Score): void {
  console.log(`\n== ${name}: ${s.texts} texts (${s.withIds} with identifiers, ${s.nearMisses} near misses)`);
  for (const [kind, k] of Object.entries(s.byKind).sort()) {
    console.log(
      `  ${kind.padEnd(14)} ${String(k.found).padStart(4)} / ${String(k.expected).padEnd(4)} ${pct(k.found, k.expected)}`,
    );
  }
  console.log(`  recall         ${s.found} / ${s.expected}  ${pct(s.found, s.expected)}`);
  console.log(`  precision      ${s.correctFindings} / ${s.findings}  ${pct(s.correctFindings, s.findings)}`);
  console.log(`  near misses warned ${s.nearMissesWarned} / ${s.nearMisses}  ${pct(s.nearMissesWarned, s.nearMisses)}`);
  console.log(`  texts with a miss  ${s.textsPartlyMissed} / ${s.withIds}`);
  if (verbose) {
    for (const m of s.misses) console.log(`  MISS ${m.kind}: "${m.missed}"  in: ${m.text}`);
    for (const f of s.falseAlarms) console.log(`  FALSE ${f.kind}: "${f.found}"  in: ${f.text}`);
  }
}

const all = [];
for (const file of sets) {
  const rows = parseLabelled(readFileSync(path.resolve(root, file), 'utf8'));
  all.push(...rows);
  report(file, score(rows, NOW));
}
if (sets.length > 1) report('all', score(all, NOW));
