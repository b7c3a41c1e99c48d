/**
 * The registry of record kinds: for each, the strict schema of its structured fields, whether it carries a
 * case reference, and how long it is kept by default (days; RETENTION_DAYS_<KIND> overrides).
 *
 * caseRef: 'required' — the entry is about a service user and must name their case;
 *          'optional' — it may concern a case (an incident, a manager's action);
 *          'none'     — it never does (feedback on an answer), and one given is refused.
 */
import { z } from 'zod';
import { AGE_BANDS, BODY_REGION_IDS, BODY_VIEWS, regionInView, type AgeBand, type BodyView } from '../bodymap/regions';
import { acrossFits, type MarkAcross } from '../bodymap/geometry';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.string().datetime({ offset: true });
const recordId = z.string().uuid();
/** The version of the injury-photo walkthrough's flow an entry was made under (absent when made outside it). */
const flowVersion = z.string().regex(/^[0-9A-Za-z.-]{1,16}$/, 'must be a flow version like 1 or 1.2');
/** The walkthrough an entry was made in, linking its entries together (absent when made outside it). */
const walkthroughId = recordId;
const consentAnswer = z.enum(['given', 'refused', 'not_possible']);
const photoDecision = z.enum(['photograph', 'do_not_photograph']);

/** A body-map mark of flow version 1: front or back, one size, a colour and a description. Still read and drawn. */
const bodyMapMarkV1 = z
  .strictObject({
    view: z.enum(['front', 'back']),
    /** A region id from src/core/bodymap/regions.ts, seen in this view. */
    region: z.enum(BODY_REGION_IDS as [string, ...string[]]),
    type: z.enum(['bruise', 'cut', 'burn_or_scald', 'redness', 'swelling', 'other']),
    sizeCm: z.number().positive().max(200),
    colour: text(60).optional(),
    description: text(1000),
  })
  .refine((m) => regionInView(m.region, m.view), {
    message: 'this region cannot be seen in that view',
    path: ['region'],
  });

const triState = z.enum(['yes', 'no', 'not_known']);
export const MARK_ACROSS = ['inner', 'outer', 'left', 'right', 'front', 'back'] as const;

/**
 * A body-map mark from flow version 2: what safeguarding practice asks of each mark — where (view, region and
 * the part of it), its size as length × width in cm, shape, colour in plain words, broken skin, swelling,
 * bleeding, whether it was explained and by whom, in their own words — and when it was marked.
 */
const bodyMapMarkV2 = z
  .strictObject({
    view: z.enum(BODY_VIEWS as [BodyView, ...BodyView[]]),
    region: z.enum(BODY_REGION_IDS as [string, ...string[]]),
    vertical: z.enum(['upper', 'middle', 'lower']).optional(),
    across: z.enum(MARK_ACROSS).optional(),
    type: z.enum(['bruise', 'cut', 'burn_or_scald', 'redness', 'swelling', 'other']),
    lengthCm: z.number().positive().max(200),
    widthCm: z.number().positive().max(200),
    shape: z.enum(['round', 'oval', 'line', 'irregular', 'patterned']),
    /** In plain words (never used to guess its age). */
    colour: text(60),
    skinBroken: triState,
    swelling: triState,
    bleeding: triState,
    /** Whether it was explained, and by whom: the person themselves or someone else (explainedBy: their role). */
    explanation: z.enum(['none', 'the_person', 'someone_else']),
    explainedBy: text(120).optional(),
    /** The explanation in the words of whoever gave it. */
    explanationWords: text(1000).optional(),
    description: text(1000).optional(),
    markedAt: isoTime,
  })
  .superRefine((m, ctx) => {
    if (!regionInView(m.region, m.view))
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'this region cannot be seen in that view' });
    else if (m.across && !acrossFits(m.view, m.region, m.across as MarkAcross))
      ctx.addIssue({ code: 'custom', path: ['across'], message: 'that side does not fit this region' });
    if (m.widthCm > m.lengthCm)
      ctx.addIssue({ code: 'custom', path: ['widthCm'], message: 'the width is the shorter measurement' });
    if (m.explanation === 'none' && (m.explainedBy || m.explanationWords))
      ctx.addIssue({ code: 'custom', path: ['explanation'], message: 'no explanation was given' });
    if (m.explanation !== 'none' && !m.explanationWords)
      ctx.addIssue({ code: 'custom', path: ['explanationWords'], message: 'write the explanation in their words' });
    if (m.explanation === 'someone_else' && !m.explainedBy)
      ctx.addIssue({ code: 'custom', path: ['explainedBy'], message: 'say who explained it' });
  });

