/**
 * The content-gap report for the guidance's owners: questions the guidance did not answer well — declined
 * ("the guidance doesn't cover that"), asked to a manager, marked "not helpful", or "none of these" on a
 * did-you-mean card — with identifiers masked, counted by week and by nearest section. Pure: built from
 * entries the caller read (and audited); the same report feeds the managers' card and `npm run gaps`.
 */
import { stringify } from 'csv-stringify/sync';
import { maskIdentifiers } from '../pii';
import { safeCell } from '../records/csv';
import type { StoredEntry } from '../records/entry';
import { weekStartOf } from '../time';

export type GapReason = 'declined' | 'asked_manager' | 'not_helpful' | 'none_fitted';
export const GAP_REASONS: readonly GapReason[] = ['declined', 'asked_manager', 'not_helpful', 'none_fitted'];

export const GAP_REASON_LABEL: Record<GapReason, string> = {
  declined: 'Declined (not covered)',
  asked_manager: 'Asked a manager',
  not_helpful: 'Marked not helpful',
  none_fitted: 'None of the suggestions',
};

export interface GapItem {
  at: string;
  /** The Monday (UTC) of its week, YYYY-MM-DD. */
  weekStart: string;
  reason: GapReason;
  /** The nearest section, when known. */
  section: string | null;
  /** The question with every identifier the check finds replaced by its placeholder ('' when not kept). */
  question: string;
  engineVersion: string;
}

export type GapCounts = Record<GapReason, number> & { total: number };

/** One "Did you mean…?" card answered: what was offered and what the worker chose ('none' = none of these). */
export interface ChoiceItem {
  at: string;
  weekStart: string;
  offered: string[];
  chosen: string;
  engineVersion: string;
}

/** Where the engine hesitated: one set of offered sections, how often, and what workers chose. */
export interface Hesitation {
  offered: string[];
  total: number;
  /** Most chosen first; 'none' = none of these. */
  chosen: Array<{ choice: string; count: number }>;
}

export interface GapReport {
  from: string;
  to: string;
  total: number;
  /** Newest week first. */
  byWeek: Array<{ weekStart: string } & GapCounts>;
  /** Most gaps first; `section` null = no section was near. */
  bySection: Array<{ section: string | null } & GapCounts>;
  /** Newest first. */
  items: GapItem[];
  /** Where the engine asked "Did you mean…?", most often first. */
  hesitations: Hesitation[];
  /** Newest first. */
  choices: ChoiceItem[];
}

