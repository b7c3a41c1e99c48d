/**
 * Shared shapes of the guidance core. Pure data: nothing here knows about Teams, HTTP or storage.
 */

/** One section of the council's guidance, numbered as in the source (there is no section 3). */
export interface GuidanceSection {
  /** "1", "2", "2.1", "2.3.2", "4" */
  number: string;
  title: string;
  /** Parent section number ("2.3" for "2.3.2"), or null for top-level sections. */
  parent: string | null;
  /** Short points written for a phone screen (plain English, one idea each). */
  keyPoints: string[];
  /**
   * Short questions the way staff would ask them, answered by this section ("can i add a client on fb"). Matched as
   * their own field and used to train the section model: the main way a policy officer teaches KeepSafe new wording.
   */
  questions: string[];
  /** The full text of the section as in the source, one paragraph per array item. */
  paragraphs: string[];
  /** Numbers of related sections, most useful first. */
  related: string[];
  /** Extra words a policy officer wants this section found by (optional, editable in the content file). */
  keywords: string[];
}

export interface GuidanceDocument {
  title: string;
  owner: string;
  version: string;
  /** ISO date the version was issued (YYYY-MM-DD). */
  date: string;
  /** Documents the guidance refers to (e.g. the council's social media protocol, HCPC standards). */
  references: string[];
  sections: GuidanceSection[];
}

export type Intent = 'guidance' | 'injury_photo' | 'report_incident' | 'help' | 'topics' | 'greeting' | 'out_of_scope';

export interface SectionMatch {
  section: string;
  /** Normalised confidence 0..1 */
  score: number;
}

/** What the engine decided about one question. */
export interface Answer {
  intent: Intent;
  /** Section number as a string, or null when none applies (help, topics, greeting, out_of_scope, not covered). */
  section: string | null;
  /** Confidence 0..1 of the chosen section (0 when section is null). */
  score: number;
  /** Other candidate sections above a floor, best first, for "Related" suggestions and diagnostics. */
  alternatives: SectionMatch[];
  /**
   * True when the engine hesitates: the best two sections are close, or the confidence is middling. The bot then
   * asks "Did you mean…?" offering `section` and the first `alternatives` as choices. Always false when there is no
   * section, and for injury-photo and incident answers (they have their own cards).
   */
  clarify: boolean;
}

/** A question as the search and the intent router see it, after spelling repair, slang and stemming. */
export interface AnalysedQuery {
  /** Normalised words exactly as typed, slips and all. */
  typed: string[];
  /** Normalised words as typed after spelling repair. */
  raw: string[];
  /** After slang and synonyms. */
  expanded: string[];
  /** Stems of the meaning-bearing words (no stop words), unique. */
  terms: string[];
  /** The terms grouped by the typed word or phrase they came from ("whatsapp" -> [whatsapp, mobil]). */
  groups: string[][];
}

/** What a labelled staff question is about: the intents a row of content/staff-questions.tsv can name. */
export const LABELLED_INTENTS = [
  'guidance',
  'injury_photo',
  'report_incident',
  'out_of_scope',
  'greeting',
  'help',
  'topics',
] as const;

/** One row of content/staff-questions.tsv: a question the way staff type it, and what it is about. */
export interface LabelledQuestion {
  /** Where the row came from ("dev", "blindA"...). Rows from "holdout" are never learnt from, only measured. */
  split: string;
  intent: (typeof LABELLED_INTENTS)[number];
  /** The section that answers it, or null (not covered, or not a guidance question). */
  section: string | null;
  /** Other sections that are a fair answer too (may be empty). */
  alsoOk: string[];
  question: string;
  /** Line number in the file, for messages. */
  line: number;
}
