/**
 * The outbox: proactive messages queued in the same transaction as their record, claimed by delivery workers with
 * a lease so several instances never send one twice. Its interface and message shapes are in types.ts.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { guard, writeTx, type Handle } from './db';
import type { Database, OutboxTable } from './schema';
import type {
  ClaimedMessage,
  FailedMessage,
  OutboxContent,
  OutboxMessage,
  OutboxOp,
  OutboxStats,
  OutboxStore,
  SentActivity,
} from './types';

/** How long a claimed message stays with its worker; renewed just before each send. */
export const LEASE_MS = 60_000;

/**
 * Failure reasons are codes (HTTP_504, BotNotInConversationRoster, UNREACHABLE:…), never text that could quote a
 * message: anything outside a code's alphabet is replaced and the length capped.
 */
export function reasonCode(reason: string): string {
  return (
    String(reason ?? '')
      .replace(/[^A-Za-z0-9_:.\-]/g, '_')
      .slice(0, 100) || 'UNKNOWN'
  );
}

const OPS: readonly OutboxOp[] = ['send', 'reply', 'update', 'record'];

/** OutboxContent (types.ts) as stored: what this version can send. */
const StoredContent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('card'),
    card: z.record(z.string(), z.unknown()),
    summary: z.string(),
    text: z.string().optional(),
  }),
  z.object({ kind: z.literal('text'), text: z.string(), format: z.enum(['plain', 'markdown']) }),
]);

/**
 * A stored message's content, or null when it cannot be read (not JSON, or not a shape this version sends). One
 * such row must not stop the claim, and with it every message behind it: it is claimed like any other and the
 * worker marks it failed (NO_CONTENT).
 */
function readContent(stored: string | null): OutboxContent | null {
  if (stored === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return null;
  }
  // The stored object as it is (its card untouched), once its shape is known.
  return StoredContent.safeParse(value).success ? (value as OutboxContent) : null;
}

function toClaimed(r: OutboxTable): ClaimedMessage {
  return {
    id: r.id,
    key: r.key,
    conversationKey: r.conversation_key,
    op: r.op as OutboxOp,
    content: readContent(r.content),
    threadOf: r.thread_of,
    updates: r.updates,
    targetActivityId: r.target_activity_id,
    attempts: Number(r.attempts),
    createdAt: r.created_at,
  };
}

