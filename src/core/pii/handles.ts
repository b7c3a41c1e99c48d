/**
 * Social media handles and usernames:
 *  - "@name" that is not part of an email address ("@riv.ersxd", "@xx_skye_xx"); a plain English word after
 *    "@" ("@ home", "@school") counts only near a platform word;
 *  - a username named by its platform: "his snap is jj_dunny99", "snap: mollyxo_2010", "on tiktok as
 *    big.d.official", "her insta is jadeyb", "his fb name is Connor Lyons Official", "tyrone_2k9 on insta";
 *  - a word with an underscore in it ("chaz_lfc_"), which in staff notes is always a username.
 * A platform word followed by an ordinary word ("on snap map", "TikTok and Instagram", "his insta is
 * private") is not a username.
 */
import { ENGLISH_WORDS, NEVER_NAMES, isKnownCommonWord } from './lexicon';
import type { Span } from './types';

const PLATFORM =
  '(?:insta(?:gram)?|ig|snap(?:chat)?|sc|tik[ -]?tok|tt|fb|facebook|face book|twitter|threads|youtube|yt|discord|twitch|telegram|kik|roblox|xbox|psn|playstation|steam|fortnite|minecraft|reddit|bereal|pinterest|onlyfans|whatsapp|wa|tinder|grindr|hinge|bumble|yubo|wizz|omegle|monkey|gamertag|gamer tag|username|user name|user|handle|screen name|account name|profile name)';
const WHAT = '(?:[ \\t]+(?:account|acc|acct|name|username|user name|handle|page|profile|id|tag|is called|name is))?';
const CONNECTOR =
  '(?:[ \\t]*[:=][ \\t]*|[ \\t]*[-–][ \\t]+|[ \\t]+(?:(?:is|was|=|called|named|under|as)[ \\t]+)(?:(?:now|still|just|on[ \\t]+there|on[ \\t]+it|listed)[ \\t]+)*(?:as[ \\t]+)?|[ \\t]+)';
const CANDIDATE = "([\\p{L}\\p{N}_][\\p{L}\\p{N}_.'’-]*)";
const NAMED = new RegExp(`(?<![\\p{L}\\p{N}_])${PLATFORM}(?:['’]s)?${WHAT}(${CONNECTOR})${CANDIDATE}`, 'giu');
/** "his fb name is Connor Lyons Official": a display name of capitalised words. */
const DISPLAY_NAME = new RegExp(
  `(?<![\\p{L}\\p{N}_])${PLATFORM}(?:[ \\t]+(?:name|page|profile|account)[ \\t]+(?:is|=|:)|[ \\t]*:|[ \\t]+(?:as|under(?: the name)?))[ \\t]*((?:\\p{Lu}[\\p{L}'’-]*)(?:[ \\t]+\\p{Lu}[\\p{L}'’-]*){0,4})`,
  'gu',
);
const BEFORE_PLATFORM = new RegExp(
  `(?<![\\p{L}\\p{N}_.@])([\\p{L}\\p{N}_][\\p{L}\\p{N}_.]*[\\p{L}\\p{N}_])[ \\t]+(?:on|from)[ \\t]+${PLATFORM}(?![\\p{L}])`,
  'giu',
);
const AT = /(?<![\p{L}\p{N}_.@+\-/])@([\p{L}\p{N}_](?:[\p{L}\p{N}_.]{0,29}[\p{L}\p{N}_])?)/gu;
const UNDERSCORED = /(?<![\p{L}\p{N}_.@/\\:-])([\p{L}\p{N}][\p{L}\p{N}.]*_[\p{L}\p{N}_.]*)(?![\p{L}\p{N}_@/\\-])/gu;
const SHAPED =
  /(?<![\p{L}\p{N}_.@/\\:£$-])([\p{L}\p{N}_][\p{L}\p{N}_.]*[\p{L}\p{N}_])(?![\p{L}\p{N}_@/\\-]|\.[\p{L}\p{N}])/gu;
