/**
 * Every notice KeepSafe gives that is not part of one card's template: the wording lives here once. A guard's
 * refusal ("managers only", "signed in with your council account", "in your chat with me") and the one reply
 * for a store that cannot be reached are the same sentence wherever they are given.
 */

export interface Notice {
  title: string;
  message: string;
}

const ASK_ADMIN = 'If you should be able to, ask your KeepSafe administrator.';

export const NOTICES = {
  /** No Entra object id on the turn: nothing can be recorded or shown as theirs. */
  signIn: {
    title: "I can't tell who you are",
    message: 'Please use KeepSafe from Teams, signed in with your council account.',
  },
  storeUnavailable: {
    title: "I can't reach the records just now",
    message: 'Nothing has been lost. Please try again in a few minutes.',
  },
  notAvailableYet: {
    title: 'Not available yet',
    message: "That part of KeepSafe isn't switched on yet. For now, please speak to your line manager.",
  },
  filesNotRead: {
    title: 'I can only read text',
    message:
      'Please type your question. Photos or documents about the people you work with must never be shared in ' +
      'Teams: keep them in the case record.',
  },
  /** A button whose payload failed its schema at the edge. */
  buttonNotUsable: { title: "I couldn't use that button" },
  /** A press's short message, shown as a notice where Teams cannot show it beside the card (Action.Submit). */
  pressMessageTitle: 'KeepSafe',
} as const;

/** The managers' printable body map ("body map KS-…"): what it says besides the file itself. */
export const BODY_MAP_COPY = {
  noReference: {
    title: 'Which body map?',
    message: "Type 'body map' and the entry's reference, for example: body map KS-7Q2M4X1A. The reference is on the entry's card and in 'my team's records'.",
  },
  badReference: (typed: string): Notice => ({
    title: "That isn't a reference I know",
    message: `${typed} isn't an entry's reference. A reference is KS- and eight letters or digits, as shown on the entry's card.`,
  }),
  unknown: (reference: string): Notice => ({
    title: 'No entry with that reference',
    message: `I can't find an entry ${reference}. Please check the reference on the entry's card and try again.`,
  }),
  notBodyMap: (reference: string): Notice => ({
    title: 'That entry is not a body map',
    message: `${reference} is an entry of another kind, not a body map. Only body maps have a printable copy here; other entries can be exported with 'npm run export'.`,
  }),
  ambiguous: (reference: string): Notice => ({
    title: 'More than one entry has that reference',
    message: `${reference} matches more than one entry. Please ask your KeepSafe administrator to export it by its full id.`,
  }),
  /** The consent card's description (the entry reference and date only: never a name). */
  description: (reference: string, recorded: string) =>
    `Body map ${reference}, recorded ${recorded}: a printable copy (PNG) for the case file.`,
  declined: (reference: string) => `OK, I haven't saved body map ${reference}. Type 'body map ${reference}' if you want it later.`,
  notSaved: (reference: string) =>
    `Body map ${reference} was not saved: the upload to your OneDrive didn't finish, and nothing was left half-done. Please try again: type 'body map ${reference}'.`,
} as const;

/** A manager's action or view refused to someone else (every refusal is audited by the guard). */
export function managersOnly(what: string, hint?: string): Notice {
  return { title: 'Managers only', message: `Only managers can ${what}.${hint ? ` ${hint}` : ''} ${ASK_ADMIN}` };
}

/** Refused to someone who is neither a KeepSafe administrator nor a manager. */
export function managersOrAdminsOnly(what: string): Notice {
  return {
    title: 'Only managers can do this',
    message: `Only KeepSafe administrators and managers can ${what}. ${ASK_ADMIN}`,
  };
}

/** Refused in a channel or group chat: details stay in the worker's 1:1 chat with KeepSafe. */
export function personalOnly(command?: string): Notice {
  return {
    title: 'Do this in your chat with me',
    message: `To keep details private, do this in a 1:1 chat with KeepSafe, not in a channel.${
      command ? ` Open a chat with me and type '${command}'.` : ''
    }`,
  };
}

/** Refused outside a team's channel. */
export function channelOnly(how: string): Notice {
  return { title: 'Do this in the managers’ channel', message: how };
}
