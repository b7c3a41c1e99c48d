/**
 * What each kind of record holds: its structured fields (a strict schema), whether it must carry a case
 * reference, and how long it is kept by default (days; RETENTION_DAYS_<KIND> overrides).
 */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.string().datetime({ offset: true });

export const RECORD_KINDS = {
  advice_request: {
    caseRef: 'required',
    retentionDays: 2555,
    fields: z.strictObject({
      concern: z.enum(['physical_injury', 'signs_of_abuse', 'signs_of_neglect']),
      personType: z.enum(['adult', 'child']),
      immediateDanger: z.boolean(),
    }),
  },
  advice_given: {
    caseRef: 'required',
    retentionDays: 2555,
    fields: z.strictObject({
      adviserName: text(120),
      adviserRole: text(120),
      givenAt: isoTime,
      decision: z.enum(['photograph', 'do_not_photograph']),
      conditions: text(2000).optional(),
    }),
  },
  consent_decision: {
    caseRef: 'required',
    retentionDays: 2555,
    fields: z.strictObject({
      adviceRecordId: z.string().uuid(),
      consent: z.enum(['given', 'refused', 'not_possible']),
      consentBy: text(200).optional(),
      capacity: z.enum(['has_capacity', 'lacks_capacity', 'not_applicable']),
      explanation: text(2000).optional(),
      device: z.literal('work_device'),
      imagesStoredIn: text(300),
    }),
  },
  body_map: {
    caseRef: 'required',
    retentionDays: 2555,
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
        .min(1),
    }),
  },
  written_record: {
    caseRef: 'required',
    retentionDays: 2555,
    fields: z.strictObject({ whatWasSeen: text(5000), explanationGiven: text(5000).optional(), explainedBy: text(200).optional() }),
  },
  referral: {
    caseRef: 'required',
    retentionDays: 2555,
    fields: z.strictObject({ referralMade: z.boolean(), referenceNumber: text(60).optional(), referredTo: text(200).optional() }),
  },
  incident_report: {
    caseRef: 'optional',
    retentionDays: 2190,
    fields: z.strictObject({
      type: z.enum(['untrue_or_abusive_post', 'contact_request', 'account_hacked', 'policy_breach', 'tagged_content', 'other']),
      summary: text(4000),
      happenedAt: isoTime,
      platform: text(60).optional(),
      urgency: z.enum(['low', 'medium', 'high']),
      evidenceKept: z.boolean(),
    }),
  },
  manager_action: {
    caseRef: 'optional',
    retentionDays: 2190,
    fields: z.strictObject({
      subjectRecordId: z.string().uuid(),
      action: z.enum(['acknowledge', 'take_ownership', 'note', 'resolve', 'reopen', 'advice']),
      note: text(2000).optional(),
    }),
  },
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
export const RECORD_KIND_NAMES = Object.keys(RECORD_KINDS) as RecordKind[];
export type RecordFields<K extends RecordKind> = z.infer<(typeof RECORD_KINDS)[K]['fields']>;

export function isRecordKind(kind: string): kind is RecordKind {
  return Object.prototype.hasOwnProperty.call(RECORD_KINDS, kind);
}
