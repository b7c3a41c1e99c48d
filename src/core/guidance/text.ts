/**
 * Text processing shared by the index and the query side: normalising, tokenising, stemming, spelling repair
 * and the staff-slang vocabulary. Pure functions over plain data.
 */
import { distance } from 'fastest-levenshtein';
import englishWords from 'an-array-of-english-words';
import stem from 'wink-porter2-stemmer';

/** Lower-case, plain ASCII-ish words: tags, links, emoji and punctuation become spaces; apostrophes vanish. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\u2018\u2019\u02bc`']/g, '')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/[^a-z0-9?]+/g, ' ')
    .replace(/\?+/g, ' ? ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function words(text: string): string[] {
  const n = normalise(text);
  return n ? n.split(' ') : [];
}

const stemCache = new Map<string, string>();
export function stemWord(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) ? stem(word) : word;
    if (stemCache.size < 50000) stemCache.set(word, s);
  }
  return s;
}

/** Staff phrases and their replacements, looked up as typed first, then by stems. */
export class SynonymTable {
  private readonly exact = new Map<string, string[]>();
  private readonly stemmed = new Map<string, string[]>();
  /** For each first word of a key, as typed and as a stem: the longest key starting with it (a long paste is cheap). */
  private readonly longestFrom = new Map<string, number>();

  constructor(entries: Record<string, string>) {
    for (const [key, value] of Object.entries(entries)) {
      const typed = words(key);
      if (typed.length === 0) continue;
      this.exact.set(typed.join(' '), words(value));
      // Several keys can share a stem ("snap" -> snapchat, "snapped" -> photographed): the first one written wins
      // for other forms of the word, and each key still wins for itself (exact lookup first).
      const stemList = typed.map(stemWord);
      const stems = stemList.join(' ');
      if (!this.stemmed.has(stems)) this.stemmed.set(stems, words(value));
      for (const first of [`=${typed[0]}`, `~${stemList[0]}`]) {
        this.longestFrom.set(first, Math.max(this.longestFrom.get(first) ?? 0, typed.length));
      }
    }
  }

  /** True when the word (as typed, or another form of it) is a vocabulary key. */
  hasWord(word: string): boolean {
    return this.exact.has(word) || this.stemmed.has(stemWord(word));
  }

  /** The most words a key starting with this word (as typed, or by its stem) has; 0 when none starts with it. */
  longestKeyFrom(typed: string, stem: string): number {
    return Math.max(this.longestFrom.get(`=${typed}`) ?? 0, this.longestFrom.get(`~${stem}`) ?? 0);
  }

  lookup(typed: string[], stems: string[]): string[] | undefined {
    return this.exact.get(typed.join(' ')) ?? this.stemmed.get(stems.join(' '));
  }
}

/**
 * Replaces phrases staff use by the guidance's own words, longest phrase first, keeping together the words that
 * came from one typed word or phrase. A phrase matches as typed or by its stems, so "social workers" matches an
 * entry for "social worker". `literal(i)` true keeps the single word at position i as typed (phrases that contain
 * it still match).
 */
export function expandSynonymGroups(
  tokens: string[],
  synonyms: SynonymTable,
  literal: (i: number) => boolean = () => false,
): string[][] {
  const stems = tokens.map(stemWord);
  const out: string[][] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = false;
    const longest = synonyms.longestKeyFrom(tokens[i], stems[i]);
    for (let len = Math.min(longest, tokens.length - i); len >= 1; len--) {
      if (len === 1 && literal(i)) break;
      const replacement = synonyms.lookup(tokens.slice(i, i + len), stems.slice(i, i + len));
      if (replacement) {
        out.push(replacement);
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push([tokens[i]]);
      i += 1;
    }
  }
  return out;
}

/**
 * Repairs typing slips against a list of known words: a word that is neither known nor an English word
 * (~275,000-word list) is replaced by the closest known word within one edit (two for long words).
 * Real words are never "corrected" ("debating" stays "debating"); short words and numbers are left alone.
 */
export class SpellingRepair {
  private readonly known: Set<string>;
  private readonly byLength = new Map<number, string[]>();
  private readonly cache = new Map<string, string>();

  private readonly frequency: Map<string, number>;

  /** knownWords: the words to repair towards, or a map of them to how often they occur (ties go to the commoner). */
  constructor(knownWords: Iterable<string> | Map<string, number>) {
    this.frequency = knownWords instanceof Map ? knownWords : new Map([...knownWords].map((w) => [w, 1]));
    this.known = new Set(this.frequency.keys());
    for (const w of this.known) {
      if (!/^[a-z]+$/.test(w)) continue;
      const list = this.byLength.get(w.length) ?? [];
      list.push(w);
      this.byLength.set(w.length, list);
    }
  }

  isKnown(word: string): boolean {
    return this.known.has(word);
  }

  repair(word: string): string {
    if (word.length < 4 || this.known.has(word) || !/^[a-z]+$/.test(word) || isEnglishWord(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const best = this.closest(word);
    if (this.cache.size < 20000) this.cache.set(word, best);
    return best;
  }

  private closest(word: string): string {
    // Two neighbouring letters swapped ("privcay") is one slip, though edit distance counts it as two.
    for (let i = 0; i + 1 < word.length; i++) {
      const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (this.known.has(swapped)) return swapped;
    }
    // A four-letter slip is only ever a dropped letter of a five-letter word ("vsit", "blck", "utag"); longer words
    // allow one edit, two from seven letters.
    const maxEdits = word.length >= 7 ? 2 : 1;
    const lengths =
      word.length === 4 ? [5] : Array.from({ length: 2 * maxEdits + 1 }, (_, i) => word.length - maxEdits + i);
    let best = word;
    let bestDistance = maxEdits + 1;
    for (const len of lengths) {
      for (const candidate of this.byLength.get(len) ?? []) {
        if (candidate[0] !== word[0] && word.length < 7) continue; // in short words the first letter is rarely the slip
        const d = distance(word, candidate);
        const commoner = d === 1 && (this.frequency.get(candidate) ?? 0) > (this.frequency.get(best) ?? 0);
        if (d < bestDistance || (d === bestDistance && commoner)) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    return best;
  }
}

/**
 * True for a word in the English word list. The list ships sorted (a test checks), so it is searched in place:
 * building a 275,000-entry Set took a fifth of the engine's start-up, for a look-up made only for unknown words.
 */
export function isEnglishWord(word: string): boolean {
  let lo = 0;
  let hi = englishWords.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const here = englishWords[mid];
    if (here === word) return true;
    if (here < word) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
