/**
 * Dates and times as a worker in the UK types and reads them: "YYYY-MM-DD" and "HH:MM" in Europe/London
 * (GMT or BST), turned into UTC instants for the record, and instants shown back in London time. Shared by the
 * incident report, the walkthrough and every card that shows a time; and the week (Monday, UTC) records are
 * counted in, shared by the store, the gap report and the cards that label its counts. No Teams code, no clock
 * of its own.
 */
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const LONDON_SHORT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

function parts(d: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of LONDON.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** The London calendar date and wall-clock time of an instant. */
export function londonParts(d: Date): { date: string; time: string } {
  const p = parts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.year}-${two(p.month)}-${two(p.day)}`, time: `${two(p.hour)}:${two(p.minute)}` };
}

/** Minutes London is ahead of UTC at an instant (0 in winter, 60 in summer). */
function offsetMinutes(d: Date): number {
  const p = parts(d);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60000);
}

/** A real calendar date in YYYY-MM-DD (no 31 February). */
export function isDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A wall-clock time HH:MM (seconds allowed, ignored). */
export function isTime(value: string): boolean {
  const m = TIME_RE.exec(value);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && (m[3] === undefined || Number(m[3]) < 60);
}

/** The instant a London date and time name, or null when either is not valid. */
export function londonToDate(date: string, time: string): Date | null {
  if (!isDate(date) || !isTime(time)) return null;
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let t = wall - offsetMinutes(new Date(wall)) * 60000;
  const again = wall - offsetMinutes(new Date(t)) * 60000;
  if (again !== t) t = again;
  return new Date(t);
}

/** "24 Nov 2026, 14:05" in London time. */
export function formatLondon(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '';
  return LONDON_SHORT.format(d);
}

/** The Monday (UTC) of the week an ISO time falls in, as YYYY-MM-DD: the week the store counts entries in. */
export function weekStartOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10);
}
