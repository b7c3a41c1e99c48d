/**
 * "my records" (a worker's own entries) and "my team's records" (managers: counts by kind and week).
 * Staff only ever list their own entries here; only managers see anything about other people's.
 */
import type { TurnContext } from 'botbuilder';
import { GUIDANCE_SIGNAL_KINDS } from '../../core/records/kinds';
import { StoreUnavailableError } from '../../storage/errors';
import { activityIds } from '../ids';
import type { BotDeps } from '../bot';
import { MY_RECORDS_LIMIT, myRecordsCardData, TEAM_RECORDS_WEEKS, teamRecordsCardData, weeksBack } from '../recordViews';

const NOT_A_MANAGER = {
  title: 'Managers only',
  message:
    "Only managers can see the team's records. You can see your own entries: type 'my records'. If you are a manager and think this is wrong, ask your KeepSafe administrator to add you.",
};

function aadIdOf(context: TurnContext): string | undefined {
  return context.activity.from?.aadObjectId || undefined;
}

async function unavailable(context: TurnContext, deps: BotDeps, err: unknown): Promise<boolean> {
  if (err instanceof StoreUnavailableError) {
    deps.logger.warn({ ...activityIds(context.activity), code: 'STORE_UNAVAILABLE' }, 'records.unavailable');
    await deps.replies.sendCard(context, 'notice', {
      title: "I can't reach the records just now",
      message: 'Nothing has been lost. Please try again in a few minutes.',
    });
    return true;
  }
  return false;
}

export async function showMyRecords(context: TurnContext, deps: BotDeps): Promise<void> {
  const me = aadIdOf(context);
  if (!me) {
    await deps.replies.sendCard(context, 'notice', { title: "I can't tell who you are", message: 'Please use KeepSafe from Teams, signed in with your council account.' });
    return;
  }
  try {
    const entries = await deps.store.list({ authorId: me, excludeKinds: [...GUIDANCE_SIGNAL_KINDS], limit: MY_RECORDS_LIMIT });
    deps.logger.info({ ...activityIds(context.activity), count: entries.length }, 'records.listed_own');
    await deps.replies.sendCard(context, 'myRecords', myRecordsCardData(entries));
  } catch (err) {
    if (!(await unavailable(context, deps, err))) throw err;
  }
}

export async function showTeamRecords(context: TurnContext, deps: BotDeps, now = new Date()): Promise<void> {
  const me = aadIdOf(context);
  if (!(await deps.managers.isManager(context, me))) {
    deps.logger.info({ ...activityIds(context.activity) }, 'records.team_refused');
    await deps.replies.sendCard(context, 'notice', NOT_A_MANAGER);
    return;
  }
  const from = weeksBack(now, TEAM_RECORDS_WEEKS);
  try {
    const counts = await deps.store.countsByKindAndWeek({ from, to: new Date(now.getTime() + 1) });
    deps.logger.info({ ...activityIds(context.activity), weeks: TEAM_RECORDS_WEEKS }, 'records.team_counts');
    await deps.replies.sendCard(context, 'teamRecords', teamRecordsCardData(counts, from));
  } catch (err) {
    if (!(await unavailable(context, deps, err))) throw err;
  }
}
