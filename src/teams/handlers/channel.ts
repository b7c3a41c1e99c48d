/**
 * Choosing the managers' channel from Teams: a manager mentions the bot in a channel with "set as managers
 * channel". Allowed for configured admins and managers, and — once a managers' team exists — its members. The
 * choice is stored (audited) with the channel's conversation reference, so proactive posts work after a restart
 * and on any instance; the bot confirms in the channel.
 */
import { TurnContext } from 'botbuilder';
import { activityIds } from '../ids';
import type { BotDeps } from '../bot';
import { MANAGERS_CHANNEL_KEY } from '../conversationKeys';

export const MANAGERS_CHANNEL_SETTING = 'managers_channel';

export interface ChannelIds {
  teamId: string;
  channelId: string;
  teamName?: string;
  channelName?: string;
}

/** The team and channel a channel activity came from (channel id without any ";messageid=" thread suffix). */
export function channelOf(context: TurnContext): ChannelIds | undefined {
  const a = context.activity;
  if (a.conversation?.conversationType !== 'channel') return undefined;
  const data = (a.channelData ?? {}) as { team?: { id?: string; name?: string }; channel?: { id?: string; name?: string } };
  const channelId = data.channel?.id ?? a.conversation.id.split(';')[0];
  const teamId = data.team?.id;
  if (!teamId || !channelId) return undefined;
  return { teamId, channelId, teamName: data.team?.name, channelName: data.channel?.name };
}

export async function setManagersChannel(context: TurnContext, deps: BotDeps): Promise<void> {
  const ids = activityIds(context.activity);
  const here = channelOf(context);
  if (!here) {
    await deps.replies.sendCard(context, 'notice', {
      title: 'Do this in the managers’ channel',
      message: "Go to the channel where managers should get incident reports and requests for advice, and mention me there: '@KeepSafe set as managers channel'.",
    });
    return;
  }
  if (deps.managersChannelFromConfig) {
    await deps.replies.sendCard(context, 'notice', {
      title: 'Set by your administrator',
      message: "The managers' channel is fixed in KeepSafe's configuration (MANAGERS_TEAM_ID and MANAGERS_CHANNEL_ID). Ask your KeepSafe administrator to change it.",
    });
    return;
  }
  const me = context.activity.from?.aadObjectId;
  const allowed = deps.managers.isAdmin(me) || (await deps.managers.isManager(context, me));
  if (!me || !allowed) {
    deps.logger.info(ids, 'managers_channel.refused');
    await deps.store.auditRefusal({ actorId: me ?? 'unknown', recordId: null, what: 'set_managers_channel' });
    if (deps.managers.nobodyConfigured() && !(await managersChannel(deps))) {
      // First set-up: nobody could ever be allowed. Say what to configure rather than "only managers".
      await deps.replies.sendCard(context, 'notice', {
        title: 'KeepSafe needs its managers set up first',
        message: `Nobody can choose the managers' channel yet: no managers or administrators are set in KeepSafe's settings. Ask whoever runs KeepSafe to add managers' Microsoft Entra object ids to MANAGER_AAD_IDS (or administrators' to ADMIN_AAD_IDS) and restart it, then mention me here again: '@KeepSafe set as managers channel'.${me ? ` Your object id is ${me}.` : ''}`,
      });
      return;
    }
    await deps.replies.sendCard(context, 'notice', {
      title: 'Only managers can do this',
      message: "Only a KeepSafe administrator, or a member of the current managers' team, can choose the managers' channel.",
    });
    return;
  }
  const reference = TurnContext.getConversationReference(context.activity);
  const channelReference = { ...reference, activityId: undefined, conversation: { ...reference.conversation, id: here.channelId, conversationType: 'channel', isGroup: true } };
  await deps.store.conversations.save(MANAGERS_CHANNEL_KEY, channelReference as unknown as Record<string, unknown>, {
    kind: 'channel',
    teamId: here.teamId,
    channelId: here.channelId,
    name: here.channelName,
  });
  await deps.store.settings.set(MANAGERS_CHANNEL_SETTING, JSON.stringify({ teamId: here.teamId, channelId: here.channelId }), me);
  deps.managers.clear();
  deps.logger.info({ ...ids }, 'managers_channel.set');
  await deps.replies.sendCard(context, 'notice', {
    title: "This is now the managers' channel",
    message:
      "KeepSafe will post incident reports, urgent requests for advice and questions the guidance doesn't cover here, each as a new thread. Members of this team can act on them; anyone else who presses a button is politely refused. Details about service users never appear here: case references only.",
  });
}

/** The managers' channel: configuration first, else the one set from Teams. */
export async function managersChannel(deps: Pick<BotDeps, 'store'>, fromConfig?: { teamId: string; channelId: string }): Promise<{ teamId: string; channelId: string } | undefined> {
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
