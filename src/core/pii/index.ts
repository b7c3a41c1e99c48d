/**
 * The personal-identifier check. Before a worker's free text (an incident report, a walkthrough note) is stored
 * or posted to the managers' channel, findIdentifiers() lists what in it could identify a service user or
 * anyone else; the worker sees describeFindings() and can edit or confirm; logs and channel summaries carry
 * maskIdentifiers() text. Pure: no I/O, no Teams code.
 *
 * One module per identifier type:
 *   names.ts        names, titled ("Mrs Jones", "PC Daniels") or not ("Rose said", "aunty Shelley")
 *   handles.ts      social media usernames ("@riv.ersxd", "his snap is jj_dunny99")
 *   phone.ts        phone numbers (libphonenumber-js, GB default)
 *   email.ts        email addresses (linkify-it)
 *   postcode.ts     UK postcodes, official format
 *   address.ts      house number + street
 *   nhsNumber.ts    NHS numbers with a valid modulus-11 check digit
 *   dateOfBirth.ts  dates of birth (chrono-node finds dates; birth words decide)
 */
import { findAddresses } from './address';
import { findDatesOfBirth, type DateOptions } from './dateOfBirth';
import { findEmails } from './email';
import { findHandles } from './handles';
import { warmUpLexicon } from './lexicon';
import { findNames } from './names';
import { findNhsNumbers } from './nhsNumber';
import { findPhones } from './phone';
import { findPostcodes } from './postcode';
import { LABELS, PLACEHOLDERS, PLURAL_LABELS, PRIORITY, type Finding, type IdentifierType, type Span } from './types';

export type { Finding, IdentifierType } from './types';
export { CHECK_LIMITS, LABELS, PLACEHOLDERS, PLURAL_LABELS } from './types';
export { isValidNhsNumber } from './nhsNumber';

export type FindOptions = DateOptions;

/**
 * Loads the name lists and compromise's lexicon and runs the check once, so that the first worker's check is as
 * quick as the rest. The bot calls it just after it starts listening; without it the first check does it.
 */
export function warmUp(): void {
  warmUpLexicon();
  findIdentifiers('Rose said her snap is jj_dunny99, ring 07700 900123, dob 03/04/2011, 14 Elm Grove LS6 2AB');
}

/** Every personal identifier found in `text`, sorted by start, none overlapping another. */
export function findIdentifiers(text: string, options: FindOptions = {}): Finding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const candidates: Span[] = [
    ...findEmails(text),
    ...findNhsNumbers(text),
    ...findPhones(text),
    ...findDatesOfBirth(text, options),
    ...findPostcodes(text),
    ...findAddresses(text),
    ...findHandles(text),
    ...findNames(text),
  ].filter((s) => s.end > s.start);

  // Overlaps: the higher-priority type wins, then the earlier, then the longer span.
  candidates.sort((a, b) => PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type) || a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const c of candidates) {
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept
    .sort((a, b) => a.start - b.start)
    .map((s) => ({
      type: s.type,
      start: s.start,
      end: s.end,
      text: text.slice(s.start, s.end),
      label: LABELS[s.type],
    }));
}

const DESCRIPTION_LIMIT = 300;
const EXCERPT_LIMIT = 40;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_LIMIT ? flat : `${flat.slice(0, EXCERPT_LIMIT - 1)}…`;
}

function kindPart(type: IdentifierType, excerpts: string[], shown: number): string {
  const n = excerpts.length;
  const label = n === 1 ? LABELS[type] : `${n} ${PLURAL_LABELS[type]}`;
  if (shown <= 0) return label;
  const listed = excerpts.slice(0, shown);
  const rest = n - shown;
  const inner = rest > 0 ? `${listed.join(', ')} and ${rest} more` : listed.join(', ');
  return `${label} (${inner})`;
}

/**
 * Plain English for a card, grouped by kind in the order the kinds first appear: "a name (Mrs Jones), 2 social
 * media usernames (@riv.ersxd, jj_dunny99), a phone number (07700 900123)". Repeats of the same identifier are
 * listed once. Every kind found is always named with its count; when the whole would pass about 300 characters,
 * the kinds with the most examples show fewer of them ("6 names (Liam, Rose and 4 more)"), so the worker always
 * sees every kind of thing to look for. Empty string when there are no findings. The excerpts are the worker's
 * own text: the card layer must show them as plain text.
 */
export function describeFindings(findings: Finding[]): string {
  const byKind = new Map<IdentifierType, string[]>();
  for (const f of findings) {
    const list = byKind.get(f.type) ?? [];
    const e = excerpt(f.text);
    if (!list.some((x) => x.toLowerCase() === e.toLowerCase())) list.push(e);
    byKind.set(f.type, list);
  }
  const kinds = [...byKind.keys()];
  const shown = new Map(kinds.map((k) => [k, byKind.get(k)!.length]));
  const render = () => kinds.map((k) => kindPart(k, byKind.get(k)!, shown.get(k)!)).join(', ');
  let out = render();
  while (out.length > DESCRIPTION_LIMIT) {
    // show one example fewer of the kind showing most (the later kind on a tie), down to none
    let pick: IdentifierType | undefined;
    for (const k of kinds) if (shown.get(k)! > 0 && (pick === undefined || shown.get(k)! >= shown.get(pick)!)) pick = k;
    if (pick === undefined) break;
    shown.set(pick, shown.get(pick)! - 1);
    out = render();
  }
  return out;
}

/**
 * `text` with each identifier replaced by its placeholder ("[phone number]"), for logs and channel summaries.
 * With no findings given, finds them first. Findings that overlap or fall outside the text are ignored.
 */
export function maskIdentifiers(text: string, findings?: Finding[]): string {
  const list = [...(findings ?? findIdentifiers(text))].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const f of list) {
    if (f.start < at || f.end > text.length || f.end <= f.start) continue;
    out += text.slice(at, f.start) + PLACEHOLDERS[f.type];
    at = f.end;
  }
  return out + text.slice(at);
}
