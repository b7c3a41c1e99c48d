/**
 * The registry of record kinds: for each, the strict schema of its structured fields, whether it carries a
 * case reference, and how long it is kept by default (days; RETENTION_DAYS_<KIND> overrides).
 *
 * caseRef: 'required' — the entry is about a service user and must name their case;
 *          'optional' — it may concern a case (an incident, a manager's action);
 *          'none'     — it never does (feedback on an answer), and one given is refused.
 */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.string().datetime({ offset: true });
const recordId = z.string().uuid();

/** Seven years, the council's usual period for safeguarding records; six for incidents; one for feedback. */
const SEVEN_YEARS = 2555;
const SIX_YEARS = 2190;

export type CaseRefRule = 'required' | 'optional' | 'none';

export interface KindSpec<S extends z.ZodType = z.ZodType> {
  /** Plain-English name, for cards and exports. */
  label: string;
  caseRef: CaseRefRule;
  retentionDays: number;
  fields: S;
}

function kind<S extends z.ZodType>(spec: KindSpec<S>): KindSpec<S> {
  return spec;
}

export const RECORD_KINDS = {
  advice_request: kind({
    label: 'Request for advice',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({
      concern: z.enum(['physical_injury', 'signs_of_abuse', 'signs_of_neglect']),
      personType: z.enum(['adult', 'child']),
      immediateDanger: z.boolean(),
    }),
  }),
  advice_given: kind({
    label: 'Advice given',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({
      /** The advice request this answers, when there was one in KeepSafe. */
      adviceRequestId: recordId.optional(),
      adviserName: text(120),
      adviserRole: text(120),
      givenAt: isoTime,
      decision: z.enum(['photograph', 'do_not_photograph']),
      conditions: text(2000).optional(),
    }),
  }),
  consent_decision: kind({
    label: 'Consent decision',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({
      adviceRecordId: recordId,
      consent: z.enum(['given', 'refused', 'not_possible']),
      consentBy: text(200).optional(),
      capacity: z.enum(['has_capacity', 'lacks_capacity', 'not_applicable']),
      explanation: text(2000).optional(),
      device: z.literal('work_device'),
      imagesStoredIn: text(300),
    }),
  }),
  body_map: kind({
    label: 'Body map',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({
      marks: z
        .array(
          z.strictObject({
            view: z.enum(['front', 'back']),
            region: text(40),
            type: z.enum(['bruise', 'cut', 'burn_or_scald', 'redness', 'swelling', 'other']),
            sizeCm: z.number().positive().max(200),
            colour: text(60).optional(),
            description: text(1000),
          }),
        )
        .min(1)
        .max(50),
    }),
  }),
  written_record: kind({
    label: 'Written record',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({ whatWasSeen: text(5000), explanationGiven: text(5000).optional(), explainedBy: text(200).optional() }),
  }),
  referral: kind({
    label: 'Referral',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({ referralMade: z.boolean(), referenceNumber: text(60).optional(), referredTo: text(200).optional() }),
  }),
  incident_report: kind({
    label: 'Incident report',
    caseRef: 'optional',
    retentionDays: SIX_YEARS,
    fields: z.strictObject({
      type: z.enum(['untrue_or_abusive_post', 'contact_request', 'account_hacked', 'policy_breach', 'tagged_content', 'other']),
      summary: text(4000),
      happenedAt: isoTime,
      platform: text(60).optional(),
      urgency: z.enum(['low', 'medium', 'high']),
      evidenceKept: z.boolean(),
    }),
  }),
  manager_action: kind({
    label: 'Manager action',
    caseRef: 'optional',
    retentionDays: SIX_YEARS,
    fields: z.strictObject({
      subjectRecordId: recordId,
      action: z.enum(['acknowledge', 'take_ownership', 'note', 'resolve', 'reopen', 'advice']),
      note: text(2000).optional(),
      /** take_ownership: the manager it was given to (the presser, or a named manager). */
      assigneeId: text(64).optional(),
      assigneeName: text(200).optional(),
      /** resolve: how it ended. */
      outcome: z.enum(['no_further_action', 'advice_given', 'post_removed', 'reported_to_platform', 'hr_or_disciplinary', 'police', 'other']).optional(),
      /** The nth action on its subject (1, 2, …): two managers acting on the same state cannot both win. */
      sequence: z.number().int().min(1).max(10_000).optional(),
    }),
  }),
  feedback: kind({
    label: 'Feedback on an answer',
    caseRef: 'none',
    retentionDays: 365,
    // No free text: which section was shown and whether it helped.
    fields: z.strictObject({ section: z.string().regex(/^\d+(\.\d+){0,3}$/, 'must be a section number like 2.3.2'), helpful: z.boolean() }),
  }),
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
export const RECORD_KIND_NAMES = Object.keys(RECORD_KINDS) as RecordKind[];
export type RecordFields<K extends RecordKind> = z.infer<(typeof RECORD_KINDS)[K]['fields']>;

export function isRecordKind(kind: unknown): kind is RecordKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(RECORD_KINDS, kind);
}

/** Retention per kind: the defaults above, overridden by configuration. */
export function retentionPolicy(overrides: Partial<Record<RecordKind, number>> = {}): Record<RecordKind, number> {
  const out = {} as Record<RecordKind, number>;
  for (const k of RECORD_KIND_NAMES) {
    const days = overrides[k] ?? RECORD_KINDS[k].retentionDays;
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`Retention for ${k} must be a whole number of days, at least 1 (got ${days})`);
    out[k] = days;
  }
  return out;
}
