/**
 * The content-gap signals and report: a question declined, an answer marked "not helpful", "None of these" on a
 * did-you-mean card are each stored as a guidance_gap entry (the question with identifiers masked, the nearest
 * section, the engine version; no name). Managers read them with "guidance gaps", counted by week and nearest
 * section; the reading is audited (the store's export, one event per kind).
 */
import { maskIdentifiers } from '../../core/pii';
import { readGapReport } from '../../core/questions/gaps';
import { RECORD_KINDS } from '../../core/records/kinds';
import { renderCard } from '../cardRender';
import type { FeatureDeps, StoreOf } from '../deps';
import { boundedKey } from '../keys';
import { reply, type Reply, type Turn } from '../turn';
import { guidanceGapsCardData } from './questionViews';

export type GapSignal = 'declined' | 'not_helpful' | 'none_fitted';

/** Who the signal came from: the AAD object id (as feedback is), never a name; none without one. */
function signalAuthor(turn: Turn): string | undefined {
  return turn.actor?.aadObjectId.toLowerCase() || undefined;
}

/**
 * Stores one gap signal. Best effort: the worker's answer never waits on it or fails because of it (a store
 * that is down loses this signal only, logged by event name).
 */
export async function recordGap(
  turn: Turn,
  deps: Pick<FeatureDeps, 'guidance' | 'logger'> & { store: StoreOf<'append'> },
  signal: { reason: GapSignal; question?: string | null; section?: string | null; key: string },
): Promise<void> {
  const author = signalAuthor(turn);
  if (!author) {
    // Every record needs a real author (the edge checks the id is a GUID); this signal is lost, by event name only.
    deps.logger.warn({ ...turn.log, code: 'NO_AUTHOR' }, 'gap.not_recorded');
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
    deps.logger.info({ ...turn.log, reason: signal.reason, section: signal.section ?? undefined }, 'gap.recorded');
  } catch (err) {
    deps.logger.warn(
      { ...turn.log, reason: signal.reason, code: (err as { code?: string }).code ?? (err as Error).name },
      'gap.not_recorded',
    );
  }
}

/** Days the report covers: the guidance_gap retention (nothing older is kept). */
export function gapDays(deps: Pick<FeatureDeps, 'gapDays'>): number {
  return deps.gapDays ?? RECORD_KINDS.guidance_gap.retentionDays;
}

/** "guidance gaps" (managers, the route's guard): counts by nearest section and week; in a 1:1 chat also the newest masked questions. */
export async function showGuidanceGaps(
  turn: Turn,
  deps: Pick<FeatureDeps, 'guidance' | 'logger' | 'gapDays' | 'store'>,
  now = new Date(),
): Promise<Reply> {
  const me = turn.actor!.aadObjectId;
  const days = gapDays(deps);
  const report = await readGapReport(deps.store, { now, days, actor: me });
  const personal = turn.place === 'personal';
  deps.logger.info({ ...turn.log, total: report.total, personal }, 'gaps.shown');
  return reply.card(renderCard('guidanceGaps', guidanceGapsCardData(deps.guidance.document, report, days, personal)));
}
