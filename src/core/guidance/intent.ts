/**
 * The intent router: what does the worker want? It works on meaning-bearing words (cue lists in
 * content/vocabulary.json, stemmed, matched as words or short phrases, in the words as typed and after slang
 * expansion) and on how they co-occur — never on whole sentences.
 */
import type { Vocabulary } from './content';
import type { AnalysedQuery } from './types';
import { stemWord, words } from './text';

/** A list of cue words or phrases, matched on stems so "photos", "photograph" and "photographing" agree. */
export class CueList {
  private readonly phrases: string[][];
  constructor(cues: string[]) {
    this.phrases = cues.map((c) => (c.trim() === '?' ? ['?'] : words(c).map(stemWord))).filter((p) => p.length > 0);
  }

  /** Number of distinct cues found in any of the given stem sequences. */
  count(sequences: string[][]): number {
    let n = 0;
    for (const phrase of this.phrases) {
      if (sequences.some((seq) => containsPhrase(seq, phrase))) n++;
    }
    return n;
  }

  has(sequences: string[][]): boolean {
    return this.count(sequences) > 0;
  }

  /** True when every word of the sequence is one of the (single-word) cues. */
  coversAll(sequence: string[]): boolean {
    const single = new Set(this.phrases.filter((p) => p.length === 1).map((p) => p[0]));
    return sequence.length > 0 && sequence.every((w) => single.has(w));
  }
}

function containsPhrase(seq: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= seq.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (seq[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export type RoutedIntent = { kind: 'greeting' | 'help' | 'topics' } | { kind: 'injury_photo' } | { kind: 'question' };

/** A manager's say-so about taking photos is the 2.3.2 rule, whatever else the question says. */
const ADVICE_WORDS = ['said', 'told', 'advised', 'advice', 'take', 'taking', 'record', 'allowed'].map(stemWord);

/** Core words that make a short message a command rather than filler. */
const HELP_CORE = ['help', 'work', 'use', 'command', 'instruct', 'for', 'do', 'type', '?'].map(stemWord);
const TOPIC_CORE = [
  'topics',
  'topic',
  'menu',
  'list',
  'contents',
  'sections',
  'cover',
  'covered',
  'options',
  'subjects',
  'subject',
  'areas',
  'index',
  'about',
  'everything',
].map(stemWord);

/**
 * Decides what cue words decide safely: a short greeting, help or topics request, and anything about injuries or
 * signs of abuse seen at work (the photo walkthrough must never be missed, so its cues win over the section model).
 * Every other message is a question for the section model.
 */
export class IntentRouter {
  private readonly cue: Record<keyof Vocabulary['intents'], CueList>;
  private readonly domain: CueList;
  private readonly stop: Set<string>;

  constructor(vocab: Vocabulary) {
    this.stop = new Set(vocab.stopwords.flatMap((w) => words(w)).map(stemWord));
    this.cue = Object.fromEntries(Object.entries(vocab.intents).map(([k, v]) => [k, new CueList(v)])) as Record<
      keyof Vocabulary['intents'],
      CueList
    >;
    this.domain = new CueList(vocab.domainTerms);
  }

  /** True when the question is about social media or online life at all. */
  isAboutSocialMedia(q: AnalysedQuery): boolean {
    return this.domain.has(this.sequences(q));
  }

  /** True when the worker asks to report or log something: the words as typed, before slang, must say so. */
  asksToReport(q: AnalysedQuery): boolean {
    return this.cue.reportRequest.has([q.raw.map(stemWord)]);
  }

  private sequences(q: AnalysedQuery): string[][] {
    return [q.raw.map(stemWord), q.expanded.map(stemWord)];
  }

  route(q: AnalysedQuery): RoutedIntent {
    const raw = q.raw.map(stemWord);
    const seqs = this.sequences(q);
    if (raw.length === 0) return { kind: 'help' };

    // Short conversational messages: every meaning-bearing word is a greeting, help or topics word.
    if (raw.length <= 8) {
      if (this.cue.greeting.coversAll(raw)) return { kind: 'greeting' };
      const content = raw.filter((w) => !this.stop.has(w));
      if (
        content.every((w) => this.cue.topics.coversAll([w]) || this.cue.help.coversAll([w])) &&
        raw.some((w) => TOPIC_CORE.includes(w))
      ) {
        return { kind: 'topics' };
      }
      if (content.every((w) => this.cue.help.coversAll([w])) && raw.some((w) => HELP_CORE.includes(w)))
        return { kind: 'help' };
    }

    // Injuries or signs of abuse or neglect seen at work (section 2.3.2's photo rule).
    const strongInjury = this.cue.injuryStrong.has(seqs);
    const abuseSeen = this.cue.injury.has(seqs) && this.cue.abuseContext.has(seqs);
    const photo = this.cue.photo.has(seqs);
    const evidencePhoto = photo && this.cue.photoEvidence.has(seqs);
    const photoOnAdvice = photo && raw.includes(stemWord('manager')) && ADVICE_WORDS.some((w) => raw.includes(w));
    if (strongInjury || abuseSeen || evidencePhoto || photoOnAdvice) return { kind: 'injury_photo' };

    return { kind: 'question' };
  }
}
