/**
 * Card data for the consent log: "my consent log" (a worker's own consent decisions, each with a "Correct"
 * button) and the managers' list of everyone's. Pure functions. Only codes become words here: no free text
 * from an entry (who was consulted, the child's view, a correction's reason) is shown on a list.
 */
import { randomUUID } from 'node:crypto';
import { CONSENT_CORRECTION_FLOW_VERSION, BEGIN_CHOICE } from '../../core/walkthrough/consentFlow';
import { recordReference, ukDateTime } from '../../core/records/reference';
import type { RecordFields } from '../../core/records/kinds';
import type { StoredEntry } from '../../storage/types';
import type { CardData } from '../cardCatalogue';

/** The most entries a list shows, newest first (the card must stay under Teams' size limit). */
export const CONSENT_LOG_LIMIT = 25;

type Consent = RecordFields<'consent_decision'>;
type ConsentEntry = Extract<StoredEntry, { kind: 'consent_decision' }>;

const ANSWER: Record<Consent['consent'], string> = {
  given: 'agreed',
  refused: 'refused',
  not_possible: 'could not be asked',
};

export function decisionWords(f: Consent): string {
  return f.decision === 'photograph' ? 'Photographs to be taken' : 'No photographs';
}

/** Consent in plain words, by who could give it. */
export function consentWords(f: Consent): string {
  if (f.personType === 'child')
    return `The person with parental responsibility ${ANSWER[f.parentalConsent ?? f.consent]}`;
  if (f.capacity === 'lacks_capacity') {
    const bi = f.bestInterests?.decision === 'photograph' ? 'take photographs' : 'do not take photographs';
    return `Could not consent. Best-interests decision: ${bi}`;
  }
  return `The person ${ANSWER[f.consent]}`;
}

export function capacityWords(f: Consent): string {
  if (f.capacity === 'has_capacity') return 'Has capacity to consent';
  if (f.capacity === 'lacks_capacity') return 'Lacks capacity to consent';
  return 'Not asked (a child)';
}

/** "Guidance version 1.0, in the photo decision": which guidance and which set of questions, in words (the codes are in the record). */
export function versionWords(e: ConsentEntry): string {
  const v = e.fields.flowVersion;
  const where = !v
    ? 'logged outside a walkthrough'
    : v === CONSENT_CORRECTION_FLOW_VERSION || v.startsWith('consent-fix')
      ? 'as a correction'
      : v.startsWith('consent')
        ? "with 'log consent'"
        : 'in the photo decision';
  return `Guidance version ${e.guidanceVersion}, ${where}`;
}

export interface ConsentLogOptions {
  /** Managers' list: who logged each entry is shown, and there are no Correct buttons. */
  team?: boolean;
  /** The case reference the managers' list was filtered by. */
  caseRef?: string;
  /** New walkthrough ids for the Correct buttons (tests pass their own). */
  newId?: () => string;
}

export function consentLogCardData(all: readonly StoredEntry[], opts: ConsentLogOptions = {}): CardData['consentLog'] {
  const entries = all.filter((e): e is ConsentEntry => e.kind === 'consent_decision').slice(0, CONSENT_LOG_LIMIT);
  const newId = opts.newId ?? randomUUID;
  // An entry corrected by a newer one shown here says so, and is not offered for correction again.
  const correctedBy = new Map<string, string>();
  for (const e of all) if (e.corrects && !correctedBy.has(e.corrects)) correctedBy.set(e.corrects, e.id);

  const summary = opts.team
    ? entries.length === 0
      ? opts.caseRef
        ? `No consent decisions for case ${opts.caseRef}.`
        : 'No consent decisions have been logged yet.'
      : `The ${entries.length === 1 ? 'most recent consent decision' : `${entries.length} most recent consent decisions`}${opts.caseRef ? ` for case ${opts.caseRef}` : ''}, newest first, by everyone in the service.`
    : entries.length === 0
      ? "You haven't logged any consent decisions yet. To log one, type 'log consent'."
      : entries.length === 1
        ? 'Your one consent decision.'
        : `Your ${entries.length} most recent consent decisions, newest first.`;

  return {
    heading: opts.team
      ? opts.caseRef
        ? `Consent log: case ${opts.caseRef}`
        : "Everyone's consent decisions"
      : 'Your consent log',
    summary,
    entries: entries.map((e) => {
      const f = e.fields;
      const reference = recordReference(e.id);
      const later = correctedBy.get(e.id);
      const facts = [
        ...(opts.team ? [{ title: 'Logged by', value: e.author.name || 'Name not known' }] : []),
        { title: 'Reference', value: reference },
        { title: 'Decision', value: decisionWords(f) },
        { title: 'Consent', value: consentWords(f) },
        { title: 'Capacity', value: capacityWords(f) },
        { title: 'Made under', value: versionWords(e) },
        ...(e.corrects ? [{ title: 'Correction of', value: recordReference(e.corrects) }] : []),
      ];
      return {
        title: `${e.caseRef ?? 'No case'} · ${f.personType === 'child' ? 'Child' : 'Adult'}${e.corrects ? ' (correction)' : ''}`,
        when: ukDateTime(e.createdAt),
        facts,
        note: later ? `Corrected later by ${recordReference(later)}.` : null,
        correct:
          opts.team || later
            ? null
            : {
                title: 'Correct this',
                data: {
                  action: 'walkthrough' as const,
                  walkId: newId(),
                  step: 'seen',
                  flowVersion: CONSENT_CORRECTION_FLOW_VERSION,
                  rev: 0,
                  choice: BEGIN_CHOICE,
                  corrects: e.id,
                },
              },
      };
    }),
    footnote: opts.team
      ? 'Entries are never edited: a correction is a new entry that points to the old one. Your KeepSafe administrator can export the consent log as a spreadsheet; every export is audited.'
      : "Entries are never edited. If one is wrong, press Correct: your correction is saved as a new entry, with your reason, and the old one is kept. To log a new decision, type 'log consent'.",
  };
}
