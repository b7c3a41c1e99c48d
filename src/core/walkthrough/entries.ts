/**
 * Flow version 1's answers → record fields (kinds.ts) and channel summaries. Only answers on the path the
 * worker actually took are read (PathReader), so a branch left with Back never leaks into a record.
 */
import { checkCaseRef } from '../records/caseRef';
import type { RecordFields } from '../records/kinds';
import { londonToDate } from '../time';
import type { AgeBand } from '../bodymap/regions';
import type { Mark, PathReader, RecordBuilders, WalkState } from './types';

type Concern = 'physical_injury' | 'signs_of_abuse' | 'signs_of_neglect';
type Person = 'adult' | 'child';
type Decision = 'photograph' | 'do_not_photograph';
type Consent = 'given' | 'refused' | 'not_possible';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Only the keys whose value is set: the schemas are strict and optional text must not be empty. */
function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

const opt = (v: string): string | undefined => (v ? v : undefined);

function common(r: PathReader) {
  return { flowVersion: r.state.flowVersion, walkthroughId: r.state.id };
}

function isoOrUndefined(date: string, time: string): string | undefined {
  return londonToDate(date, time)?.toISOString();
}

function consentFields(r: PathReader): RecordFields<'consent_decision'> {
  const personType = r.get('seen', 'personType') as Person;
  const photographing = r.onPath('photo_care');
  const decision: Decision = photographing ? 'photograph' : 'do_not_photograph';
  const base = {
    adviceRecordId:
      r.state.recorded.advice_given && UUID.test(r.state.recorded.advice_given)
        ? r.state.recorded.advice_given
        : undefined,
    personType,
    decision,
    device: photographing ? ('work_device' as const) : undefined,
    imagesStoredIn: photographing ? ('case_record' as const) : undefined,
    whatHappensInstead: photographing ? undefined : opt(r.get('consent_refused', 'whatHappensInstead')),
    ...common(r),
  };
  if (personType === 'child') {
    const parentalConsent = r.get('parental_consent', 'parentalConsent') as Consent;
    return defined({
      ...base,
      consent: parentalConsent,
      consentBy: parentalConsent === 'given' ? opt(r.get('parental_consent', 'parentalResponsibility')) : undefined,
      capacity: 'not_applicable' as const,
      parentalResponsibility: r.get('parental_consent', 'parentalResponsibility'),
      parentalConsent,
      childView: r.get('parental_consent', 'childView'),
    });
  }
  if (r.get('capacity', 'hasCapacity') === 'no') {
    return defined({
      ...base,
      consent: 'not_possible' as const,
      capacity: 'lacks_capacity' as const,
      bestInterests: defined({
        decision: r.get('best_interests', 'bestInterestsDecision') as Decision,
        consulted: r.get('best_interests', 'consulted'),
        attorneyOrDeputy: r.get('best_interests', 'attorneyOrDeputy') as 'none' | 'attorney' | 'deputy' | 'not_known',
        note: opt(r.get('best_interests', 'note')),
      }),
    });
  }
  const consent = r.get('consent', 'personConsent') as Consent;
  return defined({
    ...base,
    consent,
    consentBy: consent === 'given' ? 'the person' : undefined,
    capacity: 'has_capacity' as const,
  });
}

