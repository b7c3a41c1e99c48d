/**
 * Dates of birth. chrono-node (British day-first reading) finds the dates; this module decides which are
 * dates of birth:
 *  - a date introduced by a birth word ("DOB 03/04/2011", "d.o.b: 3.4.11", "born on the 3rd of April",
 *    "date of birth is 2011-04-03", "b. 4.5.09"), year or not;
 *  - every date in the same sentence after a plural birth word ("dobs for the 3 kids: 01/02/2016, 14/09/2018
 *    and 30/11/2020");
 *  - a full date (day, month and year) whose year lies 0–110 years back, with a birth word near it in the
 *    same sentence ("born in Leeds on 03/04/2011", "03/04/2011 (DOB)").
 * Any other date ("on 12/03/2025"), a time, or a year alone ("in 2019") is not a date of birth.
 */
import * as chrono from 'chrono-node';
import type { Span } from './types';

const BIRTH_WORDS =
  /(?<![\p{L}\p{N}])(?:d\.\s?o\.\s?b\.?(?:['’]?s)?|d\/o\/b|dob['’]?s?|dates?\s+of\s+birth|birth\s*dates?|birthdays?|born)(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])b\.(?=\s?\d)/giu;
/** Birth words that introduce a list: every full date after them in the same sentence is a date of birth. */
const PLURAL_BIRTH_WORD = /^(?:d\.\s?o\.\s?b\.?['’]?s|dob['’]?s|dates\s+of\s+birth|birth\s*dates|birthdays)$/i;
const LIST_REACH = 200;
/** What may stand between a birth word and the date it introduces. */
const INTRODUCER = /^[\s:;,.=()\-–]*(?:(?:is|was|on|the|given|as|recorded|listed|of)[\s:;,.=\-–]+)*$/i;
/** How far (in characters) a birth word may be from a full date and still be about it. */
const NEAR_BEFORE = 60;
/** After the date only a bracket or a dash may stand before the birth word: "03/04/2011 (DOB)". */
const NEAR_AFTER = /^[\s(\[,\-–]{0,4}$/;
const SENTENCE_BREAK = /[.!?](?:\s|$)|\n/;

export interface DateOptions {
  /** "Today", for the 0–110 years test. Defaults to the current date. */
  now?: Date;
}

export function findDatesOfBirth(text: string, options: DateOptions = {}): Span[] {
  const now = options.now ?? new Date();
  const birthWords = [...text.matchAll(BIRTH_WORDS)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    plural: PLURAL_BIRTH_WORD.test(m[0]),
  }));
  if (birthWords.length === 0) return [];

  const spans: Span[] = [];
  for (const date of datesNear(text, birthWords, now)) {
    const { start, end } = date;
    const introduced = birthWords.some(
      (w) =>
        w.end <= start &&
        (INTRODUCER.test(text.slice(w.end, start)) ||
          (w.plural && start - w.end <= LIST_REACH && !SENTENCE_BREAK.test(text.slice(w.end, start)))),
    );
    let near = false;
    if (!introduced && date.year !== null) {
      const inRange = date.year <= now.getFullYear() && date.year >= now.getFullYear() - 110 && date.date <= now;
      near =
        inRange &&
        birthWords.some((w) => {
          const between = w.end <= start ? text.slice(w.end, start) : w.start >= end ? text.slice(end, w.start) : null;
          if (between === null) return false;
          if (w.start >= end) return NEAR_AFTER.test(between);
          return between.length <= NEAR_BEFORE && !SENTENCE_BREAK.test(between);
        });
    }
    if (introduced || near) spans.push({ type: 'date_of_birth', start, end });
  }
  return spans;
}

/**
 * The dates in the stretches of text around the birth words (chrono is the costliest part of the check, and a long
 * note has few birth words): enough before a birth word for "03/04/2011 (DOB)" and after it for the nearest
 * dates, or a list after "dobs".
 */
function datesNear(
  text: string,
  words: Array<{ start: number; end: number; plural: boolean }>,
  now: Date,
): FoundDate[] {
  const windows: Array<[number, number]> = [];
  for (const w of words) {
    const from = Math.max(0, w.start - 100);
    const to = Math.min(text.length, w.end + (w.plural ? LIST_REACH + 40 : 120));
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows.flatMap(([from, to]) =>
    findDates(text.slice(from, to), now).map((d) => ({ ...d, start: d.start + from, end: d.end + from })),
  );
}

interface FoundDate {
  start: number;
  end: number;
  /** null when the text gives no year */
  year: number | null;
  date: Date;
}

/** d/m/yy, d.m.yy, d-m-yyyy...: chrono-node reads most numeric forms, not all ("3.4.11"); these fill the gap. */
const NUMERIC_DATE = /(?<![\p{L}\p{N}/\-])(?<!\d\.)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\p{L}\p{N}]|[./-]\d)/gu;
const LEADING_WORDS = /^(?:(?:on|the|of|at)\s+)+/i;

/** Calendar dates written with a day and a month (and digits): not "today", "Monday", "17:30" or "in 2019". */
function findDates(text: string, now: Date): FoundDate[] {
  const dates: FoundDate[] = [];
  for (const result of chrono.en.GB.parse(text, now)) {
    if (!result.start.isCertain('day') || !result.start.isCertain('month') || !/\d/.test(result.text)) continue;
    const lead = LEADING_WORDS.exec(result.text)?.[0].length ?? 0;
    // "14/04/1946, 22 Orchard Close": chrono reads the house number as an hour; the date ends at its year
    const trail = /\d{4}([\s,]+\d{1,2})$/.exec(result.text)?.[1].length ?? 0;
    dates.push({
      start: result.index + lead,
      end: result.index + result.text.length - trail,
      year: result.start.isCertain('year') ? (result.start.get('year') ?? null) : null,
      date: result.start.date(),
    });
  }
  for (const m of text.matchAll(NUMERIC_DATE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (dates.some((d) => start < d.end && end > d.start)) continue;
    const day = Number(m[1]);
    const month = Number(m[3]);
    let year = Number(m[4]);
    if (m[4].length === 2) year += year <= now.getFullYear() % 100 ? 2000 : 1900;
    const date = new Date(year, month - 1, day);
    if (date.getMonth() !== month - 1 || date.getDate() !== day) continue; // 31/02, 13/13
    dates.push({ start, end, year, date });
  }
  return dates.sort((a, b) => a.start - b.start);
}
