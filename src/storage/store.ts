/**
 * The record store (interface in types.ts) on SQLite — the embedded default, a file under DATA_DIR — or
 * PostgreSQL (DATABASE_URL=postgres://…, for several bot instances sharing one database). Kysely is the typed
 * query builder for both, so there is one copy of every query; the few engine differences (locking, snapshot
 * reads) live in db.ts and migrations.ts.
 *
 * Every write is one transaction holding the entry, its audit event and its idempotency key — all or nothing —
 * taken under the store's write lock so the audit chain never forks, even across instances.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { GENESIS_HASH, verifyChain, type ChainReport } from '../core/records/audit';
import { compileCaseRefPattern } from '../core/records/caseRef';
import {
  checkCorrectionTarget,
  checkReason,
  entryDigest,
  validateEntry,
  type NewEntry,
  type StoredEntry,
  type ValidEntry,
} from '../core/records/entry';
import { RecordAccessError, RecordInputError } from '../core/records/errors';
import { isRecordKind, RECORD_KIND_NAMES, retentionPolicy, type RecordKind } from '../core/records/kinds';
import { weekStartOf } from '../core/time';
import { appendAuditEvent, toAuditEvent } from './auditLog';
import { guard, openHandle, writeTx, type Handle } from './db';
import { errorCodeOf } from './errors';
import { migrateToLatest } from './migrations';
import { toEntry, toRow } from './rows';
import type { Database } from './schema';
import { StateStorage } from './stateStorage';
import { enqueueIn, SqlOutboxStore } from './outbox';
import { SqlConversationStore } from './conversations';
import { SqlSettingsStore } from './settingsStore';
import type {
  AuditReport,
  ConversationStore,
  ListFilter,
  OutboxMessage,
  OutboxStore,
  RecordStore,
  RetentionReport,
  SettingsStore,
  StoreHealth,
  StoreOptions,
  Viewer,
  WeekCount,
  WriteOptions,
} from './types';

export { RETRY_DELAYS_MS } from './db';
export { StoreUnavailableError } from './errors';
export { RecordAccessError, RecordInputError } from '../core/records/errors';
export type * from './types';

const DAY_MS = 86_400_000;
/** How long delivered or failed outbox messages are kept (for "failed messages" and later in-place updates). */
export const OUTBOX_KEEP_DAYS = 90;
const MAX_KEY_LENGTH = 512;

function normaliseCaseRef(ref: string): string {
  return ref.trim().toUpperCase();
}

function checkRange(from: Date, to: Date): void {
  if (!(from instanceof Date) || Number.isNaN(from.getTime()) || !(to instanceof Date) || Number.isNaN(to.getTime())) {
    throw new RecordInputError('The date range is not valid.', 'range');
  }
  if (to < from) throw new RecordInputError('The end of the date range is before its start.', 'range');
}

/** How an entry's id or KS- reference (its id's first eight hex digits) selects rows; malformed ones are refused. */
function idOrReferenceMatch(idOrReference: string): { op: 'like' | '='; value: string } {
  const raw = String(idOrReference ?? '').trim();
  if (/^KS-[0-9A-F]{8}$/i.test(raw)) return { op: 'like', value: `${raw.slice(3).toLowerCase()}%` };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw))
    return { op: '=', value: raw.toLowerCase() };
  throw new RecordInputError("Give the entry's reference (KS- and eight letters or digits) or its id.", 'reference');
}

class KyselyRecordStore implements RecordStore {
  readonly engine;
  readonly state: StateStorage;
  readonly outbox: OutboxStore;
  readonly conversations: ConversationStore;
  readonly settings: SettingsStore;
  private readonly db: Kysely<Database>;
  private readonly caseRefPattern: RegExp;
  private readonly retention: Record<RecordKind, number>;
  private closed = false;
  /**
   * The last creation time this store gave an entry (ms). Entries are listed newest first by creation time; two
   * written in the same millisecond would otherwise tie and come back in id (random) order, so each entry this
   * instance writes is at least a millisecond after the one before.
   */
  private lastCreated = 0;

