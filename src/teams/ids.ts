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
