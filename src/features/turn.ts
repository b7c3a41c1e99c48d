/**
 * The seam between KeepSafe's use cases and any chat SDK. A Turn is what a person did (typed a message, pressed a
 * card button), already checked and cleaned at the edge; a Reply is what KeepSafe says back. Nothing here knows
 * Bot Framework: src/teams turns an Activity into a Turn and each Reply into Teams messages or invoke responses.
 */
import type { AdaptiveCard } from './cardRender';

/** The signed-in member of staff: their Microsoft Entra object id, and the display name for cards that show it. */
export interface Actor {
  aadObjectId: string;
  name: string;
}

/** Where the turn happened: a 1:1 chat, a team's channel, a group chat, or a conversation the edge could not type. */
export type Place = 'personal' | 'channel' | 'group' | 'unknown';

/** The team and channel of a channel turn (the channel id without any ";messageid=" thread suffix). */
export interface ChannelIds {
  teamId: string;
  channelId: string;
  teamName?: string;
  channelName?: string;
}

export interface Turn {
  /** Undefined when the activity carried no Entra object id (not from Teams, or not signed in). */
  actor?: Actor;
  place: Place;
  /** What was typed, without @mentions, HTML or entities; '' for a card press. */
  text: string;
  /** The message carried attachments (photos, files). */
  hasFiles: boolean;
  ids: {
    conversationId: string;
    /** This activity's id ('' when none). */
    activityId: string;
    /** For a card press: the id of the message holding the card ('' when unknown). */
    replyToId: string;
  };
  /** Set for a turn in a team's channel. */
  channel?: ChannelIds;
  /**
   * The conversation as the SDK addresses it, for proactive messages later (stored as is). Opaque here: only
   * the Teams layer reads it.
   */
  conversationReference?: Record<string, unknown>;
  /** Ids safe for a log line (never text, values or names). */
  log: Record<string, string | undefined>;
}

/**
 * What KeepSafe says back:
 * - card: a new message holding this card;
 * - notice: a short titled notice, as a new message (its wording is in messages.ts);
 * - update: the pressed card replaced in place by this one (a new message where it cannot be replaced);
 * - message: a short line to the presser that leaves the card as it was;
 * - fileOffer: a file offered to the person in their 1:1 chat (Teams asks them where to save it first); only
 *   its name, description and size go out, and the context names the entry, nothing more.
 * Proactive messages (to a channel, to someone else) never go back as a Reply: they are queued in the outbox.
 */
/**
 * A file offered for saving: its name, what it is and its size in bytes (as made when offered). The context is
 * what comes back when the person accepts or declines (the entry's KS- reference only); the bytes are made
 * again then, by the use case that offered them.
 */
export interface FileOffer {
  name: string;
  description: string;
  sizeInBytes: number;
  context: { entry: string };
}

/** The file to save when an offer is accepted, or why there is none (short messages to the person). */
export type FileToSave = { ok: true; name: string; fileType: string; bytes: Buffer } | { ok: false; replies: Reply[] };

export type Reply =
  | { kind: 'card'; card: AdaptiveCard }
  | { kind: 'notice'; title: string; message: string }
  | { kind: 'update'; card: AdaptiveCard }
  | { kind: 'message'; text: string }
  | { kind: 'fileOffer'; file: FileOffer };

export const reply = {
  card: (card: AdaptiveCard): Reply => ({ kind: 'card', card }),
  notice: (notice: { title: string; message: string }): Reply => ({ kind: 'notice', ...notice }),
  update: (card: AdaptiveCard): Reply => ({ kind: 'update', card }),
  message: (text: string): Reply => ({ kind: 'message', text }),
  fileOffer: (file: FileOffer): Reply => ({ kind: 'fileOffer', file }),
};

/** The result of a card press: the card to show in its place, or a short message (the card stays). */
export type PressResult = { card: AdaptiveCard } | { message: string };

export function pressReply(result: PressResult): Reply {
  return 'card' in result ? reply.update(result.card) : reply.message(result.message);
}

/** The key of the card a press came from in this conversation (one per card; this activity's id as a fallback). */
export function cardKeyOf(turn: Turn): string {
  return `${turn.ids.conversationId}:${turn.ids.replyToId || turn.ids.activityId}`;
}