/** Username-shaped words that are something else: times, counts, ordinals, postcodes, years, case references. */
const NOT_USERNAMES =
  /^(?:\d+(?:am|pm|x|st|nd|rd|th|s|k|m|yrs?|wks?|mins?|hrs?|cm|mm|kg|ft|yo)|(?:yr|y|year)\d{1,2}|[a-z]{1,2}\d{1,2}[a-z]?|\d+[a-z]|\d+(?:\.\d+)+|[a-z]\.[a-z](?:\.[a-z])*|e\.g|i\.e|a\.m|p\.m|[A-Z]{2,}\d+)$/i;
const PLATFORM_ALL = new RegExp(`(?<![\\p{L}])${PLATFORM}(?![\\p{L}])`, 'giu');
const PLATFORM_NEAR = new RegExp(`(?<![\\p{L}])${PLATFORM}(?![\\p{L}])`, 'iu');

/** Looks like a username rather than a word: has an underscore, a dot between letters, or letters and digits. */
function usernameShaped(s: string): boolean {
  if (!/\p{L}/u.test(s)) return false;
  if (/^\d{1,2}[.:]\d{2}(?:am|pm)?$/i.test(s)) return false; // a time
  return /_/.test(s) || /\p{L}\.\p{L}|\p{L}\.\p{N}|\p{N}\.\p{L}/u.test(s) || (/\p{L}/u.test(s) && /\p{N}/u.test(s));
}

function plainWord(s: string): boolean {
  const lower = s.toLowerCase();
  return ENGLISH_WORDS.has(lower) || isKnownCommonWord(lower) || NEVER_NAMES.has(lower);
}

function trimEnd(s: string): string {
  return s.replace(/[.'’-]+$/u, '');
}

export function findHandles(text: string): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number) => {
    if (end > start && !spans.some((s) => start < s.end && end > s.start)) spans.push({ type: 'handle', start, end });
  };

  for (const m of text.matchAll(AT)) {
    const name = trimEnd(m[1]);
    if (!/\p{L}/u.test(name)) continue;
    // part of an email address: "jo@x.org" is found as an email; "@" in "name@domain" never starts here anyway
    if (/^[\p{L}\p{N}_.]*@/u.test(text.slice(m.index + 1))) continue;
    if (!usernameShaped(name) && plainWord(name) && !PLATFORM_NEAR.test(text.slice(Math.max(0, m.index - 40), m.index)))
      continue;
    add(m.index, m.index + 1 + name.length);
  }

  for (const m of text.matchAll(DISPLAY_NAME)) {
    const words = m[1].split(/[ \t]+/);
    if (words.length < 2) continue;
    const start = m.index + m[0].length - m[1].length;
    add(start, start + m[1].length);
  }

  for (const m of text.matchAll(NAMED)) {
    const connector = m[1];
    const raw = trimEnd(m[2]);
    const start = m.index + m[0].length - m[2].length;
    if (raw.startsWith('@') || !raw) continue;
    if (usernameShaped(raw)) {
      add(start, start + raw.length);
      continue;
    }
    // a letters-only username needs a clear connector ("is", "as", ":") and must be no English word
    const strong = /[:=\-–]|\b(?:is|was|as|called|named|under)\b/i.test(connector);
    if (strong && !plainWord(raw) && raw.length >= 3) add(start, start + raw.length);
  }

  for (const m of text.matchAll(BEFORE_PLATFORM)) {
    const raw = m[1];
    if (usernameShaped(raw) && !/^\d+$/.test(raw)) add(m.index, m.index + raw.length);
  }

  // a username-shaped word shortly after a platform word in the same sentence: "on tiktok she is called moon.child.x"
  const platformEnds = [...text.matchAll(PLATFORM_ALL)].map((m) => m.index + m[0].length);
  if (platformEnds.length) {
    for (const m of text.matchAll(SHAPED)) {
      const near = platformEnds.find((e) => e <= m.index && m.index - e <= 40);
      if (near === undefined) continue;
      const raw = trimEnd(m[1]);
      if (!usernameShaped(raw) || NOT_USERNAMES.test(raw)) continue;
      if (/[.!?\n]\s/.test(text.slice(near, m.index))) continue;
      add(m.index, m.index + raw.length);
    }
  }

  for (const m of text.matchAll(UNDERSCORED)) {
    const raw = trimEnd(m[1]);
    if (/\p{L}/u.test(raw) && raw.length >= 4) add(m.index, m.index + raw.length);
  }
  return spans;
}
