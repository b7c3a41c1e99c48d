/**
 * "my records" (a worker's own entries) and "my team's records" (managers: counts by kind and week).
 * Staff only ever list their own entries here; only managers see anything about other people's (the routes'
 * guards say who may ask).
 */
import { GUIDANCE_SIGNAL_KINDS } from '../../core/records/kinds';
import { renderCard } from '../cardRender';
import type { FeatureDeps, StoreOf } from '../deps';
import { reply, type Reply, type Turn } from '../turn';
import { MY_RECORDS_LIMIT, myRecordsCardData, TEAM_RECORDS_WEEKS, teamRecordsCardData, weeksBack } from './views';

type Deps = Pick<FeatureDeps, 'logger'> & { store: StoreOf<'list' | 'countsByKindAndWeek'> };

/** Signed in (the route's guard): the worker's own entries, newest first, without the guidance signals. */
export async function showMyRecords(turn: Turn, deps: Deps): Promise<Reply> {
  const me = turn.actor!.aadObjectId;
  const excludeKinds = [...GUIDANCE_SIGNAL_KINDS];
  const entries = await deps.store.list({ authorId: me, excludeKinds, limit: MY_RECORDS_LIMIT });
  deps.logger.info({ ...turn.log, count: entries.length }, 'records.listed_own');
  return reply.card(renderCard('myRecords', myRecordsCardData(entries)));
}

/** Managers (the route's guard): entries counted by kind and week over the last TEAM_RECORDS_WEEKS weeks. */
export async function showTeamRecords(turn: Turn, deps: Deps, now = new Date()): Promise<Reply> {
  const from = weeksBack(now, TEAM_RECORDS_WEEKS);
  const counts = await deps.store.countsByKindAndWeek({ from, to: new Date(now.getTime() + 1) });
  deps.logger.info({ ...turn.log, weeks: TEAM_RECORDS_WEEKS }, 'records.team_counts');
  return reply.card(renderCard('teamRecords', teamRecordsCardData(counts, from)));
}
