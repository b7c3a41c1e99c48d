/**
 * The guidance engine: one question in, one decision out (intent, section, confidence). Pure and synchronous;
 * used by the Teams layer and by the `ask` CLI alike.
 */
import type { GuidanceContent } from './content';
import { IntentRouter } from './intent';
import { CONFIDENCE_THRESHOLD, SectionSearch } from './search';
import type { Answer, GuidanceDocument, GuidanceSection, SectionMatch } from './types';

/** Questions are cut to this length before analysis: enough for any real question, bounded work for a paste. */
export const MAX_QUESTION_LENGTH = 1000;
const INJURY_SECTION = '2.3.2';
const REPORT_SECTION = '2.5';
/** Sections that say what to do when something has happened (a post about you, a hack, a breach). */
const INCIDENT_SECTIONS = new Set(['1', '2.1', '2.4', '2.5']);
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

  constructor(content: GuidanceContent) {
    this.document = content.document;
    this.search = new SectionSearch(content.document, content.vocabulary);
    this.router = new IntentRouter(content.vocabulary);
    this.byNumber = new Map(content.document.sections.map((s) => [s.number, s]));
  }

  section(number: string): GuidanceSection | undefined {
    return this.byNumber.get(number);
  }

  answer(question: string): Answer {
    const text = question.slice(0, MAX_QUESTION_LENGTH);
    const command = sectionCommand(text);
    if (command && this.byNumber.has(command)) {
      return { intent: 'guidance', section: command, score: 1, alternatives: [] };
    }
    const query = this.search.analyse(text);
    const routed = this.router.route(query);
    if (routed.kind !== 'search' && routed.kind !== 'report_incident' && routed.kind !== 'injury_photo') {
      return { intent: routed.kind, section: null, score: 0, alternatives: [] };
    }
    const matches = this.search.search(query);
    const confident = matches.filter((m) => m.score >= CONFIDENCE_THRESHOLD);
    const alternatives = confident.slice(1, 4);

    if (routed.kind === 'injury_photo') {
      const own = matches.find((m) => m.section === INJURY_SECTION);
      return { intent: 'injury_photo', section: INJURY_SECTION, score: Math.max(own?.score ?? 0, CONFIDENCE_THRESHOLD), alternatives: withoutSection(confident, INJURY_SECTION) };
    }
    if (routed.kind === 'report_incident') {
      const best = confident.find((m) => INCIDENT_SECTIONS.has(m.section));
      const section = best?.section ?? REPORT_SECTION;
      return { intent: 'report_incident', section, score: best?.score ?? CONFIDENCE_THRESHOLD, alternatives: withoutSection(confident, section) };
    }
    const top = confident[0];
    if (top) return { intent: 'guidance', section: top.section, score: top.score, alternatives };
    // Nothing in the guidance is close enough: say so, never guess.
    return {
      intent: this.router.isAboutSocialMedia(query) ? 'guidance' : 'out_of_scope',
      section: null,
      score: matches[0]?.score ?? 0,
      alternatives: [],
    };
  }
}

function withoutSection(matches: SectionMatch[], section: string): SectionMatch[] {
  return matches.filter((m) => m.section !== section).slice(0, 3);
}
