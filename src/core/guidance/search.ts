/**
 * Section search over the guidance, built on MiniSearch: a small, dependency-free, well-maintained in-memory
 * full-text engine with BM25 ranking, per-field boosts and fuzzy matching. We give it our own analysis
 * (normalising, staff slang, spelling repair, Porter2 stemming) and turn its raw scores into a 0..1 confidence
 * with an explicit threshold, below which KeepSafe says "not covered" rather than guess.
 */
import MiniSearch from 'minisearch';
import type { AnalysedQuery, GuidanceDocument, SectionMatch } from './types';
import { expandSynonymGroups, normalise, SpellingRepair, stemWord, SynonymTable, words } from './text';
import type { Vocabulary } from './content';
import { CueList } from './intent';

/**
 * Below this confidence a question is "not covered" and the worker is told so instead of being given a guess.
 * The confidence is coverage^0.75 x strength^0.25 (see search()): 0.34 means roughly "at most about a third of what
 * was typed is about this section". Chosen by leave-one-split-out over blind splits A-F (scripts/eval-loso.ts: five
 * of the six folds chose 0.34 over 0.38 and 0.42 once the round-3 phrasings were in); the holdout split is only
 * measured, never used to choose it.
 */
export const CONFIDENCE_THRESHOLD = 0.34;

/** How hard a lead of the not-covered phrasings pulls a section's confidence down (ratio of ranks, squared). */
const NOT_COVERED_POWER = 2;
/**
 * Fields indexed through the staff slang as well as as written. Only the not-covered phrasings: doing the same for
 * the sections' own phrasings was measured and lost more on the blind splits than it gained (docs/guidance-accuracy.md).
 */
const PHRASED_FIELDS = new Set(['notCovered']);
/** The index entry holding the content's not-covered phrasings: never an answer, only a reason to decline. */
const NOT_COVERED = '-';

/** Terms that say "this is about social media" but nothing about which section: they count half. */
const GENERIC_STEMS = new Set(['social', 'media', 'onlin', 'post', 'account', 'facebook', 'instagram', 'twitter', 'tiktok', 'snapchat', 'staff', 'guidanc']);

interface IndexedSection {
  id: string;
  title: string;
  keyPoints: string;
  keywords: string;
  questions: string;
  notCovered?: string;
  text: string;
}

export interface RankedMatch extends SectionMatch {
  rank: number;
}

export class SectionSearch {
  private readonly index: MiniSearch<IndexedSection>;
  private readonly stop: Set<string>;
  private readonly synonyms: SynonymTable;
  readonly spelling: SpellingRepair;
  private readonly ambiguousInjury: Set<string>;
  private readonly bodyContext: CueList;
  private readonly sectionNumbers: string[];

