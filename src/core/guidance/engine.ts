/**
 * The guidance engine: one question in, one decision out (intent, section, confidence). Pure and synchronous;
 * used by the Teams layer and by the `ask` CLI alike.
 */
import { createHash } from 'node:crypto';
import type { GuidanceContent, Vocabulary } from './content';
import { IntentRouter } from './intent';
import { type FeatureOptions, messageFeatures, SoftmaxRegression, type Example } from './model';
import { CONFIDENCE_THRESHOLD, type RankedMatch, SectionSearch } from './search';
import type { Answer, GuidanceDocument, GuidanceSection, SectionMatch } from './types';

/** Questions are cut to this length before analysis: enough for any real question, bounded work for a paste. */
export const MAX_QUESTION_LENGTH = 1000;

/** One entry of the topic list: a section's number and title, and its parent heading. */
export interface Topic {
  number: string;
  title: string;
  parent: string | null;
}

/** Cuts a long paste at the last word boundary before the limit, so no half-word is analysed. */
export function truncateQuestion(text: string, max = MAX_QUESTION_LENGTH): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.search(/\s\S*$/);
  return space > max / 2 ? cut.slice(0, space) : cut;
}
const INJURY_SECTION = '2.3.2';
const REPORT_SECTION = '2.5';
/** Sections that say what to do when something has happened (a post about you, a hack, a breach). */
const INCIDENT_SECTIONS = new Set(['1', '2.1', '2.4', '2.5']);
/** An incident without a recognised kind goes to 2.5 unless the search is at least this sure of another section. */
const INCIDENT_OVERRIDE = 0.8;
/** A runner-up matching at least this share as strongly as the best section is "close": the bot asks which was meant. */
export const CLARIFY_RATIO = 0.9;
/** A best section less than this above the threshold is "middling" confidence: the bot asks too. */
export const CLARIFY_BAND = 0.07;
/**
 * The engine's algorithm; bump when the matching changes. engineVersion adds the guidance version and a hash of
 * the content it was built from, so a record of a choice says exactly which engine and content hesitated.
 */
export const ENGINE_ALGORITHM = 'ks-engine-5';
/** The model's share in ordering the search's candidates (the search's own strength has the rest). */
export const MODEL_SHARE = 0.2;
/** Character n-grams in the model's features (0: stems and stem pairs only). */
export const MODEL_CHAR_NGRAMS = 0;
/** Defaults of the model's say in refusing and rescuing (see EngineOptions). */
export const MODEL_NOT_COVERED = true;
export const REFUSE_PROBABILITY = 0.6;
export const INCIDENT_PROBABILITY = 0.8;

/** Tuning knobs, for calibration and the leave-one-split-out evaluation (scripts/eval-loso.ts); defaults above. */
export interface EngineOptions {
  threshold?: number;
  modelShare?: number;
  charNgrams?: number;
  /** Train the model on each section's keywords too (weight 0.5). */
  trainOnKeywords?: boolean;
  /** Give the model a "not covered" class trained on examples.not_covered (used by refuseProbability below). */
  notCoveredClass?: boolean;
  /**
   * Calibrated refusal: a question the search finds covered is still declined when the model gives "not covered"
   * at least this probability (0: off). Chosen by leave-one-split-out (scripts/eval-loso.ts).
   */
  refuseProbability?: number;
  /**
   * Incidents told as stories: a question the router leaves to the search goes to the report card when an intent
   * model (examples.report_incident against the sections' phrasings and examples.not_covered) gives it at least
   * this probability. 0: off.
   */
  incidentProbability?: number;
}
const NOT_COVERED_LABEL = '-';
const SECTION_COMMAND = /^\s*(?:section|sect|s|§)?\s*(\d(?:\.\d){0,2})\s*\.?\s*$/i;

/** "section 2.3.2", "s 2.4" or a bare "2.1": the section number asked for (which may not exist), else null. */
export function sectionCommand(text: string): string | null {
  return SECTION_COMMAND.exec(text)?.[1] ?? null;
}

export class GuidanceEngine {
  readonly document: GuidanceDocument;
  private readonly search: SectionSearch;
  private readonly router: IntentRouter;
  private readonly byNumber: Map<string, GuidanceSection>;
  /** Tells close sections apart: trained at start-up on each section's phrasings, key points and title. */
  private readonly model: SoftmaxRegression;

