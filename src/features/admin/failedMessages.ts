/**
 * "failed messages": what the bot could not deliver and why (a status or error code, never the content), for
 * an administrator or manager to act on — e.g. the bot was removed from the managers' team.
 */
import { ukDateTime } from '../../core/records/reference';
import type { FeatureDeps } from '../deps';
import { reply, type Reply, type Turn } from '../turn';

type Deps = Pick<FeatureDeps, 'logger'> & { store: { outbox: Pick<FeatureDeps['store']['outbox'], 'listFailed'> } };

/** Administrators and managers (the route's guard). */
export async function showFailedMessages(turn: Turn, deps: Deps): Promise<Reply> {
  const failed = await deps.store.outbox.listFailed(20);
  deps.logger.info({ ...turn.log, count: failed.length }, 'delivery.failed_listed');
  const lines = failed.map(
    (f) =>
      `${ukDateTime(f.failedAt ?? f.createdAt)}: ${f.op} to ${describeTarget(f.conversationKey)} failed after ${f.attempts} ${f.attempts === 1 ? 'try' : 'tries'} (${f.reason ?? 'unknown'})`,
  );
  return reply.notice({
    title: failed.length
      ? `${failed.length} message${failed.length === 1 ? '' : 's'} could not be delivered`
      : 'Every message has been delivered',
    message: failed.length ? lines.join('\n\n') : 'Nothing is waiting or failed.',
  });
}

function describeTarget(key: string): string {
  if (key === 'channel:managers') return "the managers' channel";
  if (key.startsWith('user:')) return 'a 1:1 chat';
  if (key.startsWith('channel:')) return 'a channel';
  return 'a conversation';
}