  constructor(doc: GuidanceDocument, vocab: Vocabulary) {
    this.stop = new Set(vocab.stopwords.map((w) => normalise(w)));
    this.synonyms = new SynonymTable(vocab.synonyms);
    this.ambiguousInjury = new Set(vocab.intents.ambiguousInjury.flatMap((w) => words(w)).map(stemWord));
    this.bodyContext = new CueList(vocab.intents.bodyContext);
    this.sectionNumbers = doc.sections.map((s) => s.number);

    // Every word of the content and vocabulary, with how often it occurs: a slip as close to two known words is read
    // as the commoner ("postng" is posting, not posing).
    const known = new Map<string, number>();
    const addWords = (t: string) => words(t).forEach((w) => known.set(w, (known.get(w) ?? 0) + 1));
    for (const s of doc.sections) [s.title, ...s.keyPoints, ...s.paragraphs, ...s.keywords, ...s.questions].forEach(addWords);
    vocab.examples.not_covered.forEach(addWords);
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
      fields: ['title', 'keyPoints', 'keywords', 'questions', 'notCovered', 'text'],
      storeFields: [],
      // Not-covered phrasings also go through the slang and synonyms a question does ("followers" is indexed as
      // connect + friend, as a worker's "followers" is searched for), so they compete on the same terms.
      tokenize: (t, field) => (PHRASED_FIELDS.has(field ?? '') ? this.phrasingTerms(t) : analyse(t)),
      processTerm: (t) => t,
      searchOptions: { tokenize: (t) => t.split(' ').filter(Boolean), processTerm: (t) => t },
    });
    this.index.addAll(
      doc.sections.map((s) => ({
        id: s.number,
        title: s.title,
        keyPoints: s.keyPoints.join('\n'),
        keywords: s.keywords.join('\n'),
        questions: s.questions.join('\n'),
        text: s.paragraphs.join('\n'),
      })),
    );
    const notCovered = vocab.examples.not_covered;
    if (notCovered.length > 0) this.index.add({ id: NOT_COVERED, title: '', keyPoints: '', keywords: '', questions: '', notCovered: notCovered.join('\n'), text: '' });
  }

  /** A staff phrasing's terms: as written, plus what its slang stands for (each once per phrasing line). */
  private phrasingTerms(text: string): string[] {
    const out: string[] = [];
    for (const line of text.split('\n')) {
      const own = this.indexTerms(line);
      const meant = this.analyse(line).terms;
      out.push(...new Set([...own, ...meant]));
    }
    return out;
  }

  private indexTerms(text: string): string[] {
    return words(text)
      .filter((w) => !this.stop.has(w))
      .map(stemWord);
  }

  /** Spelling repair, then slang and synonyms, then stop words and stemming. */
  analyse(question: string): AnalysedQuery {
    const raw = words(question).map((w) => (this.synonyms.hasWord(w) ? w : this.spelling.repair(w)));
    // "Cut", "burn", "hit", "marks" are injuries only about a person or a body ("marks on her arm", "a kid with a
    // burn"); "council cuts" or "a parent hit out at me" are not, so without such words they are read as typed.
    const rawStems = raw.map(stemWord);
    const aboutABody = this.bodyContext.has([rawStems]);
    const expandedGroups = expandSynonymGroups(raw, this.synonyms, (i) => !aboutABody && this.ambiguousInjury.has(rawStems[i]));
    const expanded = expandedGroups.flat();
    const meaningful = (g: string[]) => [...new Set(g.filter((w) => !this.stop.has(w) && w !== '?').map(stemWord))];
    const terms = meaningful(expanded);
    const seen = new Set<string>();
    const groups: string[][] = [];
    for (const g of expandedGroups.map(meaningful)) {
      const key = g.join(' ');
      if (g.length > 0 && !seen.has(key)) {
        seen.add(key);
        groups.push(g);
      }
    }
    return { raw, expanded, terms, groups };
  }

  /**
   * Ranked sections with a 0..1 confidence each, best first, and each one's ranking strength (rank: how strongly it
   * matches, not capped by how much of the question it covers; used to tell two close sections apart).
   */
  search(query: AnalysedQuery): RankedMatch[] {
    if (query.terms.length === 0) return [];
    const results = this.index.search(query.terms.join(' '), {
      boost: { title: 3, keyPoints: 2, keywords: 2, questions: 3, notCovered: 3, text: 1 },
      fuzzy: (term) => (term.length >= 7 ? 1 : false),
      weights: { fuzzy: 0.3, prefix: 0.3 },
      prefix: (term) => term.length >= 6,
      combineWith: 'OR',
    });
    // Two coverages: by guidance term (ranks the sections: a section that speaks to every expansion of a slang word
    // ranks higher) and by typed word or phrase (decides whether the question is covered at all: "whatsapp" expands
    // to whatsapp + mobile but is one thing the worker said). The confidence is the lower of the two.
    const termWeight = (t: string) => (GENERIC_STEMS.has(t) ? 0.5 : 1);
    const groupWeight = (g: string[]) => (g.every((t) => GENERIC_STEMS.has(t)) ? 0.5 : 1);
    const termTotal = query.terms.reduce((sum, t) => sum + termWeight(t), 0);
    const groupTotal = query.groups.reduce((sum, g) => sum + groupWeight(g), 0);
    const matches = results.map((r) => {
      const matched = new Set(r.queryTerms);
      const termCoverage = termTotal > 0 ? query.terms.filter((t) => matched.has(t)).reduce((sum, t) => sum + termWeight(t), 0) / termTotal : 0;
      const groupCoverage = groupTotal > 0 ? query.groups.filter((g) => g.some((t) => matched.has(t))).reduce((sum, g) => sum + groupWeight(g), 0) / groupTotal : 0;
      const strength = 1 - Math.exp(-r.score / 12);
      // Parent headings (2, 2.3) used to count 0.6 so they only won when nothing more specific did; now that they
      // have phrasings of their own ("what steps should i take"), they compete on equal terms.
      const rank = Math.pow(termCoverage, 0.75) * Math.pow(strength, 0.25);
      const gated = Math.pow(groupCoverage, 0.75) * Math.pow(strength, 0.25);
      const score = Math.min(rank, gated);
      return { section: String(r.id), score: Math.round(score * 1000) / 1000, rank };
    });
    matches.sort((a, b) => b.rank - a.rank || this.sectionNumbers.indexOf(a.section) - this.sectionNumbers.indexOf(b.section));
    // A question closer to the not-covered phrasings than to a section loses confidence in proportion: far behind,
    // it is declined; nearly level, the section can still answer.
    const declined = matches.find((m) => m.section === NOT_COVERED);
    return matches
      .filter((m) => m.section !== NOT_COVERED)
      .map(({ section, score, rank }) => {
        const behind = declined && declined.rank > rank ? Math.pow(rank / declined.rank, NOT_COVERED_POWER) : 1;
        return { section, score: Math.round(score * behind * 1000) / 1000, rank: rank * behind };
      });
  }
}
