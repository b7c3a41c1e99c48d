/**
 * The data of the photo-decision cards that go to the managers' channel: the urgent request for advice and
 * the finished walkthrough's summary. Both carry codes, labels and numbers only: the case reference, the kind
 * of concern, adult or child, body regions and mark types. Never free text a worker typed, never a name.
 * Pure functions: no botbuilder, no I/O.
 */
import { bodyRegion, VIEW_LABEL } from '../../core/bodymap/regions';
import { bodyMapAltText, bodyMapDataUri } from '../../core/bodymap/render';
import { pictureMarks } from '../../core/walkthrough/bodyMapCard';
import { bodyMapBand } from '../../core/walkthrough/entries';
import { recordReference } from '../../core/records/reference';
import { formatLondon } from '../../core/time';
import { ADVICE_DECISIONS, ADVICE_VIA, CONCERNS, MARK_TYPES, PERSON_TYPES } from '../../core/walkthrough/flow';
import type { IncidentSummaryEffect, RequestAdviceEffect, WalkState } from '../../core/walkthrough/types';
import type { CardData } from '../cardCatalogue';

const title = (list: readonly { value: string; title: string }[], value: string | undefined) =>
  list.find((c) => c.value === value)?.title ?? String(value ?? '');

export const DECISION_LABEL: Record<'photograph' | 'do_not_photograph', string> = {
  photograph: 'Take photographs',
  do_not_photograph: 'Do not take photographs',
};

/** How advice reached the worker, as a phrase after the decision ("Do not take photographs, answered in KeepSafe"). */
const VIA_PHRASE: Record<string, string> = {
  keepsafe: 'answered in KeepSafe',
  phone: 'by phone',
  in_person: 'in person',
};

export interface AdviceAnswered {
  decision: 'photograph' | 'do_not_photograph';
  by: string;
  at: string | Date;
}

/** A request for advice nobody needs to answer any more: the worker recorded advice had otherwise, or ended the walkthrough. */
export interface AdviceClosed {
  /** "Advice recorded by phone", "The worker cancelled the walkthrough" … */
  how: string;
  at: string | Date;
}

/**
 * The urgent card in the managers' channel. It names the member of staff asking (so a manager can reach them),
 * never the person the record is about, and none of the worker's free text.
 */
export function adviceRequestCardData(
  request: { id: string; createdAt: string; author?: { name?: string } },
  effect: Pick<RequestAdviceEffect, 'walkId' | 'caseRef' | 'concern' | 'personType' | 'immediateDanger'>,
  answered: AdviceAnswered | null = null,
  closed: AdviceClosed | null = null,
): CardData['adviceRequest'] {
  return {
    asker: request.author?.name?.trim().slice(0, 120) || 'A member of staff',
    closed: answered ? null : closed ? { how: closed.how, at: formatLondon(closed.at) } : null,
    requestId: request.id,
    walkId: effect.walkId,
    // The walkthrough's one reference, as on the worker's cards, the summary and "my records".
    reference: recordReference(effect.walkId || request.id),
    caseRef: effect.caseRef,
    concern: title(CONCERNS, effect.concern),
    person: title(PERSON_TYPES, effect.personType),
    danger: effect.immediateDanger ? 'Yes: the worker was told to call 999 or the emergency duty team first' : 'No',
    requested: formatLondon(request.createdAt),
    decisions: ADVICE_DECISIONS.map((c) => ({ title: c.title, value: c.value })),
    answered: answered
      ? { decision: DECISION_LABEL[answered.decision], by: answered.by || 'a manager', at: formatLondon(answered.at) }
      : null,
  };
}

/**
 * "1. Front, left forearm: bruise, 3 × 2 cm" (flow 1: "…, 3 cm"): view, region and type labels and the size,
 * never the colour, description or explanation.
 */
export function markCodeLine(m: IncidentSummaryEffect['marks'][number], i: number): string {
  const region = bodyRegion(m.region)?.label ?? m.region;
  const size = m.lengthCm !== undefined ? `${m.lengthCm} × ${m.widthCm} cm` : `${m.sizeCm} cm`;
  return `${i + 1}. ${VIEW_LABEL[m.view]}, ${region.toLowerCase()}: ${title(MARK_TYPES, m.type).toLowerCase()}, ${size}`;
}

function consentLine(c: NonNullable<IncidentSummaryEffect['consent']>, personType: 'adult' | 'child'): string {
  const given = { given: 'given', refused: 'refused', not_possible: 'not possible' }[c.consent];
  if (c.capacity === 'lacks_capacity') {
    const who =
      c.attorneyOrDeputy === 'attorney'
        ? ', attorney in place'
        : c.attorneyOrDeputy === 'deputy'
          ? ', deputy in place'
          : '';
    return `Lacks capacity: best-interests decision${who}`;
  }
  return personType === 'child' ? `Parental consent ${given}` : `Consent ${given}`;
}

export function photoSummaryCardData(effect: IncidentSummaryEffect, state: WalkState): CardData['photoSummary'] {
  const marks = effect.marks.map(markCodeLine);
  const consent = effect.consent
    ? consentLine(effect.consent, effect.personType)
    : 'Not asked: no photographs were advised';
  const photographs =
    effect.consent?.decision === 'photograph' ? 'To be taken on a work device, stored in the case record' : 'Not taken';
  return {
    reference: recordReference(effect.walkId),
    caseRef: effect.caseRef,
    concern: title(CONCERNS, effect.concern),
    person: title(PERSON_TYPES, effect.personType),
    danger: effect.immediateDanger ? 'Yes: the worker was told to call 999 or the emergency duty team' : 'No',
    advice: effect.advice
      ? `${DECISION_LABEL[effect.advice.decision]}, ${VIA_PHRASE[effect.advice.via] ?? title(ADVICE_VIA, effect.advice.via)}`
      : 'Not recorded',
    consent,
    photographs,
    marksLine: marks.length === 0 ? 'No body map' : marks.length === 1 ? '1 mark' : `${marks.length} marks`,
    marks,
    referral:
      effect.referralMade === null
        ? 'Not part of this record'
        : effect.referralMade
          ? 'Made'
          : 'Not yet made: the worker was told to refer today',
    finished: formatLondon(effect.finishedAt),
    image: bodyMapImage(state) ?? null,
  };
}

/** The body-map picture of a walkthrough's marks, small enough to travel inside a card, with its alt text. */
export function bodyMapImage(
  state: Pick<WalkState, 'marks' | 'answers' | 'flowVersion'>,
): { url: string; altText: string } | undefined {
  if (!state.marks.length) return undefined;
  const marks = pictureMarks(state.marks);
  return { url: bodyMapDataUri(marks, { band: bodyMapBand(state) }), altText: bodyMapAltText(marks) };
}
