/**
 * The guidance engine: one question in, one decision out (intent, section, confidence). Pure and synchronous;
 * used by the Teams layer and by the `ask` CLI alike.
 *
 * Cue words decide what they decide safely (a greeting, help, the topic list, and anything about injuries or signs
 * of abuse seen at work: what the injury cues catch always gets the photo walkthrough, whatever the model thinks). Every other question goes to the section
 * model, trained at start-up on each section's phrasings and the labelled staff questions, which chooses between the
 * sections, "report this to your line manager" (an incident, with the section it concerns), the injury-photo rule
 * and "the guidance does not cover that". When it is unsure it says so: below the threshold it declines, and when
 * two sections are close or its confidence is middling the bot asks "did you mean…?".
 */
import { createHash } from 'node:crypto';
import { HOLDOUT_SPLIT, type GuidanceContent, type Vocabulary } from './content';
import { QueryAnalyser } from './analyser';
import { IntentRouter } from './intent';
import { questionFeatures, SoftmaxRegression, type Example } from './model';
import type { Answer, GuidanceDocument, GuidanceSection, LabelledQuestion, SectionMatch } from './types';

/** Questions are cut to this length before analysis: enough for any real question, bounded work for a paste. */
export const MAX_QUESTION_LENGTH = 1000;
/** How much of a long message the injury cues read (they are cheap): a story may come to the injury late. */
const INJURY_READ_LENGTH = 10_000;

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
/** Where an incident is reported when its example names no section: 2.5, report it to your line manager. */
const REPORT_SECTION = '2.5';
/**
 * Below this probability of its best answer the model declines ("the guidance doesn't cover that") rather than guess.
 * Chosen by leave-one-split-out (scripts/eval-loso.ts): the model's answers below it were right less than a third
 * of the time.
 */
export const CONFIDENCE_THRESHOLD = 0.2;
/** The report route is taken only when an incident is at least this likely (chosen by leave-one-split-out). */
export const INCIDENT_MIN = 0.35;
/** An incident at least this share as likely as a question about the same section is reported (leave-one-split-out). */
export const REPORT_TIE = 0.75;
/** A runner-up section at least this share as likely as the best is "close": the bot asks which was meant. */
export const CLARIFY_RATIO = 0.5;
/** A best section less than this above the threshold is "middling" confidence: the bot asks too. */
export const CLARIFY_BAND = 0.3;
/** Sections at least this likely are offered as alternatives ("did you mean", related). */
const ALTERNATIVE_FLOOR = 0.05;
/** A declined question's nearest section is named when it is at least this likely (else "no section near"). */
export const NEAREST_SECTION_FLOOR = 0.1;
/**
 * The engine's algorithm; bump when the matching changes. engineVersion adds the guidance version and a hash of
 * the content it was built from, so a record of a choice says exactly which engine and content hesitated.
 */
export const ENGINE_ALGORITHM = 'ks-engine-7';

/**
 * The model's labels beside the section numbers. Two ways of not being covered, learnt apart so a decline says which
 * (a question about social media the guidance does not answer, or one about something else: leave, pay, IT), and
 * counted together when deciding whether to decline.
 */
const NOT_COVERED = '-';
const OUT_OF_SCOPE = 'x';
const PHOTO = 'photo';
const INCIDENT = 'incident:';

/** Tuning knobs, for calibration and the leave-one-split-out evaluation (scripts/eval-loso.ts); defaults above. */
export interface EngineOptions {
  threshold?: number;
  /**
   * Which labelled staff questions to learn from. Default: every row but the holdout split, which is only ever
   * measured. The leave-one-split-out evaluation leaves out the split it scores.
   */
  learnFrom?: (q: LabelledQuestion) => boolean;
}
const SECTION_COMMAND = /^\s*(?:section|sect|s|§)?\s*(\d(?:\.\d){0,2})\s*\.?\s*$/i;

/** "section 2.3.2", "s 2.4" or a bare "2.1": the section number asked for (which may not exist), else null. */
export function sectionCommand(text: string): string | null {
  return SECTION_COMMAND.exec(text)?.[1] ?? null;
}

/** The model's label for a labelled question, or null for rows it does not learn from (greetings, help, topics). */
function labelOf(q: LabelledQuestion): string | null {
  switch (q.intent) {
    case 'guidance':
      return q.section ?? NOT_COVERED;
    case 'out_of_scope':
      return OUT_OF_SCOPE;
    case 'injury_photo':
      return PHOTO;
    case 'report_incident':
      return `${INCIDENT}${q.section ?? REPORT_SECTION}`;
    default:
      return null;
  }
}

export class GuidanceEngine {
  readonly document: GuidanceDocument;
  private readonly analyser: QueryAnalyser;
  private readonly router: IntentRouter;
  private readonly byNumber: Map<string, GuidanceSection>;
  private readonly model: SoftmaxRegression;