/** Queues messages inside the caller's transaction; keys already queued are skipped. */
export async function enqueueIn(
  trx: Kysely<Database>,
  messages: readonly OutboxMessage[],
  now = new Date(),
): Promise<number> {
  let added = 0;
  // created_at is the queue order (claims take oldest first): messages queued together get a millisecond each,
  // in the order given, so one conversation's messages never swap places on an id tie.
  for (const [index, m] of messages.entries()) {
    if (!m.key || m.key.length > 300) throw new Error('An outbox message needs a key of at most 300 characters');
    if (!OPS.includes(m.op)) throw new Error(`Not an outbox operation: ${String(m.op)}`);
    if (!m.conversationKey) throw new Error('An outbox message needs a conversation key');
    const record = m.op === 'record';
    if (!record && !m.content) throw new Error('An outbox message needs its content');
    // ON CONFLICT DO NOTHING rather than look-then-insert: two instances queueing the same key at once (e.g. a
    // reminder) must not abort either transaction on PostgreSQL.
    const result = await trx
      .insertInto('outbox')
      .values({
        id: randomUUID(),
        key: m.key,
        conversation_key: m.conversationKey,
        op: m.op,
        content: JSON.stringify(m.content ?? null),
        thread_of: m.threadOf ?? null,
        updates: m.updates ?? null,
        target_activity_id: m.activityId ?? null,
        status: record ? 'sent' : 'pending',
        attempts: 0,
        next_attempt_at: (m.notBefore ?? now).toISOString(),
        locked_by: null,
        locked_until: null,
        sent_activity_id: record ? (m.activityId ?? null) : null,
        sent_conversation_id: null,
        reason: null,
        created_at: new Date(now.getTime() + index).toISOString(),
        done_at: record ? now.toISOString() : null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly handle: Handle) {}

  private get db(): Kysely<Database> {
    return this.handle.db;
  }

  async enqueue(messages: readonly OutboxMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    return guard(() => this.handle.db.transaction().execute((trx) => enqueueIn(trx, messages)));
  }

  /**
   * Takes up to `limit` due messages for this worker, leasing them for `leaseMs` so no other worker takes them
   * meanwhile; a lease that runs out (its worker died) lets another worker take the message. A reply or update
   * waits, unclaimed and without spending attempts, while the message it depends on is queued but not yet done;
   * once that one is sent (its activity id known) or has failed, it is claimed (and then sent, or failed with
   * DEPENDENCY_FAILED). On PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED, so workers on
   * several instances each get different messages; on SQLite the claim is one BEGIN IMMEDIATE transaction.
   */
  async claim(workerId: string, limit: number, now = new Date(), leaseMs = LEASE_MS): Promise<ClaimedMessage[]> {
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const pick = (db: Kysely<Database>) =>
      db
        .selectFrom('outbox as o')
        .select('o.id')
        .where('o.status', '=', 'pending')
        .where('o.next_attempt_at', '<=', nowIso)
        .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', nowIso)]))
        .where((eb) =>
          eb.or([
            eb('o.thread_of', 'is', null),
            eb.exists(
              eb
                .selectFrom('outbox as t')
                .select('t.id')
                .whereRef('t.key', '=', 'o.thread_of')
                .where('t.status', '!=', 'pending'),
            ),
          ]),
        )
        .where((eb) =>
          eb.or([
            eb('o.updates', 'is', null),
            eb.exists(
              eb
                .selectFrom('outbox as u')
                .select('u.id')
                .whereRef('u.key', '=', 'o.updates')
                .where('u.status', '!=', 'pending'),
            ),
          ]),
        )
        .orderBy('o.created_at')
        .orderBy('o.id')
        .limit(limit);
    return guard(async () => {
      if (this.handle.engine === 'postgres') {
        return this.db.transaction().execute(async (trx) => {
          const ids = (await pick(trx).forUpdate().skipLocked().execute()).map((r) => r.id);
          if (ids.length === 0) return [];
          const rows = await trx
            .updateTable('outbox')
            .set({ locked_by: workerId, locked_until: until })
            .where('id', 'in', ids)
            .returningAll()
            .execute();
          return rows.sort((a, b) => a.created_at.localeCompare(b.created_at)).map(toClaimed);
        });
      }
      return writeTx(this.handle, async (trx) => {
        const ids = (await pick(trx).execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        await trx
          .updateTable('outbox')
          .set({ locked_by: workerId, locked_until: until })
          .where('id', 'in', ids)
          .execute();
        const rows = await trx.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('created_at').execute();
        return rows.map(toClaimed);
      });
    });
  }

  /**
   * Just before sending: extends this worker's lease, and says whether the message is still its own (false when
   * the lease ran out and another worker took it, or it is no longer pending) — then it must not be sent.
   */
  async renew(id: string, workerId: string, now = new Date(), leaseMs = LEASE_MS): Promise<boolean> {
    return guard(async () => {
      const r = await this.db
        .updateTable('outbox')
        .set({ locked_until: new Date(now.getTime() + leaseMs).toISOString() })
        .where('id', '=', id)
        .where('locked_by', '=', workerId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });
  }

  /** Hands a claimed message back untouched (no attempt counted), due again at `notBefore` (e.g. while throttled). */
  async release(id: string, notBefore: Date): Promise<void> {
    await guard(() =>
      this.db
        .updateTable('outbox')
        .set({ next_attempt_at: notBefore.toISOString(), locked_by: null, locked_until: null })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute(),
    );
  }

  /** Sent: remembers the activity id and conversation it went to (for replies into its thread and updates). */
  async markSent(id: string, activityId: string, conversationId: string | null, now = new Date()): Promise<void> {
    await guard(() =>
      this.db
        .updateTable('outbox')
        .set({
          status: 'sent',
          sent_activity_id: activityId || null,
          sent_conversation_id: conversationId,
          done_at: now.toISOString(),
          locked_by: null,
          locked_until: null,
          attempts: sql`attempts + 1`,
          reason: null,
        })
        .where('id', '=', id)
        .execute(),
    );
  }

  /**
   * A send that timed out was answered after all: marks it sent with that activity id, but only while it is
   * still pending (not already sent again by a retry) or failed because its last try timed out. Its attempt was counted when it was rescheduled. True
   * when recorded; a worker that has claimed it for a retry then fails to renew its lease and does not send.
   */
  async markSentLate(
    id: string,
    activityId: string,
    conversationId: string | null,
    now = new Date(),
  ): Promise<boolean> {
    return guard(async () => {
      const r = await this.db
        .updateTable('outbox')
        .set({
          status: 'sent',
          sent_activity_id: activityId,
          sent_conversation_id: conversationId,
          done_at: now.toISOString(),
          locked_by: null,
          locked_until: null,
          reason: null,
        })
        .where('id', '=', id)
        // Pending, or given up on after its last try timed out: it was delivered after all.
        .where((eb) =>
          eb.or([
            eb('status', '=', 'pending'),
            eb.and([eb('status', '=', 'failed'), eb('reason', '=', 'CONNECTOR_TIMEOUT')]),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });
  }

  async markRetry(id: string, reason: string, nextAttemptAt: Date): Promise<void> {
    await guard(() =>
      this.db
        .updateTable('outbox')
        .set({
          attempts: sql`attempts + 1`,
          reason: reasonCode(reason),
          next_attempt_at: nextAttemptAt.toISOString(),
          locked_by: null,
          locked_until: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute(),
    );
  }

  async markFailed(id: string, reason: string, now = new Date()): Promise<void> {
    await guard(() =>
      this.db
        .updateTable('outbox')
        .set({
          status: 'failed',
          attempts: sql`attempts + 1`,
          reason: reasonCode(reason),
          done_at: now.toISOString(),
          locked_by: null,
          locked_until: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute(),
    );
  }

  /** The activity a sent message became (for replies into its thread and updates in place). */
  async sentActivity(key: string): Promise<SentActivity | undefined> {
    return guard(async () => {
      const r = await this.db
        .selectFrom('outbox')
        .select(['status', 'sent_activity_id', 'sent_conversation_id'])
        .where('key', '=', key)
        .executeTakeFirst();
      if (!r || r.status !== 'sent' || !r.sent_activity_id) return undefined;
      return { activityId: r.sent_activity_id, conversationId: r.sent_conversation_id };
    });
  }

  /** Whether the message a reply/update depends on can never be sent. */
  async dependencyFailed(key: string): Promise<boolean> {
    return guard(async () => {
      const r = await this.db.selectFrom('outbox').select('status').where('key', '=', key).executeTakeFirst();
      return !r || r.status === 'failed';
    });
  }

  async listFailed(limit = 20): Promise<FailedMessage[]> {
    return guard(async () => {
      const rows = await this.db
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', 'failed')
        .orderBy('done_at', 'desc')
        .limit(Math.max(1, Math.min(limit, 200)))
        .execute();
      return rows.map((r) => ({
        key: r.key,
        conversationKey: r.conversation_key,
        op: r.op as OutboxOp,
        attempts: Number(r.attempts),
        reason: r.reason,
        createdAt: r.created_at,
        failedAt: r.done_at,
      }));
    });
  }

  async stats(): Promise<OutboxStats> {
    return guard(async () => {
      const rows = await this.db
        .selectFrom('outbox')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
      return { pending: get('pending'), sent: get('sent'), failed: get('failed') };
    });
  }
}
