/**
 * Loads and validates the guidance content and the staff vocabulary (content/*.json). A broken file stops the
 * start with a message naming the file and the exact field that is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeepSafeError } from '../../errors';
import { LABELLED_INTENTS, type GuidanceDocument, type LabelledQuestion } from './types';

const SECTION_NUMBER = /^[1-9](\.[1-9]){0,2}$/;
const text = z.string().trim().min(1, 'must not be empty');
/** A staff phrasing is one short question, not a paragraph. */
const QUESTION_MAX = 160;

const SectionSchema = z.strictObject({
  number: z.string().regex(SECTION_NUMBER, 'must be a section number like "2.3.1"'),
  title: text,
  parent: z.string().regex(SECTION_NUMBER).nullable(),
  keyPoints: z
    .array(text.max(220, 'must be short enough for a phone screen (220 characters)'))
    .min(1, 'must have at least 1 item')
    .max(6, 'must have at most 6 items (short enough for a phone screen)'),
  questions: z
    .array(text.max(QUESTION_MAX, `must be a short question (${QUESTION_MAX} characters at most)`))
    .default([]),
  paragraphs: z.array(text).min(1, 'must have at least 1 item'),
  related: z.array(z.string().regex(SECTION_NUMBER)),
  keywords: z.array(text).default([]),
});

const DocumentSchema = z.strictObject({
  title: text,
  owner: text,
  version: text,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-25'),
  references: z.array(text).default([]),
  sections: z.array(SectionSchema).min(1, 'must have at least 1 item'),
});

const VocabularySchema = z.strictObject({
  about: z.string().optional(),
  /**
   * Example messages the way staff write them, for answers that are not a section: injury-photo questions, and
   * social-media questions the guidance does not cover. (Incidents, which concern a section each, are labelled
   * rows of content/staff-questions.tsv.)
   */
  examples: z
    .strictObject({
      injury_photo: z
        .array(text.max(QUESTION_MAX, `must be a short message (${QUESTION_MAX} characters at most)`))
        .default([]),
      /**
       * Social-media questions the guidance does NOT cover (running a team page, getting followers, app how-tos):
       * a question closer to these than to any section is declined as "not covered".
       */
      not_covered: z
        .array(text.max(QUESTION_MAX, `must be a short question (${QUESTION_MAX} characters at most)`))
        .default([]),
    })
    .default({ injury_photo: [], not_covered: [] }),
  synonyms: z.record(z.string().min(1), text),
  stopwords: z.array(text),
  domainTerms: z.array(text),
  intents: z.strictObject({
    greeting: z.array(text),
    help: z.array(text),
    topics: z.array(text),
    injury: z.array(text),
    injuryStrong: z.array(text),
    photo: z.array(text),
    /** Words that are injuries only about a person or a body ("cut", "burn", "hit", "marks"): see bodyContext. */
    ambiguousInjury: z.array(text).default([]),
    /** Body parts and people an injury can be on ("arm", "face", "child", "service user"). */
    bodyContext: z.array(text).default([]),
    photoEvidence: z.array(text),
    abuseContext: z.array(text),
    /**
     * A worker asking to report or log something ("i want to report", "need to log", "how do i report"): a question
     * the guidance covers, asked this way, gets the report card (which shows the section too).
     */
    reportRequest: z.array(text).default([]),
  }),
});

export type Vocabulary = z.infer<typeof VocabularySchema>;

function formatIssue(file: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    '',
  );
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = `is missing (expected ${issue.expected})`;
  } else if (issue.code === 'invalid_type') {
    message = `must be ${issue.expected === 'array' ? 'a list [...]' : issue.expected === 'object' ? 'an object {...}' : `a ${issue.expected}`}`;
  }
  return `${file}: ${where || '(top level)'} ${message}`;
}