  /** "ks-engine-7/<guidance version>/<content hash>": for records of "did you mean" choices (no question text). */
  readonly engineVersion: string;

  /** Probability below which a question is "not covered" (CONFIDENCE_THRESHOLD unless overridden, e.g. to calibrate). */
  readonly threshold: number;

  constructor(content: GuidanceContent, options: EngineOptions = {}) {
    this.threshold = options.threshold ?? CONFIDENCE_THRESHOLD;
    this.document = content.document;
    this.analyser = new QueryAnalyser(content.document, content.vocabulary);
    this.router = new IntentRouter(content.vocabulary);
    this.byNumber = new Map(content.document.sections.map((s) => [s.number, s]));
    const learnFrom = options.learnFrom ?? ((q: LabelledQuestion) => q.split !== HOLDOUT_SPLIT);
    const examples: Example[] = [];
    const add = (label: string, text: string) =>
      examples.push({ label, features: questionFeatures(this.analyser.analyse(text)), weight: 1 });
    for (const sec of content.document.sections) sec.questions.forEach((q) => add(sec.number, q));
    const { examples: intents } = content.vocabulary;
    intents.not_covered.forEach((q) => add(NOT_COVERED, q));
    intents.injury_photo.forEach((q) => add(PHOTO, q));
    for (const q of content.questions) {
      const label = labelOf(q);
      if (label && learnFrom(q)) add(label, q.question);
    }
    this.model = new SoftmaxRegression(examples);
    const hash = createHash('sha256')
      .update(JSON.stringify([content.document, content.vocabulary, content.questions]))
      .digest('hex')
      .slice(0, 8);
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
    const text = asQuestion(question);
    const command = sectionCommand(text);
    if (command && this.byNumber.has(command)) {
      return { intent: 'guidance', section: command, score: 1, alternatives: [], clarify: false };
    }
    const query = this.analyser.analyse(text);
    let routed = this.router.route(query);
    // A long story can tell of an injury after the cut: the injury cues read the whole message (up to
    // INJURY_READ_LENGTH), so the photo walkthrough is not missed because the question came late.
    const whole = typeof question === 'string' ? question : '';
    if (routed.kind === 'question' && whole.length > text.length) {
      const all = this.router.route(this.analyser.analyse(truncateQuestion(whole, INJURY_READ_LENGTH)));
      if (all.kind === 'injury_photo') routed = all;
    }
    if (routed.kind === 'greeting' || routed.kind === 'help' || routed.kind === 'topics') {
      return { intent: routed.kind, section: null, score: 0, alternatives: [], clarify: false };
    }
    const ranked = this.rank(query);
    const sections = ranked.filter((r) => this.byNumber.has(r.label));
    const alternatives = (except: string) =>
      sections
        .filter((r) => r.label !== except && r.p >= ALTERNATIVE_FLOOR)
        .slice(0, 3)
        .map((r) => ({ section: r.label, score: round(r.p) }));
    // A vague message ("friends", "photos") is a question, not news of something to report.
    let top =
      ranked[0]?.label.startsWith(INCIDENT) && ranked[0].p < INCIDENT_MIN ? (ranked[1] ?? ranked[0]) : ranked[0];
    // News to report (all incidents together, likeliest under this section) and a question about this section,
    // nearly as likely: report. The report route shows that section too, so a worker who only had a question loses
    // nothing, and one who had something to report is not left without the report card.
    const sameSection =
      top && this.byNumber.has(top.label) ? ranked.find((r) => r.label === `${INCIDENT}${top.label}`) : undefined;
    if (top && sameSection && sameSection.p >= INCIDENT_MIN && sameSection.p >= REPORT_TIE * top.p) top = sameSection;
    // The photo rule close behind the best answer wins it: for a question about photographing what was seen on a
    // visit, the walkthrough (advice first) is the safe side.
    const photo = ranked.find((r) => r.label === PHOTO);
    if (top && photo && photo !== top && photo.p >= this.threshold && photo.p >= CLARIFY_RATIO * top.p) top = photo;
    // Asked in so many words to report or log something the guidance covers: the report card, with its section.
    // Work admin ("how do i report a fault with my phone") stays declined.
    if (top && top.label !== PHOTO && routed.kind !== 'injury_photo' && this.router.asksToReport(query)) {
      const workAdmin = ranked.find((r) => r.label === NOT_COVERED)?.outOfScope === true;
      if (this.byNumber.has(top.label) && top.p >= this.threshold) {
        top = { label: `${INCIDENT}${top.label}`, p: top.p };
      } else if (!top.label.startsWith(INCIDENT) && !workAdmin && this.router.isAboutSocialMedia(query)) {
        top = { label: `${INCIDENT}${REPORT_SECTION}`, p: top.p };
      }
    }
    if (routed.kind === 'injury_photo' || top?.label === PHOTO) {
      return {
        intent: 'injury_photo',
        section: INJURY_SECTION,
        score: routed.kind === 'injury_photo' ? 1 : round(top!.p),
        alternatives: alternatives(INJURY_SECTION),
        clarify: false,
      };
    }
    // An incident below the threshold is only ever a worker's own request to report (above): it is not declined.
    if (!top || top.label === NOT_COVERED || (top.p < this.threshold && !top.label.startsWith(INCIDENT))) {
      // Nothing in the guidance is likely enough: say so, never guess.
      const declined = ranked.find((r) => r.label === NOT_COVERED);
      // Outside what KeepSafe answers when nothing in it is about social media, or when it reads like the work admin
      // (leave, pay, IT log-ins) the model learnt as out of scope; otherwise a social-media question the guidance lacks.
      const outOfScope =
        !this.router.isAboutSocialMedia(query) || (top?.label === NOT_COVERED && declined?.outOfScope === true);
      return {
        intent: outOfScope ? 'out_of_scope' : 'guidance',
        section: null,
        score: round(sections[0]?.p ?? 0),
        alternatives: [],
        clarify: false,
      };
    }
    if (top.label.startsWith(INCIDENT)) {
      const section = top.label.slice(INCIDENT.length);
      return {
        intent: 'report_incident',
        section,
        score: round(top.p),
        alternatives: alternatives(section),
        clarify: false,
      };
    }
    const rest = alternatives(top.label);
    return {
      intent: 'guidance',
      section: top.label,
      score: round(top.p),
      alternatives: rest,
      clarify: this.hesitates(top.p, rest[0]),
    };
  }

