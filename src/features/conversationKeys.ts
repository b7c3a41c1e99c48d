/**
 * Names under which conversation references are stored for proactive messages. `channel:managers` is the
 * managers' channel wherever it currently is (set in configuration or from Teams), so a message queued before
 * the channel moves goes to where managers are now.
 */
export const MANAGERS_CHANNEL_KEY = 'channel:managers';

export function userKey(aadObjectId: string): string {
  return `user:${aadObjectId.toLowerCase()}`;
}

export function channelKey(channelId: string): string {
  return `channel:${channelId}`;
}

export function teamKey(teamId: string): string {
  return `team:${teamId}`;
}

/** Someone seen in a channel: enough to open a 1:1 chat with them when none exists yet. */
export function memberKey(aadObjectId: string): string {
  return `member:${aadObjectId.toLowerCase()}`;
}
