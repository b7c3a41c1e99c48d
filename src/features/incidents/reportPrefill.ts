/**
 * What a worker's question already says about an incident, to tick on the report card that follows the answer
 * ("someone made a fake instagram account pretending to be me" → hacked or impersonated, Instagram). Only the
 * kind of incident and the platform: never the worker's words, which they type themselves. The worker can
 * change both before sending.
 */
import type { IncidentType } from '../../core/incidents/types';
import type { ReportFormValues } from '../../core/incidents/report';

const KINDS: [RegExp, IncidentType][] = [
  [
    /\b(hack(ed|ing)?|pretend(ing)?\s+to\s+be\s+me|impersonat\w*|fake\s+(profile|account|page)|cloned?\s+(my\s+)?(profile|account))\b/i,
    'account_hacked',
  ],
  [
    /\b(friend\s+request|follow(ed)?\s+me|added\s+me|add\s+me|message[sd]?\s+me|dm'?d\s+me|contact(ed)?\s+me)\b/i,
    'contact_request',
  ],
  [/\b(tagged|tag(ged)?\s+me|shown|sent\s+me\s+(a\s+)?(video|photo|picture|image))\b/i, 'tagged_content'],
  [
    /\b(posted|post(s|ing)?|lies|lying|abus\w*|slag\w*|troll\w*|defam\w*|libel\w*|comments?\s+about\s+me|review)\b/i,
    'untrue_or_abusive_post',
  ],
  [/\b(acceptable\s+use|breach(ed)?|work\s+(laptop|phone|device)\s+for)\b/i, 'policy_breach'],
];

const PLATFORM_WORDS: [RegExp, string][] = [
  [/\b(facebook|fb|messenger)\b/i, 'Facebook'],
  [/\b(instagram|insta|ig)\b/i, 'Instagram'],
  [/\b(twitter|tweet\w*|x\.com)\b/i, 'X (Twitter)'],
  [/\btik\s?tok\b/i, 'TikTok'],
  [/\bsnap(chat)?\b/i, 'Snapchat'],
  [/\bwhats\s?app\b/i, 'WhatsApp'],
  [/\blinked\s?in\b/i, 'LinkedIn'],
  [/\byou\s?tube\b/i, 'YouTube'],
];

export function prefillReport(question: string): Partial<Pick<ReportFormValues, 'type' | 'platform'>> {
  const out: Partial<Pick<ReportFormValues, 'type' | 'platform'>> = {};
  const kind = KINDS.find(([re]) => re.test(question))?.[1];
  if (kind) out.type = kind;
  const platform = PLATFORM_WORDS.find(([re]) => re.test(question))?.[1];
  if (platform) out.platform = platform;
  return out;
}

/** Someone copying the worker's name or photo, as against getting into their account. */
export const IMPERSONATION =
  /\b(pretend(ing)?\s+to\s+be|impersonat\w*|fake\s+(profile|account|page)|clon(ed|ing)|copied\s+my\s+(photo|picture|profile))\b/i;
