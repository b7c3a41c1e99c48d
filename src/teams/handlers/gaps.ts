/**
 * The content-gap signals and report: a question declined, an answer marked "not helpful", "None of these" on a
 * did-you-mean card are each stored as a guidance_gap entry (the question with identifiers masked, the nearest
 * section, the engine version; no name). Managers read them with "guidance gaps", counted by week and nearest
 * section; the reading is audited (the store's export, one event per kind).
 */
import type { TurnContext } from 'botbuilder';
import { maskIdentifiers } from '../../core/pii';
import { readGapReport } from '../../core/questions/gaps';
import { RECORD_KINDS } from '../../core/records/kinds';
import { StoreUnavailableError } from '../../storage/errors';
import { activityIds, boundedKey } from '../ids';
import type { BotDeps } from '../bot';
import { guidanceGapsCardData } from '../questionViews';

export type GapSignal = 'declined' | 'not_helpful' | 'none_fitted';

/** Who the signal came from: the AAD object id (as feedback is), never a name; none without one. */
function signalAuthor(context: TurnContext): string | undefined {
  return context.activity.from?.aadObjectId?.toLowerCase() || undefined;
}

/**
 * Stores one gap signal. Best effort: the worker's answer never waits on it or fails because of it (a store
 * that is down loses this signal only, logged by event name).
 */
export async function recordGap(
  context: TurnContext,
  deps: BotDeps,
  signal: { reason: GapSignal; question?: string | null; section?: string | null; key: string },
): Promise<void> {
  const author = signalAuthor(context);
  if (!author) {
    // Every record needs a real author (the edge checks the id is a GUID); this signal is lost, by event name only.
    deps.logger.warn({ ...activityIds(context.activity), code: 'NO_AUTHOR' }, 'gap.not_recorded');
    return;
  }
  const masked = signal.question?.trim() ? maskIdentifiers(signal.question.trim()).slice(0, 1000).trim() : '';
  try {
    await deps.store.append(
      {
        kind: 'guidance_gap',
        author: { aadObjectId: author, name: '' },
        fields: {
          reason: signal.reason,
          ...(masked ? { question: masked } : {}),
          ...(signal.section && deps.guidance.section(signal.section) ? { nearestSection: signal.section } : {}),
          engineVersion: deps.guidance.engineVersion,
        },
        guidanceVersion: deps.guidance.document.version,
      },
      { idempotencyKey: boundedKey(`gap:${signal.reason}`, signal.key) },
    );
    deps.logger.info({ ...activityIds(context.activity), reason: signal.reason, section: signal.section ?? undefined }, 'gap.recorded');
  } catch (err) {
    deps.logger.warn({ ...activityIds(context.activity), reason: signal.reason, code: (err as { code?: string }).code ?? (err as Error).name }, 'gap.not_recorded');
  }
}

/** Days the report covers: the guidance_gap retention (nothing older is kept). */
export function gapDays(deps: Pick<BotDeps, 'gapDays'>): number {
  return deps.gapDays ?? RECORD_KINDS.guidance_gap.retentionDays;
}

/** "guidance gaps" (managers): counts by nearest section and week; in a 1:1 chat also the newest masked questions. */
export async function showGuidanceGaps(context: TurnContext, deps: BotDeps, now = new Date()): Promise<void> {
  const me = context.activity.from?.aadObjectId;
  if (!me || !(await deps.managers.isManager(context, me))) {
    deps.logger.info(activityIds(context.activity), 'gaps.refused');
    await deps.store.auditRefusal({ actorId: me ?? 'unknown', recordId: null, what: 'guidance_gaps' }).catch(() => undefined);
    await deps.replies.sendCard(context, 'notice', {
      title: 'Managers only',
      message: "The guidance gaps report is for managers and the guidance's owners. If a question of yours wasn't answered, press Ask a manager on the answer.",
    });
    return;
  }
  const days = gapDays(deps);
  try {
    const report = await readGapReport(deps.store, { now, days, actor: me });
    const personal = context.activity.conversation?.conversationType === 'personal';
    deps.logger.info({ ...activityIds(context.activity), total: report.total, personal }, 'gaps.shown');
    await deps.replies.sendCard(context, 'guidanceGaps', guidanceGapsCardData(deps.guidance.document, report, days, personal));
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    deps.logger.warn({ ...activityIds(context.activity), code: 'STORE_UNAVAILABLE' }, 'gaps.unavailable');
    await deps.replies.sendCard(context, 'notice', { title: "I can't reach the records just now", message: 'Nothing has been lost. Please try again in a few minutes.' });
  }
}
