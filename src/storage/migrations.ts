/**
 * Versioned schema migrations, kept in code so the compiled bot carries them. Kysely's Migrator records what
 * ran, so running twice is a no-op, and on PostgreSQL it holds an advisory lock so two instances starting at
 * once do not race.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

const migrations: Record<string, Migration> = {
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
      await db.schema.createIndex('records_author_created').ifNotExists().on('records').columns(['author_id', 'created_at']).execute();
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
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/**
 * `schema` names the PostgreSQL schema the tables live in; without it Kysely would take a migration table of
 * the same name in any other schema of the database for ours.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
