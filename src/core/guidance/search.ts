/**
 * Section search over the guidance, built on MiniSearch: a small, dependency-free, well-maintained in-memory
 * full-text engine with BM25 ranking, per-field boosts and fuzzy matching. We give it our own analysis
 * (normalising, staff slang, spelling repair, Porter2 stemming) and turn its raw scores into a 0..1 confidence
 * with an explicit threshold, below which KeepSafe says "not covered" rather than guess.
 */
import MiniSearch from 'minisearch';
import type { GuidanceDocument, SectionMatch } from './types';
import { expandSynonyms, normalise, SpellingRepair, stemPhrase, stemWord, words } from './text';
import type { Vocabulary } from './content';

/** Below this confidence a question is "not covered". Tuned on the dev split; checked on the holdout split. */
export const CONFIDENCE_THRESHOLD = 0.34;

/** Terms that say "this is about social media" but nothing about which section: they count half. */
const GENERIC_STEMS = new Set(['social', 'media', 'onlin', 'post', 'account', 'facebook', 'instagram', 'twitter', 'tiktok', 'snapchat', 'staff', 'guidanc']);

interface IndexedSection {
  id: string;
  title: string;
  keyPoints: string;
  keywords: string;
  text: string;
}

export interface AnalysedQuery {
  /** Normalised words as typed (after spelling repair). */
  raw: string[];
  /** After slang and synonyms. */
  expanded: string[];
  /** Stems of the meaning-bearing words (no stop words), unique. */
  terms: string[];
}

export class SectionSearch {
  private readonly index: MiniSearch<IndexedSection>;
  private readonly stop: Set<string>;
  private readonly synonyms: Map<string, string[]>;
  private readonly maxPhrase: number;
  readonly spelling: SpellingRepair;
  private readonly sectionNumbers: string[];
  /** Parent headings (2, 2.3) only win when nothing more specific does. */
  private readonly headingOnly: Set<string>;

  constructor(doc: GuidanceDocument, vocab: Vocabulary) {
    this.stop = new Set(vocab.stopwords.map((w) => normalise(w)));
    this.synonyms = new Map(Object.entries(vocab.synonyms).map(([k, v]) => [stemPhrase(k), words(v)]));
    this.maxPhrase = Math.max(1, ...[...this.synonyms.keys()].map((k) => k.split(' ').length));
    this.sectionNumbers = doc.sections.map((s) => s.number);
    this.headingOnly = new Set(doc.sections.filter((s) => doc.sections.some((c) => c.parent === s.number)).map((s) => s.number));

    const known = new Set<string>();
    const addWords = (t: string) => words(t).forEach((w) => known.add(w));
    for (const s of doc.sections) [s.title, ...s.keyPoints, ...s.paragraphs, ...s.keywords].forEach(addWords);
    for (const [k, v] of Object.entries(vocab.synonyms)) {
      addWords(k);
      addWords(v);
    }
    vocab.stopwords.forEach(addWords);
    vocab.domainTerms.forEach(addWords);
    Object.values(vocab.intents).flat().forEach(addWords);
    this.spelling = new SpellingRepair(known);

    const analyse = (t: string) => this.indexTerms(t);
    this.index = new MiniSearch<IndexedSection>({
      fields: ['title', 'keyPoints', 'keywords', 'text'],
      storeFields: [],
      tokenize: (t) => analyse(t),
      processTerm: (t) => t,
      searchOptions: { tokenize: (t) => t.split(' ').filter(Boolean), processTerm: (t) => t },
    });
    this.index.addAll(
      doc.sections.map((s) => ({
        id: s.number,
        title: s.title,
        keyPoints: s.keyPoints.join('\n'),
        keywords: s.keywords.join('\n'),
        text: s.paragraphs.join('\n'),
      })),
    );
  }

  private indexTerms(text: string): string[] {
    return words(text)
      .filter((w) => !this.stop.has(w))
      .map(stemWord);
  }

  /** Spelling repair, then slang and synonyms, then stop words and stemming. */
  analyse(question: string): AnalysedQuery {
    const raw = words(question).map((w) => (this.synonyms.has(stemWord(w)) ? w : this.spelling.repair(w)));
    const expanded = expandSynonyms(raw, this.synonyms, this.maxPhrase);
    const terms = [...new Set(expanded.filter((w) => !this.stop.has(w) && w !== '?').map(stemWord))];
    return { raw, expanded, terms };
  }

  /** Ranked sections with a 0..1 confidence each, best first. */
  search(query: AnalysedQuery): SectionMatch[] {
    if (query.terms.length === 0) return [];
    const results = this.index.search(query.terms.join(' '), {
      boost: { title: 3, keyPoints: 2, keywords: 2, text: 1 },
      fuzzy: (term) => (term.length >= 7 ? 1 : false),
      weights: { fuzzy: 0.3, prefix: 0.3 },
      prefix: (term) => term.length >= 6,
      combineWith: 'OR',
    });
    const weightOf = (t: string) => (GENERIC_STEMS.has(t) ? 0.5 : 1);
    const total = query.terms.reduce((sum, t) => sum + weightOf(t), 0);
    const matches = results.map((r) => {
      const matchedQueryTerms = new Set(r.queryTerms);
      const covered = query.terms.filter((t) => matchedQueryTerms.has(t)).reduce((sum, t) => sum + weightOf(t), 0);
      const coverage = total > 0 ? covered / total : 0;
      const strength = 1 - Math.exp(-r.score / 12);
      let score = Math.pow(coverage, 0.75) * Math.pow(strength, 0.25);
      if (this.headingOnly.has(String(r.id))) score *= 0.6;
      return { section: String(r.id), score: Math.round(score * 1000) / 1000 };
    });
    return matches.sort((a, b) => b.score - a.score || this.sectionNumbers.indexOf(a.section) - this.sectionNumbers.indexOf(b.section));
  }
}
