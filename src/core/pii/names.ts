/**
 * Names introduced by a title: "Mrs Jones", "Mrs J Smith", "Mr O'Neill", "Ms Smith-Jones", "Dr. Ahmed",
 * "Mrs Jane Smith". Untitled names are not looked for: without a title a capitalised word is as likely to be
 * the start of a sentence ("Mark the site", "Will you") or a platform ("Facebook") as a person.
 *
 * Mr, Mrs, Ms, Mx, Dr and Prof count in any case ("mrs Patel", "MRS PATEL"); after mr, mrs and mx a lower-case
 * surname counts too ("mrs patel"), since those titles have no other meaning. Titles that are also ordinary
 * words (Miss, Master, Sir, Dame, Lord, Lady...) count only when capitalised and followed by a capitalised name,
 * so "I miss Sarah" and "yes sir" are not reported.
 */
import type { Span } from './types';

const SP = '[ \\t\\u00A0]';
/** A capitalised surname or given name: Jones, O'Neill, McDonald, Smith-Jones, D'Arcy, JONES, Łukasz. */
const CAP_NAME = "\\p{Lu}\\p{L}*(?:['’]\\p{Lu}\\p{L}+)?(?:-\\p{Lu}\\p{L}+)*";
const LOWER_NAME = "\\p{Ll}{2,}(?:['’]\\p{Ll}{2,})?(?:-\\p{Ll}{2,})*";
const INITIALS = `(?:\\p{Lu}(?:\\.${SP}*|${SP}+)){0,3}`;
const AFTER_TITLE = `(?:\\.${SP}*|${SP}+)`;

const ANY_CASE_TITLES = '[Mm][Rr][Ss]?|[Mm][Ss]|[Mm][Xx]|[Dd][Rr]|[Pp][Rr][Oo][Ff]';
const CAPITALISED_TITLES =
  'Miss|Master|Sir|Dame|Lord|Lady|Professor|Prof|Rev|Revd|Reverend|Fr|Cllr|Councillor|MISS|MASTER';

const TITLED = new RegExp(
  `(?<![\\p{L}\\p{N}_'’])(?:(${ANY_CASE_TITLES})|(${CAPITALISED_TITLES}))${AFTER_TITLE}` +
    `(?:(${INITIALS}${CAP_NAME})|(${LOWER_NAME}))(?![\\p{L}\\p{N}])`,
  'gu',
);
const ALL_CAPS = /^[\p{Lu}'’.\s-]{2,}$/u;
const NEXT_NAME = new RegExp(`^${SP}(${CAP_NAME})(?![\\p{L}\\p{N}])`, 'u');

/** "Sir I", "Master The": a capitalised function word straight after a title is not a name. */
const FUNCTION_WORDS = new Set(['I', 'A', 'An', 'The', 'And', 'But', 'Or', 'On', 'At', 'In', 'To', 'For', 'Of', 'If', 'It']);
/** Capitalised words that follow a name without being part of it. */
const NOT_NAMES = new Set([
  'I', 'A', 'The', 'And', 'But', 'Or', 'On', 'At', 'In', 'To', 'For', 'From', 'With', 'Is', 'Was', 'Has', 'Had',
  'Said', 'Says', 'Told', 'Asked', 'Called', 'Rang', 'Texted', 'Posted', 'Messaged', 'Added', 'Sent', 'Who',
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tue', 'Tues', 'Wed', 'Thu',
  'Thur', 'Thurs', 'Fri', 'Sat', 'Sun', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept',
  'Oct', 'Nov', 'Dec', 'Facebook', 'Instagram', 'Insta', 'TikTok', 'Snapchat', 'WhatsApp', 'Twitter', 'X',
  'YouTube', 'LinkedIn', 'Teams', 'NHS', 'GP', 'DOB', 'PC', 'OK',
]);
/** Lower-case words that a lower-case "surname" after mr/mrs/mx must not be ("mr and mrs Jones"). */
const NOT_LOWER_NAMES = new Set([
  'and', 'or', 'the', 'a', 'an', 'to', 'of', 'in', 'on', 'at', 'is', 'was', 'has', 'had', 'said', 'says', 'told',
  'asked', 'called', 'rang', 'who', 'with', 'from', 'for', 'but', 'if', 'she', 'he', 'they', 'her', 'his', 'and',
]);
/** "MS Teams", "MS Word": Microsoft, not a person. */
const MICROSOFT = new Set(['Teams', 'Word', 'Excel', 'Forms', 'Outlook', 'Office', 'Edge', 'Paint', 'Access', 'Project']);

export function findTitledNames(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(TITLED)) {
    const [whole, anyCaseTitle, , capName, lowerName] = m;
    const start = m.index;
    let end = start + whole.length;
    if (capName !== undefined) {
      if (FUNCTION_WORDS.has(capName)) continue;
      if (anyCaseTitle && /^ms$/i.test(anyCaseTitle) && MICROSOFT.has(capName)) continue;
    } else {
      // a lower-case name only after mr, mrs or mx
      if (!anyCaseTitle || !/^m(r|rs|x)$/i.test(anyCaseTitle)) continue;
      if (NOT_LOWER_NAMES.has(lowerName!)) continue;
    }
    // "Mrs Jane Smith": take up to two more capitalised names on the same line. Not in capitals, where
    // "MRS PATEL WAS SHOUTING" gives no way to tell where the name ends.
    if (capName !== undefined && !ALL_CAPS.test(capName)) {
      for (let i = 0; i < 2; i++) {
        const next = NEXT_NAME.exec(text.slice(end));
        if (!next || NOT_NAMES.has(next[1]) || ALL_CAPS.test(next[1])) break;
        end += next[0].length;
      }
    }
    spans.push({ type: 'name', start, end });
  }
  return spans;
}