export const RECORDS_V1: RecordBuilders = {
  caseRef: (r) => checkCaseRef(r.get('seen', 'caseRef'), new RegExp(r.state.caseRefPattern)),

  advice_request: (r) => ({
    concern: r.get('seen', 'concern') as Concern,
    personType: r.get('seen', 'personType') as Person,
    immediateDanger: r.get('seen', 'immediateDanger') === 'yes',
    ...common(r),
  }),

  advice_given: (r) =>
    defined({
      adviceRequestId:
        r.state.recorded.advice_request && UUID.test(r.state.recorded.advice_request)
          ? r.state.recorded.advice_request
          : undefined,
      adviserName: r.get('record_advice', 'adviserName'),
      adviserRole: r.get('record_advice', 'adviserRole'),
      givenAt: isoOrUndefined(r.get('record_advice', 'givenDate'), r.get('record_advice', 'givenTime')) as string,
      decision: r.get('record_advice', 'decision') as Decision,
      conditions: opt(r.get('record_advice', 'conditions')),
      via: r.get('record_advice', 'via') as 'keepsafe' | 'phone' | 'in_person',
      ...common(r),
    }),

  consent_decision: consentFields,

  body_map: (r) => ({
    marks: r.state.marks.map((m) =>
      defined({
        view: m.view as 'front' | 'back',
        region: m.region,
        type: m.type,
        sizeCm: m.sizeCm as number,
        colour: m.colour,
        description: m.description as string,
      }),
    ),
    ...common(r),
  }),

  written_record: (r) =>
    defined({
      whatWasSeen: r.get('written_record', 'whatWasSeen'),
      whatWasSaid: opt(r.get('written_record', 'whatWasSaid')),
      explainedBy: opt(r.get('written_record', 'explainedBy')),
      explanationGiven: opt(r.get('written_record', 'explanationGiven')),
      seenAt: isoOrUndefined(r.get('written_record', 'seenDate'), r.get('written_record', 'seenTime')),
      ...common(r),
    }),

  referral: (r) => {
    const made = r.get('referral', 'referralMade') === 'true';
    return defined({
      referralMade: made,
      referredTo: made ? opt(r.get('referral', 'referredTo')) : undefined,
      referenceNumber: made ? opt(r.get('referral', 'referenceNumber')) : undefined,
      ...common(r),
    });
  },

  requestAdvice: (r) => ({
    concern: r.get('seen', 'concern') as Concern,
    personType: r.get('seen', 'personType') as Person,
    caseRef: RECORDS_V1.caseRef(r),
    immediateDanger: r.get('seen', 'immediateDanger') === 'yes',
  }),

  incidentSummary: (r) => {
    const consentOnPath = r.onPath('photo_care') || r.onPath('consent_refused');
    const c = consentOnPath ? consentFields(r) : null;
    return {
      caseRef: RECORDS_V1.caseRef(r),
      concern: r.get('seen', 'concern') as Concern,
      personType: r.get('seen', 'personType') as Person,
      immediateDanger: r.get('seen', 'immediateDanger') === 'yes',
      advice: r.onPath('record_advice')
        ? {
            decision: r.get('record_advice', 'decision') as Decision,
            via: r.get('record_advice', 'via') as 'keepsafe' | 'phone' | 'in_person',
          }
        : null,
      consent: c
        ? defined({
            decision: c.decision,
            capacity: c.capacity,
            consent: c.consent,
            attorneyOrDeputy: c.bestInterests?.attorneyOrDeputy,
          })
        : null,
      marks: r.onPath('body_map')
        ? r.state.marks.map((m) => ({ view: m.view, region: m.region, type: m.type, sizeCm: m.sizeCm }))
        : [],
      referralMade: r.onPath('referral') ? r.get('referral', 'referralMade') === 'true' : null,
    };
  },
};

/**
 * The outline a walkthrough's body map is drawn on: the one the worker chose on the body-map step (flow 2 offers
 * baby, child and adult outlines for a child), else the adult outline for an adult and the child outline for a child.
 */
export function bodyMapBand(state: Pick<WalkState, 'answers' | 'flowVersion'>): AgeBand {
  const chosen = state.answers?.body_map?.ageBand;
  if (chosen === 'baby' || chosen === 'child' || chosen === 'adult') return chosen;
  if (state.flowVersion === '1') return 'adult';
  return state.answers?.seen?.personType === 'child' ? 'child' : 'adult';
}

/** A mark's codes and numbers, for the channel summary and the picture: never its free text. */
export function markCodes(m: Mark): RecordBuildersMarks[number] {
  return defined({
    view: m.view,
    region: m.region,
    type: m.type,
    sizeCm: m.sizeCm,
    lengthCm: m.lengthCm,
    widthCm: m.widthCm,
    vertical: m.vertical,
    across: m.across,
  });
}
type RecordBuildersMarks = ReturnType<RecordBuilders['incidentSummary']>['marks'];

/** Flow version 2: the body map's marks with every field safeguarding practice asks for, on four views and three outlines. */
export const RECORDS_V2: RecordBuilders = {
  ...RECORDS_V1,
  body_map: (r) => ({
    marks: r.state.marks.map((m) =>
      defined({
        view: m.view,
        region: m.region,
        vertical: m.vertical,
        across: m.across,
        type: m.type,
        lengthCm: m.lengthCm as number,
        widthCm: m.widthCm as number,
        shape: m.shape as NonNullable<Mark['shape']>,
        colour: m.colour as string,
        skinBroken: m.skinBroken as NonNullable<Mark['skinBroken']>,
        swelling: m.swelling as NonNullable<Mark['swelling']>,
        bleeding: m.bleeding as NonNullable<Mark['bleeding']>,
        explanation: m.explanation as NonNullable<Mark['explanation']>,
        explainedBy: m.explainedBy,
        explanationWords: m.explanationWords,
        description: m.description,
        markedAt: m.markedAt as string,
      }),
    ),
    ageBand: bodyMapBand(r.state),
    recorderRole: r.get('body_map', 'recorderRole'),
    ...common(r),
  }),
  incidentSummary: (r) => ({
    ...RECORDS_V1.incidentSummary(r),
    marks: r.onPath('body_map') ? r.state.marks.map(markCodes) : [],
    ageBand: bodyMapBand(r.state),
  }),
};
