/**
 * People's names, with or without a title.
 *
 * Titled names: "Mrs Jones", "mrs o'brien", "Ms Smith-Jones", "Dr. Ahmed", "PC Daniels", "DS Kirsty Nolan".
 * Mr, Mrs, Ms, Mx, Dr and Prof count in any case; after them (and after a lower-case "ms" or "miss" when the word
 * is a known surname) a lower-case surname counts too. Titles that are also ordinary words (Miss, Sir, Lady...)
 * and police and professional ranks (PC, DC, DS, Sgt, Insp...) count when capitalised and followed by a
 * capitalised name. A title in front of a brand, a character or a book ("Dr Martens boots", "a Mr Men book",
 * "Mr Kipling cakes") is not a person.
 *
 * Untitled names: each word is weighed with the name lists and compromise's lexicon (see lexicon.ts) and its
 * context:
 *  - a first name that is not an ordinary word ("Liam", "Jayden", "kieran") is a name, capitalised anywhere and
 *    in lower case when it is no English word at all ("ellie v upset");
 *  - a first name that is also an ordinary word ("Rose", "Hope", "will") is a name only with context: capitalised
 *    in mid-sentence, or a role word or a verb of speech before it ("aunty", "called", "spoke to"), or a verb, a
 *    possessive, an age or a surname after it ("Rose said", "Hope's mum", "Leo, 14", "Mason Kelly"); so
 *    "Rose told me" is a name and "a rose bush" is not;
 *  - a word only the big name list knows ("Priya", "Tyrese") is a name in mid-sentence when it is no English
 *    word and no place, or with a role word before it or a verb after it;
 *  - anything after "goes by", "known as", "aka" or "nicknamed" is a nickname ("goes by T-Bone");
 *  - an initial and a surname ("J. Smith");
 *  - once a word is a name in a text, the same word elsewhere in it is too ("Tyler ... tyler is on a CP plan").
 * A found name takes in the capitalised surnames after it ("Tracey Ann Lowe", "Jamal Ahmed-Clarke").
 */
import {
  ANY_NAMES,
  ENGLISH_WORDS,
  FAMOUS_NAMES,
  FIRST_NAMES,
  NEVER_NAMES,
  PLACE_NOUNS,
  PLACES,
  SURNAME_PLACE_NOUNS,
  isFiniteVerb,
  isPastVerb,
  isKnownCommonWord,
  isOrdinaryWord,
} from './lexicon';
import { STREET_TYPES } from './address';
import type { Span } from './types';

// ---- titled names -------------------------------------------------------------------------------------------

const SP = '[ \\t\\u00A0]';
/** A capitalised surname or given name: Jones, O'Neill, McDonald, Smith-Jones, D'Arcy, JONES, Łukasz. */
const CAP_NAME = "\\p{Lu}\\p{L}*(?:['’]\\p{Lu}\\p{L}+)?(?:-\\p{Lu}\\p{L}+)*";
/** A lower-case surname: jones, o'brien, smith-jones. */
const LOWER_NAME = "(?:\\p{Ll}['’])?\\p{Ll}{2,}(?:['’]\\p{Ll}{2,})?(?:-\\p{Ll}{2,})*";
const INITIALS = `(?:\\p{Lu}(?:\\.${SP}*|${SP}+)){0,3}`;
const AFTER_TITLE = `(?:\\.${SP}*|${SP}+)`;

const ANY_CASE_TITLES = '[Mm][Rr][Ss]?|[Mm][Ss]|[Mm][Xx]|[Dd][Rr]|[Pp][Rr][Oo][Ff]|miss|pc|dc|ds|di|sgt|insp|det|pcso';
/** Lower-case ranks: like "ms" and "miss", only before a known surname that is no ordinary word ("sgt o'neill"). */
const LOWER_RANKS = /^(?:pc|dc|ds|di|sgt|insp|det|pcso)$/;
const CAPITALISED_TITLES =
  'Miss|Master|Sir|Dame|Lord|Lady|Professor|Prof|Rev|Revd|Reverend|Fr|Cllr|Councillor|MISS|MASTER|' +
  // police and other ranks used as titles
  'PC|WPC|PCSO|PS|DC|DS|DI|DCI|DSI|Sgt|Sgt\\.|Sergeant|Insp|Inspector|Ch\\.? ?Insp|Supt|Superintendent|Det|Detective|Constable|Officer|Cpl|Pte|Capt|Nurse|Sister|Matron|Judge|Coach';

