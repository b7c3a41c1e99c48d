import { formatLondon } from '../time';

/**
 * How people refer to an entry: "KS-" and the first eight characters of its id, upper case. Short enough to
 * read out on the phone; the full id stays in the store, the audit trail and exports.
 */
export function recordReference(id: string): string {
  return `KS-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

const UK_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** "25 Nov 2026, 14:03" in UK time (GMT or BST), for cards. */
export const ukDateTime = formatLondon;

/** "25 Nov 2026" in UK time. A YYYY-MM-DD day is shown as that day. */
export function ukDate(value: string | Date): string {
  const d =
    typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value) : value;
  return UK_DATE.format(d);
}
