/**
 * Card data for "my records" (a worker's own entries) and "my team's records" (counts by kind and week, for
 * managers). Pure functions; no free text from an entry is shown, only its kind, time, case and reference.
 */
import { GUIDANCE_SIGNAL_KINDS, RECORD_KINDS, type RecordKind } from '../../core/records/kinds';
import { recordReference, ukDate, ukDateTime } from '../../core/records/reference';
import type { StoredEntry, WeekCount } from '../../storage/types';
import type { CardData } from '../cardCatalogue';

export const MY_RECORDS_LIMIT = 15;
export const TEAM_RECORDS_WEEKS = 8;

/**
 * The reference a worker knows an entry by: a walkthrough's entries (advice asked and given, consent, body map,
 * written record, referral) all carry the walkthrough's one reference, as its cards and summary show it.
 */
export function referenceOf(e: StoredEntry): string {
  const walk = (e.fields as { walkthroughId?: unknown }).walkthroughId;
  return recordReference(typeof walk === 'string' && walk ? walk : e.id);
}

export function myRecordsCardData(entries: readonly StoredEntry[]): CardData['myRecords'] {
  const shown = entries.slice(0, MY_RECORDS_LIMIT);
  return {
    heading: 'Your recent entries',
    summary:
      shown.length === 0
        ? "You haven't made any KeepSafe entries yet. Entries are made when you report an incident or use the photo decision walkthrough."
        : `Your ${shown.length === 1 ? 'most recent entry' : `${shown.length} most recent entries`}, newest first.`,
    entries: shown.map((e) => ({
      kind: RECORD_KINDS[e.kind].label,
      when: ukDateTime(e.createdAt),
      caseRef: e.caseRef ?? 'None',
      reference: referenceOf(e),
      correction: e.corrects !== null,
    })),
    footnote:
      'Only you and your managers can see your entries. Entries are never edited: a mistake is put right with a correction.',
  };
}

/** The Monday (UTC) a number of whole weeks before this week's Monday. */
export function weeksBack(now: Date, weeks: number): Date {
  const monday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)),
  );
  return new Date(monday.getTime() - (weeks - 1) * 7 * 86_400_000);
}

export function teamRecordsCardData(
  counts: readonly WeekCount[],
  from: Date,
  weeks = TEAM_RECORDS_WEEKS,
): CardData['teamRecords'] {
  const byWeek = new Map<string, Array<{ kind: RecordKind; count: number }>>();
  for (const c of counts) {
    if (GUIDANCE_SIGNAL_KINDS.includes(c.kind)) continue;
    byWeek.set(c.weekStart, [...(byWeek.get(c.weekStart) ?? []), { kind: c.kind, count: c.count }]);
  }
  const rows = [...byWeek.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([weekStart, kinds]) => ({
      label: `Week of ${ukDate(weekStart)}`,
      total: kinds.reduce((n, k) => n + k.count, 0),
      kinds: kinds
        .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind))
        .map((k) => ({ label: RECORD_KINDS[k.kind].label, count: k.count })),
    }));
  const total = rows.reduce((n, r) => n + r.total, 0);
  return {
    heading: 'Records by week',
    summary:
      total === 0
        ? `No entries in the ${weeks} weeks from ${ukDate(from)}.`
        : `${total} ${total === 1 ? 'entry' : 'entries'} in the ${weeks} weeks from ${ukDate(from)}, newest week first. Counts only: no case details.`,
    weeks: rows,
    footnote:
      'Counts across all KeepSafe entries. Your KeepSafe administrator can make a full export; every export is audited.',
  };
}
