/**
 * The report form: what the worker typed, checked the way a person would expect (required answers required,
 * a date not in the future, a case reference in the council's format), every problem named against its field
 * and everything typed kept, so the card can be shown again with the errors and nothing lost.
 */
import { createHash } from 'node:crypto';
import { CaseRefError, checkCaseRef } from '../records/caseRef';
import { isDate, isTime, londonParts, londonToDate } from '../time';
import { INCIDENT_TYPES, PLATFORMS, URGENCIES, type IncidentType, type Urgency } from './types';

export const REPORT_FIELDS = [
  'type',
  'summary',
  'happenedDate',
  'happenedTime',
  'platform',
  'urgency',
  'caseRef',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** What the card sends back: every value a string, as Teams sends inputs. */
export interface ReportFormValues {
  type: string;
  summary: string;
  happenedDate: string;
  happenedTime: string;
  platform: string;
  urgency: string;
  caseRef: string;
  evidenceKept: 'true' | 'false';
}

export const EMPTY_FORM: ReportFormValues = {
  type: '',
  summary: '',
  happenedDate: '',
  happenedTime: '',
  platform: '',
  urgency: '',
  caseRef: '',
  evidenceKept: 'false',
};

export interface ValidReport {
  type: IncidentType;
  summary: string;
  happenedAt: string;
  /** False when only the date was given. */
  timeKnown: boolean;
  platform?: string;
  urgency: Urgency;
  caseRef: string | null;
  evidenceKept: boolean;
}

export type ReportErrors = Partial<Record<ReportField, string>>;

const MAX_SUMMARY = 4000;
const str = (v: unknown, max = 5000) =>
  (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').slice(0, max);

/** Picks the form's values out of a card payload (unknown keys ignored, anything odd made an empty string). */
export function formValuesFrom(data: Record<string, unknown>): ReportFormValues {
  return {
    type: str(data.type, 64).trim(),
    summary: str(data.summary, MAX_SUMMARY + 1000),
    happenedDate: str(data.happenedDate, 32).trim(),
    happenedTime: str(data.happenedTime, 16).trim(),
    platform: str(data.platform, 64).trim(),
    urgency: str(data.urgency, 16).trim(),
    caseRef: str(data.caseRef, 64).trim(),
    evidenceKept: str(data.evidenceKept, 8) === 'true' ? 'true' : 'false',
  };
}

/** Today's date in the UK (the date a worker means by "today"), YYYY-MM-DD. */
export function ukToday(now: Date): string {
  return londonParts(now).date;
}

/** A UK local date and time (midday when no time is given) as a UTC instant, GMT or BST as it was that day. */
export function ukLocalToUtc(date: string, time: string): Date {
  const at = londonToDate(date, time || '12:00');
  if (!at) throw new RangeError(`Not a UK date and time: ${date} ${time}`);
  return at;
}

export function checkReport(
  values: ReportFormValues,
  now: Date,
  caseRefPattern: RegExp,
): { ok: true; report: ValidReport } | { ok: false; errors: ReportErrors } {
  const errors: ReportErrors = {};
  if (!(INCIDENT_TYPES as readonly string[]).includes(values.type))
    errors.type = 'Choose what kind of incident this is.';
  const summary = values.summary.trim();
  if (!summary) errors.summary = 'Say briefly what happened.';
  else if (summary.length > MAX_SUMMARY)
    errors.summary = `Please keep this under ${MAX_SUMMARY} characters (it is ${summary.length}).`;
  if (!(URGENCIES as readonly string[]).includes(values.urgency)) errors.urgency = 'Choose how urgent it is.';
  if (values.platform && !(PLATFORMS as readonly string[]).includes(values.platform))
    errors.platform = 'Choose a platform from the list (or Other).';

  let happenedAt: Date | undefined;
  if (!isDate(values.happenedDate)) {
    errors.happenedDate = values.happenedDate
      ? 'That is not a date: pick it from the calendar.'
      : 'Give the date it happened.';
  } else if (values.happenedDate > ukToday(now)) {
    errors.happenedDate = 'That date is in the future: give the date it happened.';
  } else if (values.happenedTime && !isTime(values.happenedTime)) {
    errors.happenedTime = 'That is not a time: use the clock, for example 19:30.';
  } else {
    happenedAt = ukLocalToUtc(values.happenedDate, values.happenedTime.slice(0, 5));
    if (values.happenedTime && happenedAt.getTime() > now.getTime() + 5 * 60_000)
      errors.happenedTime = 'That time is still to come today: give the time it happened.';
  }

  let caseRef: string | null = null;
  if (values.caseRef) {
    try {
      caseRef = checkCaseRef(values.caseRef, caseRefPattern);
    } catch (err) {
      if (!(err instanceof CaseRefError)) throw err;
      errors.caseRef = err.message;
    }
  }

  if (Object.keys(errors).length > 0 || !happenedAt) return { ok: false, errors };
  return {
    ok: true,
    report: {
      type: values.type as IncidentType,
      summary,
      happenedAt: happenedAt.toISOString(),
      timeKnown: Boolean(values.happenedTime),
      platform: values.platform || undefined,
      urgency: values.urgency as Urgency,
      caseRef,
      evidenceKept: values.evidenceKept === 'true',
    },
  };
}

/** Ties a "send as it is" to the exact text the worker was warned about. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text.trim()).digest('hex').slice(0, 16);
}