  /** "ks-engine-5/<guidance version>/<content hash>": for records of "did you mean" choices (no question text). */
  readonly engineVersion: string;

  /** Confidence below which a question is "not covered" (CONFIDENCE_THRESHOLD unless overridden, e.g. to calibrate). */
  readonly threshold: number;

  private readonly modelShare: number;
  private readonly features: FeatureOptions;
  private readonly tuning: Required<Pick<EngineOptions, 'notCoveredClass' | 'refuseProbability' | 'incidentProbability'>>;
  private readonly intentModel: SoftmaxRegression | null;

  constructor(content: GuidanceContent, options: EngineOptions = {}) {
    this.threshold = options.threshold ?? CONFIDENCE_THRESHOLD;
    this.modelShare = options.modelShare ?? MODEL_SHARE;
    this.features = { charNgrams: options.charNgrams ?? MODEL_CHAR_NGRAMS };
    this.tuning = {
      notCoveredClass: options.notCoveredClass ?? MODEL_NOT_COVERED,
      refuseProbability: options.refuseProbability ?? REFUSE_PROBABILITY,
      incidentProbability: options.incidentProbability ?? INCIDENT_PROBABILITY,
    };
    this.document = content.document;
    this.search = new SectionSearch(content.document, content.vocabulary);
    this.router = new IntentRouter(content.vocabulary);
    this.byNumber = new Map(content.document.sections.map((s) => [s.number, s]));
    const examples: Example[] = [];
    for (const sec of content.document.sections) {
      const add = (t: string, weight: number) => examples.push({ label: sec.number, features: messageFeatures(this.search.analyse(t).terms, this.features), weight });
      sec.questions.forEach((q) => add(q, 1));
      sec.keyPoints.forEach((k) => add(k, 0.5));
      add(sec.title, 0.5);
      if (options.trainOnKeywords) sec.keywords.forEach((k) => add(k, 0.5));
    }
    if (this.tuning.notCoveredClass) {
      for (const q of content.vocabulary.examples.not_covered) {
        examples.push({ label: NOT_COVERED_LABEL, features: messageFeatures(this.search.analyse(q).terms, this.features), weight: 1 });
      }
    }
    this.model = new SoftmaxRegression(examples);
    const feats = (t: string) => messageFeatures(this.search.analyse(t).terms, this.features);
    this.intentModel =
      this.tuning.incidentProbability > 0 && content.vocabulary.examples.report_incident.length > 0
        ? new SoftmaxRegression([
            ...content.vocabulary.examples.report_incident.map((q) => ({ label: 'report_incident', features: feats(q), weight: 1 })),
            ...content.document.sections.flatMap((sec) => sec.questions.map((q) => ({ label: 'guidance', features: feats(q), weight: 1 }))),
            ...content.vocabulary.examples.not_covered.map((q) => ({ label: 'guidance', features: feats(q), weight: 1 })),
          ])
        : null;
    const hash = createHash('sha256').update(JSON.stringify([content.document, content.vocabulary])).digest('hex').slice(0, 8);
    this.engineVersion = `${ENGINE_ALGORITHM}/${content.document.version}/${hash}`;
  }

  section(number: string): GuidanceSection | undefined {
    return this.byNumber.get(number);
  }

  /** Every section in document order, for the topics card. */
  topics(): Topic[] {
    return this.document.sections.map((s) => ({ number: s.number, title: s.title, parent: s.parent }));
  }

