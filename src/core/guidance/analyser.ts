/**
 * Question analysis: spelling repair against the content's own words, staff slang and synonyms, stop words and
 * Porter2 stemming. The section model learns from what this produces, and the intent router reads it.
 */
import type { AnalysedQuery, GuidanceDocument } from './types';
import { expandSynonymGroups, normalise, SpellingRepair, stemWord, SynonymTable, words } from './text';
import type { Vocabulary } from './content';
import { CueList } from './intent';

export class QueryAnalyser {
  private readonly stop: Set<string>;
  private readonly synonyms: SynonymTable;
  readonly spelling: SpellingRepair;
  private readonly ambiguousInjury: Set<string>;
  private readonly bodyContext: CueList;

  constructor(doc: GuidanceDocument, vocab: Vocabulary) {
    this.stop = new Set(vocab.stopwords.map((w) => normalise(w)));
    this.synonyms = new SynonymTable(vocab.synonyms);
    this.ambiguousInjury = new Set(vocab.intents.ambiguousInjury.flatMap((w) => words(w)).map(stemWord));
    this.bodyContext = new CueList(vocab.intents.bodyContext);

    // Every word of the content and vocabulary, with how often it occurs: a slip as close to two known words is read
    // as the commoner ("postng" is posting, not posing). Labelled staff questions are not counted: they are typed
    // as staff type, slips and all, and would teach the repair their slips.
    const known = new Map<string, number>();
    const addWords = (t: string) => words(t).forEach((w) => known.set(w, (known.get(w) ?? 0) + 1));
    for (const s of doc.sections)
      [s.title, ...s.keyPoints, ...s.paragraphs, ...s.keywords, ...s.questions].forEach(addWords);
    vocab.examples.not_covered.forEach(addWords);
    for (const [k, v] of Object.entries(vocab.synonyms)) {
      addWords(k);
      addWords(v);
    }
    vocab.stopwords.forEach(addWords);
    vocab.domainTerms.forEach(addWords);
    Object.values(vocab.intents).flat().forEach(addWords);
    this.spelling = new SpellingRepair(known);
  }

  /** Spelling repair, then slang and synonyms, then stop words and stemming. */
  analyse(question: string): AnalysedQuery {
    const typed = words(question);
    const raw = typed.map((w) => (this.synonyms.hasWord(w) ? w : this.spelling.repair(w)));
    // "Cut", "burn", "hit", "marks" are injuries only about a person or a body ("marks on her arm", "a kid with a
    // burn"); "council cuts" or "a parent hit out at me" are not, so without such words they are read as typed.
    const rawStems = raw.map(stemWord);
    const aboutABody = this.bodyContext.has([rawStems]);
    const expandedGroups = expandSynonymGroups(
      raw,
      this.synonyms,
      (i) => !aboutABody && this.ambiguousInjury.has(rawStems[i]),
    );
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
    return { typed, raw, expanded, terms, groups };
  }
}