/** One gap per guidance_gap or manager_question entry; other kinds are ignored. Questions are masked again here. */
export function gapItems(entries: readonly StoredEntry[]): GapItem[] {
  const out: GapItem[] = [];
  for (const e of entries) {
    if (e.kind === 'guidance_gap') {
      out.push({
        at: e.createdAt,
        weekStart: weekStartOf(e.createdAt),
        reason: e.fields.reason,
        section: e.fields.nearestSection ?? null,
        question: e.fields.question ? maskIdentifiers(e.fields.question) : '',
        engineVersion: e.fields.engineVersion,
      });
    } else if (e.kind === 'manager_question') {
      out.push({
        at: e.createdAt,
        weekStart: weekStartOf(e.createdAt),
        reason: 'asked_manager',
        section: e.fields.nearestSection ?? null,
        question: maskIdentifiers(e.fields.question),
        engineVersion: e.fields.engineVersion,
      });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** One per clarify_choice entry; other kinds are ignored. */
export function choiceItems(entries: readonly StoredEntry[]): ChoiceItem[] {
  const out: ChoiceItem[] = [];
  for (const e of entries) {
    if (e.kind !== 'clarify_choice') continue;
    out.push({
      at: e.createdAt,
      weekStart: weekStartOf(e.createdAt),
      offered: [...e.fields.offered],
      chosen: e.fields.chosen,
      engineVersion: e.fields.engineVersion,
    });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** Choices grouped by the set of sections offered (in the order offered: best first). */
export function hesitations(choices: readonly ChoiceItem[]): Hesitation[] {
  const groups = new Map<string, { offered: string[]; total: number; chosen: Map<string, number> }>();
  for (const c of choices) {
    const key = c.offered.join(' ');
    const g = groups.get(key) ?? { offered: c.offered, total: 0, chosen: new Map<string, number>() };
    g.total++;
    g.chosen.set(c.chosen, (g.chosen.get(c.chosen) ?? 0) + 1);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.total - a.total || a.offered.join(' ').localeCompare(b.offered.join(' ')))
    .map((g) => ({
      offered: g.offered,
      total: g.total,
      chosen: [...g.chosen.entries()]
        .sort(([a, x], [b, y]) => y - x || compareSections(a === 'none' ? null : a, b === 'none' ? null : b))
        .map(([choice, count]) => ({ choice, count })),
    }));
}

function zero(): GapCounts {
  return { declined: 0, asked_manager: 0, not_helpful: 0, none_fitted: 0, total: 0 };
}

/** Compares section numbers as the guidance orders them (2.3.2 after 2.3, before 2.4); none last. */
export function compareSections(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

export function gapReport(
  items: readonly GapItem[],
  range: { from: Date; to: Date },
  choices: readonly ChoiceItem[] = [],
): GapReport {
  const weeks = new Map<string, GapCounts>();
  const sections = new Map<string | null, GapCounts>();
  for (const item of items) {
    for (const [map, key] of [
      [weeks, item.weekStart],
      [sections, item.section],
    ] as const) {
      const counts = (map as Map<string | null, GapCounts>).get(key) ?? zero();
      counts[item.reason]++;
      counts.total++;
      (map as Map<string | null, GapCounts>).set(key, counts);
    }
  }
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: items.length,
    byWeek: [...weeks.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([w, c]) => ({ weekStart: w, ...c })),
    bySection: [...sections.entries()]
      .sort(([a, x], [b, y]) => y.total - x.total || compareSections(a, b))
      .map(([s, c]) => ({ section: s, ...c })),
    items: [...items].sort((a, b) => b.at.localeCompare(a.at)),
    hesitations: hesitations(choices),
    choices: [...choices].sort((a, b) => b.at.localeCompare(a.at)),
  };
}

export const GAP_COUNT_COLUMNS = [
  'week_start',
  'nearest_section',
  'declined',
  'asked_manager',
  'not_helpful',
  'none_fitted',
  'total',
] as const;
export const GAP_QUESTION_COLUMNS = [
  'created_at',
  'week_start',
  'reason',
  'nearest_section',
  'question_masked',
  'engine_version',
] as const;
export const CHOICE_COLUMNS = ['week_start', 'offered', 'chosen', 'engine_version', 'count'] as const;

/**
 * The report as formula-safe CSV: counts per week and nearest section (default), one row per question (masked)
 * with `questions`, or the did-you-mean choices per week, sections offered, choice and engine with `choices`.
 */
export function gapCsv(report: GapReport, opts: { questions?: boolean; choices?: boolean } = {}): string {
  if (opts.choices) {
    const counts = new Map<string, { row: string[]; count: number }>();
    for (const c of report.choices) {
      const row = [c.weekStart, c.offered.join(' '), c.chosen, c.engineVersion];
      const key = row.join('\u0000');
      const hit = counts.get(key) ?? { row, count: 0 };
      hit.count++;
      counts.set(key, hit);
    }
    const rows = [...counts.values()]
      .sort((a, b) => b.row[0].localeCompare(a.row[0]) || b.count - a.count || a.row[1].localeCompare(b.row[1]))
      .map((r) => [...r.row, String(r.count)]);
    return stringify([[...CHOICE_COLUMNS], ...rows.map((r) => r.map(safeCell))]);
  }
  if (opts.questions) {
    const rows = report.items.map((i) => [i.at, i.weekStart, i.reason, i.section ?? '', i.question, i.engineVersion]);
    return stringify([[...GAP_QUESTION_COLUMNS], ...rows.map((r) => r.map(safeCell))]);
  }
  const cells = new Map<string, { weekStart: string; section: string | null } & GapCounts>();
  for (const i of report.items) {
    const key = `${i.weekStart}\u0000${i.section ?? ''}`;
    const c = cells.get(key) ?? { weekStart: i.weekStart, section: i.section, ...zero() };
    c[i.reason]++;
    c.total++;
    cells.set(key, c);
  }
  const rows = [...cells.values()]
    .sort((a, b) => b.weekStart.localeCompare(a.weekStart) || compareSections(a.section, b.section))
    .map((c) => [c.weekStart, c.section ?? '', ...GAP_REASONS.map((r) => String(c[r])), String(c.total)]);
  return stringify([[...GAP_COUNT_COLUMNS], ...rows.map((r) => r.map(safeCell))]);
}

/** What the report reads from: the record store's audited export (one audit event per kind read). */
export interface GapSource {
  export(
    range: { from: Date; to: Date; kind?: 'guidance_gap' | 'manager_question' | 'clarify_choice' },
    actor: string,
  ): Promise<StoredEntry[]>;
}

/** Reads the last `days` days up to `now` (gaps, questions for managers, did-you-mean choices; each kind's export audited as `actor`). */
export async function readGapReport(
  source: GapSource,
  opts: { now: Date; days: number; actor: string },
): Promise<GapReport> {
  const range = { from: new Date(opts.now.getTime() - opts.days * 86_400_000), to: new Date(opts.now.getTime() + 1) };
  const gaps = await source.export({ ...range, kind: 'guidance_gap' }, opts.actor);
  const asked = await source.export({ ...range, kind: 'manager_question' }, opts.actor);
  const choices = await source.export({ ...range, kind: 'clarify_choice' }, opts.actor);
  return gapReport(gapItems([...gaps, ...asked]), range, choiceItems(choices));
}
