/**
 * The one command table. Commands a worker or manager types ("my records", "report an incident") are
 * recognised before the guidance search; the same entries give the help card its buttons and the Teams
 * manifest its command menus (tests/features/commands-table.test.ts checks appPackage/manifest.json against it),
 * and src/features/routes.ts has one route per command. A polite wrapper ("can I see my records please") and a
 * slip of the keyboard ("my recrods") still count, but a question that merely mentions records ("how long do we
 * keep records?") does not: the whole message must be the command.
 */
import { distance } from 'fastest-levenshtein';

export type CommandName =
  | 'my_records'
  | 'team_records'
  | 'report_incident'
  | 'open_incidents'
  | 'set_managers_channel'
  | 'photo_decision'
  | 'log_consent'
  | 'my_consent_log'
  | 'team_consent_log'
  | 'guidance_gaps'
  | 'failed_messages'
  | 'print_body_map';

export type MenuScope = 'personal' | 'team';

/** A button on the help card: a short title for a phone, what it does, and its place on the card. */
export interface HelpButton {
  title: string;
  description: string;
  rank: number;
}

export interface CommandSpec {
  name: CommandName;
  /** What to type, and the manifest's command title (at most 32 characters). */
  title: string;
  /** The manifest's description (at most 128 characters). */
  description: string;
  /** The manifest's command menus it is in, in table order (Teams shows at most ten per scope). */
  menu?: readonly MenuScope[];
  /** Its help-card button, if it has one (managers' commands are shown to managers only). */
  help?: HelpButton;
  /** Managers only (the route's guard checks; listing it here shapes help). */
  managers?: boolean;
  /** Normalised phrasings that mean this command. */
  phrases: string[];
  /** The command may end with a case reference ("team consent log LCS-123456"). */
  takesCaseRef?: boolean;
  /** The command may end with an entry's KS- reference ("body map KS-7Q2M4X1A"). */
  takesEntryRef?: boolean;
  /**
   * Phrasings that are this command only when an entry reference follows ("body map KS-7Q2M4X1A"): on their
   * own they stay a question for the guidance ("body map" asks what a body map is).
   */
  refPhrases?: string[];
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'my_records',
    title: 'my records',
    description: 'Your own recent KeepSafe entries',
    menu: ['personal'],
    help: { title: 'My records', description: 'Your own recent entries', rank: 4 },
    phrases: ['my records', 'my entries', 'my recent records', 'my recent entries', 'records i made', 'entries i made'],
  },
  {
    name: 'team_records',
    title: "my team's records",
    description: 'Entries counted by kind and week (managers)',
    menu: ['personal'],
    help: { title: "Team's records", description: 'Entries counted by kind and week', rank: 2 },
    managers: true,
    phrases: [
      'my teams records',
      'my team records',
      'team records',
      'teams records',
      'records summary',
      'team summary',
    ],
  },
  {
    name: 'report_incident',
    title: 'report an incident',
    description: 'Tell your managers about a social media incident',
    menu: ['personal'],
    help: { title: 'Report an incident', description: 'Tell your managers about a social media incident', rank: 1 },
    phrases: [
      'report an incident',
      'report incident',
      'report a incident',
      'new incident',
      'log an incident',
      'raise an incident',
      'report a concern',
    ],
  },
  {
    name: 'photo_decision',
    title: 'photo decision',
    description: 'Photographing injuries: advice, consent, body map',
    menu: ['personal'],
    help: {
      title: 'Photo decision',
      description: 'Seen injuries? Step by step: advice first, consent, body map, record',
      rank: 2,
    },
    phrases: ['photo decision', 'photograph decision', 'injury photo', 'photo walkthrough', 'start photo decision'],
  },
  {
    name: 'log_consent',
    title: 'log consent',
    description: 'Record a consent decision for evidential photos',
    menu: ['personal'],
    help: { title: 'Log consent', description: 'Record a consent decision for evidential photos', rank: 3 },
    phrases: ['log consent', 'record consent', 'log a consent decision', 'consent decision'],
  },
  {
    name: 'my_consent_log',
    title: 'my consent log',
    description: 'Consent decisions you have logged',
    menu: ['personal'],
    help: { title: 'My consent log', description: 'Consent decisions you have logged', rank: 5 },
    phrases: ['my consent log', 'my consent decisions', 'consent log', 'my consents'],
  },
  {
    name: 'set_managers_channel',
    title: 'set as managers channel',
    description: 'Post incidents and requests for advice in this channel',
    menu: ['team'],
    managers: true,
    phrases: [
      'set as managers channel',
      'set as manager channel',
      'set managers channel',
      'use this channel for managers',
      'set as the managers channel',
    ],
  },
  {
    name: 'open_incidents',
    title: 'open incidents',
    description: 'Incidents not yet resolved, with counts (managers)',
    menu: ['personal', 'team'],
    help: { title: 'Open incidents', description: 'Incidents not yet resolved', rank: 1 },
    managers: true,
    phrases: ['open incidents', 'incidents', 'open incident', 'unresolved incidents', 'list incidents'],
  },
  {
    name: 'team_consent_log',
    title: 'team consent log',
    description: "Everyone's consent decisions (managers)",
    menu: ['personal'],
    help: { title: 'Team consent log', description: "Everyone's consent decisions", rank: 3 },
    managers: true,
    takesCaseRef: true,
    phrases: [
      'team consent log',
      'teams consent log',
      'my teams consent log',
      'service consent log',
      'consent log for my team',
      'team consent decisions',
      'all consent decisions',
    ],
  },
  {
    name: 'guidance_gaps',
    title: 'guidance gaps',
    description: "Questions the guidance didn't answer well (managers)",
    menu: ['team'],
    help: { title: 'Guidance gaps', description: "Questions the guidance didn't answer well", rank: 4 },
    managers: true,
    phrases: [
      'guidance gaps',
      'guidance gap',
      'content gaps',
      'gaps report',
      'guidance gaps report',
      'content gap report',
      'unanswered questions',
    ],
  },
  {
    name: 'failed_messages',
    title: 'failed messages',
    description: 'Messages the bot could not deliver, and why (admins)',
    managers: true,
    phrases: ['failed messages', 'failed deliveries', 'undelivered messages', 'delivery failures'],
  },
  {
    name: 'print_body_map',
    title: 'print body map',
    description: 'One body map as a PNG for the case file (managers)',
    help: { title: 'Print a body map', description: 'A body map as a picture for the case file', rank: 5 },
    managers: true,
    takesEntryRef: true,
    phrases: [
      'print body map',
      'print a body map',
      'printable body map',
      'export body map',
      'export a body map',
      'body map for the case file',
      'body map copy',
    ],
    refPhrases: ['body map', 'the body map', 'body map file', 'send body map'],
  },
];

