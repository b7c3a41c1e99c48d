/**
 * The shape of an activity, checked at the edge before botbuilder or any handler sees it. Teams always sends
 * these fields with these types; anything else is a forged or broken request and gets 400 with a stable code
 * (ACTIVITY_INVALID), never a failed turn. Lengths are bounded so ids can be used in keys and log lines.
 *
 * Also refused anywhere in the body: NUL characters (PostgreSQL cannot store them), the keys __proto__,
 * constructor and prototype (nothing Teams sends uses them, and a later Object.assign would honour them), and
 * nesting deeper than MAX_DEPTH.
 */
import { z } from 'zod';

export const MAX_DEPTH = 32;
export const MAX_ID_LENGTH = 512;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
/** A lone surrogate cannot be URL-encoded (ids go into connector URLs) nor stored as UTF-8. */
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
/** An id Teams gives (conversation, activity, account): printable, bounded. */
const Id = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .refine(noControl, 'control character')
  .refine(wellFormed, 'lone surrogate');
const Name = z.string().max(256);
/** Entra ID object ids are GUIDs. */
const AadObjectId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a GUID');

const Account = z.looseObject({
  id: Id,
  name: Name.optional(),
  aadObjectId: AadObjectId.optional(),
  role: z.string().max(32).optional(),
});

const Conversation = z.looseObject({
  id: Id,
  conversationType: z.string().max(32).optional(),
  tenantId: z.string().max(64).optional(),
  isGroup: z.boolean().optional(),
  name: Name.optional(),
});

const ServiceUrl = z
  .string()
  .min(1, 'empty')
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'not an http(s) URL');

export const ActivitySchema = z
  .looseObject({
    type: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z]+$/, 'not an activity type'),
    id: Id.optional(),
    serviceUrl: ServiceUrl,
    channelId: z.string().min(1).max(64).optional(),
    from: Account,
    recipient: Account.optional(),
    conversation: Conversation,
    text: z.string().max(50_000).optional(),
    textFormat: z.string().max(16).optional(),
    locale: z.string().max(35).optional(),
    replyToId: Id.optional(),
    name: z.string().max(128).optional(),
    timestamp: z.string().max(64).optional(),
    localTimestamp: z.string().max(64).optional(),
    value: z.unknown().optional(),
    channelData: z.looseObject({}).optional(),
    membersAdded: z.array(Account).max(1000).optional(),
    membersRemoved: z.array(Account).max(1000).optional(),
    attachments: z.array(z.looseObject({})).max(50).optional(),
    entities: z.array(z.looseObject({})).max(50).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type === 'invoke' && !a.name)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'an invoke needs a name' });
    // Action.Execute: botbuilder reads value.action.type before any of our code could refuse it.
    if (a.type === 'invoke' && a.name === 'adaptiveCard/action') {
      const v = a.value as { action?: unknown } | undefined;
      const action =
        v && typeof v === 'object' && !Array.isArray(v)
          ? (v.action as { type?: unknown; verb?: unknown } | null)
          : undefined;
      if (
        !action ||
        typeof action !== 'object' ||
        Array.isArray(action) ||
        typeof action.type !== 'string' ||
        (action.verb !== undefined && typeof action.verb !== 'string')
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['value', 'action'],
          message: 'an Action.Execute invoke needs value.action with a type',
        });
      }
    }
  });

export type CheckedActivity = z.infer<typeof ActivitySchema>;

/** Walks the body without recursion (a deep body must not overflow the stack): depth, keys, NUL. */
function structuralProblem(body: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[body, 0]];
  let nodes = 0;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (++nodes > 100_000) return 'too many values';
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return 'NUL character';
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    if (depth >= MAX_DEPTH) return 'nested too deeply';
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) return 'forbidden key';
      if (key.includes('\u0000')) return 'NUL character';
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

export type ActivityCheck =
  { ok: true; activity: CheckedActivity } | { ok: false; code: 'ACTIVITY_INVALID'; problems: string[] };

/** Checks a parsed request body. `problems` name paths and rules only, never values (safe to log). */
export function checkActivity(body: unknown): ActivityCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, code: 'ACTIVITY_INVALID', problems: ['(body): not an object'] };
  const structural = structuralProblem(body);
  if (structural) return { ok: false, code: 'ACTIVITY_INVALID', problems: [`(body): ${structural}`] };
  const result = ActivitySchema.safeParse(body);
  if (!result.success) {
    return {
      ok: false,
      code: 'ACTIVITY_INVALID',
      problems: result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.map(String).join('.') || '(activity)'}: ${i.message}`),
    };
  }
  return { ok: true, activity: result.data };
}

/** Local mode has no token to vouch for a serviceUrl, so only loopback addresses are trusted. */
export function isLoopbackUrl(serviceUrl: string): boolean {
  try {
    const host = new URL(serviceUrl).hostname.toLowerCase();
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}
