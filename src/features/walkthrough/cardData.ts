/**
 * The data the walkthrough's own cards are bound with (each template is cards/<name>.json), checked by renderCard
 * before binding: the advice request and the photo-decision summary for the managers' channel (built in views.ts)
 * and the list of open walkthroughs (built in walkthrough.ts). The step cards are drawn in stepCards.ts.
 */
import { z } from 'zod';
import { Choice, text } from '../cardFields';

export const WALKTHROUGH_CARDS = {
  adviceRequest: z.object({
    requestId: text.uuid(),
    walkId: text.uuid(),
    reference: text.min(1),
    caseRef: text.min(1),
    concern: text.min(1),
    person: text.min(1),
    danger: text.min(1),
    requested: text.min(1),
    decisions: z.array(Choice).min(2),
    /** Set once a manager has answered: the card then shows the answer and no inputs. */
    answered: z.object({ decision: text.min(1), by: text.min(1), at: text.min(1) }).nullable(),
    /** The member of staff asking (a staff name, never a service user's). */
    asker: text.min(1),
    /** Set once nobody needs to answer (advice had by phone, the walkthrough ended): no inputs, and why. */
    closed: z.object({ how: text.min(1), at: text.min(1) }).nullable(),
  }),
  /** The managers' channel copy of a finished walkthrough: codes, numbers and labels only (no free text, no names). */
  photoSummary: z.object({
    reference: text.min(1),
    caseRef: text.min(1),
    concern: text.min(1),
    person: text.min(1),
    danger: text.min(1),
    advice: text.min(1),
    consent: text.min(1),
    photographs: text.min(1),
    marksLine: text.min(1),
    marks: z.array(text.min(1)),
    referral: text.min(1),
    finished: text.min(1),
    image: z.object({ url: text.min(1), altText: text.min(1) }).nullable(),
  }),
  walkthroughsOpen: z.object({
    heading: text.min(1),
    intro: text.min(1),
    items: z
      .array(z.object({ walkId: text.uuid(), title: text.min(1), detail: text.min(1), button: text.min(1) }))
      .min(1),
    kind: text.regex(/^[a-z]{1,20}$/),
  }),
} as const;
