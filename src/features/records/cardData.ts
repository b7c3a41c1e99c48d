/**
 * The data the record lists are bound with (cards/myRecords.json, cards/teamRecords.json), built in views.ts and
 * checked by renderCard before binding.
 */
import { z } from 'zod';
import { text } from '../cardFields';

export const RECORD_CARDS = {
  myRecords: z.object({
    heading: text.min(1),
    summary: text.min(1),
    entries: z.array(
      z.object({
        kind: text.min(1),
        when: text.min(1),
        caseRef: text.min(1),
        reference: text.min(1),
        correction: z.boolean(),
      }),
    ),
    footnote: text.min(1),
  }),
  teamRecords: z.object({
    heading: text.min(1),
    summary: text.min(1),
    weeks: z.array(
      z.object({
        label: text.min(1),
        total: z.number().int().min(1),
        kinds: z.array(z.object({ label: text.min(1), count: z.number().int().min(1) })).min(1),
      }),
    ),
    footnote: text.min(1),
  }),
} as const;
