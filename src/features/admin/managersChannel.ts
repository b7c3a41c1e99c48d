/**
 * Choosing the managers' channel from Teams: a manager mentions the bot in a channel with "set as managers
 * channel". Allowed for configured admins and managers, and — once a managers' team exists — its members (the
 * route's guard). The choice is stored (audited) with the channel's conversation reference, so proactive posts
 * work after a restart and on any instance; the bot confirms in the channel.
 */
import type { FeatureDeps } from '../deps';
import { MANAGERS_CHANNEL_KEY } from '../conversationKeys';
import type { Notice } from '../messages';
import { reply, type Reply, type Turn } from '../turn';

export const MANAGERS_CHANNEL_SETTING = 'managers_channel';

type Deps = Pick<FeatureDeps, 'logger' | 'managers' | 'managersChannelFromConfig'> & {
  store: {
    conversations: Pick<FeatureDeps['store']['conversations'], 'save'>;
    settings: FeatureDeps['store']['settings'];
  };
};

export const SET_CHANNEL_HOW =
  "Go to the channel where managers should get incident reports and requests for advice, and mention me there: '@KeepSafe set as managers channel'.";

/** In a channel, by a manager or administrator (the route's guards). */
export async function setManagersChannel(turn: Turn, deps: Deps): Promise<Reply> {
  const here = turn.channel!;
  const me = turn.actor!.aadObjectId;
  if (deps.managersChannelFromConfig) {
    return reply.notice({
      title: 'Set by your administrator',
      message:
        "The managers' channel is fixed in KeepSafe's configuration (MANAGERS_TEAM_ID and MANAGERS_CHANNEL_ID). Ask your KeepSafe administrator to change it.",
    });
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
  return reply.notice({
    title: "This is now the managers' channel",
    message:
      "KeepSafe will post incident reports, urgent requests for advice and questions the guidance doesn't cover here, each as a new thread. Members of this team can act on them; anyone else who presses a button is politely refused. Details about service users never appear here: case references only.",
  });
}

/** First set-up: nobody could ever be allowed. Say what to configure rather than "only managers". */
export async function nobodyCanSetChannel(
  turn: Turn,
  deps: Pick<FeatureDeps, 'managers' | 'store' | 'managersChannelFromConfig'>,
): Promise<Notice | undefined> {
  if (!deps.managers.nobodyConfigured()) return undefined;
  if (await managersChannel(deps, deps.managersChannelFromConfig)) return undefined;
  const me = turn.actor?.aadObjectId;
  return {
    title: 'KeepSafe needs its managers set up first',
    message: `Nobody can choose the managers' channel yet: no managers or administrators are set in KeepSafe's settings. Ask whoever runs KeepSafe to add managers' Microsoft Entra object ids to MANAGER_AAD_IDS (or administrators' to ADMIN_AAD_IDS) and restart it, then mention me here again: '@KeepSafe set as managers channel'.${me ? ` Your object id is ${me}.` : ''}`,
  };
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
    return typeof v.teamId === 'string' && typeof v.channelId === 'string' ? { teamId: v.teamId, channelId: v.channelId } : undefined;
  } catch {
    return undefined;
  }
}
