/**
 * Choosing the managers' channel from Teams: a manager mentions the bot in a channel with "set as managers
 * channel". Allowed for configured admins and managers, and — once a managers' team exists — its members (the
 * route's guard). The choice is stored (audited) with the channel's conversation reference, so proactive posts
 * work after a restart and on any instance; the bot confirms in the channel.
 */
import type { FeatureDeps } from '../deps';
import { MANAGERS_CHANNEL_KEY } from '../conversationKeys';
import { CHANNEL_NOTICES, type Notice } from '../messages';
import { reply, type Reply, type Turn } from '../turn';

export const MANAGERS_CHANNEL_SETTING = 'managers_channel';

type Deps = Pick<FeatureDeps, 'logger' | 'managers' | 'managersChannelFromConfig'> & {
  store: {
    conversations: Pick<FeatureDeps['store']['conversations'], 'save'>;
    settings: FeatureDeps['store']['settings'];
  };
};

export const SET_CHANNEL_HOW = CHANNEL_NOTICES.how;

/** In a channel, by a manager or administrator (the route's guards). */
export async function setManagersChannel(turn: Turn, deps: Deps): Promise<Reply> {
  const here = turn.channel!;
  const me = turn.actor!.aadObjectId;
  if (deps.managersChannelFromConfig) {
    return reply.notice(CHANNEL_NOTICES.fixedInConfiguration);
  }
  const reference = turn.conversationReference ?? {};
  const conversation = (reference.conversation ?? {}) as Record<string, unknown>;
  const channelReference = {
    ...reference,
    activityId: undefined,
    conversation: { ...conversation, id: here.channelId, conversationType: 'channel', isGroup: true },
  };
  await deps.store.conversations.save(MANAGERS_CHANNEL_KEY, channelReference, {
    kind: 'channel',
    teamId: here.teamId,
    channelId: here.channelId,
    name: here.channelName,
  });
  const setting = JSON.stringify({ teamId: here.teamId, channelId: here.channelId });
  await deps.store.settings.set(MANAGERS_CHANNEL_SETTING, setting, me);
  deps.managers.clear();
  deps.logger.info({ ...turn.log }, 'managers_channel.set');
  return reply.notice(CHANNEL_NOTICES.set);
}

/** First set-up: nobody could ever be allowed. Say what to configure rather than "only managers". */
export async function nobodyCanSetChannel(
  turn: Turn,
  deps: Pick<FeatureDeps, 'managers' | 'store' | 'managersChannelFromConfig'>,
): Promise<Notice | undefined> {
  if (!deps.managers.nobodyConfigured()) return undefined;
  if (await managersChannel(deps, deps.managersChannelFromConfig)) return undefined;
  const me = turn.actor?.aadObjectId;
  return CHANNEL_NOTICES.nobodyConfigured(me);
}

/** The managers' channel: configuration first, else the one set from Teams. */
export async function managersChannel(
  deps: { store: { settings: Pick<FeatureDeps['store']['settings'], 'get'> } },
  fromConfig?: { teamId: string; channelId: string },
): Promise<{ teamId: string; channelId: string } | undefined> {
  if (fromConfig) return fromConfig;
  const raw = await deps.store.settings.get(MANAGERS_CHANNEL_SETTING);
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as { teamId?: unknown; channelId?: unknown };
    return typeof v.teamId === 'string' && typeof v.channelId === 'string'
      ? { teamId: v.teamId, channelId: v.channelId }
      : undefined;
  } catch {
    return undefined;
  }
}