/** Seven years, the council's usual period for safeguarding records; six for incidents; one for feedback. */
const SEVEN_YEARS = 2555;
const SIX_YEARS = 2190;
const ONE_YEAR = 365;
/** What the content-gap report reads: a quarter is enough to see a pattern, and little is kept for long. */
const GAP_DAYS = 90;
const sectionNumber = z.string().regex(/^\d+(\.\d+){0,3}$/, 'must be a section number like 2.3.2');
/** The guidance engine that made a decision ("ks-engine-2/<guidance version>/<content hash>"). */
const engineVersion = z.string().trim().min(1).max(80);

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
      flowVersion: flowVersion.optional(),
      walkthroughId: walkthroughId.optional(),
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
      decision: photoDecision,
      conditions: text(2000).optional(),
      /** How the advice reached the worker: answered in KeepSafe, by phone, in person. */
      via: z.enum(['keepsafe', 'phone', 'in_person']).optional(),
      flowVersion: flowVersion.optional(),
      walkthroughId: walkthroughId.optional(),
    }),
  }),
  consent_decision: kind({
    label: 'Consent decision',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z
      .strictObject({
        /** The advice_given entry the decision rests on, when known. */
        adviceRecordId: recordId.optional(),
        personType: z.enum(['adult', 'child']),
        /** Consent to photographs: the adult's own; for a child, that of whoever has parental responsibility (also in parentalConsent). */
        consent: consentAnswer,
        /** Who consented, by role (e.g. "the person", "mother"): never needed as a name. */
        consentBy: text(200).optional(),
        /** Adults only: capacity to consent to photographs (Mental Capacity Act 2005). */
        capacity: z.enum(['has_capacity', 'lacks_capacity', 'not_applicable']),
        /** Adult lacking capacity: the best-interests decision, who was consulted, an attorney or deputy. */
        bestInterests: z
          .strictObject({
            decision: photoDecision,
            consulted: text(500),
            attorneyOrDeputy: z.enum(['none', 'attorney', 'deputy', 'not_known']),
            note: text(2000).optional(),
          })
          .optional(),
        /** Child: who has parental responsibility (by relationship or body), whether they consented, and the child's own view. */
        parentalResponsibility: text(200).optional(),
        parentalConsent: consentAnswer.optional(),
        childView: text(1000).optional(),
        /** The outcome: photographs are taken, or not. */
        decision: photoDecision,
        /** Consent refused or not possible: what happens instead. */
        whatHappensInstead: text(2000).optional(),
        explanation: text(2000).optional(),
        /** Photographs: a work device only, stored in the case record only. */
        device: z.literal('work_device').optional(),
        imagesStoredIn: z.literal('case_record').optional(),
        flowVersion: flowVersion.optional(),
        walkthroughId: walkthroughId.optional(),
      })
      .superRefine((f, ctx) => {
        const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
        if (f.personType === 'adult') {
          if (f.capacity === 'not_applicable') need('capacity', 'say whether the adult has capacity to consent');
          if (f.capacity === 'lacks_capacity' && !f.bestInterests)
            need('bestInterests', 'an adult without capacity needs a best-interests decision');
          if (f.capacity === 'has_capacity' && f.bestInterests)
            need('bestInterests', 'a best-interests decision is only for an adult without capacity');
        } else {
          if (f.capacity !== 'not_applicable') need('capacity', 'capacity is recorded for adults only');
          if (f.bestInterests) need('bestInterests', 'a best-interests decision is for adults only');
          if (!f.parentalResponsibility) need('parentalResponsibility', 'say who has parental responsibility');
          if (!f.parentalConsent) need('parentalConsent', 'say whether they consented');
          if (!f.childView) need('childView', "record the child's own view");
        }
        if (f.decision === 'photograph') {
          if (f.device !== 'work_device') need('device', 'photographs are taken on a work device only');
          if (f.imagesStoredIn !== 'case_record')
            need('imagesStoredIn', 'photographs are stored in the case record only');
        } else if (!f.whatHappensInstead && !f.explanation) {
          need('whatHappensInstead', 'say what happens instead of photographs');
        }
      }),
  }),
  body_map: kind({
    label: 'Body map',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z
      .strictObject({
        /** Marks numbered 1, 2, … in this order, on the picture and in the list. */
        marks: z
          .array(z.union([bodyMapMarkV2, bodyMapMarkV1]))
          .min(1)
          .max(50),
        /** The outline the marks were made on (flow version 2 on). Absent: an adult outline, front and back only. */
        ageBand: z.enum(AGE_BANDS as [AgeBand, ...AgeBand[]]).optional(),
        /** The role of the worker who recorded it (flow version 2 on); the entry's author and time say who and when. */
        recorderRole: text(120).optional(),
        flowVersion: flowVersion.optional(),
        walkthroughId: walkthroughId.optional(),
      })
      .superRefine((f, ctx) => {
        const v2 = f.marks.filter((m) => 'lengthCm' in m).length;
        if (v2 && v2 !== f.marks.length)
          ctx.addIssue({ code: 'custom', path: ['marks'], message: 'marks of one body map all have the same fields' });
        if (v2 && (!f.ageBand || !f.recorderRole))
          ctx.addIssue({
            code: 'custom',
            path: [f.ageBand ? 'recorderRole' : 'ageBand'],
            message: 'a body map with measured marks says the outline and who recorded it',
          });
      }),
  }),
  written_record: kind({
    label: 'Written record',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({
      whatWasSeen: text(5000),
      /** What was said, by anyone present. */
      whatWasSaid: text(5000).optional(),
      /** How the injury was explained, in the words of the person who explained it. */
      explanationGiven: text(5000).optional(),
      /** Who explained it, by role or relationship. */
      explainedBy: text(200).optional(),
      /** When the worker saw it. */
      seenAt: isoTime.optional(),
      flowVersion: flowVersion.optional(),
      walkthroughId: walkthroughId.optional(),
    }),
  }),
  referral: kind({
    label: 'Referral',
    caseRef: 'required',
    retentionDays: SEVEN_YEARS,
    fields: z.strictObject({
      referralMade: z.boolean(),
      referenceNumber: text(60).optional(),
      referredTo: text(200).optional(),
      flowVersion: flowVersion.optional(),
      walkthroughId: walkthroughId.optional(),
    }),
  }),
  incident_report: kind({
    label: 'Incident report',
    caseRef: 'optional',
    retentionDays: SIX_YEARS,
    fields: z.strictObject({
      type: z.enum([
        'untrue_or_abusive_post',
        'contact_request',
        'account_hacked',
        'policy_breach',
        'tagged_content',
        'other',
      ]),
      summary: text(4000),
      happenedAt: isoTime,
      /** False when the worker gave a date only (happenedAt is then midday UK time on that date). */
      timeKnown: z.boolean().optional(),
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
      outcome: z
        .enum([
          'no_further_action',
          'advice_given',
          'post_removed',
          'reported_to_platform',
          'hr_or_disciplinary',
          'police',
          'other',
        ])
        .optional(),
      /** The nth action on its subject (1, 2, …): two managers acting on the same state cannot both win. */
      sequence: z.number().int().min(1).max(10_000).optional(),
    }),
  }),
  feedback: kind({
    label: 'Feedback on an answer',
    caseRef: 'none',
    retentionDays: 365,
    // No free text: which section was shown and whether it helped.
    fields: z.strictObject({
      section: z.string().regex(/^\d+(\.\d+){0,3}$/, 'must be a section number like 2.3.2'),
      helpful: z.boolean(),
    }),
  }),
  clarify_choice: kind({
    label: 'Did-you-mean choice',
    caseRef: 'none',
    retentionDays: ONE_YEAR,
    // Where the engine hesitated and what the worker chose: never the question text.
    fields: z
      .strictObject({
        offered: z.array(sectionNumber).min(1).max(3),
        /** A section that was offered, or 'none' ("None of these"). */
        chosen: z.union([sectionNumber, z.literal('none')]),
        engineVersion,
      })
      .refine((f) => f.chosen === 'none' || f.offered.includes(f.chosen), {
        message: 'the chosen section was not offered',
        path: ['chosen'],
      }),
  }),
  guidance_gap: kind({
    label: "Question the guidance didn't answer",
    caseRef: 'none',
    retentionDays: GAP_DAYS,
    // For the content-gap report: the question with identifiers masked (maskIdentifiers) before it is stored.
    fields: z.strictObject({
      reason: z.enum(['declined', 'not_helpful', 'none_fitted']),
      /** Absent when it was not known (feedback on an answer opened from the topic list, not a typed question). */
      question: text(1000).optional(),
      /** The section shown (not helpful), offered first (none fitted), or nearest (declined), when known. */
      nearestSection: sectionNumber.optional(),
      engineVersion,
    }),
  }),
  manager_question: kind({
    label: 'Question for a manager',
    caseRef: 'none',
    retentionDays: ONE_YEAR,
    fields: z.strictObject({
      /** The worker's question as they confirmed it (after the identifier check); only the owning manager sees it. */
      question: text(1000),
      nearestSection: sectionNumber.optional(),
      /** Where the worker asked from. */
      from: z.enum(['not_covered', 'did_you_mean']),
      /** The worker chose to send it although the identifier check found something. */
      identifiersConfirmed: z.boolean(),
      engineVersion,
    }),
  }),
  question_action: kind({
    label: "Manager's action on a question",
    caseRef: 'none',
    retentionDays: ONE_YEAR,
    fields: z
      .strictObject({
        subjectRecordId: recordId,
        action: z.enum(['take_ownership', 'answer']),
        /** answer: what the manager wrote back (identifier-checked); it goes to the asking worker only. */
        answer: text(2000).optional(),
        identifiersConfirmed: z.boolean().optional(),
      })
      .refine((f) => (f.action === 'answer') === (f.answer !== undefined), {
        message: 'an answer needs its text, and only an answer has one',
        path: ['answer'],
      }),
  }),
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
export const RECORD_KIND_NAMES = Object.keys(RECORD_KINDS) as RecordKind[];
export type RecordFields<K extends RecordKind> = z.infer<(typeof RECORD_KINDS)[K]['fields']>;

/**
 * Kinds that are about the guidance rather than about anyone's work (feedback, did-you-mean choices, content
 * gaps): left out of "my records" and "my team's records", and read through their own reports instead.
 */
export const GUIDANCE_SIGNAL_KINDS: readonly RecordKind[] = ['feedback', 'clarify_choice', 'guidance_gap'];

export function isRecordKind(kind: unknown): kind is RecordKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(RECORD_KINDS, kind);
}

/** Retention per kind: the defaults above, overridden by configuration. */
export function retentionPolicy(overrides: Partial<Record<RecordKind, number>> = {}): Record<RecordKind, number> {
  const out = {} as Record<RecordKind, number>;
  for (const k of RECORD_KIND_NAMES) {
    const days = overrides[k] ?? RECORD_KINDS[k].retentionDays;
    if (!Number.isInteger(days) || days < 1)
      throw new RangeError(`Retention for ${k} must be a whole number of days, at least 1 (got ${days})`);
    out[k] = days;
  }
  return out;
}
