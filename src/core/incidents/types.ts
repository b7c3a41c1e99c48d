/**
 * Incidents a worker reports (guidance sections 1 and 2.5): the kinds, what the guidance says for each, and
 * how an incident's state (status, owner, history) follows from its record and the managers' actions on it.
 * Pure: no Teams, no database.
 */
export const INCIDENT_TYPES = [
  'untrue_or_abusive_post',
  'contact_request',
  'account_hacked',
  'policy_breach',
  'tagged_content',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const URGENCIES = ['low', 'medium', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface IncidentTypeInfo {
  /** How the worker picks it on the report card. */
  choice: string;
  /** A short label for the managers' card and counts. */
  label: string;
  /** The guidance that applies right there, in plain words, and the section it comes from. */
  advice: string[];
  section: string;
}

export const INCIDENT_TYPE_INFO: Record<IncidentType, IncidentTypeInfo> = {
  untrue_or_abusive_post: {
    choice: 'An untrue or abusive post about me or a colleague',
    label: 'Untrue or abusive post',
    advice: [
      "Don't reply publicly or get drawn into an argument: any response should be professional, proportionate and measured.",
      'Keep a note of what was posted, where and when (screenshots stay on your work device, never in Teams).',
      'Your manager may need to respond to it and take action: that is what this report is for.',
    ],
    section: '1',
  },
  contact_request: {
    choice: 'A contact or friend request from someone I work with, or their family',
    label: 'Contact or friend request',
    advice: [
      "Don't accept it. Only connect with people you know and trust (2.2).",
      'Never give your personal email or mobile number to anyone who is or was a service user, or their family.',
      'To keep in contact, use only your work email or phone, and talk to your line manager first (2.5).',
    ],
    section: '2.5',
  },
  account_hacked: {
    choice: 'My account was hacked or someone is pretending to be me',
    label: 'Account hacked or impersonated',
    advice: [
      'Change your passwords now, starting with the account affected and any that share its password.',
      'Check your privacy settings on every site (Settings on each one) (2.1).',
      'If a work account or work device is involved, tell IT straight away as well.',
    ],
    section: '2.1',
  },
  policy_breach: {
    choice: 'I may have breached the IT or Acceptable Use Policy',
    label: 'Possible IT/acceptable use breach',
    advice: [
      'Telling your manager straight away is the right thing to do, and this report does that.',
      "Don't delete anything or try to put it right yourself before you've spoken to your manager.",
      'Follow the Acceptable Use Policy and IT and email procedures from now on (2.5).',
    ],
    section: '2.5',
  },
  tagged_content: {
    choice: 'I was tagged in, or shown, content that worries me',
    label: 'Tagged in or shown worrying content',
    advice: [
      "If you're tagged in something you don't like, message the person privately and politely ask them to remove it (2.4).",
      'Never access or download illegal or inappropriate material, not even to keep as evidence (2.3.1).',
      'Your manager can advise on anything that could affect your work.',
    ],
    section: '2.4',
  },
  other: {
    choice: 'Something else',
    label: 'Other incident',
    advice: [
      'Any incident related to this guidance that causes you concern should be reported to your line manager straight away: this report does that (2.5).',
      "Keep a note of what happened and when, and don't share screenshots or details about service users in Teams.",
    ],
    section: '2.5',
  },
};

export const URGENCY_LABEL: Record<Urgency, string> = {
  low: 'Low: it can wait a few days',
  medium: 'Medium: in the next working day',
  high: 'Urgent: today',
};

export const PLATFORMS = [
  'Facebook',
  'Instagram',
  'X (Twitter)',
  'TikTok',
  'Snapchat',
  'WhatsApp',
  'LinkedIn',
  'YouTube',
  'Other',
] as const;

export type IncidentStatus = 'open' | 'acknowledged' | 'in_progress' | 'resolved';

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: 'Open: waiting for a manager',
  acknowledged: 'Acknowledged',
  in_progress: 'Being handled',
  resolved: 'Resolved',
};

export const MANAGER_ACTIONS = ['acknowledge', 'take_ownership', 'note', 'resolve', 'reopen'] as const;
export type ManagerAction = (typeof MANAGER_ACTIONS)[number];
