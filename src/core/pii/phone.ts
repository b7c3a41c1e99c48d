/**
 * Phone numbers, found by libphonenumber-js (a port of Google's libphonenumber) with GB as the default country.
 *
 * The library's "possible" leniency is used (the number has a possible length for its country) rather than
 * "valid" (the number is in an allocated range), so a number in a range the metadata does not list yet, or one
 * of Ofcom's drama ranges (07700 900xxx) used in training material, is still caught. To keep that from
 * catching plain digit runs, a national number must be written the UK way, with its leading 0; otherwise the
 * text must start with + or 00 (an international number).
 */
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { JOINED_AFTER, JOINED_BEFORE, type Span } from './types';

const DATE_SHAPE = /^\d{1,2}([./-])\d{1,2}\1(?:\d{2}|\d{4})$/;
/** Times on the 24-hour clock: "1400-1600", "0930 – 1130", "0800 1200 1700 2100". */
const TIME = /^(?:[01]\d|2[0-3])[0-5]\d$/;
function timesOnly(raw: string): boolean {
  const groups = raw
    .trim()
    .split(/[\s\-–]+/)
    .filter(Boolean);
  return groups.length >= 2 && groups.every((g) => TIME.test(g));
}

/**
 * Stretches of text that could hold a phone number: nine digits or more with only spacing, brackets, dots, dashes
 * and a leading + between them, with room around for an extension ("ext 23") and the joined-word checks. The
 * library reads only these, which keeps a long text quick (most of it has no long digit runs at all).
 */
const DIGIT_RUN = /[+(]?\d(?:[\s().\-–]{0,3}\d){8,}/g;
const MARGIN = 16;

function regions(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const start = Math.max(0, m.index - MARGIN);
    const end = Math.min(text.length, m.index + m[0].length + MARGIN);
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

export function findPhones(text: string): Span[] {
  const spans: Span[] = [];
  for (const [from, to] of regions(text)) {
    for (const found of findPhoneNumbersInText(text.slice(from, to), { defaultCountry: 'GB', extended: true })) {
      const startsAt = from + found.startsAt;
      const endsAt = from + found.endsAt;
      if (!spans.some((s) => s.start === startsAt)) check({ ...found, startsAt, endsAt });
    }
  }
  return spans.sort((a, b) => a.start - b.start);

  function check(found: { startsAt: number; endsAt: number; number: { isPossible(): boolean } }): void {
    const raw = text.slice(found.startsAt, found.endsAt);
    const digitsStart = raw.replace(/^[\s(]+/, '');
    const international = /^(\+|00)/.test(digitsStart);
    const national = /^0/.test(digitsStart);
    if (!international && !national) return;
    if (!found.number.isPossible()) return;
    if (DATE_SHAPE.test(raw.trim())) return; // 03-04-2011 is a date
    if (timesOnly(raw)) return; // 1400-1600 is a time range

    if (JOINED_BEFORE.test(text.slice(0, found.startsAt)) || JOINED_AFTER.test(text.slice(found.endsAt))) return;
    spans.push({ type: 'phone', start: found.startsAt, end: found.endsAt });
  }
}