const POLITE_PREFIX =
  /^(?:(?:please|pls|plz|ok|okay|hi|hello|hey|keepsafe)\s+)*(?:(?:can|could|may)\s+i\s+(?:see|have|get|view)\s+|(?:show|list|see|view|get|open|give)\s+(?:me\s+)?|i\s+(?:want|need|would like)\s+to\s+(?:see\s+)?|i\s+(?:want|need)\s+)?/;
const POLITE_SUFFIX = /(?:\s+(?:please|pls|plz|thanks|thank you|now))+$/;

/** Lower case, apostrophes dropped (team's → teams), other punctuation to spaces, spaces collapsed. */
export function normaliseCommandText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’'`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function stripPoliteness(text: string): string {
  return text.replace(POLITE_PREFIX, '').replace(POLITE_SUFFIX, '').trim();
}

/** Edits allowed for a phrase of this length: none for very short ones, one per five characters (a swapped pair of letters is two), at most two. */
function tolerance(phrase: string): number {
  return phrase.length < 8 ? 0 : Math.min(2, Math.floor(phrase.length / 5));
}

/**
 * The command this whole message is, or null when it is something else (a question, most likely). A command
 * that takes a case reference may end with one ("team consent log LCS-123456"; parseCommandDetail returns it).
 */
export function parseCommand(text: string): CommandName | null {
  return parseCommandDetail(text)?.name ?? null;
}

