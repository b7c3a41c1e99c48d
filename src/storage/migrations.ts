/**
 * Versioned schema migrations, kept in code so the compiled bot carries them. Kysely's Migrator records what
 * ran (table kysely_migration), so running twice is a no-op. Concurrency (see migrateToLatest): on PostgreSQL
 * the whole run — creating the schema and Kysely's own tables included, which Kysely does BEFORE taking its
 * lock — happens under our session advisory lock; on SQLite inside one BEGIN IMMEDIATE transaction.
 * Never edit a migration that has shipped: add a new one.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { entryDigest, type StoredEntry } from '../core/records/entry';
import { appendAuditEvent } from './auditLog';
import { AUDIT_LOCK_ID, MIGRATION_LOCK_ID, type Handle } from './db';
import { toRow } from './rows';
import type { Database } from './schema';
import type { Engine } from './types';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Rows a data migration reads at once. */
const MIGRATION_PAGE = 500;

/**
 * Migration 006, frozen: the Bot Framework message activity KeepSafe queued before the outbox had its own shape
 * (a card with its summary and an optional plain line; a line of text, plain or not; `{}` for a 'record'), as
 * the content that is delivered as exactly that activity. Undefined when the activity is not one of those shapes
 * or would not come back exactly the same; null for `{}`.
 */
export function contentOfQueuedActivity(activity: unknown): Record<string, unknown> | null | undefined {
  if (!activity || typeof activity !== 'object' || Array.isArray(activity)) return undefined;
  const a = activity as Record<string, unknown>;
  if (Object.keys(a).length === 0) return null;
  let content: Record<string, unknown>;
  let resent: Record<string, unknown>;
  const text = typeof a.text === 'string' ? a.text : undefined;
  const attachments = Array.isArray(a.attachments)
    ? (a.attachments as Array<Record<string, unknown> | null>)
    : undefined;
  if (attachments) {
    const card = attachments[0]?.content;
    if (
      attachments.length !== 1 ||
      attachments[0]?.contentType !== ADAPTIVE_CARD ||
      !card ||
      typeof card !== 'object' ||
      typeof a.summary !== 'string'
    )
      return undefined;
    content = { kind: 'card', card, summary: a.summary, ...(text ? { text } : {}) };
    resent = {
      type: 'message',
      summary: a.summary,
      ...(text ? { text, textFormat: 'plain' } : {}),
      attachments: [{ contentType: ADAPTIVE_CARD, content: card }],
    };
  } else {
    if (text === undefined) return undefined;
    const format = a.textFormat === 'plain' ? 'plain' : 'markdown';
    content = { kind: 'text', text, format };
    resent = { type: 'message', text, ...(format === 'plain' ? { textFormat: 'plain' } : {}) };
  }
  return isDeepStrictEqual(resent, a) ? content : undefined;
}

