/**
 * What an entry is, and the rules it must meet before it is stored:
 *  - its fields fit its kind (strict schemas in kinds.ts);
 *  - a service user is identified only by a case reference (caseRef.ts), required or forbidden by kind;
 *  - entries are append-only: a correction is a new entry of the same kind that points at the old one and
 *    says why. Nothing here touches a database.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './audit';
import { CaseRefError, checkCaseRef } from './caseRef';
import { RecordInputError } from './errors';
import { isRecordKind, RECORD_KINDS, type RecordFields, type RecordKind } from './kinds';

export interface Author {
  /** The member of staff's Teams (Entra ID) AAD object id. */
  aadObjectId: string;
  /** Their display name as Teams gave it (may be empty, e.g. for feedback). */
  name: string;
}

/** An entry as a caller hands it in. `fields` is typed by kind; it is still checked at run time. */
export type NewEntry = {
  [K in RecordKind]: {
    kind: K;
    caseRef?: string | null;
    author: Author;
    fields: RecordFields<K>;
    guidanceVersion: string;
  };
}[RecordKind];

export interface StoredEntryOf<K extends RecordKind> {
  id: string;
  kind: K;
  caseRef: string | null;
  author: Author;
  /** UTC, ISO 8601 with milliseconds and Z. */
  createdAt: string;
  fields: RecordFields<K>;
  guidanceVersion: string;
  /** The id of the entry this one corrects, or null. */
  corrects: string | null;
  /** Why the correction was made (required when `corrects` is set), or null. */
  reason: string | null;
}

export type StoredEntry = { [K in RecordKind]: StoredEntryOf<K> }[RecordKind];

/** An entry that has passed every rule: case reference normalised, fields parsed (trimmed) by its schema. */
export interface ValidEntry {
  kind: RecordKind;
  caseRef: string | null;
  author: Author;
  fields: Record<string, unknown>;
  guidanceVersion: string;
}

function describeIssue(path: PropertyKey[], message: string): string {
  const where = path.length ? path.map(String).join('.') : 'The entry';
  return `${where}: ${message}`;
}

/** Checks an entry against its kind. Throws RecordInputError with a sentence naming what is wrong. */
export function validateEntry(input: unknown, caseRefPattern: RegExp): ValidEntry {
  const e = (input ?? {}) as Partial<Record<keyof NewEntry, unknown>>;
  if (!isRecordKind(e.kind)) throw new RecordInputError(`Unknown kind of record "${String(e.kind)}".`, 'kind');
  const spec = RECORD_KINDS[e.kind];

  const author = e.author as Partial<Author> | undefined;
  if (
    !author ||
    typeof author.aadObjectId !== 'string' ||
    !author.aadObjectId.trim() ||
    author.aadObjectId.length > 64
  ) {
    throw new RecordInputError('The entry has no author.', 'author');
  }
  if (author.name !== undefined && (typeof author.name !== 'string' || author.name.length > 200)) {
    throw new RecordInputError('The author name is not valid.', 'author.name');
  }
  if (typeof e.guidanceVersion !== 'string' || !e.guidanceVersion.trim() || e.guidanceVersion.length > 32) {
    throw new RecordInputError('The entry does not say which version of the guidance was in force.', 'guidanceVersion');
  }

  const given =
    e.caseRef !== undefined && e.caseRef !== null && !(typeof e.caseRef === 'string' && e.caseRef.trim() === '');
  let caseRef: string | null = null;
  if (spec.caseRef === 'none') {
    if (given) throw new RecordInputError(`A ${spec.label.toLowerCase()} does not take a case reference.`, 'caseRef');
  } else if (spec.caseRef === 'required' || given) {
    try {
      caseRef = checkCaseRef(e.caseRef, caseRefPattern);
    } catch (err) {
      if (err instanceof CaseRefError) throw new RecordInputError(err.message, 'caseRef');
      throw err;
    }
  }

  const parsed = spec.fields.safeParse(e.fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RecordInputError(
      describeIssue(issue.path, issue.message),
      ['fields', ...issue.path.map(String)].join('.'),
    );
  }
  return {
    kind: e.kind,
    caseRef,
    author: { aadObjectId: author.aadObjectId.trim(), name: (author.name ?? '').trim() },
    fields: parsed.data as Record<string, unknown>,
    guidanceVersion: e.guidanceVersion.trim(),
  };
}

/** The reason a correction gives, trimmed; refused when empty or too long. */
export function checkReason(reason: unknown): string {
  const value = typeof reason === 'string' ? reason.trim() : '';
  if (!value) throw new RecordInputError('Say why this entry corrects the earlier one.', 'reason');
  if (value.length > 1000)
    throw new RecordInputError('Keep the reason for the correction under 1000 characters.', 'reason');
  return value;
}

/** A correction must correct an entry that exists, of the same kind. */
export function checkCorrectionTarget(old: { kind: string } | undefined, correction: ValidEntry): void {
  if (!old) throw new RecordInputError('The entry being corrected does not exist.', 'corrects');
  if (old.kind !== correction.kind)
    throw new RecordInputError('A correction must be of the same kind as the entry it corrects.', 'kind');
}

/**
 * A digest of everything an entry says. Its create/correct audit event carries it, so an entry altered behind
 * the store's back no longer matches the chain. (A hash, not the text: the audit trail stays free of content.)
 */
export function entryDigest(entry: StoredEntry): string {
  const { id, kind, caseRef, author, createdAt, fields, guidanceVersion, corrects, reason } = entry;
  const body = {
    id,
    kind,
    caseRef,
    author: { aadObjectId: author.aadObjectId, name: author.name },
    createdAt,
    fields,
    guidanceVersion,
    corrects,
    reason,
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
