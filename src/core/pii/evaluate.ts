/**
 * Scoring the identifier check against a labelled set (tests/fixtures/pii-*.jsonl): per-kind recall, precision
 * and the near-miss false-alarm rate. Pure: the caller reads the files (scripts/eval-pii.ts, tests/core/pii/eval.test.ts).
 *
 * An expected identifier is found when a finding of the same kind overlaps it; a finding is right when it
 * overlaps an expected identifier of its kind. A near miss (a text with no identifiers) is warned about when
 * anything at all is found in it.
 */
import { findIdentifiers, type Finding, type IdentifierType } from './index';

export interface LabelledText {
  text: string;
  ids: Array<{ kind: IdentifierType; text: string }>;
}

export interface Miss {
  text: string;
  kind: IdentifierType;
  missed: string;
}
export interface FalseAlarm {
  text: string;
  kind: IdentifierType;
  found: string;
}

export interface Score {
  texts: number;
  withIds: number;
  nearMisses: number;
  nearMissesWarned: number;
  expected: number;
  found: number;
  findings: number;
  correctFindings: number;
  byKind: Record<string, { expected: number; found: number }>;
  /** texts with identifiers where at least one was missed */
  textsPartlyMissed: number;
  misses: Miss[];
  falseAlarms: FalseAlarm[];
}

/** Parses JSON lines; blank lines and lines starting with '#' (a file's header) are skipped. */
export function parseLabelled(content: string): LabelledText[] {
  return content
    .split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .map((l, i) => {
      const row = JSON.parse(l) as LabelledText;
      if (typeof row.text !== 'string' || !Array.isArray(row.ids)) throw new Error(`line ${i + 1}: not {text, ids}`);
      return row;
    });
}

function locate(
  text: string,
  ids: LabelledText['ids'],
): Array<{ kind: IdentifierType; start: number; end: number; text: string }> {
  const taken: Array<[number, number]> = [];
  return ids.map((id) => {
    let from = 0;
    for (;;) {
      const at = text.indexOf(id.text, from);
      if (at < 0) throw new Error(`"${id.text}" is not in "${text}"`);
      const end = at + id.text.length;
      if (!taken.some(([s, e]) => at < e && end > s)) {
        taken.push([at, end]);
        return { kind: id.kind, start: at, end, text: id.text };
      }
      from = at + 1;
    }
  });
}

export function score(
  rows: LabelledText[],
  now: Date,
  find: (text: string) => Finding[] = (t) => findIdentifiers(t, { now }),
): Score {
  const s: Score = {
    texts: rows.length,
    withIds: 0,
    nearMisses: 0,
    nearMissesWarned: 0,
    expected: 0,
    found: 0,
    findings: 0,
    correctFindings: 0,
    byKind: {},
    textsPartlyMissed: 0,
    misses: [],
    falseAlarms: [],
  };
  for (const row of rows) {
    const findings = find(row.text);
    const expected = locate(row.text, row.ids);
    if (expected.length === 0) {
      s.nearMisses++;
      if (findings.length) s.nearMissesWarned++;
    } else s.withIds++;
    let missedHere = false;
    for (const e of expected) {
      const k = (s.byKind[e.kind] ??= { expected: 0, found: 0 });
      k.expected++;
      s.expected++;
      if (findings.some((f) => f.type === e.kind && f.start < e.end && f.end > e.start)) {
        k.found++;
        s.found++;
      } else {
        missedHere = true;
        s.misses.push({ text: row.text, kind: e.kind, missed: e.text });
      }
    }
    if (missedHere) s.textsPartlyMissed++;
    for (const f of findings) {
      s.findings++;
      if (expected.some((e) => e.kind === f.type && f.start < e.end && f.end > e.start)) s.correctFindings++;
      else s.falseAlarms.push({ text: row.text, kind: f.type, found: f.text });
    }
  }
  return s;
}

export const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
