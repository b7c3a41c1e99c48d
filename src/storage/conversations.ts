/**
 * Conversation references for proactive messages (so one works after a restart and on any instance), by key
 * ('user:<aad>', 'channel:managers', …). Its interface is in types.ts.
 */
import { guard, type Handle } from './db';
import { reasonCode } from './outbox';
import type { ConversationMeta, ConversationStore, StoredConversation } from './types';

export class SqlConversationStore implements ConversationStore {
  constructor(private readonly handle: Handle) {}

  /** Saves (or replaces) a reference; returns false when the stored one was already identical. */
  async save(
    key: string,
    reference: Record<string, unknown>,
    meta: ConversationMeta,
    now = new Date(),
  ): Promise<boolean> {
    const ref = JSON.stringify(reference);
    const metaJson = JSON.stringify(meta);
    return guard(async () => {
      const db = this.handle.db;
      const current = await db
        .selectFrom('conversations')
        .select(['reference', 'meta', 'unreachable_reason'])
        .where('key', '=', key)
        .executeTakeFirst();
      if (current && current.reference === ref && current.meta === metaJson && !current.unreachable_reason)
        return false;
      await db
        .insertInto('conversations')
        .values({
          key,
          reference: ref,
          kind: meta.kind,
          meta: metaJson,
          unreachable_reason: null,
          updated_at: now.toISOString(),
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            reference: ref,
            kind: meta.kind,
            meta: metaJson,
            unreachable_reason: null,
            updated_at: now.toISOString(),
          }),
        )
        .execute();
      return true;
    });
  }

  async get(key: string): Promise<StoredConversation | undefined> {
    return guard(async () => {
      const r = await this.handle.db.selectFrom('conversations').selectAll().where('key', '=', key).executeTakeFirst();
      if (!r) return undefined;
      return {
        key: r.key,
        reference: JSON.parse(r.reference),
        meta: JSON.parse(r.meta),
        unreachableReason: r.unreachable_reason,
        updatedAt: r.updated_at,
      };
    });
  }

  /** The bot was removed from the team, or the user blocked it: stop trying until it hears from them again. */
  async markUnreachable(key: string, reason: string): Promise<void> {
    await guard(() =>
      this.handle.db
        .updateTable('conversations')
        .set({ unreachable_reason: reasonCode(reason) })
        .where('key', '=', key)
        .execute(),
    );
  }

  async list(filter: { kind?: ConversationMeta['kind'] } = {}): Promise<StoredConversation[]> {
    return guard(async () => {
      let q = this.handle.db.selectFrom('conversations').selectAll();
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      const rows = await q.orderBy('key').execute();
      return rows.map((r) => ({
        key: r.key,
        reference: JSON.parse(r.reference),
        meta: JSON.parse(r.meta),
        unreachableReason: r.unreachable_reason,
        updatedAt: r.updated_at,
      }));
    });
  }
}
