/**
 * The consent log in Teams. "log consent" runs the stand-alone consent walkthrough (core/walkthrough/consentFlow,
 * started from messages.ts like "photo decision"). Here:
 *  - "my consent log": the worker's own consent decisions (from the walkthrough or the log alike), never anyone
 *    else's, each with a Correct button;
 *  - Correct: checks the entry is the presser's own consent decision and not already corrected, then says what
 *    the correction walkthrough starts with (walkthrough.ts creates it; the machine stores the correction);
 *  - "team consent log [case]": managers only (the route's guard), everyone's consent decisions, each view of another person's
 *    entry audited as store.get audits it.
 * Logs carry ids and counts only.
 */
import { checkCaseRef, CaseRefError } from '../../core/records/caseRef';
import { RecordAccessError } from '../../core/records/errors';
import { recordReference, ukDateTime } from '../../core/records/reference';
import type { StoredEntry } from '../../storage/types';
import { renderCard } from '../cardRender';
import type { FeatureDeps, StoreOf } from '../deps';
import { GONE, NOT_YOURS, SAID } from '../messages';
import { reply, type Reply, type Turn } from '../turn';
import type { Begun } from '../walkthrough/begun';
import { CONSENT_LOG_LIMIT, consentLogCardData } from './views';

type Deps = Pick<FeatureDeps, 'logger' | 'caseRefPattern'> & { store: StoreOf<'list' | 'get' | 'auditRefusal'> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "my consent log": the worker's own consent decisions, newest first. */
export async function showMyConsentLog(turn: Turn, deps: Deps): Promise<Reply> {
  const me = turn.actor!.aadObjectId;
  const entries = await deps.store.list({ authorId: me, kind: 'consent_decision', limit: CONSENT_LOG_LIMIT });
  deps.logger.info({ ...turn.log, count: entries.length }, 'consent_log.listed_own');
  return reply.card(renderCard('consentLog', consentLogCardData(entries)));
}

/** "team consent log" (optionally with a case reference): managers only (the route's guard). */
export async function showTeamConsentLog(turn: Turn, deps: Deps, caseRefText?: string): Promise<Reply> {
  const me = turn.actor!.aadObjectId;
  let caseRef: string | undefined;
  if (caseRefText) {
    try {
      caseRef = checkCaseRef(caseRefText, deps.caseRefPattern);
    } catch (err) {
      if (!(err instanceof CaseRefError)) throw err;
      return reply.notice({
        title: 'Check the case reference',
        message: `${err.message} For example: team consent log LCS-123456.`,
      });
    }
  }
  const listed = await deps.store.list({
    kind: 'consent_decision',
    ...(caseRef ? { caseRef } : {}),
    limit: CONSENT_LOG_LIMIT,
  });
  // Seeing another person's entry is audited, as a single entry's view is (store.get writes the audit event).
  const viewer = { aadObjectId: me, isManager: true };
  const shown: StoredEntry[] = [];
  for (const e of listed) {
    const seen = e.author.aadObjectId === me ? e : await deps.store.get(e.id, viewer);
    if (seen) shown.push(seen);
  }
  deps.logger.info({ ...turn.log, count: shown.length, filtered: !!caseRef }, 'consent_log.listed_team');
  return reply.card(renderCard('consentLog', consentLogCardData(shown, { team: true, caseRef })));
}

/**
 * A "Correct" press on "my consent log": the entry must be the presser's own consent decision, and the newest of
 * its corrections. The correction walkthrough starts with its case reference and adult or child filled in, and
 * keeps the link to the advice it rested on.
 */
export async function beginConsentCorrection(
  turn: Turn,
  deps: Deps,
  me: { aadObjectId: string; name: string },
  inputs: Record<string, unknown>,
): Promise<Begun | { message: string }> {
  const ids = turn.log;
  const id = typeof inputs.corrects === 'string' && UUID.test(inputs.corrects) ? inputs.corrects : undefined;
  if (!id) {
    deps.logger.warn({ ...ids, code: 'CORRECTION_TARGET_INVALID' }, 'consent_log.correct_rejected');
    return { message: SAID.correctionTarget };
  }
  let entry: StoredEntry | undefined;
  try {
    entry = await deps.store.get(id, { aadObjectId: me.aadObjectId, isManager: false });
  } catch (err) {
    if (!(err instanceof RecordAccessError)) throw err;
    deps.logger.info({ ...ids, entry: id }, 'consent_log.correct_refused');
    await deps.store.auditRefusal({ actorId: me.aadObjectId, recordId: id, what: 'consent_log.correct_not_author' });
    return { message: NOT_YOURS.consentDecision };
  }
  if (!entry || entry.kind !== 'consent_decision') return { message: GONE.consentDecision };
  const mine = await deps.store.list({
    authorId: me.aadObjectId,
    kind: 'consent_decision',
    ...(entry.caseRef ? { caseRef: entry.caseRef } : {}),
    limit: 1000,
  });
  const later = mine.find((e) => e.corrects === entry.id);
  if (later) {
    return { message: SAID.alreadyCorrected(recordReference(later.id)) };
  }
  deps.logger.info({ ...ids, entry: entry.id }, 'consent_log.correct_started');
  return {
    prefill: { caseRef: entry.caseRef ?? '', personType: entry.fields.personType },
    corrects: { kind: 'consent_decision', id: entry.id },
    ...(entry.fields.adviceRecordId ? { recorded: { advice_given: entry.fields.adviceRecordId } } : {}),
    notice: `You are correcting ${recordReference(entry.id)}, logged ${ukDateTime(entry.createdAt)}.`,
  };
}
