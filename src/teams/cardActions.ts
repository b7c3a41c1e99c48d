/**
 * Every payload a card can send back, as strict schemas. A payload is checked here before any logic runs;
 * unknown fields are refused (apart from the `msteams` envelope Teams echoes back).
 */
import { z } from 'zod';

const sectionNumber = z.string().regex(/^[1-9](\.[1-9]){0,2}$/);
const msteams = z.object({ type: z.string(), displayText: z.string().optional(), text: z.string().optional() }).partial().optional();

export const SubmitActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('showSection'), section: sectionNumber, msteams }),
  z.strictObject({ action: z.literal('topics'), msteams }),
  z.strictObject({ action: z.literal('help'), msteams }),
  z.strictObject({ action: z.literal('ask'), question: z.string().trim().min(1).max(1000), msteams }),
  z.strictObject({ action: z.literal('reportIncident'), msteams }),
  z.strictObject({ action: z.literal('photoDecision'), msteams }),
]);
export type SubmitAction = z.infer<typeof SubmitActionSchema>;

const ExecuteSchemas = {
  feedback: z.strictObject({ section: sectionNumber, helpful: z.boolean() }),
} as const;

export type ExecuteVerb = keyof typeof ExecuteSchemas;
export type ExecuteAction = { [V in ExecuteVerb]: { verb: V; data: z.infer<(typeof ExecuteSchemas)[V]> } }[ExecuteVerb];

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || '(payload)'}: ${issue.message}`;
}

export function parseSubmit(value: unknown): Parsed<SubmitAction> {
  const result = SubmitActionSchema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: describe(result.error) };
}

export function parseExecute(verb: unknown, data: unknown): Parsed<ExecuteAction> {
  if (typeof verb !== 'string' || !Object.prototype.hasOwnProperty.call(ExecuteSchemas, verb)) {
    return { ok: false, error: 'unknown verb' };
  }
  const schema = ExecuteSchemas[verb as ExecuteVerb];
  const result = schema.safeParse(data ?? {});
  return result.success ? { ok: true, value: { verb, data: result.data } as ExecuteAction } : { ok: false, error: describe(result.error) };
}