function matchWhole(text: string, withRef = false): CommandName | null {
  const normalised = normaliseCommandText(text);
  if (!normalised || normalised.length > 60) return null;
  const candidates = new Set([normalised, stripPoliteness(normalised)]);
  let best: { name: CommandName; cost: number } | null = null;
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const spec of COMMANDS) {
      for (const phrase of withRef ? [...spec.phrases, ...(spec.refPhrases ?? [])] : spec.phrases) {
        if (Math.abs(phrase.length - candidate.length) > 2) continue;
        const cost = candidate === phrase ? 0 : distance(candidate, phrase);
        if (cost <= tolerance(phrase) && (!best || cost < best.cost)) best = { name: spec.name, cost };
      }
    }
  }
  return best?.name ?? null;
}

/** A case reference at the end of a command, as typed ("... LCS-123456", "... for case LCS-123456"). */
const TRAILING_CASE_REF = /^(.*?\S)\s+(?:(?:for\s+)?case\s+)?((?=[^\s]*\d)[A-Za-z0-9][A-Za-z0-9/-]{2,19})[.?!]?$/i;

/** An entry's KS- reference at the end of a command ("... KS-7Q2M4X1A", "... for KS-7Q2M4X1A"). */
const TRAILING_ENTRY_REF = /^(.*?\S)\s+(?:(?:for|of)\s+)?(?:(?:entry|reference)\s+)?(KS-[0-9A-Z]{8})[.?!]?$/i;

/**
 * The command this whole message is, with the case reference it ends with when the command takes one
 * ("team consent log LCS-123456"), or the entry reference ("body map KS-7Q2M4X1A", returned in upper case).
 * A case reference is returned as typed: the caller checks it against the configured pattern.
 */
export function parseCommandDetail(text: string): { name: CommandName; caseRef?: string; entryRef?: string } | null {
  const whole = matchWhole(text);
  if (whole) return { name: whole };
  if (text.length > 100) return null;
  const e = TRAILING_ENTRY_REF.exec(text.trim());
  if (e) {
    const name = matchWhole(e[1], true);
    if (name && commandSpec(name).takesEntryRef) return { name, entryRef: e[2].toUpperCase() };
  }
  const m = TRAILING_CASE_REF.exec(text.trim());
  if (!m) return null;
  const name = matchWhole(m[1]);
  if (!name || !commandSpec(name).takesCaseRef) return null;
  return { name, caseRef: m[2] };
}

export function commandSpec(name: CommandName): CommandSpec {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw new Error(`Unknown command ${name}`);
  return spec;
}

/** Words the menus and help offer that the guidance engine answers itself (they are not commands). */
export const MENU_WORDS: readonly {
  title: string;
  description: string;
  menu: readonly MenuScope[];
  help?: HelpButton;
}[] = [
  { title: 'help', description: 'What I can do, with example questions', menu: ['personal', 'team'] },
  {
    title: 'topics',
    description: 'List the topics in the guidance',
    menu: ['personal', 'team'],
    help: { title: 'All topics', description: 'List every topic in the guidance', rank: 6 },
  },
];

/** The manifest's command list for a scope: the menu words first, then the commands, in table order. */
export function menuCommands(scope: MenuScope): { title: string; description: string }[] {
  return [...MENU_WORDS, ...COMMANDS]
    .filter((c) => c.menu?.includes(scope))
    .map((c) => ({ title: c.title, description: c.description }));
}

/** The help card's buttons (each sends its command as if typed): for everyone, or the managers' ones. */
export function helpButtons(forManagers: boolean): { title: string; command: string; description: string }[] {
  return [...MENU_WORDS, ...COMMANDS]
    .filter(
      (c): c is typeof c & { help: HelpButton } =>
        c.help !== undefined && Boolean('managers' in c && c.managers) === forManagers,
    )
    .sort((a, b) => a.help.rank - b.help.rank)
    .map((c) => ({ title: c.help.title, command: c.title, description: c.help.description }));
}
