/**
 * Settings chosen from Teams (the managers' channel), each change audited. Its interface is in types.ts.
 */
import { appendAuditEvent } from './auditLog';
import { guard, writeTx, type Handle } from './db';
import type { SettingsStore } from './types';

export class SqlSettingsStore implements SettingsStore {
  constructor(private readonly handle: Handle) {}

  async get(name: string): Promise<string | undefined> {
    return guard(
      async () =>
        (await this.handle.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())
          ?.value,
    );
  }

  /** Sets a value and audits the change (which setting and who, not the value). */
  async set(name: string, value: string, actorId: string, now = new Date()): Promise<void> {
    await guard(() =>
      writeTx(this.handle, async (trx) => {
        await trx
          .insertInto('settings')
          .values({ name, value, updated_by: actorId, updated_at: now.toISOString() })
          .onConflict((oc) =>
            oc.column('name').doUpdateSet({ value, updated_by: actorId, updated_at: now.toISOString() }),
          )
          .execute();
        await appendAuditEvent(
          trx,
          { actorId, action: 'setting_change', recordId: null, caseRef: null, kind: null, detail: { setting: name } },
          now,
        );
      }),
    );
  }
}
