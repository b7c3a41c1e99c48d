import { createHash } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** The only activity fields a log line may carry: ids and types, never text, values or names. */
export function activityIds(activity: Partial<Activity> | undefined): Record<string, string | undefined> {
  if (!activity) return {};
  return {
    activityId: activity.id,
    activityType: activity.type,
    invokeName: activity.type === 'invoke' ? activity.name : undefined,
    conversationId: activity.conversation?.id,
    conversationType: activity.conversation?.conversationType,
    fromAadObjectId: activity.from?.aadObjectId,
    tenantId: tenantOf(activity),
    channelId: activity.channelId,
  };
}

/** The tenant an activity comes from (Teams puts it in channelData.tenant.id and conversation.tenantId). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  if (typeof fromChannelData === 'string' && fromChannelData) return fromChannelData.toLowerCase();
  const fromConversation = activity.conversation?.tenantId;
  return typeof fromConversation === 'string' && fromConversation ? fromConversation.toLowerCase() : undefined;
}

/**
 * An idempotency key from ids the edge has already checked (printable, at most 512 characters each): readable
 * when short, otherwise the prefix and a hash of the parts, so a key always fits the store's 512 characters.
 */
export function boundedKey(prefix: string, ...parts: string[]): string {
  const plain = [prefix, ...parts].join(':');
  if (plain.length <= 300) return plain;
  return `${prefix}:h:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}
