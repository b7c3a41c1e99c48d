/**
 * Teams-shaped activities for tests, as the Teams channel sends them to /api/messages.
 */
export const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
export const BOT = { id: '28:keepsafe-bot', name: 'KeepSafe' };
export const WORKER = { id: '29:worker-sam', name: 'Sam Carter', aadObjectId: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f' };

let seq = 0;

export interface ActivityOptions {
  serviceUrl: string;
  from?: { id: string; name: string; aadObjectId?: string };
  conversationId?: string;
  tenantId?: string;
}

function base(opts: ActivityOptions) {
  const tenantId = opts.tenantId ?? TENANT;
  const from = opts.from ?? WORKER;
  return {
    id: `msg-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: opts.serviceUrl,
    from,
    recipient: BOT,
    conversation: { id: opts.conversationId ?? `a:personal-${from.id}`, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    locale: 'en-GB',
  };
}

export function message(text: string, opts: ActivityOptions) {
  return { ...base(opts), type: 'message', text, textFormat: 'plain' };
}

export function submit(value: unknown, opts: ActivityOptions, text?: string) {
  return { ...base(opts), type: 'message', text, value, replyToId: 'card-1' };
}

export function execute(verb: string, data: unknown, opts: ActivityOptions & { replyToId?: string }) {
  return {
    ...base(opts),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: opts.replyToId ?? 'card-1',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function installed(opts: ActivityOptions) {
  return {
    ...base(opts),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id, name: BOT.name }],
  };
}
