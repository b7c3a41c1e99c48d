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
    message:
      "Type 'body map' and the entry's reference, for example: body map KS-7Q2M4X1A. The reference is on the entry's card and in 'my team's records'.",
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
  declined: (reference: string) =>
    `OK, I haven't saved body map ${reference}. Type 'body map ${reference}' if you want it later.`,
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

/** Nothing was stored: what a cancelled form says in its place. */
export const CANCELLED = {
  report: {
    title: 'Report cancelled',
    message: "Nothing was saved or sent. If you change your mind, type 'report an incident'.",
  },
  question: {
    title: 'Question not sent',
    message: "Nothing was saved or sent. You can ask again from any answer, or type 'topics'.",
  },
} as const;

/** Something a button names that is not there (any more, or for this person). */
export const GONE = {
  /** An entry past its retention period (incidents, questions). */
  entry: (what: 'incident' | 'question') =>
    `I can't find that ${what} any more. It may have passed its retention period.`,
  adviceRequest: "I can't find that request for advice any more.",
  section: "That section isn't in the guidance any more. Type 'topics' to see the current ones.",
  sections: "Those sections aren't in the guidance any more. Type 'topics' to see the current ones.",
  consentDecision: "I can't find that consent decision. Type 'my consent log' to see yours.",
  walkthrough: (command: string) => `I can't find that walkthrough. Type '${command}' to start again.`,
  walkthroughToContinue: (command: string) =>
    `I can't find that walkthrough. Type '${command}' to see the ones you have open, or to start again.`,
} as const;

/** A press that cannot go on until something is done first. */
export const FIRST = {
  note: 'Write the note first, then press Save note.',
  outcome: 'Choose an outcome, then press Resolve incident.',
  advice: 'Choose your advice (take photographs or not), then press Send advice.',
  takeQuestion: "Take ownership of the question in the managers' channel first.",
} as const;

/** Refusals that are not a guard's: they depend on the record pressed. */
export const NOT_YOURS = {
  walkthrough: (command: string) => `This walkthrough belongs to someone else. To start your own, type '${command}'.`,
  consentDecision: 'You can only correct consent decisions you logged yourself.',
  question: (owner: string) => `${owner} took this question, so only they can answer it.`,
} as const;

/** A manager's note with what looks like a name or contact details in it (limits of the check after it). */
export function identifiersInNote(found: string, limits: string, again: 'save' | 'send'): string {
  return (
    `Your note seems to contain ${found}. Please use a case reference or a role instead of names, usernames or ` +
    `contact details, and ${again} it again. ${limits}`
  );
}

export const SAID = {
  buttonUnreadable: "I couldn't read that button. Type 'photo decision' to carry on where you were.",
  walkthroughNotLoaded:
    "KeepSafe can't reach its records just now. Your answers on the card are kept: please press the button again " +
    'in a minute.',
  notAChoice: "That section wasn't one of the choices. Type your question again, or 'topics'.",
  cardAlreadyUsed: 'That card was already used. Type your question again to ask a new one.',
  correctionTarget: "I couldn't tell which entry to correct. Type 'my consent log' and press Correct again.",
  alreadyCorrected: (by: string) =>
    `That entry has already been corrected by ${by}. To change it again, correct ${by} in 'my consent log'.`,
} as const;

/** Choosing the managers' channel (admin/managersChannel.ts). */
export const CHANNEL_NOTICES = {
  how:
    'Go to the channel where managers should get incident reports and requests for advice, and mention me there: ' +
    "'@KeepSafe set as managers channel'.",
  fixedInConfiguration: {
    title: 'Set by your administrator',
    message:
      "The managers' channel is fixed in KeepSafe's configuration (MANAGERS_TEAM_ID and MANAGERS_CHANNEL_ID). " +
      'Ask your KeepSafe administrator to change it.',
  },
  set: {
    title: "This is now the managers' channel",
    message:
      "KeepSafe will post incident reports, urgent requests for advice and questions the guidance doesn't cover " +
      'here, each as a new thread. Members of this team can act on them; anyone else who presses a button is ' +
      'politely refused. Details about service users never appear here: case references only.',
  },
  /** First set-up: nobody could be allowed yet, so say what to configure (with the presser's own id). */
  nobodyConfigured: (me: string | undefined): Notice => ({
    title: 'KeepSafe needs its managers set up first',
    message:
      "Nobody can choose the managers' channel yet: no managers or administrators are set in KeepSafe's " +
      "settings. Ask whoever runs KeepSafe to add managers' Microsoft Entra object ids to MANAGER_AAD_IDS (or " +
      "administrators' to ADMIN_AAD_IDS) and restart it, then mention me here again: '@KeepSafe set as managers " +
      `channel'.${me ? ` Your object id is ${me}.` : ''}`,
  }),
};
