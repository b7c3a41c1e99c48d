/**
 * The data the incident cards are bound with (each template is cards/<name>.json), built in views.ts and checked
 * by renderCard before binding: the report form, the reporter's confirmation, the managers' escalation card and
 * the open-incidents list.
 */
import { z } from 'zod';
import { Choice, text } from '../cardFields';

export const INCIDENT_CARDS = {
  incidentReport: z.object({
    heading: text.min(1),
    intro: text.min(1),
    /** A problem with the whole report (e.g. it could not be saved yet), shown at the top. */
    problem: text.min(1).nullable(),
    pii: z.object({ found: text.min(1), digest: text.min(1) }).nullable(),
    types: z.array(Choice).min(1),
    platforms: z.array(text.min(1)).min(1),
    urgencies: z.array(Choice).min(1),
    values: z.object({
      type: text,
      summary: text,
      happenedDate: text,
      happenedTime: text,
      platform: text,
      urgency: text,
      caseRef: text,
      evidenceKept: z.enum(['true', 'false']),
    }),
    errors: z.object({
      type: text.nullable(),
      summary: text.nullable(),
      happenedDate: text.nullable(),
      happenedTime: text.nullable(),
      platform: text.nullable(),
      urgency: text.nullable(),
      caseRef: text.nullable(),
    }),
    maxDate: text.regex(/^\d{4}-\d{2}-\d{2}$/),
    /** What stopped the press, repeated right above the buttons (null when nothing did). */
    bottom: z.object({ heading: text.min(1), lines: z.array(text.min(1)).min(1) }).nullable(),
  }),
  incidentConfirm: z.object({
    reference: text.min(1),
    typeLabel: text.min(1),
    status: text.min(1),
    statusLine: text.min(1),
    owner: text.min(1).nullable(),
    updated: text.min(1),
    section: text.min(1),
    advice: z.array(text.min(1)).min(1),
  }),
  escalation: z.object({
    incidentId: text.min(1),
    sequence: z.number().int().min(1),
    reference: text.min(1),
    typeLabel: text.min(1),
    urgent: z.boolean(),
    status: text.min(1),
    owner: text.min(1),
    urgency: text.min(1),
    happened: text.min(1),
    platform: text.min(1),
    reporter: text.min(1),
    caseRef: text.min(1),
    evidence: text.min(1),
    history: z.array(text.min(1)),
    actions: z.object({
      acknowledge: z.boolean(),
      takeOwnership: z.boolean(),
      note: z.boolean(),
      resolve: z.boolean(),
      reopen: z.boolean(),
    }),
    /** "Take ownership", or "Take over" once someone owns it. */
    takeOwnershipTitle: text.min(1),
    /** A line for the manager who pressed ("The full report has gone to your chat with KeepSafe."). */
    notice: text.min(1).nullable(),
    outcomes: z.array(Choice).min(1),
  }),
  openIncidents: z.object({
    heading: text.min(1),
    summary: text.min(1),
    weeks: z.number().int().min(1),
    incidents: z.array(z.object({ title: text.min(1), detail: text.min(1), urgent: z.boolean() })),
    byType: z.array(z.object({ label: text.min(1), count: z.number().int().min(1) })),
    byWeek: z.array(z.object({ label: text.min(1), count: z.number().int().min(1) })),
  }),
} as const;
