/**
 * Entries as CSV for `npm run export`: one row per entry, a header row, and every cell safe to open in a
 * spreadsheet (formula injection: a cell starting with = + - @, a tab or a carriage return is prefixed with ').
 */
import { stringify } from 'csv-stringify/sync';
import type { StoredEntry } from './entry';

export const CSV_COLUMNS = [
  'id',
  'kind',
  'case_ref',
  'created_at',
  'author_id',
  'author_name',
  'guidance_version',
  'corrects',
  'reason',
  'fields',
] as const;

/** A cell a spreadsheet would run as a formula is made plain text. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function entryToCsvRow(e: StoredEntry): string[] {
  return [
    e.id,
    e.kind,
    e.caseRef ?? '',
    e.createdAt,
    e.author.aadObjectId,
    e.author.name,
    e.guidanceVersion,
    e.corrects ?? '',
    e.reason ?? '',
    JSON.stringify(e.fields),
  ].map(safeCell);
}

export function toCsv(entries: StoredEntry[]): string {
  return stringify([[...CSV_COLUMNS], ...entries.map(entryToCsvRow)]);
}
