/**
 * The identifier check's floor on the evaluation sets (tests/fixtures/pii-eval.jsonl, our own, and
 * pii-blind1.jsonl, the blind split now tuned on): `npm run eval:pii` prints the same figures with every miss.
 * The floors sit a little under today's figures (recall 99.5%, names 99.1%, precision 99.5%, near misses
 * warned 0.7%), so a change that loses ground fails here, and say what the issue asks at the least.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseLabelled, ratio, score, type LabelledText } from '../../../src/core/pii/evaluate';

const NOW = new Date('2026-12-01T12:00:00Z');
const load = (f: string): LabelledText[] =>
  parseLabelled(fs.readFileSync(path.join(__dirname, '../../fixtures', f), 'utf8'));
const own = load('pii-eval.jsonl');
const blind = load('pii-blind1.jsonl');
/**
 * A second blind split (110 texts, 157 identifiers), written by someone who never saw the detector and scored once
 * on the finished detector: recall 92.4%, names 79/90, usernames 15/16, every other kind 100%, precision 98.6%,
 * near misses warned 0/50 at first sight. Not tuned on yet: its floor is that first-sight figure, so a change
 * that loses ground on unseen text fails here.
 */
const blind2 = load('pii-blind2.jsonl');

describe('the evaluation sets', () => {
  it('our own set has at least 300 texts, about half with identifiers, and every kind', () => {
    expect(own.length).toBeGreaterThanOrEqual(300);
    const withIds = own.filter((r) => r.ids.length > 0).length;
    expect(withIds / own.length).toBeGreaterThan(0.4);
    expect(withIds / own.length).toBeLessThan(0.6);
    const kinds = new Set(own.flatMap((r) => r.ids.map((i) => i.kind)));
    expect([...kinds].sort()).toEqual([
      'address',
      'date_of_birth',
      'email',
      'handle',
      'name',
      'nhs_number',
      'phone',
      'postcode',
    ]);
  });

  it('the blind splits are the 110 texts each written blind', () => {
    expect(blind).toHaveLength(110);
    expect(blind2).toHaveLength(110);
  });
});

describe('identifier check floor on the second blind split (its first-sight figures)', () => {
  const s = score(blind2, NOW);
  it('recall ≥ 92%, names ≥ 87%, usernames ≥ 93%, other kinds ≥ 97%, precision ≥ 98%, near misses warned ≤ 2%', () => {
    expect(ratio(s.found, s.expected)).toBeGreaterThanOrEqual(0.92);
    for (const [kind, k] of Object.entries(s.byKind)) {
      const floor = kind === 'name' ? 0.87 : kind === 'handle' ? 0.93 : 0.97;
      expect({ kind, recall: ratio(k.found, k.expected) >= floor ? 'ok' : `${k.found}/${k.expected}` }).toEqual({
        kind,
        recall: 'ok',
      });
    }
    expect(ratio(s.correctFindings, s.findings)).toBeGreaterThanOrEqual(0.98);
    expect(ratio(s.nearMissesWarned, s.nearMisses)).toBeLessThanOrEqual(0.02);
  });
});

describe.each([
  ['our own set', own],
  ['the blind split', blind],
])('identifier check floor on %s', (_name, rows) => {
  const s = score(rows, NOW);
  const missed = s.misses.map((m) => `${m.kind} "${m.missed}" in: ${m.text}`).join('\n');
  const alarms = s.falseAlarms.map((f) => `${f.kind} "${f.found}" in: ${f.text}`).join('\n');

  it('recall overall ≥ 97%', () => {
    if (ratio(s.found, s.expected) < 0.97) console.log(missed);
    expect(ratio(s.found, s.expected)).toBeGreaterThanOrEqual(0.97);
  });

  it('names ≥ 95%, usernames ≥ 95%, every other kind ≥ 97%', () => {
    for (const [kind, k] of Object.entries(s.byKind)) {
      const floor = kind === 'name' || kind === 'handle' ? 0.95 : 0.97;
      expect({ kind, recall: ratio(k.found, k.expected) >= floor ? 'ok' : `${k.found}/${k.expected}` }).toEqual({
        kind,
        recall: 'ok',
      });
    }
  });

  it('precision ≥ 97%', () => {
    if (ratio(s.correctFindings, s.findings) < 0.97) console.log(alarms);
    expect(ratio(s.correctFindings, s.findings)).toBeGreaterThanOrEqual(0.97);
  });

  it('near misses wrongly warned about ≤ 3%', () => {
    expect(ratio(s.nearMissesWarned, s.nearMisses)).toBeLessThanOrEqual(0.03);
  });
});