  constructor(
    private readonly handle: Handle,
    private readonly options: StoreOptions,
  ) {
    this.engine = handle.engine;
    this.db = handle.db;
    this.caseRefPattern = compileCaseRefPattern(options.caseRefPattern);
    this.retention = retentionPolicy(options.retentionDays);
    this.state = new StateStorage(this.db, guard);
    this.outbox = new SqlOutboxStore(handle);
    this.conversations = new SqlConversationStore(handle);
    this.settings = new SqlSettingsStore(handle);
  }

  enqueue(messages: OutboxMessage[]): Promise<number> {
    return this.outbox.enqueue(messages);
  }

  /**
   * The one way an entry is written. The idempotency key is the caller's, or a fresh one, so that even a retry
   * after a lost COMMIT acknowledgement (guard) finds the entry rather than making a second.
   */
  private async write(
    valid: ValidEntry,
    correctsId: string | null,
    reason: string | null,
    options: WriteOptions = {},
  ): Promise<{ entry: StoredEntry; created: boolean }> {
    const key = options.idempotencyKey?.trim() || `auto:${randomUUID()}`;
    if (key.length > MAX_KEY_LENGTH) throw new RecordInputError('The idempotency key is too long.', 'idempotencyKey');
    const entry = {
      id: randomUUID(),
      kind: valid.kind,
      caseRef: valid.caseRef,
      author: valid.author,
      createdAt: this.nextCreatedAt(),
      fields: valid.fields,
      guidanceVersion: valid.guidanceVersion,
      corrects: correctsId,
      reason,
    } as StoredEntry;
    return guard(() =>
      writeTx(this.handle, async (trx) => {
        const seen = await trx.selectFrom('records').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
        if (seen) {
          if (seen.kind !== entry.kind || seen.corrects !== entry.corrects) {
            throw new RecordInputError('That action was already used for a different entry.', 'idempotencyKey');
          }
          return { entry: toEntry(seen), created: false };
        }
        if (correctsId) {
          const old = await trx
            .selectFrom('records')
            .select(['id', 'kind'])
            .where('id', '=', correctsId)
            .executeTakeFirst();
          checkCorrectionTarget(old, valid);
        }
        await trx.insertInto('records').values(toRow(entry, key)).execute();
        if (options.outbox)
          await enqueueIn(trx, typeof options.outbox === 'function' ? options.outbox(entry) : options.outbox);
        await appendAuditEvent(trx, {
          actorId: entry.author.aadObjectId,
          action: correctsId ? 'correct' : 'create',
          recordId: entry.id,
          caseRef: entry.caseRef,
          kind: entry.kind,
          recordDigest: entryDigest(entry),
          detail: correctsId ? { corrects: correctsId } : {},
        });
        return { entry, created: true };
      }),
    );
  }

  private nextCreatedAt(): string {
    this.lastCreated = Math.max(Date.now(), this.lastCreated + 1);
    return new Date(this.lastCreated).toISOString();
  }

  async append(input: NewEntry, options?: WriteOptions): Promise<StoredEntry> {
    return (await this.write(validateEntry(input, this.caseRefPattern), null, null, options)).entry;
  }

  async correct(oldId: string, input: NewEntry, reason: string, options?: WriteOptions): Promise<StoredEntry> {
    const why = checkReason(reason);
    if (typeof oldId !== 'string' || !oldId) throw new RecordInputError('Say which entry this corrects.', 'corrects');
    return (await this.write(validateEntry(input, this.caseRefPattern), oldId, why, options)).entry;
  }

  async get(id: string, viewer: Viewer): Promise<StoredEntry | undefined> {
    return guard(async () => {
      const row = await this.db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      if (row.author_id === viewer.aadObjectId) return toEntry(row);
      if (!viewer.isManager) throw new RecordAccessError();
      // The view is audited before the entry is handed over: no audit, no read.
      await writeTx(this.handle, (trx) =>
        appendAuditEvent(trx, {
          actorId: viewer.aadObjectId,
          action: 'view',
          recordId: row.id,
          caseRef: row.case_ref,
          kind: row.kind,
          detail: {},
        }),
      );
      return toEntry(row);
    });
  }