function buildMigrations(engine: Engine): Record<string, Migration> {
  return {
    '2026-11-25-001-feedback': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('feedback')
          .ifNotExists()
          .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
          .addColumn('section', 'varchar(16)', (c) => c.notNull())
          .addColumn('helpful', 'integer', (c) => c.notNull())
          .addColumn('author_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('guidance_version', 'varchar(32)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('idempotency_key', 'varchar(512)', (c) => c.notNull().unique())
          .execute();
      },
    },
    '2026-11-25-002-records-and-audit': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('records')
          .ifNotExists()
          .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
          .addColumn('kind', 'varchar(32)', (c) => c.notNull())
          .addColumn('case_ref', 'varchar(32)')
          .addColumn('author_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('author_name', 'varchar(200)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('guidance_version', 'varchar(32)', (c) => c.notNull())
          .addColumn('corrects', 'varchar(36)', (c) => c.references('records.id'))
          .addColumn('reason', 'text')
          .addColumn('idempotency_key', 'varchar(512)', (c) => c.unique())
          .execute();
        await db.schema
          .createIndex('records_author_created')
          .ifNotExists()
          .on('records')
          .columns(['author_id', 'created_at'])
          .execute();
        await db.schema.createIndex('records_case_ref').ifNotExists().on('records').column('case_ref').execute();
        await db.schema
          .createTable('audit_events')
          .ifNotExists()
          .addColumn('seq', 'integer', (c) => c.primaryKey())
          .addColumn('at', 'varchar(32)', (c) => c.notNull())
          .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('action', 'varchar(32)', (c) => c.notNull())
          .addColumn('record_id', 'varchar(36)')
          .addColumn('case_ref', 'varchar(32)')
          .addColumn('kind', 'varchar(32)')
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('hash', 'varchar(64)', (c) => c.notNull())
          .execute();
      },
    },
    '2026-11-25-003-bot-state': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('bot_state')
          .ifNotExists()
          .addColumn('key', 'varchar(512)', (c) => c.primaryKey())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('etag', 'varchar(36)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .execute();
      },
    },
    /**
     * Entries become tamper-evident too: create/correct events carry the entry's digest. Feedback becomes a
     * record kind like the others (audited, retained per kind): rows of the old feedback table move into
     * records, each with its audit event, and the table goes.
     */
    '2026-11-26-004-entry-digests-and-feedback-records': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('audit_events').addColumn('record_digest', 'varchar(64)').execute();
        await db.schema
          .createIndex('audit_events_record_id')
          .ifNotExists()
          .on('audit_events')
          .column('record_id')
          .execute();
        await db.schema
          .createIndex('records_kind_created')
          .ifNotExists()
          .on('records')
          .columns(['kind', 'created_at'])
          .execute();
        await db.schema.createIndex('records_created').ifNotExists().on('records').column('created_at').execute();

        const trx = db as Kysely<Database>;
        if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
        const old = await db.selectFrom('feedback').selectAll().orderBy('created_at').orderBy('id').execute();
        for (const f of old) {
          const entry = {
            id: String(f.id),
            kind: 'feedback',
            caseRef: null,
            author: { aadObjectId: String(f.author_id), name: '' },
            createdAt: String(f.created_at),
            fields: { section: String(f.section), helpful: Number(f.helpful) === 1 },
            guidanceVersion: String(f.guidance_version),
            corrects: null,
            reason: null,
          } as StoredEntry;
          await trx
            .insertInto('records')
            .values(toRow(entry, String(f.idempotency_key)))
            .execute();
          await appendAuditEvent(trx, {
            actorId: entry.author.aadObjectId,
            action: 'create',
            recordId: entry.id,
            caseRef: null,
            kind: 'feedback',
            recordDigest: entryDigest(entry),
            detail: { migrated: true },
          });
        }
        await db.schema.dropTable('feedback').execute();
      },
    },
    /** Proactive delivery: the outbox, conversation references, and settings chosen from Teams. */
    '2026-11-26-005-outbox-conversations-settings': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('outbox')
          .ifNotExists()
          .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
          .addColumn('key', 'varchar(300)', (c) => c.notNull().unique())
          .addColumn('conversation_key', 'varchar(300)', (c) => c.notNull())
          .addColumn('op', 'varchar(16)', (c) => c.notNull())
          .addColumn('activity', 'text', (c) => c.notNull())
          .addColumn('thread_of', 'varchar(300)')
          .addColumn('updates', 'varchar(300)')
          .addColumn('target_activity_id', 'varchar(300)')
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('locked_by', 'varchar(64)')
          .addColumn('locked_until', 'varchar(32)')
          .addColumn('sent_activity_id', 'varchar(300)')
          .addColumn('sent_conversation_id', 'varchar(500)')
          .addColumn('reason', 'varchar(200)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('done_at', 'varchar(32)')
          .execute();
        await db.schema
          .createIndex('outbox_due')
          .ifNotExists()
          .on('outbox')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createTable('conversations')
          .ifNotExists()
          .addColumn('key', 'varchar(300)', (c) => c.primaryKey())
          .addColumn('reference', 'text', (c) => c.notNull())
          .addColumn('kind', 'varchar(16)', (c) => c.notNull())
          .addColumn('meta', 'text', (c) => c.notNull())
          .addColumn('unreachable_reason', 'varchar(200)')
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('settings')
          .ifNotExists()
          .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'varchar(64)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .execute();
      },
    },
    /**
     * The outbox holds KeepSafe's own message shape (OutboxContent) instead of Bot Framework activities: the
     * column is renamed `content` and every row rewritten as the content that delivers the same activity. A
     * pending row that is not one of the shapes KeepSafe queued cannot be sent the same way: it is marked failed
     * (UNKNOWN_CONTENT, shown by "failed messages") rather than sent as something else.
     */
    '2026-12-03-006-outbox-content': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('outbox').renameColumn('activity', 'content').execute();
        const now = new Date().toISOString();
        // A page at a time, in id order (ids never change), so a long outbox is never held in memory whole.
        for (let after = ''; ;) {
          const rows = await db
            .selectFrom('outbox')
            .select(['id', 'content', 'status'])
            .where('id', '>', after)
            .orderBy('id')
            .limit(MIGRATION_PAGE)
            .execute();
          if (rows.length === 0) break;
          for (const r of rows) {
            let content: Record<string, unknown> | null | undefined;
            try {
              content = contentOfQueuedActivity(JSON.parse(String(r.content)));
            } catch {
              content = undefined;
            }
            // What is not one of KeepSafe's shapes keeps its stored text, for whoever looks into it: the outbox
            // reads it as content it cannot send (src/storage/outbox.ts), never as something else.
            if (content === undefined && r.status !== 'pending') continue;
            await db
              .updateTable('outbox')
              .set(
                content === undefined
                  ? { status: 'failed', reason: 'UNKNOWN_CONTENT', done_at: now, locked_by: null, locked_until: null }
                  : { content: JSON.stringify(content) },
              )
              .where('id', '=', r.id)
              .execute();
          }
          after = rows[rows.length - 1].id;
        }
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return buildMigrations(this.engine);
  }
}

export const MIGRATION_NAMES = Object.keys(buildMigrations('sqlite'));

async function runMigrator(db: Kysely<any>, engine: Engine, schema?: string): Promise<string[]> {
  // `migrationTableSchema`: without it Kysely could take a kysely_migration table in another schema for ours.
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrations(engine),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Brings the database to the latest schema; returns the migrations applied now (none when up to date). */
export async function migrateToLatest(handle: Handle, schema?: string): Promise<string[]> {
  if (handle.engine === 'postgres') {
    return handle.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
      try {
        if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
        return await runMigrator(conn, 'postgres', schema);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn).catch(() => undefined);
      }
    });
  }
  // SQLite: Kysely runs SQLite migrations outside a transaction and without a lock. One BEGIN IMMEDIATE around
  // the whole run makes it atomic and makes a second process wait (busy_timeout) and then find nothing to do.
  return handle.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const applied = await runMigrator(conn, 'sqlite');
      await sql`commit`.execute(conn);
      return applied;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}