  answer(question: string): Answer {
    const text = truncateQuestion(typeof question === 'string' ? question : '');
    const command = sectionCommand(text);
    if (command && this.byNumber.has(command)) {
      return { intent: 'guidance', section: command, score: 1, alternatives: [], clarify: false };
    }
    const query = this.search.analyse(text);
    let routed = this.router.route(query);
    if (routed.kind === 'search' && this.intentModel) {
      const p = this.intentModel.probabilities(messageFeatures(query.terms, this.features)).get('report_incident') ?? 0;
      if (p >= this.tuning.incidentProbability) routed = { kind: 'report_incident' };
    }
    if (routed.kind !== 'search' && routed.kind !== 'report_incident' && routed.kind !== 'injury_photo') {
      return { intent: routed.kind, section: null, score: 0, alternatives: [], clarify: false };
    }
    const ranked = this.search.search(query);
    const matches = ranked.map(({ section, score }) => ({ section, score }));
    const confident = matches.filter((m) => m.score >= this.threshold);

    if (routed.kind === 'injury_photo') {
      const own = matches.find((m) => m.section === INJURY_SECTION);
      return { intent: 'injury_photo', section: INJURY_SECTION, score: Math.max(own?.score ?? 0, this.threshold), alternatives: withoutSection(confident, INJURY_SECTION), clarify: false };
    }
    if (routed.kind === 'report_incident') {
      // The router names the section for a kind of incident it recognises; otherwise 2.5 (report it to your
      // line manager), unless the search is confident about one of the other sections that deal with incidents.
      const searched = confident.find((m) => INCIDENT_SECTIONS.has(m.section));
      const section = routed.section ?? (searched && searched.score >= INCIDENT_OVERRIDE ? searched.section : REPORT_SECTION);
      const own = matches.find((m) => m.section === section);
      const score = Math.max(own?.score ?? 0, this.threshold);
      return { intent: 'report_incident', section, score, alternatives: withoutSection(confident, section), clarify: false };
    }
    // The search decides whether the question is covered and which sections are candidates; the model, which has
    // learnt what tells sections apart, has a say (MODEL_SHARE) in their order.
    let candidates = this.reorder(ranked.filter((m) => m.score >= this.threshold), query.terms);
    // Calibrated refusal: the model, which has also learnt the not-covered phrasings as a class of their own, can
    // decline a question the search would answer ("apply for a job in the council's digital team" shares words
    // with 1 but is plainly admin). It never answers a question the search declines.
    const { notCoveredClass, refuseProbability } = this.tuning;
    if (candidates.length > 0 && notCoveredClass && refuseProbability > 0) {
      const p = this.model.probabilities(messageFeatures(query.terms, this.features));
      if ((p.get(NOT_COVERED_LABEL) ?? 0) >= refuseProbability) candidates = [];
    }
    const top = candidates[0];
    if (top) {
      const rest = candidates.slice(1, 4).map(({ section, score }) => ({ section, score }));
      return { intent: 'guidance', section: top.section, score: top.score, alternatives: rest, clarify: this.hesitates(candidates) };
    }
    // Nothing in the guidance is close enough: say so, never guess.
    return {
      intent: this.router.isAboutSocialMedia(query) ? 'guidance' : 'out_of_scope',
      section: null,
      score: matches[0]?.score ?? 0,
      alternatives: [],
      clarify: false,
    };
  }

  /** The search's best candidates (up to 4) in the search's order blended with the model's view. */
  private reorder(confident: RankedMatch[], terms: string[]): RankedMatch[] {
    if (confident.length < 2) return confident;
    const head = confident.slice(0, 4);
    const p = this.model.probabilities(messageFeatures(terms, this.features));
    // Fused by position, not by raw strength: the search's order gives 1, 0.9, 0.8, 0.7, so the model moves a section
    // up one place when it is clearly surer of it (blending the raw strengths instead was measured and did worse).
    const value = head.map((m, i) => ({ m, v: (1 - this.modelShare) * (1 - 0.1 * i) + this.modelShare * (p.get(m.section) ?? 0) }));
    return [...value.sort((a, b) => b.v - a.v).map((x) => x.m), ...confident.slice(4)];
  }

  /**
   * "Did you mean…?": the runner-up matches nearly as strongly as the best (its ranking strength at least
   * CLARIFY_RATIO of the best's), or the best is only just above the threshold (within CLARIFY_BAND).
   */
  private hesitates(confident: RankedMatch[]): boolean {
    const [top, next] = confident;
    if (next && next.rank >= CLARIFY_RATIO * top.rank) return true;
    return top.score < this.threshold + CLARIFY_BAND;
  }
}

function withoutSection(matches: SectionMatch[], section: string): SectionMatch[] {
  return matches.filter((m) => m.section !== section).slice(0, 3);
}

/** Builds the engine from already-validated content (see loadGuidanceContent / parseGuidance / parseVocabulary). */
export function createGuidanceEngine(document: GuidanceDocument, vocabulary: Vocabulary, options: EngineOptions = {}): GuidanceEngine {
  return new GuidanceEngine({ document, vocabulary }, options);
}