const TITLED = new RegExp(
  `(?<![\\p{L}\\p{N}_'’@.])(?:(${ANY_CASE_TITLES})|(${CAPITALISED_TITLES}))${AFTER_TITLE}` +
    `(?:(${INITIALS}${CAP_NAME})|(${LOWER_NAME}))(?![\\p{L}\\p{N}])`,
  'gu',
);
const ALL_CAPS = /^[\p{Lu}'’.\s-]{2,}$/u;
const NEXT_NAME = new RegExp(`^${SP}(${CAP_NAME})(?![\\p{L}\\p{N}])`, 'u');

/** "Sir I", "Master The": a capitalised function word straight after a title is not a name. */
const FUNCTION_WORDS = new Set([
  'I',
  'A',
  'An',
  'The',
  'And',
  'But',
  'Or',
  'On',
  'At',
  'In',
  'To',
  'For',
  'Of',
  'If',
  'It',
]);
/** Capitalised words that follow a name without being part of it. */
const NOT_NAMES = new Set([
  'I',
  'A',
  'The',
  'And',
  'But',
  'Or',
  'On',
  'At',
  'In',
  'To',
  'For',
  'From',
  'With',
  'Is',
  'Was',
  'Has',
  'Had',
  'Said',
  'Says',
  'Told',
  'Asked',
  'Called',
  'Rang',
  'Texted',
  'Posted',
  'Messaged',
  'Added',
  'Sent',
  'Who',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
  'Mon',
  'Tue',
  'Tues',
  'Wed',
  'Thu',
  'Thur',
  'Thurs',
  'Fri',
  'Sat',
  'Sun',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
  'Facebook',
  'Instagram',
  'Insta',
  'TikTok',
  'Snapchat',
  'WhatsApp',
  'Twitter',
  'X',
  'YouTube',
  'LinkedIn',
  'Teams',
  'NHS',
  'GP',
  'DOB',
  'PC',
  'OK',
  'From',
  'Re',
  'RE',
  'CC',
  'Cc',
]);
/** Lower-case words that a lower-case "surname" after a title must not be ("mr and mrs Jones"). */
const NOT_LOWER_NAMES = new Set([
  'and',
  'or',
  'the',
  'a',
  'an',
  'to',
  'of',
  'in',
  'on',
  'at',
  'is',
  'was',
  'has',
  'had',
  'said',
  'says',
  'told',
  'asked',
  'called',
  'rang',
  'who',
  'with',
  'from',
  'for',
  'but',
  'if',
  'she',
  'he',
  'they',
  'her',
  'his',
  'and',
]);
/** "MS Teams", "MS Word": Microsoft, not a person. */
const MICROSOFT = new Set([
  'Teams',
  'Word',
  'Excel',
  'Forms',
  'Outlook',
  'Office',
  'Edge',
  'Paint',
  'Access',
  'Project',
]);
/** Ranks and titles whose abbreviation is also something else ("PC World", "DS Lite", "DC Comics"). */
const NOT_AFTER_RANK = new Set([
  'world',
  'games',
  'game',
  'gaming',
  'gamer',
  'lite',
  'comics',
  'universe',
  'mode',
  'version',
  'screen',
  'tablet',
  'laptop',
  'monitor',
  'club',
  'league',
  'team',
  'station',
  'office',
  'training',
  'support',
  'check',
  'checks',
]);
const RANKS =
  /^(?:PC|WPC|PCSO|PS|DC|DS|DI|DCI|DSI|Sgt\.?|Sergeant|Insp|Inspector|Ch\.? ?Insp|Supt|Superintendent|Det|Detective|Constable|Officer|Cpl|Pte|Capt|Nurse|Sister|Matron|Judge|Coach)$/;

/**
 * Titled names that are brands, characters, shows or books, not people; and the product words that show a
 * titled name is one ("Dr Martens boots", "a Mr Tickle book").
 */
const TITLED_NOT_PEOPLE = [
  'mr men',
  'little miss',
  'mr kipling',
  'mr muscle',
  'mr sheen',
  'mr bean',
  'mr tumble',
  'mr blobby',
  'mr motivator',
  'mr freeze',
  'mr brain',
  'mr potato',
  'mr whippy',
  'mr happy',
  'mr tickle',
  'mr greedy',
  'mr bump',
  'mr strong',
  'mr messy',
  'mr t',
  "mrs brown's boys",
  'mrs doubtfire',
  'mrs hinch',
  'mrs mills',
  'dr martens',
  'dr marten',
  'dr pepper',
  'dr who',
  'dr seuss',
  'dr oetker',
  'dr dre',
  'dr strange',
  'dr doom',
  'dr evil',
  'dr octopus',
  'dr ranj',
  'dr hook',
  'dr feelgood',
  'miss selfridge',
  'miss piggy',
  'miss trunchbull',
  'miss honey',
  'sir topham',
  'lady gaga',
  'lord voldemort',
  'lady bird',
  'mr bojangles',
];
const PRODUCT_WORDS = new Set([
  'book',
  'books',
  'boots',
  'boot',
  'shoes',
  'trainers',
  'cake',
  'cakes',
  'show',
  'shows',
  'film',
  'films',
  'movie',
  'movies',
  'cartoon',
  'cartoons',
  'programme',
  'programmes',
  'program',
  'episode',
  'episodes',
  'series',
  'toy',
  'toys',
  'game',
  'games',
  'sauce',
  'drink',
  'drinks',
  'cereal',
  'brand',
  'character',
  'characters',
  'costume',
  'dvd',
  'dvds',
  'annual',
  'magazine',
  'sweets',
  'biscuits',
  'ice',
  'pie',
  'pies',
  'spray',
  'cleaner',
  'song',
  'songs',
  'album',
  'cd',
  'video',
  'videos',
  'channel',
  'stickers',
  'jumper',
  'pyjamas',
  'bag',
  'lunchbox',
]);

function titledNotPerson(text: string, start: number, end: number): boolean {
  const span = text.slice(start, end).toLowerCase().replace(/\.\s*/g, ' ').replace(/\s+/g, ' ');
  const onward = `${text
    .slice(start, end + 20)
    .toLowerCase()
    .replace(/\.\s*/g, ' ')
    .replace(/[’]/g, "'")
    .replace(/\s+/g, ' ')} `;
  if (TITLED_NOT_PEOPLE.some((t) => span === t || onward.startsWith(`${t} `) || onward.startsWith(`${t}'`)))
    return true;
  const after = /^(?:['’]s)?[ \t]+(\p{L}+)/u.exec(text.slice(end));
  return after !== null && PRODUCT_WORDS.has(after[1].toLowerCase());
}

/** Titled names, and the titled brands and characters that were left out (their words are no names either). */
function findTitled(text: string): { spans: Span[]; brands: Span[] } {
  const spans: Span[] = [];
  const brands: Span[] = [];
  for (const m of text.matchAll(TITLED)) {
    const [whole, anyCaseTitle, capTitle, capName, lowerName] = m;
    const start = m.index;
    let end = start + whole.length;
    if (capName !== undefined) {
      if (FUNCTION_WORDS.has(capName)) continue;
      if (anyCaseTitle && /^ms$/i.test(anyCaseTitle) && MICROSOFT.has(capName)) continue;
      if (anyCaseTitle === 'miss') continue; // "I miss Sarah": the verb; Sarah is found as a name below
      if (
        anyCaseTitle &&
        LOWER_RANKS.test(anyCaseTitle) &&
        (NOT_AFTER_RANK.has(capName.toLowerCase()) || NOT_NAMES.has(capName))
      )
        continue;
      if (capTitle && RANKS.test(capTitle) && (NOT_AFTER_RANK.has(capName.toLowerCase()) || NOT_NAMES.has(capName)))
        continue;
      if (
        capTitle &&
        RANKS.test(capTitle) &&
        !ALL_CAPS.test(capName) &&
        isOrdinaryWord(capName.toLowerCase()) &&
        !ANY_NAMES.has(capName.toLowerCase())
      )
        continue;
    } else {
      // a lower-case surname after mr, mrs or mx; after ms or miss only a known surname that is no ordinary word
      if (!anyCaseTitle) continue;
      const lower = lowerName!;
      if (NOT_LOWER_NAMES.has(lower)) continue;
      if (!/^m(r|rs|x)$/i.test(anyCaseTitle)) {
        if (!/^(?:ms|miss)$/i.test(anyCaseTitle) && !LOWER_RANKS.test(anyCaseTitle)) continue;
        const apostrophe = /^\p{Ll}['’]/u.test(lower);
        if (!apostrophe && (!ANY_NAMES.has(lower) || ENGLISH_WORDS.has(lower) || isKnownCommonWord(lower))) continue;
      }
    }
    // "Mrs Jane Smith": take up to two more capitalised names on the same line. Not in capitals, where
    // "MRS PATEL WAS SHOUTING" gives no way to tell where the name ends.
    if (capName !== undefined && !ALL_CAPS.test(capName)) {
      for (let i = 0; i < 2; i++) {
        const next = NEXT_NAME.exec(text.slice(end));
        if (!next || NOT_NAMES.has(next[1]) || ALL_CAPS.test(next[1]) || NEVER_NAMES.has(next[1].toLowerCase())) break;
        end += next[0].length;
      }
    }
    if (titledNotPerson(text, start, end)) {
      brands.push({ type: 'name', start, end });
      continue;
    }
    spans.push({ type: 'name', start, end });
  }
  return { spans, brands };
}

// ---- words and their context --------------------------------------------------------------------------------

interface Token {
  start: number;
  /** end of the word without a possessive 's */
  end: number;
  word: string;
  lower: string;
  cap: boolean;
  allCaps: boolean;
  lowerCase: boolean;
  possessive: boolean;
  /** first word of a sentence, a line, a list item, or after a colon or dash */
  sentStart: boolean;
  /** the characters between the previous word and this one */
  gap: string;
}

const WORD = /\p{L}[\p{L}\p{M}]*(?:['’]\p{L}+)*(?:-\p{L}[\p{L}\p{M}]*(?:['’]\p{L}+)*)*/gu;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(WORD)) {
    let word = m[0];
    let possessive = false;
    const poss = /^(.{2,})['’]s$/su.exec(word);
    if (poss) {
      word = poss[1];
      possessive = true;
    }
    const start = m.index;
    const gap = text.slice(prevEnd, start);
    prevEnd = start + m[0].length;
    const first = word[0];
    const isUpper = first !== first.toLowerCase() && first === first.toUpperCase();
    const allCaps = word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase();
    const sentStart =
      tokens.length === 0 ? /^[\s"'“‘(\[*•-]*$/u.test(gap) : /[.!?:;•*\n–—]\s*["'“‘(]*\s*$|\s-\s*$/u.test(gap);
    tokens.push({
      start,
      end: start + word.length,
      word,
      lower: word.toLowerCase(),
      cap: isUpper && !allCaps,
      allCaps,
      lowerCase: word === word.toLowerCase(),
      possessive,
      sentStart,
      gap,
    });
  }
  return tokens;
}

/** Words for people's roles and relations: a name often follows ("aunty Shelley", "foster carer Jackie"). */
const ROLE_WORDS = new Set([
  'mum',
  'mam',
  'mom',
  'mother',
  'dad',
  'father',
  'nan',
  'nana',
  'nanna',
  'nanny',
  'gran',
  'granny',
  'grandma',
  'grandmother',
  'grandad',
  'granddad',
  'grandpa',
  'grandfather',
  'aunty',
  'auntie',
  'aunt',
  'uncle',
  'cousin',
  'sister',
  'brother',
  'sibling',
  'son',
  'daughter',
  'stepdad',
  'stepmum',
  'step-dad',
  'step-mum',
  'stepson',
  'stepdaughter',
  'stepbrother',
  'stepsister',
  'partner',
  'boyfriend',
  'girlfriend',
  'bf',
  'gf',
  'husband',
  'wife',
  'ex',
  'fiance',
  'fiancé',
  'fiancee',
  'carer',
  'carers',
  'worker',
  'teacher',
  'tutor',
  'neighbour',
  'friend',
  'mate',
  'pal',
  'baby',
  'child',
  'yp',
  'su',
  'twin',
  'niece',
  'nephew',
  'grandson',
  'granddaughter',
  'officer',
  'head',
  'headteacher',
  'senco',
  'visitor',
  'midwife',
  'therapist',
  'counsellor',
  'solicitor',
  'advocate',
  'colleague',
  'lad',
  'girl',
  'boy',
  'man',
  'woman',
  'lady',
  'toddler',
  'infant',
  'client',
  'resident',
  'tenant',
  'landlord',
  'landlady',
  'lodger',
  'pupil',
  'student',
  'classmate',
  'coach',
  'manager',
  'sw',
  'iro',
  'pa',
  'dads',
  'mums',
  'brothers',
  'sisters',
  'sons',
  'daughters',
  'kids',
  'children',
  'grandchildren',
  'niece',
  'bro',
  'sis',
  'bestie',
  'cuz',
  'kid',
  'youngest',
  'eldest',
  'oldest',
  'called',
  'named',
  'nicknamed',
]);
/** Words after which a name is introduced outright. */
const INTRO_ONE = new Set(['called', 'named', 'nicknamed', 'aka', 'cc', "cc'd", 'cc’d', 'ccd', 'mr', 'mrs']);
const INTRO_TWO = new Set([
  'spoke to',
  'spoke with',
  'spoken to',
  'speak to',
  'speaking to',
  'talked to',
  'talking to',
  'talk to',
  'met with',
  'name is',
  "name's",
  'known as',
  'goes by',
  'calls her',
  'calls him',
  'calls them',
  'calls herself',
  'calls himself',
  'called her',
  'called him',
  'go by',
  'going by',
  'named as',
  'spoke w',
  'chat with',
  'chatted to',
  'chatted with',
  'rang back',
]);
/** After these anything that looks like a word is a nickname. */
const NICKNAME_CUES =
  /(?:\b(?:goes|go|going|went)\s+by|\bknown\s+as|\baka|\bnick-?named|\bcall(?:s|ed)?\s+(?:her|him|them)(?:self|selves)?|\breal\s+name(?:\s+is)?|\bname\s+is)\s*["'“‘(]?\s*$/iu;
/** The word a nickname cue ends with: the cue is only tried after one of these. */
const NICKNAME_LAST_WORDS = new Set([
  'by',
  'as',
  'aka',
  'nicknamed',
  'nick-named',
  'her',
  'him',
  'them',
  'herself',
  'himself',
  'themselves',
  'themself',
  'name',
  'is',
]);
/** Verbs of speech and contact: "ruby said", "will called back". */
const SPEECH_AFTER = new Set([
  'said',
  'says',
  'told',
  'tells',
  'asked',
  'asks',
  'rang',
  'rings',
  'called',
  'calls',
  'texted',
  'texts',
  'messaged',
  'messages',
  'emailed',
  'disclosed',
  'discloses',
  'reported',
  'reports',
  'shouted',
  'screamed',
  'cried',
  'explained',
  'admitted',
  'denied',
  'mentioned',
  'stated',
  'replied',
  'agreed',
  'refused',
  'wants',
  'wanted',
  'came',
  'went',
  'thinks',
  'thought',
  'felt',
  'feels',
]);
const CONTRACTED_VERBS = new Set([
  'doesnt',
  'didnt',
  'isnt',
  'wasnt',
  'hasnt',
  'hadnt',
  'cant',
  'couldnt',
  'wont',
  'wouldnt',
  'shouldnt',
  'aint',
  'is',
  'was',
  'has',
  'had',
  'does',
  'did',
  'will',
  'would',
  'can',
  'could',
  'might',
  'must',
  'should',
  'lives',
  'stays',
  'stayed',
  'attends',
  'attended',
  'goes',
  'got',
  'gets',
  'hit',
  'hits',
  'punched',
  'kicked',
  'took',
]);
/** What may follow a name that is also an ordinary word at the start of a sentence: "Summer has not been". */
const AUX_AFTER = new Set([
  'is',
  'was',
  'has',
  'had',
  'did',
  'does',
  'didnt',
  'doesnt',
  'isnt',
  'wasnt',
  'hasnt',
  'wont',
  'cant',
  'couldnt',
  'wouldnt',
]);
/** Words after a name that say a date of birth or an age follows: "Kian dob 17/11/2010", "Leo aged 4". */
const BIRTH_AFTER = new Set(['dob', 'born', 'aged', 'age', 'b', 'd.o.b', 'nhs']);
const ROLE_IN_BRACKETS =
  /^[ \t]*\((?:the|her|his|their|my|our|a|an)?[ \t]*(?:su|yp|child|mum|mam|mother|dad|father|nan|nana|gran|grandma|grandad|aunt|aunty|auntie|uncle|sister|brother|son|daughter|partner|boyfriend|girlfriend|bf|gf|carer|foster|neighbour|friend|teacher|baby|cousin|step|sibling|twin|eldest|youngest|older|younger|service user|young person)\b/iu;
const DETERMINERS = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'some',
  'any',
  'no',
  'every',
  'each',
  'its',
  'our',
  'my',
  'your',
]);
/** "7 Oak Close, Bradford", "[address], Leeds": the word after a street (or a masked one) is its town. */
const AFTER_STREET = new RegExp(`(?:\\b(?:${STREET_TYPES.join('|')})|\\])[ \\t]*,?[ \\t]*$`, 'iu');
/** Place words that make the capitalised word before them a place even in lower case: "Victoria station". */
const LOWER_PLACE_NOUNS = new Set([
  'station',
  'hospital',
  'road',
  'street',
  'lane',
  'avenue',
  'drive',
  'estate',
  'centre',
  'college',
  'academy',
  'primary',
  'nursery',
  'surgery',
  'clinic',
  'plc',
  'ltd',
  'fc',
  'stadium',
  'airport',
  'shopping',
  'retail',
  'housing',
  'aid',
  'charity',
  'project',
  'association',
  'partnership',
  'agency',
  'solicitors',
  'helpline',
  'mobile',
  'energy',
  'media',
  'bank',
]);
/** Months that are also given names (April, May, June, August): a name only with a role word or a verb of speech. */
const MONTH_NAMES = new Set(['april', 'may', 'june', 'august', 'january']);
/** Words before a person rather than a place or a thing: "out with Kezza", "a text from Bex". */
const PEOPLE_PREPOSITIONS = new Set([
  'with',
  'told',
  'asked',
  'saw',
  'met',
  'visited',
  'texted',
  'messaged',
  'rang',
  'phoned',
  'called',
]);
/** Abbreviations staff write in capitals that are no one's initials: "HV said", "SW rang". */
const ABBREVIATIONS = new Set([
  'hv',
  'dsl',
  'ot',
  'pa',
  'ta',
  'fsw',
  'idva',
  'isva',
  'yot',
  'yos',
  'pcso',
  'ds',
  'dc',
  'pc',
  'di',
  'ss',
  'ssw',
  'tm',
  'atm',
  'mgr',
  'hr',
  'dwp',
  'pip',
  'uc',
  'esa',
  'cps',
  'gp',
  'sw',
  'su',
  'yp',
  'cp',
  'dv',
  'edt',
  'lac',
  'cin',
  'iro',
  'sen',
  'nhs',
  'ae',
  'mp',
  'rsl',
  'hmo',
  'asb',
  'cse',
  'cce',
  'fgm',
  'ehc',
  'ehcp',
  'slt',
  'dr',
  'mr',
  'ms',
  'mrs',
  'nok',
  'fb',
  'ig',
  'tt',
  'sc',
  'ok',
  'tv',
  'pe',
  'rs',
  'it',
  'ict',
  'cctv',
  'bbc',
  'itv',
  'asap',
  'fyi',
  'nb',
  'ps',
  'aka',
  'uk',
  'eu',
  'usa',
  'lcs',
  'ks',
  'ref',
  'dob',
  'mob',
  'tel',
  'the',
  'and',
  'she',
  'he',
  'we',
  'they',
  'it',
  'all',
  'who',
]);
const IN_PLACE = new Set(['in', 'at', 'near', 'into', 'outside', 'around', 'via', 'towards']);
const PLACE_PREPOSITIONS = new Set([
  'in',
  'at',
  'to',
  'from',
  'near',
  'towards',
  'into',
  'via',
  'around',
  'outside',
  'round',
  'through',
  'of',
]);

function onlySpaces(gap: string): boolean {
  return /^[ \t\u00A0]+$/.test(gap);
}

function isFirstName(t: Token): boolean {
  if (NEVER_NAMES.has(t.lower)) return false;
  if (FIRST_NAMES.has(t.lower)) return true;
  if (!t.lower.includes('-')) return false;
  // "Ava-Mae", "Charlie-Jay", "Kay-Kay": hyphenated given names; not "step-dad", "follow-up"
  const parts = t.lower.split('-');
  return (
    FIRST_NAMES.has(parts[0]) &&
    parts.every((p) => !NEVER_NAMES.has(p) && (FIRST_NAMES.has(p) || ANY_NAMES.has(p) || p.length <= 4)) &&
    !ENGLISH_WORDS.has(t.lower)
  );
}

function isAnyName(t: Token): boolean {
  if (ANY_NAMES.has(t.lower) || isFirstName(t)) return true;
  return t.lower.includes('-') && t.lower.split('-').every((p) => ANY_NAMES.has(p));
}

/** A word that reads as a surname after a given name: "Brennan", "Ahmed-Clarke", "Ward". */
function surnameShaped(t: Token): boolean {
  if (NEVER_NAMES.has(t.lower) || PLACES.has(t.lower) || NOT_NAMES.has(t.word)) return false;
  if (t.cap) return isAnyName(t) || !isKnownCommonWord(t.lower);
  if (t.lowerCase) return ANY_NAMES.has(t.lower) && !ENGLISH_WORDS.has(t.lower) && !isKnownCommonWord(t.lower);
  return false;
}

export function findNames(text: string): Span[] {
  const { spans: titled, brands } = findTitled(text);
  const tokens = tokenize(text);
  const inTitled = (t: Token) => titled.some((s) => t.start < s.end && t.end > s.start);
  const inBrand = (t: Token) => brands.some((s) => t.start < s.end && t.end > s.start);
  const starts = new Map<number, 'strong' | 'weak'>();
  const lowerText = text.toLowerCase().replace(/[’]/g, "'");
  const famousSpans: Array<[number, number]> = [];
  for (const f of FAMOUS_NAMES) {
    for (let at = lowerText.indexOf(f); at >= 0; at = lowerText.indexOf(f, at + 1)) {
      const before = at === 0 ? '' : lowerText[at - 1];
      const afterChar = lowerText[at + f.length] ?? '';
      if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(afterChar)) continue;
      famousSpans.push([at, at + f.length]);
    }
  }
  /** the name, with the surnames after it, is followed by a product word: a book, a film, a character */
  const productAfter = (t: Token): boolean => {
    const m = /^(?:['’]s)?(?:[ \t]+\p{Lu}[\p{L}'’-]*){0,2}[ \t]+(\p{L}+)/u.exec(text.slice(t.end));
    return m !== null && PRODUCT_WORDS.has(m[1].toLowerCase());
  };
  const famous = (i: number) => famousSpans.some(([s, e]) => tokens[i].start < e && tokens[i].end > s);

  const prevWords = (i: number, n: number): string => {
    const words: string[] = [];
    for (let k = i - n; k < i; k++) {
      if (k < 0) return '';
      words.push(tokens[k].lower);
    }
    return words.join(' ');
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (
      inTitled(t) ||
      inBrand(t) ||
      t.word.length < 2 ||
      NEVER_NAMES.has(t.lower) ||
      (NOT_NAMES.has(t.word) && !MONTH_NAMES.has(t.lower))
    )
      continue;
    const prev = i > 0 ? tokens[i - 1] : undefined;
    const next = i + 1 < tokens.length ? tokens[i + 1] : undefined;
    const nextJoined = next !== undefined && onlySpaces(next.gap);
    const prevJoined = prev !== undefined && /^[ \t\u00A0]+$|^[ \t]*\([ \t]*$/.test(t.gap);

    // nicknames: anything after "goes by", "known as", "aka"
    if (
      prev !== undefined &&
      NICKNAME_LAST_WORDS.has(prev.lower) &&
      NICKNAME_CUES.test(text.slice(Math.max(0, t.start - 30), t.start)) &&
      !isKnownCommonWord(t.lower) &&
      !DETERMINERS.has(t.lower)
    ) {
      starts.set(i, 'strong');
      continue;
    }

    // "aunty Shelley", "mum (Stacey)", "the baby, Maya, has"
    const roleBefore =
      prev !== undefined && (prevJoined || /^[ \t]*,[ \t]*$/.test(t.gap)) && ROLE_WORDS.has(prev.lower);
    const speechBefore = prev !== undefined && prevJoined && SPEECH_AFTER.has(prev.lower);
    const introBefore =
      (prev !== undefined && prevJoined && INTRO_ONE.has(prev.lower)) ||
      (i >= 2 && prevJoined && onlySpaces(tokens[i - 1].gap) && INTRO_TWO.has(prevWords(i, 2)));
    const strongBefore = roleBefore || introBefore;
    // most words can be no name at all: leave them before the costlier context tests
    if (!strongBefore && !t.allCaps && !t.cap && !isAnyName(t)) continue;
    if (t.lowerCase && t.word.length < 3) continue;
    const speechAfter =
      nextJoined &&
      (SPEECH_AFTER.has(next!.lower) ||
        (next!.lowerCase && (CONTRACTED_VERBS.has(next!.lower) || isFiniteVerb(next!.lower))));
    const auxAfter =
      nextJoined &&
      (SPEECH_AFTER.has(next!.lower) ||
        AUX_AFTER.has(next!.lower) ||
        (t.cap && next!.lowerCase && isPastVerb(next!.lower)));
    const after = text.slice(t.end);
    const postcodeAfter = /^[ \t]*,?[ \t]*[A-Za-z]{1,2}\d[A-Za-z\d]?[ \t]*\d[A-Za-z]{2}\b/.test(text.slice(t.end));
    const ageAfter =
      /^[ \t]*[,(][ \t]*(?:aged?[ \t]+)?\d{1,2}(?!\d)/.test(after) ||
      /^[ \t]+(?:aged?[ \t]+)?\d{1,2}(?:[ \t]*(?:yrs?|years?|yo|y\/o|months?|mths?|wks?|weeks?))?(?=[ \t]*(?:[,;)]|and\b|\.(?!\d)|$))/.test(
        after,
      ) ||
      ROLE_IN_BRACKETS.test(after) ||
      /^[ \t]*\(b\./.test(after);
    // "seen: Lily, Jack, Mason": next to another given name in a list
    const listNeighbour =
      (next !== undefined && /^[ \t]*,[ \t]*$/.test(next.gap) && next.cap && isFirstName(next)) ||
      (prev !== undefined && /^[ \t]*,[ \t]*$/.test(t.gap) && prev.cap && isFirstName(prev));
    const birthAfter = nextJoined && BIRTH_AFTER.has(next!.lower);
    const placeNounAfter =
      nextJoined &&
      !t.possessive &&
      (next!.cap || next!.allCaps || LOWER_PLACE_NOUNS.has(next!.lower)) &&
      PLACE_NOUNS.has(next!.lower) &&
      (!SURNAME_PLACE_NOUNS.has(next!.lower) || !isFirstName(t) || isOrdinaryWord(t.lower));
    const surnameAfter =
      nextJoined &&
      !t.possessive &&
      next!.cap &&
      surnameShaped(next!) &&
      !placeNounAfter &&
      !isKnownCommonWord(next!.lower) &&
      (!ENGLISH_WORDS.has(next!.lower) || ANY_NAMES.has(next!.lower));
    const nameAfterAnd =
      nextJoined &&
      next!.lower === 'and' &&
      i + 2 < tokens.length &&
      onlySpaces(tokens[i + 2].gap) &&
      tokens[i + 2].cap &&
      isFirstName(tokens[i + 2]);
    const afterContext = speechAfter || t.possessive || ageAfter || surnameAfter || birthAfter || nameAfterAnd;
    /** for a name that is also an ordinary word: only the plainer signs */
    // "Ring Summer-Lily's nan", "Ask Rose": an ordinary word before a plain given name is a verb, not a first name
    const givenNameNext = next !== undefined && isFirstName(next) && !isOrdinaryWord(next.lower);
    const ordinaryAfter =
      auxAfter ||
      t.possessive ||
      ageAfter ||
      (t.cap && listNeighbour) ||
      (surnameAfter && !(t.sentStart && givenNameNext)) ||
      birthAfter ||
      nameAfterAnd;
    const determinerBefore = prev !== undefined && prevJoined && DETERMINERS.has(prev.lower);

    if (t.cap) {
      if (PLACE_NOUNS.has(t.lower) || placeNounAfter || famous(i) || postcodeAfter) continue;
      if (productAfter(t)) continue; // a Sherlock Holmes book, a Jackie Chan film
      if (AFTER_STREET.test(text.slice(Math.max(0, t.start - 40), t.start)) && !strongBefore) continue;
      if (MONTH_NAMES.has(t.lower)) {
        if (strongBefore || (nextJoined && SPEECH_AFTER.has(next!.lower)) || t.possessive) starts.set(i, 'strong');
        continue;
      }
      const first = isFirstName(t);
      const ordinary = isOrdinaryWord(t.lower) && !(t.lower.includes('-') && first);
      const place = PLACES.has(t.lower);
      const placePrep = prev !== undefined && prevJoined && PLACE_PREPOSITIONS.has(prev.lower) && !strongBefore;
      const titleCasePhrase =
        prev !== undefined && prevJoined && (prev.cap || prev.allCaps) && !prev.sentStart && !starts.has(i - 1);
      if (determinerBefore && !strongBefore && !speechAfter) continue; // "The Lion King", "a Grace period"
      // "born in Bradford", "lives at Chester": a given name that is also a town, after a place word
      const inPlace = prev !== undefined && prevJoined && IN_PLACE.has(prev.lower) && !afterContext && !strongBefore;
      if (first && !ordinary && !place && !inPlace) {
        starts.set(i, strongBefore || afterContext || !t.sentStart ? 'strong' : 'weak');
      } else if (first && ordinary) {
        if (strongBefore || ordinaryAfter || (!t.sentStart && afterContext)) starts.set(i, 'strong');
        else if (
          !t.sentStart &&
          !determinerBefore &&
          !titleCasePhrase &&
          !placePrep &&
          !place &&
          !(nextJoined && next!.cap && !surnameShaped(next!))
        ) {
          starts.set(i, 'weak');
        }
      } else if (isAnyName(t)) {
        if (place || isKnownCommonWord(t.lower)) {
          // "his sister Summer": capitalised straight after a role word
          if (roleBefore && !place) starts.set(i, 'strong');
          continue;
        }
        const english = ENGLISH_WORDS.has(t.lower);
        if (determinerBefore && !strongBefore) continue; // "The Lion King"
        if (strongBefore || (afterContext && !(english && placePrep))) starts.set(i, 'strong');
        else if (!t.sentStart && !english && !placePrep && !determinerBefore && !titleCasePhrase) starts.set(i, 'weak');
      } else if (strongBefore && !ENGLISH_WORDS.has(t.lower) && !place && !isKnownCommonWord(t.lower)) {
        starts.set(i, 'strong');
      } else if (
        // "out with Kezza and Dazza", "Bex texted me": a word no list knows, capitalised in mid-sentence, next to a
        // word that goes with people
        !t.sentStart &&
        !ENGLISH_WORDS.has(t.lower) &&
        !place &&
        !isKnownCommonWord(t.lower) &&
        !titleCasePhrase &&
        t.word.length >= 3 &&
        ((prev !== undefined &&
          prevJoined &&
          PEOPLE_PREPOSITIONS.has(prev.lower) &&
          !(nextJoined && LOWER_PLACE_NOUNS.has(next!.lower))) ||
          // "Kezza and Dazza": after "and" and a name
          (prev !== undefined && prevJoined && prev.lower === 'and' && i >= 2 && starts.has(i - 2)) ||
          (nextJoined && SPEECH_AFTER.has(next!.lower)) ||
          t.possessive)
      ) {
        starts.set(i, 'weak');
      }
      continue;
    }

    if (
      t.allCaps &&
      t.word.length <= 3 &&
      nextJoined &&
      SPEECH_AFTER.has(next!.lower) &&
      !NOT_NAMES.has(t.word) &&
      !ABBREVIATIONS.has(t.lower)
    ) {
      starts.set(i, 'strong'); // "JJ said his dad hit him"
      continue;
    }
    if (t.allCaps) {
      // initials after a role word: "yp (JB)", "dad JB"
      const bracketed = /\([ \t]*$/.test(t.gap) && /^[ \t]*\)/.test(text.slice(t.end));
      if (roleBefore && t.word.length <= 3 && !NOT_NAMES.has(t.word) && (bracketed || !isKnownCommonWord(t.lower)))
        starts.set(i, 'strong');
      continue;
    }

    if (t.lowerCase && t.word.length >= 3) {
      if (DETERMINERS.has(t.lower)) continue;
      const first = isFirstName(t);
      const english = ENGLISH_WORDS.has(t.lower) || isKnownCommonWord(t.lower);
      const ordinary = isOrdinaryWord(t.lower) || english;
      if (introBefore && (first || (isAnyName(t) && !english))) starts.set(i, 'strong');
      else if (
        roleBefore &&
        first &&
        (!ordinary || speechAfter || t.possessive || /^[ \t]*(?:[,.;)]|and\b|who\b|$)/.test(text.slice(t.end)))
      ) {
        // "aunty rose and uncle pete": another role word or name after the "and"
        const andMore =
          nextJoined &&
          next!.lower === 'and' &&
          i + 2 < tokens.length &&
          (ROLE_WORDS.has(tokens[i + 2].lower) || isFirstName(tokens[i + 2]));
        // "the girl ruby was crying", but not "dads car was up": a role in the possessive owns a thing
        const roleOwns = prev!.possessive || /s$/.test(prev!.lower);
        const whoAfter = nextJoined && next!.lower === 'who' && !roleOwns; // "his sister jasmine who confirmed"
        if (
          !ordinary ||
          !nextJoined ||
          (auxAfter && !roleOwns) ||
          SPEECH_AFTER.has(next!.lower) ||
          t.possessive ||
          andMore ||
          whoAfter
        )
          starts.set(i, 'strong');
      } else if (first && !ordinary && t.word.length >= 4) starts.set(i, 'strong');
      // "kids: ruby 7, jack 5", "will's mum rang"
      else if (first && (ageAfter || (t.possessive && !determinerBefore && !PLACES.has(t.lower))))
        starts.set(i, 'strong');
      // "teacher says kayden has": a name only the big list knows, after a verb of speech or before one
      else if (
        !first &&
        !english &&
        t.word.length >= 4 &&
        isAnyName(t) &&
        (speechBefore || speechAfter || t.possessive)
      )
        starts.set(i, 'strong');
      else if (
        (first || (isAnyName(t) && !english)) &&
        nextJoined &&
        SPEECH_AFTER.has(next!.lower) &&
        (t.sentStart || /,\s*$/.test(t.gap) || i === 0)
      ) {
        starts.set(i, 'strong');
      }
    }
  }

  // Initial and surname: "J. Smith", "J Smith"
  const spans: Span[] = [...titled];
  for (const m of text.matchAll(
    /(?<![\p{L}\p{N}.'’@])(\p{Lu})\.?[ \t]?(\p{Lu}\p{Ll}+(?:['’-]\p{Lu}\p{Ll}+)?)(?![\p{L}\p{N}])/gu,
  )) {
    const surname = m[2].toLowerCase();
    if (m[1] === 'I' || m[1] === 'A' || !/\./.test(m[0])) continue;
    if (
      NEVER_NAMES.has(surname) ||
      PLACES.has(surname) ||
      NOT_NAMES.has(m[2]) ||
      (isKnownCommonWord(surname) && !ANY_NAMES.has(surname))
    )
      continue;
    if (!ANY_NAMES.has(surname) && ENGLISH_WORDS.has(surname)) continue;
    if (titled.some((s) => m.index < s.end && m.index + m[0].length > s.start)) continue;
    spans.push({ type: 'name', start: m.index, end: m.index + m[0].length });
  }

  // The same word elsewhere in the text, when one use of it was clearly a name.
  const known = new Set<string>();
  for (const [i, strength] of starts)
    if (strength === 'strong' || !isOrdinaryWord(tokens[i].lower)) known.add(tokens[i].lower);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (starts.has(i) || !known.has(t.lower) || inTitled(t) || inBrand(t) || famous(i)) continue;
    // an ordinary word ("will", "rose") is the name again only when capitalised
    if (isOrdinaryWord(t.lower) && !t.cap) continue;
    const prev = i > 0 ? tokens[i - 1] : undefined;
    if (prev && onlySpaces(t.gap) && DETERMINERS.has(prev.lower)) continue;
    starts.set(i, 'weak');
  }

  // Each start takes in the surnames after it.
  const used = new Set<number>();
  for (const i of [...starts.keys()].sort((a, b) => a - b)) {
    if (used.has(i)) continue;
    const t = tokens[i];
    let end = t.end;
    let j = i;
    while (j + 1 < tokens.length && j - i < 2 && !tokens[j].possessive) {
      const n = tokens[j + 1];
      if (!onlySpaces(n.gap) || inTitled(n)) break;
      const sameCase = t.cap ? n.cap : t.lowerCase ? n.lowerCase : false;
      if (
        !sameCase ||
        (PLACE_NOUNS.has(n.lower) && !SURNAME_PLACE_NOUNS.has(n.lower)) ||
        !(surnameShaped(n) || starts.has(j + 1))
      )
        break;
      j++;
      used.add(j);
      end = n.end;
    }
    spans.push({ type: 'name', start: t.start, end });
  }
  return spans;
}
