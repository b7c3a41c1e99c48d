/**
 * UK postcodes in the official format (outward code, optional space, inward code), with or without the space
 * and in any case. The outward code must start with one of the real postcode areas, and the letters in each
 * position are limited as Royal Mail limits them, so that road names ("A6"), ordinals and case references do
 * not pass for postcodes. Also the special GIR 0AA.
 */
import { JOINED_AFTER, JOINED_BEFORE, type Span } from './types';

/** The 124 postcode areas (Great Britain, Northern Ireland, Crown dependencies) plus non-geographic BX. */
const ONE_LETTER_AREAS = 'BEGLMNSW';
const TWO_LETTER_AREAS = [
  'AB',
  'AL',
  'BA',
  'BB',
  'BD',
  'BF',
  'BH',
  'BL',
  'BN',
  'BR',
  'BS',
  'BT',
  'BX',
  'CA',
  'CB',
  'CF',
  'CH',
  'CM',
  'CO',
  'CR',
  'CT',
  'CV',
  'CW',
  'DA',
  'DD',
  'DE',
  'DG',
  'DH',
  'DL',
  'DN',
  'DT',
  'DY',
  'EC',
  'EH',
  'EN',
  'EX',
  'FK',
  'FY',
  'GL',
  'GU',
  'GY',
  'HA',
  'HD',
  'HG',
  'HP',
  'HR',
  'HS',
  'HU',
  'HX',
  'IG',
  'IM',
  'IP',
  'IV',
  'JE',
  'KA',
  'KT',
  'KW',
  'KY',
  'LA',
  'LD',
  'LE',
  'LL',
  'LN',
  'LS',
  'LU',
  'ME',
  'MK',
  'ML',
  'NE',
  'NG',
  'NN',
  'NP',
  'NR',
  'NW',
  'OL',
  'OX',
  'PA',
  'PE',
  'PH',
  'PL',
  'PO',
  'PR',
  'RG',
  'RH',
  'RM',
  'SA',
  'SE',
  'SG',
  'SK',
  'SL',
  'SM',
  'SN',
  'SO',
  'SP',
  'SR',
  'SS',
  'ST',
  'SW',
  'SY',
  'TA',
  'TD',
  'TF',
  'TN',
  'TQ',
  'TR',
  'TS',
  'TW',
  'UB',
  'WA',
  'WC',
  'WD',
  'WF',
  'WN',
  'WR',
  'WS',
  'WV',
  'YO',
  'ZE',
];

// Outward: AA9, AA99, AA9A (4th letter from ABEHMNPRVWXY) or A9, A99, A9A (3rd letter from A-HJKPSTUW).
const OUTWARD =
  `(?:(?:${TWO_LETTER_AREAS.join('|')})(?:\\d\\d?|\\d[ABEHMNPRVWXY])` +
  `|[${ONE_LETTER_AREAS}](?:\\d\\d?|\\d[A-HJKPSTUW]))`;
// Inward: a digit and two letters, never C I K M O V.
const INWARD = '\\d[ABD-HJLNP-UW-Z]{2}';
const POSTCODE = new RegExp(`(?:GIR[ \\t\\u00A0]?0AA|${OUTWARD}[ \\t\\u00A0]{0,2}${INWARD})`, 'gi');

const ORDINAL = /^(?:1st|2nd|3rd|[04-9]th)$/;

export function findPostcodes(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(POSTCODE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (JOINED_BEFORE.test(text.slice(0, start)) || JOINED_AFTER.test(text.slice(end))) continue;
    // "M62 5th junction": a lower-case ordinal after a road number is not an inward code.
    const inward = m[0].slice(-3);
    if (ORDINAL.test(inward) && /\s/.test(m[0])) continue;
    spans.push({ type: 'postcode', start, end });
  }
  return spans;
}