  /**
   * The section most likely for a question, whatever the engine answered (a declined question's nearest section,
   * for the content-gap report and the ask-a-manager card), or null when none is at least NEAREST_SECTION_FLOOR likely.
   */
  nearestSection(question: string): string | null {
    const best = this.rank(this.analyser.analyse(asQuestion(question))).find((r) => this.byNumber.has(r.label));
    return best && best.p >= NEAREST_SECTION_FLOOR ? best.label : null;
  }

  /**
   * The model's answers, most likely first; empty when nothing typed is known to the model (no evidence at all). The
   * two ways of not being covered count as one answer (outOfScope says which is likelier), and so do the incidents,
   * under the section likeliest for them: "report it" is one answer whichever section the incident concerns, and
   * split by section it would lose to a single section it shares words with.
   */
  private rank(query: ReturnType<QueryAnalyser['analyse']>): { label: string; p: number; outOfScope?: boolean }[] {
    const probabilities = this.model.probabilities(questionFeatures(query), { knownOnly: true });
    if (!probabilities) return [];
    const out: { label: string; p: number; outOfScope?: boolean }[] = [];
    let incident: { label: string; p: number; best: number } | undefined;
    const outside = probabilities.get(OUT_OF_SCOPE) ?? 0;
    const notCovered = probabilities.get(NOT_COVERED) ?? 0;
    if (probabilities.has(OUT_OF_SCOPE) || probabilities.has(NOT_COVERED)) {
      out.push({ label: NOT_COVERED, p: notCovered + outside, outOfScope: outside > notCovered });
    }
    for (const [label, p] of probabilities) {
      if (label === OUT_OF_SCOPE || label === NOT_COVERED) continue;
      if (label.startsWith(INCIDENT)) {
        if (!incident) incident = { label, p: 0, best: 0 };
        incident.p += p;
        if (p > incident.best) Object.assign(incident, { label, best: p });
      } else out.push({ label, p });
    }
    if (incident) out.push({ label: incident.label, p: incident.p });
    return out.sort((a, b) => b.p - a.p);
  }

  /** "Did you mean…?": the runner-up is close (CLARIFY_RATIO of the best), or the best only just clears the threshold. */
  private hesitates(best: number, next: SectionMatch | undefined): boolean {
    if (next && next.score >= CLARIFY_RATIO * best) return true;
    return best < this.threshold + CLARIFY_BAND;
  }
}

/** What a caller passed, as a question: a non-string is an empty one, a paste is cut at MAX_QUESTION_LENGTH. */
function asQuestion(question: unknown): string {
  return truncateQuestion(typeof question === 'string' ? question : '');
}

function round(p: number): number {
  return Math.round(p * 1000) / 1000;
}

/** Builds the engine from already-validated content (see loadGuidanceContent / parseGuidance / parseVocabulary). */
export function createGuidanceEngine(
  document: GuidanceDocument,
  vocabulary: Vocabulary,
  options: EngineOptions & { questions?: LabelledQuestion[] } = {},
): GuidanceEngine {
  return new GuidanceEngine({ document, vocabulary, questions: options.questions ?? [] }, options);
}