  async auditRefusal(input: { actorId: string; recordId: string | null; what: string }): Promise<void> {
    const actorId = (input.actorId || 'unknown').slice(0, 64);
    const what =
      String(input.what)
        .replace(/[^a-z0-9_.-]/gi, '')
        .slice(0, 64) || 'unknown';
    await guard(() =>
      writeTx(this.handle, async (trx) => {
        const row = input.recordId
          ? await trx
              .selectFrom('records')
              .select(['id', 'case_ref', 'kind'])
              .where('id', '=', input.recordId)
              .executeTakeFirst()
          : undefined;
        await appendAuditEvent(trx, {
          actorId,
          action: 'refused',
          recordId: row?.id ?? null,
          caseRef: row?.case_ref ?? null,
          kind: row?.kind ?? null,
          detail: { what },
        });
      }),
    );
  }

  async list(filter: ListFilter): Promise<StoredEntry[]> {
    const limit = Math.max(1, Math.min(filter.limit ?? 50, 1000));
    return guard(async () => {
      let q = this.db.selectFrom('records').selectAll();
      if (filter.authorId) q = q.where('author_id', '=', filter.authorId);
      if (filter.caseRef) q = q.where('case_ref', '=', normaliseCaseRef(filter.caseRef));
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      if (filter.excludeKinds?.length) q = q.where('kind', 'not in', filter.excludeKinds);
      if (filter.from) q = q.where('created_at', '>=', filter.from.toISOString());
      if (filter.to) q = q.where('created_at', '<', filter.to.toISOString());
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toEntry);
    });
  }

  async countsByKindAndWeek(range: { from: Date; to: Date; authorIds?: string[] }): Promise<WeekCount[]> {
    checkRange(range.from, range.to);
    if (range.authorIds && range.authorIds.length === 0) return [];
    return guard(async () => {
      let q = this.db
        .selectFrom('records')
        .select(['kind', 'created_at'])
        .where('created_at', '>=', range.from.toISOString())
        .where('created_at', '<', range.to.toISOString());
      if (range.authorIds) q = q.where('author_id', 'in', range.authorIds);
      const counts = new Map<string, WeekCount>();
      for (const r of await q.execute()) {
        if (!isRecordKind(r.kind)) continue;
        const weekStart = weekStartOf(r.created_at);
        const k = `${weekStart} ${r.kind}`;
        const item = counts.get(k) ?? { kind: r.kind, weekStart, count: 0 };
        item.count++;
        counts.set(k, item);
      }
      return [...counts.values()].sort(
        (a, b) => a.weekStart.localeCompare(b.weekStart) || a.kind.localeCompare(b.kind),
      );
    });
  }

  async export(
    range: { from: Date; to: Date; caseRef?: string; kind?: RecordKind },
    actor: string,
  ): Promise<StoredEntry[]> {
    checkRange(range.from, range.to);
    if (!actor?.trim()) throw new RecordInputError('An export must say who made it.', 'actor');
    const caseRef = range.caseRef?.trim() ? normaliseCaseRef(range.caseRef) : null;
    return guard(() =>
      // The rows and the audit event in one transaction: what was exported is exactly what was audited.
      writeTx(this.handle, async (trx) => {
        let q = trx
          .selectFrom('records')
          .selectAll()
          .where('created_at', '>=', range.from.toISOString())
          .where('created_at', '<', range.to.toISOString());
        if (caseRef) q = q.where('case_ref', '=', caseRef);
        if (range.kind) q = q.where('kind', '=', range.kind);
        const rows = await q.orderBy('created_at').orderBy('id').execute();
        await appendAuditEvent(trx, {
          actorId: actor.trim(),
          action: 'export',
          recordId: null,
          caseRef,
          kind: range.kind ?? null,
          detail: { count: rows.length, from: range.from.toISOString(), to: range.to.toISOString() },
        });
        return rows.map(toEntry);
      }),
    );
  }

  async exportOne(
    ref: { idOrReference: string; kind: RecordKind; format: string },
    actor: string,
  ): Promise<StoredEntry | undefined> {
    if (!actor?.trim()) throw new RecordInputError('An export must say who made it.', 'actor');
    const match = idOrReferenceMatch(ref.idOrReference);
    const format =
      String(ref.format)
        .replace(/[^a-z0-9]/gi, '')
        .slice(0, 16) || 'unknown';
    return guard(() =>
      writeTx(this.handle, async (trx) => {
        const q = trx.selectFrom('records').selectAll().where('kind', '=', ref.kind);
        const rows = await q.where('id', match.op, match.value).limit(2).execute();
        if (rows.length > 1)
          throw new RecordInputError('That reference matches more than one entry: give the full id.', 'reference');
        const row = rows[0];
        if (!row) return undefined;
        await appendAuditEvent(trx, {
          actorId: actor.trim(),
          action: 'export',
          recordId: row.id,
          caseRef: row.case_ref,
          kind: row.kind as RecordKind,
          detail: { count: 1, format },
        });
        return toEntry(row);
      }),
    );
  }

  async lookup(idOrReference: string): Promise<{ id: string; kind: RecordKind; createdAt: string } | undefined> {
    const match = idOrReferenceMatch(idOrReference);
    return guard(async () => {
      const q = this.db.selectFrom('records').select(['id', 'kind', 'created_at']);
      const rows = await q.where('id', match.op, match.value).limit(2).execute();
      if (rows.length > 1)
        throw new RecordInputError('That reference matches more than one entry: give the full id.', 'reference');
      const row = rows[0];
      return row ? { id: row.id, kind: row.kind as RecordKind, createdAt: row.created_at } : undefined;
    });
  }

  async runRetention(now: Date, overrides: Partial<Record<RecordKind, number>> = {}): Promise<RetentionReport> {
    const policy = retentionPolicy({ ...this.options.retentionDays, ...overrides });
    return guard(() =>
      writeTx(this.handle, async (trx) => {
        const deleted: RetentionReport = {};
        for (const kind of RECORD_KIND_NAMES) {
          const cutoff = new Date(now.getTime() - policy[kind] * DAY_MS).toISOString();
          let total = 0;
          // Only entries nothing points at can go, so a chain of corrections goes leaf first, and stays whole
          // until its newest entry has expired too.
          for (;;) {
            const result = await trx
              .deleteFrom('records')
              .where('kind', '=', kind)
              .where('created_at', '<', cutoff)
              .where(({ not, exists, selectFrom }) =>
                not(exists(selectFrom('records as c').select('c.id').whereRef('c.corrects', '=', 'records.id'))),
              )
              .executeTakeFirst();
            const n = Number(result.numDeletedRows ?? 0);
            total += n;
            if (n === 0) break;
          }
          if (total > 0) {
            deleted[kind] = total;
            // Kind and count only: never which case, never what the entries said.
            await appendAuditEvent(
              trx,
              {
                actorId: 'retention',
                action: 'retention_delete',
                recordId: null,
                caseRef: null,
                kind,
                detail: { deleted: total, olderThanDays: policy[kind] },
              },
              now,
            );
          }
        }
        // Delivered (or failed) proactive messages carry card text: they go after OUTBOX_KEEP_DAYS too.
        await trx
          .deleteFrom('outbox')
          .where('status', 'in', ['sent', 'failed'])
          .where('done_at', '<', new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY_MS).toISOString())
          .execute();
        return deleted;
      }),
    );
  }

  async verifyAudit(): Promise<AuditReport> {
    return guard(() => this.inSnapshot((db) => verifyAll(db)));
  }

  /** Read-only work on one consistent snapshot, so entries written meanwhile are not half-seen. */
  private async inSnapshot<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.engine === 'postgres') {
      return this.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);
    }
    return this.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      try {
        return await work(conn);
      } finally {
        await sql`commit`.execute(conn).catch(() => undefined);
      }
    });
  }

  async recordFeedback(input: {
    section: string;
    helpful: boolean;
    authorId: string;
    guidanceVersion: string;
    idempotencyKey: string;
  }): Promise<boolean> {
    const valid = validateEntry(
      {
        kind: 'feedback',
        author: { aadObjectId: input.authorId, name: '' },
        fields: { section: input.section, helpful: input.helpful },
        guidanceVersion: input.guidanceVersion,
      },
      this.caseRefPattern,
    );
    return (await this.write(valid, null, null, { idempotencyKey: input.idempotencyKey })).created;
  }

  async feedbackCounts(): Promise<Array<{ section: string; helpful: number; notHelpful: number }>> {
    return guard(async () => {
      const rows = await this.db.selectFrom('records').select('fields').where('kind', '=', 'feedback').execute();
      const bySection = new Map<string, { section: string; helpful: number; notHelpful: number }>();
      for (const r of rows) {
        const f = JSON.parse(r.fields) as { section: string; helpful: boolean };
        const item = bySection.get(f.section) ?? { section: f.section, helpful: 0, notHelpful: 0 };
        if (f.helpful) item.helpful++;
        else item.notHelpful++;
        bySection.set(f.section, item);
      }
      return [...bySection.values()].sort((a, b) => a.section.localeCompare(b.section, 'en', { numeric: true }));
    });
  }

  async health(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await sql`select 1`.execute(this.db);
      return { ok: true, engine: this.engine, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (err) {
      return {
        ok: false,
        engine: this.engine,
        latencyMs: Math.round(performance.now() - started),
        error: errorCodeOf(err),
      };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy(); // ends the PostgreSQL pool, or closes the SQLite file
  }
}

const PAGE = 5000;

/**
 * 1. The chain: every event in seq order, each hash over the previous hash and the event.
 * 2. The entries: each must have the create/correct event that vouches for it, and match its digest.
 * 3. The counts: per kind, entries created minus entries retention deleted must equal entries present, so an
 *    entry deleted behind the store's back is caught.
 */
async function verifyAll(db: Kysely<Database>): Promise<ChainReport> {
  const vouchers = new Map<string, { seq: number; digest?: string }>();
  const expected = new Map<string, number>();
  let start = { prevHash: GENESIS_HASH, seq: 0 };
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', start.seq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    const events = rows.map(toAuditEvent);
    const report = verifyChain(events, start);
    checked += report.checked;
    if (!report.ok) return { ...report, checked };
    for (const e of events) {
      if ((e.action === 'create' || e.action === 'correct') && e.recordId && e.kind) {
        vouchers.set(e.recordId, { seq: e.seq, digest: e.recordDigest });
        expected.set(e.kind, (expected.get(e.kind) ?? 0) + 1);
      } else if (e.action === 'retention_delete' && e.kind) {
        expected.set(e.kind, (expected.get(e.kind) ?? 0) - Number(e.detail.deleted ?? 0));
      }
    }
    const last = events[events.length - 1];
    start = { prevHash: last.hash, seq: last.seq };
  }

  const present = new Map<string, number>();
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('records').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const voucher = vouchers.get(row.id);
      if (!voucher)
        return {
          ok: false,
          checked,
          recordId: row.id,
          reason: `entry ${row.id} has no audit event (added behind the store's back)`,
        };
      if (voucher.digest !== undefined) {
        let digest: string;
        try {
          digest = entryDigest(toEntry(row));
        } catch {
          digest = 'unreadable';
        }
        if (digest !== voucher.digest) {
          return {
            ok: false,
            checked,
            firstBrokenId: voucher.seq,
            recordId: row.id,
            reason: `entry ${row.id} no longer matches audit event ${voucher.seq} (altered after it was stored)`,
          };
        }
      }
      present.set(row.kind, (present.get(row.kind) ?? 0) + 1);
    }
    after = rows[rows.length - 1].id;
  }
  for (const [kind, n] of expected) {
    const have = present.get(kind) ?? 0;
    if (have < n)
      return {
        ok: false,
        checked,
        reason: `${n - have} ${kind} entr${n - have === 1 ? 'y is' : 'ies are'} missing with no retention event (deleted behind the store's back)`,
      };
  }
  return { ok: true, checked };
}

/**
 * Opens the store: SQLite unless `databaseUrl` is a postgres:// URL, then brings the schema up to date (safe
 * twice and from several instances at once). An unreachable database gives StoreUnavailableError.
 */
export async function openStore(options: StoreOptions): Promise<RecordStore> {
  // Settings first, so a bad pattern or retention period fails before any connection is made.
  compileCaseRefPattern(options.caseRefPattern);
  retentionPolicy(options.retentionDays);
  const handle = openHandle(options);
  try {
    const applied = await guard(() => migrateToLatest(handle, options.schema));
    if (applied.length) options.logger?.info({ engine: handle.engine, migrations: applied }, 'store.migrated');
  } catch (err) {
    await handle.db.destroy().catch(() => undefined);
    throw err;
  }
  return new KyselyRecordStore(handle, options);
}
