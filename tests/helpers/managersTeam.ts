/**
 * The managers' team that HTTP tests act in: Priya is a configured manager (MANAGER_AAD_IDS), Tom a member of the
 * managers' team on the Teams roster, Jo neither. `roster` answers the connector's member look-ups like Teams;
 * `inChannel` and `channelInvoke` make activities from the "Managers escalations" channel.
 */
import { FakeConnector, type ConnectorCall } from './connector';
import { execute, message, TENANT } from './activities';
import { startBot, type RunningBot } from './bot';

export const PRIYA = { id: '29:priya', name: 'Priya Shah', aadObjectId: '3d9b7c2a-5e1f-4a6b-8c7d-9e0f1a2b3c4d' };
export const TOM = { id: '29:tom', name: 'Tom Ellis', aadObjectId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d' };
export const JO = { id: '29:jo', name: 'Jo Bennett', aadObjectId: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f' };
export const TEAM_ID = '19:social-care-managers@thread.tacv2';
export const CHANNEL_ID = '19:managers-escalations@thread.tacv2';

type Person = typeof PRIYA;

/** The connector's roster: Tom is in the managers' team; anyone else is not found. */
export function roster(call: ConnectorCall) {
  const m = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(call.path);
  if (call.method !== 'GET' || !m) return undefined;
  const [team, user] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
  if (team === TEAM_ID && user === TOM.aadObjectId)
    return { status: 200, body: { id: TOM.id, name: TOM.name, aadObjectId: TOM.aadObjectId } };
  return { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'not found' } } };
}

const channelParts = (conversation: Record<string, unknown>) => ({
  conversation: { ...conversation, conversationType: 'channel', isGroup: true },
  channelData: {
    tenant: { id: TENANT },
    team: { id: TEAM_ID, name: 'Social Care Managers' },
    channel: { id: CHANNEL_ID, name: 'Managers escalations' },
  },
});

/** A message typed in the managers' channel (e.g. '<at>KeepSafe</at> set as managers channel'). */
export function inChannel(serviceUrl: string, text: string, from: Person = PRIYA) {
  const a = message(text, { serviceUrl, from, conversationId: `${CHANNEL_ID};messageid=1700000000000` });
  return { ...a, ...channelParts(a.conversation) };
}

/** A button pressed on a card posted in the channel (the post's activity id is `replyToId`). */
export function channelInvoke(serviceUrl: string, verb: string, data: object, from: Person, replyToId: string) {
  const a = execute(verb, data, {
    serviceUrl,
    from,
    conversationId: `${CHANNEL_ID};messageid=${replyToId}`,
    replyToId,
  });
  return { ...a, ...channelParts(a.conversation) };
}

/**
 * A connector stand-in answering roster look-ups, and a bot on it whose managers' channel Priya (a configured
 * manager) has set from Teams, as a council would on first use. `env` is added to MANAGER_AAD_IDS and a fast
 * delivery poll.
 */
export async function startWithManagersChannel(
  env: Record<string, string>,
): Promise<{ bot: RunningBot; connector: FakeConnector }> {
  const connector = await new FakeConnector().start();
  connector.responder = roster;
  const bot = await startBot({ MANAGER_AAD_IDS: PRIYA.aadObjectId, DELIVERY_POLL_MS: '50', ...env });
  await bot.post(inChannel(connector.url, '<at>KeepSafe</at> set as managers channel', PRIYA));
  await connector.waitFor(1, (c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL_ID) === true);
  return { bot, connector };
}
