/** The kinds of personal identifier the check looks for in staff free text. */
export type IdentifierType =
  'name' | 'handle' | 'phone' | 'email' | 'postcode' | 'address' | 'nhs_number' | 'date_of_birth';

export interface Finding {
  type: IdentifierType;
  /** UTF-16 offset of the first character, as String.prototype.slice counts. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /** the matched text */
  text: string;
  /** plain-English, e.g. "a phone number" */
  label: string;
}

/** What a detector reports: a span and its type. Text and label are filled in by index.ts. */
export interface Span {
  type: IdentifierType;
  start: number;
  end: number;
}

export const LABELS: Readonly<Record<IdentifierType, string>> = {
  name: 'a name',
  handle: 'a social media username',
  phone: 'a phone number',
  email: 'an email address',
  postcode: 'a postcode',
  address: 'a street address',
  nhs_number: 'an NHS number',
  date_of_birth: 'a date of birth',
};

/**
 * What the check cannot promise, said wherever its findings are shown: it finds many identifiers, not all.
 * (Here rather than in index.ts so that card code can say it without loading the name lists.)
 */
export const CHECK_LIMITS =
  'The check can miss things: read your text once more for names, nicknames and social media usernames.';

/** The same, for several: "3 names". */
export const PLURAL_LABELS: Readonly<Record<IdentifierType, string>> = {
  name: 'names',
  handle: 'social media usernames',
  phone: 'phone numbers',
  email: 'email addresses',
  postcode: 'postcodes',
  address: 'street addresses',
  nhs_number: 'NHS numbers',
  date_of_birth: 'dates of birth',
};

/** What a masked identifier is replaced by. No placeholder contains a digit, "@" or a capitalised name. */
export const PLACEHOLDERS: Readonly<Record<IdentifierType, string>> = {
  name: '[name]',
  handle: '[username]',
  phone: '[phone number]',
  email: '[email address]',
  postcode: '[postcode]',
  address: '[address]',
  nhs_number: '[NHS number]',
  date_of_birth: '[date of birth]',
};

/**
 * When two candidate spans overlap, the one whose type comes first here wins. Checked identifiers (an email,
 * a check-digit-valid NHS number) beat looser ones; a street address beats the name a trailing "Dr" (Drive)
 * would otherwise start; a username ("his fb name is Connor Lyons Official") beats the name inside it.
 */
export const PRIORITY: readonly IdentifierType[] = [
  'email',
  'nhs_number',
  'phone',
  'date_of_birth',
  'postcode',
  'address',
  'handle',
  'name',
];

/** Characters that make a match part of a bigger token (a case reference such as LCS-104233, a word). */
export const JOINED_BEFORE = /[\p{L}\p{N}_/\\-]$/u;
export const JOINED_AFTER = /^[\p{L}\p{N}_/\\]/u;