function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    fail(displayName(file), `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (err) {
    fail(displayName(file), `is not valid JSON (${(err as Error).message})`);
  }
}

function fail(file: string, message: string): never {
  const err = new KeepSafeError('CONTENT_INVALID', `${file}: ${message}`);
  err.message = `${file}: ${message}`;
  throw err;
}

export function parseGuidance(data: unknown, file = 'content/guidance.json'): GuidanceDocument {
  const result = DocumentSchema.safeParse(data);
  if (!result.success) fail(file, formatIssue('', result.error.issues[0]).replace(/^: /, ''));
  const doc = result.data as GuidanceDocument;
  const numbers = new Set<string>();
  doc.sections.forEach((s, i) => {
    if (numbers.has(s.number)) fail(file, `sections[${i}].number "${s.number}" is used twice`);
    numbers.add(s.number);
    if (s.number.startsWith('3')) fail(file, `sections[${i}].number "${s.number}": the guidance has no section 3`);
  });
  // A phrasing listed twice (in one section or two) is a slip, and under two sections it teaches the engine nothing.
  const phrasings = new Map<string, string>();
  doc.sections.forEach((s, i) => {
    s.questions.forEach((q, j) => {
      const key = q
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
      const here = `sections[${i}].questions[${j}]`;
      const first = phrasings.get(key);
      if (first) fail(file, `${here} "${q}" repeats ${first}`);
      phrasings.set(key, here);
    });
  });
  doc.sections.forEach((s, i) => {
    if (s.parent !== null && !numbers.has(s.parent)) fail(file, `sections[${i}].parent "${s.parent}" is not a section`);
    if (s.parent !== null && !s.number.startsWith(`${s.parent}.`))
      fail(file, `sections[${i}].parent "${s.parent}" does not contain section ${s.number}`);
    s.related.forEach((r, j) => {
      if (!numbers.has(r)) fail(file, `sections[${i}].related[${j}] "${r}" is not a section`);
      if (r === s.number) fail(file, `sections[${i}].related[${j}] points at the section itself`);
    });
  });
  return doc;
}

/**
 * Fields of content/vocabulary.json that ks-engine-6 retired (the rule engine's incident and work-admin cue lists,
 * and incident examples, now labelled rows of content/staff-questions.tsv). A council's own copy may still have
 * them: they are ignored, with a notice at start-up, rather than stopping the start.
 */
const RETIRED_VOCABULARY = {
  top: ['genericDomainTerms'],
  examples: ['report_incident'],
  intents: [
    'incident',
    'accountTakeover',
    'aimedAtMe',
    'impersonation',
    'personalContact',
    'postedOfMe',
    'postVerb',
    'removal',
    'workContext',
    'harm',
    'prevention',
    'selfRef',
    'report',
    'outOfScope',
    'workSystems',
    'offlineObjects',
    'contactRequest',
    'clientOrFamily',
    'familyMember',
    'hypothetical',
    'whatNow',
    'reportTask',
  ],
} as const;

/** The retired fields a vocabulary has ("intents.workSystems"...), removing them when `remove` is set. */
function retiredFields(data: unknown, remove = false): string[] {
  const found: string[] = [];
  if (!data || typeof data !== 'object') return found;
  const take = (holder: unknown, keys: readonly string[], prefix: string) => {
    if (!holder || typeof holder !== 'object') return;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(holder, k)) continue;
      if (remove) delete (holder as Record<string, unknown>)[k];
      found.push(prefix + k);
    }
  };
  const v = data as Record<string, unknown>;
  take(v, RETIRED_VOCABULARY.top, '');
  take(v.examples, RETIRED_VOCABULARY.examples, 'examples.');
  take(v.intents, RETIRED_VOCABULARY.intents, 'intents.');
  return found;
}

/** Retired fields are ignored (see RETIRED_VOCABULARY); loadGuidanceContent names them in its notices. */
export function parseVocabulary(data: unknown, file = 'content/vocabulary.json'): Vocabulary {
  const copy = data && typeof data === 'object' ? structuredClone(data) : data;
  retiredFields(copy, true);
  const result = VocabularySchema.safeParse(copy);
  if (!result.success) fail(file, formatIssue('', result.error.issues[0]).replace(/^: /, ''));
  const seen = new Map<string, string>();
  for (const [intent, list] of Object.entries(result.data.examples)) {
    list.forEach((q, j) => {
      const key = q
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
      const here = `examples.${intent}[${j}]`;
      const first = seen.get(key);
      if (first) fail(file, `${here} "${q}" repeats ${first}`);
      seen.set(key, here);
    });
  }
  return result.data;
}

/** Rows of this split are only ever measured, never learnt from. */
export const HOLDOUT_SPLIT = 'holdout';
/** A labelled question may be a story of a few sentences: the engine's own cut (engine.ts) bounds it too. */
const LABELLED_MAX = 1000;
const SPLIT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/**
 * Parses content/staff-questions.tsv: one question per line, `split<TAB>intent<TAB>section<TAB>also_ok<TAB>question`
 * ("-" for no section or no alternatives; also_ok comma-separated), "#" lines are comments. Every section named must
 * be one of the guidance's; the same question may not be labelled two different ways.
 */
export function parseLabelledQuestions(
  text: string,
  sections: ReadonlySet<string>,
  file = 'content/staff-questions.tsv',
): LabelledQuestion[] {
  const out: LabelledQuestion[] = [];
  const seen = new Map<string, { label: string; line: number }>();
  const intents: readonly string[] = LABELLED_INTENTS;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((row, i) => {
      const line = i + 1;
      if (!row.trim() || row.startsWith('#')) return;
      const where = `${file}:${line}`;
      const cols = row.split('\t');
      if (cols.length !== 5)
        fail(
          where,
          `expected 5 tab-separated columns (split, intent, section, also_ok, question), found ${cols.length}`,
        );
      const [split, intent, section, alsoOk, raw] = cols.map((c) => c.trim());
      if (!SPLIT_NAME.test(split)) fail(where, `split "${split}" must be a short name of letters and digits`);
      if (!intents.includes(intent)) fail(where, `intent "${intent}" must be one of ${LABELLED_INTENTS.join(', ')}`);
      const named = section === '-' ? null : section;
      const also = alsoOk === '-' ? [] : alsoOk.split(',').map((s) => s.trim());
      for (const s of [named, ...also]) {
        if (s !== null && !sections.has(s)) fail(where, `"${s}" is not a section of the guidance`);
      }
      if (!raw) fail(where, 'the question is empty');
      if (raw.length > LABELLED_MAX) fail(where, `the question is longer than ${LABELLED_MAX} characters`);
      const key = raw
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
      const label = `${intent}/${named ?? '-'}`;
      const first = seen.get(key);
      if (first && first.label !== label)
        fail(where, `"${raw}" is labelled ${first.label} on line ${first.line} and ${label} here`);
      if (!first) seen.set(key, { label, line });
      out.push({
        split,
        intent: intent as LabelledQuestion['intent'],
        section: named,
        alsoOk: also,
        question: raw,
        line,
      });
    });
  return out;
}

export interface GuidanceContent {
  document: GuidanceDocument;
  vocabulary: Vocabulary;
  /** Labelled staff questions (content/staff-questions.tsv): what the section model learns from, with the phrasings. */
  questions: LabelledQuestion[];
  /** What an operator should know about the content at start-up (a missing file, retired fields ignored). */
  notices?: string[];
}

/**
 * Reads content/guidance.json, content/vocabulary.json and content/staff-questions.tsv (optional: without it the
 * engine learns from the phrasings alone) from a folder and validates all three.
 */
export function loadGuidanceContent(contentDir: string): GuidanceContent {
  const docFile = path.join(contentDir, 'guidance.json');
  const vocabFile = path.join(contentDir, 'vocabulary.json');
  const questionsFile = path.join(contentDir, 'staff-questions.tsv');
  const document = parseGuidance(readJson(docFile), displayName(docFile));
  let tsv = '';
  const notices: string[] = [];
  try {
    tsv = fs.readFileSync(questionsFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') fail(displayName(questionsFile), `cannot be read (${code ?? 'error'})`);
    notices.push(
      `${displayName(questionsFile)} is missing: the engine learns from the phrasings alone, with no incident or work-admin examples, so incidents do not reach the report card`,
    );
  }
  const vocabData = readJson(vocabFile);
  const retired = retiredFields(vocabData);
  if (retired.length > 0)
    notices.push(`${displayName(vocabFile)}: ${retired.join(', ')} retired and ignored (docs/editing-guidance.md)`);
  return {
    document,
    vocabulary: parseVocabulary(vocabData, displayName(vocabFile)),
    questions: parseLabelledQuestions(tsv, new Set(document.sections.map((s) => s.number)), displayName(questionsFile)),
    notices,
  };
}

/** "content/guidance.json" rather than an absolute path when the file is under the working folder. */
function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
