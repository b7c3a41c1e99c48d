/**
 * The data the consent log is bound with (cards/consentLog.json), built in views.ts and checked by renderCard
 * before binding.
 */
import { z } from 'zod';
import { text } from '../cardFields';

export const CONSENT_CARDS = {
  /** "my consent log" (own entries, each with a Correct button) and the managers' list (with who logged each). */
  consentLog: z.object({
    heading: text.min(1),
    summary: text.min(1),
    entries: z.array(
      z.object({
        title: text.min(1),
        when: text.min(1),
        facts: z.array(z.object({ title: text.min(1), value: text.min(1) })).min(1),
        note: text.min(1).nullable(),
        /** Starts a correction walkthrough (a walkthrough button: checked again when pressed). */
        correct: z
          .object({
            title: text.min(1),
            data: z.strictObject({
              action: z.literal('walkthrough'),
              walkId: text.uuid(),
              step: text.min(1),
              flowVersion: text.min(1),
              rev: z.literal(0),
              choice: text.min(1),
              corrects: text.uuid(),
            }),
          })
          .nullable(),
      }),
    ),
    footnote: text.min(1),
  }),
} as const;
