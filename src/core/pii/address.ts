/**
 * Street addresses: a house number, one to three words of street name and a street-type word
 * ("14 Elm Grove", "3a St Mary's Rd", "Flat 3, 12 High Street", "22 The Crescent"). A flat, apartment or unit number in front
 * is part of the address. Road names without a number ("on the A6", "down Elm Grove") are not reported: they
 * do not single out a home.
 */
import { JOINED_BEFORE, type Span } from './types';

export const STREET_TYPES = [
  'Road',
  'Rd',
  'Street',
  'St',
  'Avenue',
  'Ave',
  'Av',
  'Close',
  'Cl',
  'Lane',
  'Ln',
  'Drive',
  'Dr',
  'Way',
  'Court',
  'Ct',
  'Crescent',
  'Cres',
  'Grove',
  'Gr',
  'Gro',
  'Place',
  'Pl',
  'Terrace',
  'Terr',
  'Ter',
  'Gardens',
  'Gdns',
  'Square',
  'Sq',
  'Walk',
  'Mews',
  'Row',
  'Hill',
  'Rise',
  'View',
  'Green',
  'Parade',
  'Vale',
  'Mount',
  'Croft',
  'Fold',
  'Gate',
  'Yard',
  'Wharf',
  'Boulevard',
  'Park',
  'Chase',
  'Meadow',
  'Meadows',
  'Villas',
  'Bank',
  'Paddock',
  'Coppice',
  'Copse',
  'Glade',
  'Grange',
  'Spinney',
  'Heights',
  'Nook',
  'Brow',
  'Dene',
  'Dell',
  'Hollow',
  'Circus',
  'Circle',
  'Precinct',
  'Broadway',
  'Pastures',
  'Orchard',
  'Sidings',
  'Maltings',
  'Cloisters',
  'Willows',
  'Fairway',
  'Causeway',
  'Ridgeway',
  'Approach',
  'Embankment',
  'Esplanade',
  'Promenade',
  'Quay',
  'Quays',
];

/** Words that cannot be part of a street name: they mean the number was a count ("3 miles down the road"). */
const NOT_STREET_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'at',
  'by',
  'for',
  'from',
  'with',
  'into',
  'onto',
  'off',
  'down',
  'up',
  'along',
  'past',
  'near',
  'over',
  'round',
  'around',
  'across',
  'my',
  'his',
  'her',
  'their',
  'our',
  'your',
  'its',
  'this',
  'that',
  'these',
  'those',
  'is',
  'was',
  'are',
  'were',
  'times',
  'miles',
  'mile',
  'minutes',
  'mins',
  'hours',
  'hrs',
  'days',
  'weeks',
  'months',
  'years',
  'yrs',
  'kids',
  'children',
  'people',
  'way',
  'other',
  'more',
  'different',
  'separate',
  'year',
  'old',
  'am',
  'pm',
  'min',
  'mins',
  'minute',
  'sec',
  'secs',
  'second',
  'seconds',
  'hour',
  'hr',
  'km',
  'yards',
  'metres',
  'meters',
  'steps',
  'step',
  'short',
  'long',
  'quick',
  'brisk',
  'slow',
  'nice',
  'good',
  'lovely',
]);

const TOKEN = "[\\p{L}][\\p{L}'’.]*(?:-[\\p{L}][\\p{L}'’.]*)*";
const SEP = '[ \\t\\u00A0]+';
const HOUSE_NUMBER = '\\d{1,4}[a-zA-Z]?(?:[ \\t]?[-–][ \\t]?\\d{1,4}[a-zA-Z]?)?';
const UNIT = `(?:(?:Flat|Apartment|Apt|Unit|Room)\\.?${SEP}\\d{1,4}[a-zA-Z]?,?${SEP})?`;
const ADDRESS = new RegExp(
  `${UNIT}(${HOUSE_NUMBER}),?${SEP}((?:${TOKEN}${SEP}){1,3}?)(?:${STREET_TYPES.join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);

/** "lives at 14 The Brambles": after a word that introduces an address, a number and "The" and a name. */
const NAMED_THE =
  /(?<![\p{L}\p{N}])(?:at|to|address(?:\s+is)?|lives|living|staying|moved\s+to|flat\s+\d{1,4}[a-z]?,?)[ \t]+((\d{1,4}[a-zA-Z]?),?[ \t]+[Tt]he[ \t]+\p{Lu}\p{L}+)/gu;

export function findAddresses(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(NAMED_THE)) {
    const start = m.index + m[0].length - m[1].length;
    spans.push({ type: 'address', start, end: start + m[1].length });
  }
  ADDRESS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ADDRESS.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    const words = m[2].trim().split(/\s+/);
    const joined = JOINED_BEFORE.test(text.slice(0, start)) && !/^(flat|apartment|apt|unit|room)/i.test(m[0]);
    // part of a money amount, a decimal or a time ("£12", "2.5", "17:30") is no house number
    const money = /(?:[£$€]|\d[.,:])$/.test(text.slice(0, start));
    // "22 The Crescent", "5 the Green": a street name may be "The" and a street-type word
    const theStreet = words.length === 1 && words[0].toLowerCase() === 'the';
    if (
      joined ||
      money ||
      (!theStreet && words.some((w) => NOT_STREET_WORDS.has(w.toLowerCase().replace(/[.'’]+$/, ''))))
    ) {
      ADDRESS.lastIndex = start + 1;
      continue;
    }
    spans.push({ type: 'address', start, end });
  }
  return spans;
}
