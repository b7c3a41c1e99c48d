/**
 * Bot Framework state (conversation, user and dialog state) in KeepSafe's own database, so a walkthrough
 * resumes after a restart or on another instance. It has the shape of botbuilder's `Storage` interface without
 * importing botbuilder, and keeps its eTag contract: an item written with no eTag or "*" always wins; an item
 * written with a stale eTag is refused, so two instances never silently overwrite each other.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { StateItems, StateStore } from './types';

export type { StateItems };

export class StateConflictError extends Error {
  readonly code = 'STATE_CONFLICT';
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StateConflictError';
  }
}

export class StateStorage implements StateStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly guard: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  /** The stored items for these keys (missing keys are absent), each with its current eTag. */
  async read(keys: string[]): Promise<StateItems> {
    if (keys.length === 0) return {};
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('bot_state')
        .select(['key', 'data', 'etag'])
        .where('key', 'in', keys)
        .execute();
      return Object.fromEntries(rows.map((r) => [r.key, { ...JSON.parse(r.data), eTag: r.etag }]));
    });
  }

  /**
   * Writes all changes in one transaction (all or none). Per item: no eTag or "*" always writes; an eTag that
   * matches the stored one writes; a stale eTag throws StateConflictError; a new key is written whatever eTag.
   */
  async write(changes: StateItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        for (const [key, item] of entries) {
          const { eTag, ...rest } = (item ?? {}) as { eTag?: string };
          const data = JSON.stringify(rest);
          const etag = randomUUID();
          const now = new Date().toISOString();
          if (!eTag || eTag === '*') {
            await trx
              .insertInto('bot_state')
              .values({ key, data, etag, updated_at: now })
              .onConflict((oc) => oc.column('key').doUpdateSet({ data, etag, updated_at: now }))
              .execute();
            continue;
          }
          const updated = await trx
            .updateTable('bot_state')
            .set({ data, etag, updated_at: now })
            .where('key', '=', key)
            .where('etag', '=', eTag)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 1) continue;
          const exists = await trx.selectFrom('bot_state').select('key').where('key', '=', key).executeTakeFirst();
          if (exists) throw new StateConflictError(key);
          // Like botbuilder's own storages: an item that does not exist yet is written whatever its eTag.
          const inserted = await trx
            .insertInto('bot_state')
            .values({ key, data, etag, updated_at: now })
            .onConflict((oc) => oc.column('key').doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new StateConflictError(key);
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.guard(() => this.db.deleteFrom('bot_state').where('key', 'in', keys).execute());
  }
}

/** The name this class had first. */
export { StateStorage as DatabaseStateStorage };
