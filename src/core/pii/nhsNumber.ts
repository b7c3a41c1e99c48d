/**
 * NHS numbers: ten digits, written together or as 3-3-4 groups (spaces or dashes), whose last digit is the
 * modulus-11 check digit. A ten-digit run that fails the check is not reported.
 */
import { JOINED_AFTER, JOINED_BEFORE, type Span } from './types';

/** True when `digits` (ten digits, separators allowed) has a valid NHS modulus-11 check digit. */
export function isValidNhsNumber(digits: string): boolean {
  const d = digits.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(d[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false; // no number is issued with this check digit
  return (check === 11 ? 0 : check) === Number(d[9]);
}

const NHS_SHAPE = /(?<!\d)\d{3}([ \u00A0-]?)\d{3}\1\d{4}(?!\d)/g;

export function findNhsNumbers(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(NHS_SHAPE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (JOINED_BEFORE.test(text.slice(0, start)) || JOINED_AFTER.test(text.slice(end))) continue;
    if (!isValidNhsNumber(m[0])) continue;
    spans.push({ type: 'nhs_number', start, end });
  }
  return spans;
}
