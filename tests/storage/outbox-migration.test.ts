/**
 * A database written before the outbox had its own message shape, whose rows hold Bot Framework activities:
 * migration 006 rewrites them as KeepSafe's OutboxContent, and the delivery worker then sends each as exactly the
 * activity it held, on SQLite and on PostgreSQL. A row of any other shape is marked failed, never sent as
 * something else. The old database is made from a new one by undoing what 006 changes in the schema (the column's
 * name) and forgetting that it ran, then writing rows as the previous version wrote them.
 */
import { parseConfig } from '../../src/config';
import type { AdaptiveCard } from '../../src/features/cardRender';
import { cardMessage, textMessage } from '../../src/features/outboxMessages';
import { createLogger } from '../../src/logger';
import { contentOfQueuedActivity } from '../../src/storage/migrations';
import { openStore } from '../../src/storage/store';
import type { RecordStore } from '../../src/storage/types';
import { createAdapter } from '../../src/teams/adapter';
import { activityOf, DeliveryWorker } from '../../src/teams/delivery';
import { FakeConnector, type ConnectorCall } from '../helpers/connector';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';

const logger = createLogger('silent');
const adapter = createAdapter(parseConfig({ PORT: '0' }), logger);
const MIGRATION = '2026-12-03-006-outbox-content';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

const card = (title: string): AdaptiveCard => ({
  type: 'AdaptiveCard',
  version: '1.5',
  fallbackText: title,
  body: [{ type: 'TextBlock', text: title, wrap: true }],
});

/** What the previous version queued: features/outboxMessages.ts (a card, a card with a line, a plain line) and reminders.ts (a line, no format). */
const QUEUED = {
  post: {
    type: 'message',
    summary: 'Incident KS-1A2B3C4D',
    attachments: [{ contentType: ADAPTIVE, content: card('Incident KS-1A2B3C4D') }],
  },
  withLine: {
    type: 'message',
    summary: 'Question KS-2B3C4D5E: answered',
    text: 'Priya Shah answered your question KS-2B3C4D5E.',
    textFormat: 'plain',
    attachments: [{ contentType: ADAPTIVE, content: card('Your question, answered') }],
  },
  plain: { type: 'message', text: 'Priya Shah has seen your incident report KS-1A2B3C4D.', textFormat: 'plain' },
  reminder: {
    type: 'message',
    text: 'Reminder: urgent incident KS-1A2B3C4D (Account hacked) has not been acknowledged yet.',
  },
  cardV2: {
    type: 'message',
    summary: 'Incident KS-1A2B3C4D: Acknowledged',
    attachments: [{ contentType: ADAPTIVE, content: card('Acknowledged') }],
  },
} as const;

/** The parts of an activity the bot decides (the rest — ids, from, conversation — botbuilder adds). */
const said = (body: Record<string, unknown>) => ({
  type: body.type,
  text: body.text,
  textFormat: body.textFormat,
  summary: body.summary,
  attachments: body.attachments,
});

function reference(serviceUrl: string, conversationId: string) {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: { id: '28:keepsafe-bot', name: 'KeepSafe' },
    user: { id: '29:sam', aadObjectId: 'aad-sam' },
    conversation: {
      id: conversationId,
      conversationType: conversationId.startsWith('19:') ? 'channel' : 'personal',
      tenantId: 'tenant',
    },
  };
}

describe('what the outbox sends for the shapes KeepSafe queued', () => {
  it('every shape comes back as the same activity, from the migrated row and from the same message queued today', () => {
    const today = {
      post: cardMessage(card('Incident KS-1A2B3C4D'), 'Incident KS-1A2B3C4D'),
      withLine: cardMessage(
        card('Your question, answered'),
        'Question KS-2B3C4D5E: answered',
        'Priya Shah answered your question KS-2B3C4D5E.',
      ),
      plain: textMessage('Priya Shah has seen your incident report KS-1A2B3C4D.'),
      reminder: textMessage(
        'Reminder: urgent incident KS-1A2B3C4D (Account hacked) has not been acknowledged yet.',
        'markdown',
      ),
      cardV2: cardMessage(card('Acknowledged'), 'Incident KS-1A2B3C4D: Acknowledged'),
    };
    for (const [name, activity] of Object.entries(QUEUED)) {
      const migrated = contentOfQueuedActivity(JSON.parse(JSON.stringify(activity)));
      expect(migrated).toEqual(today[name as keyof typeof today]);
      expect(activityOf(migrated as never)).toStrictEqual(activity);
      expect(activityOf(today[name as keyof typeof today])).toStrictEqual(activity);
    }
    expect(contentOfQueuedActivity({})).toBeNull(); // a 'record' row: nothing to send
  });

  it('anything else is not guessed at', () => {
    for (const odd of [
      { type: 'message' },
      [],
      'text',
      null,
      { type: 'typing', text: 'x' },
      { type: 'message', text: 'x', textFormat: 'markdown' },
      { type: 'message', text: 'x', summary: 'a preview on a line' },
      { type: 'message', text: 'x', speak: 'x' },
      { type: 'message', summary: 's', attachments: [] },
      { type: 'message', summary: 's', attachments: [QUEUED.post.attachments[0], QUEUED.post.attachments[0]] },
      {
        type: 'message',
        summary: 's',
        attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/x.png' }],
      },
      { type: 'message', attachments: [QUEUED.post.attachments[0]] },
      { type: 'message', summary: 's', text: 'line', attachments: [QUEUED.post.attachments[0]] },
    ]) {
      expect(contentOfQueuedActivity(odd)).toBeUndefined();
    }
  });
});

describe.each(ENGINES.map((e) => [e]))('a %s database from before the outbox had its own shape', (engine) => {
  let db: TestDb;
  let store: RecordStore | undefined;
  let connector: FakeConnector;

  beforeEach(async () => {
    db = await makeTestDb(engine);
    connector = await new FakeConnector().start();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await connector.stop();
    await db.cleanup();
  });

  it('after the migration every queued message is delivered as the activity it held; an unknown one fails, unsent', async () => {
    const fresh = await openStore(db.options);
    await fresh.conversations.save('channel:managers', reference(connector.url, '19:m@thread.tacv2'), {
      kind: 'channel',
    });
    await fresh.conversations.save('user:sam', reference(connector.url, 'a:sam'), { kind: 'personal' });
    await fresh.close();
    await db.raw('alter table outbox rename column content to activity');
    await db.raw(`delete from kysely_migration where name = '${MIGRATION}'`);

    const t0 = Date.now() - 60_000;
    let n = 0;
    const row = (
      key: string,
      conversationKey: string,
      op: string,
      activity: unknown,
      more: Record<string, string | null> = {},
    ) => {
      const at = new Date(t0 + n++ * 1000).toISOString();
      const values: Record<string, string | number | null> = {
        id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        key,
        conversation_key: conversationKey,
        op,
        activity: JSON.stringify(activity),
        thread_of: null,
        updates: null,
        target_activity_id: null,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        locked_by: null,
        locked_until: null,
        sent_activity_id: null,
        sent_conversation_id: null,
        reason: null,
        created_at: at,
        done_at: null,
        ...more,
      };
      const sqlValue = (v: string | number | null) =>
        v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
      return db.raw(
        `insert into outbox (${Object.keys(values).join(', ')}) values (${Object.values(values).map(sqlValue).join(', ')})`,
      );
    };
    await row('post', 'channel:managers', 'send', QUEUED.post);
    await row('thread', 'channel:managers', 'reply', QUEUED.reminder, { thread_of: 'post' });
    await row(
      'card',
      'user:sam',
      'record',
      {},
      { status: 'sent', sent_activity_id: 'act-worker-card', done_at: new Date(t0).toISOString() },
    );
    await row('card-v2', 'user:sam', 'update', QUEUED.cardV2, { updates: 'card' });
    await row('line', 'user:sam', 'send', QUEUED.withLine);
    await row('note', 'user:sam', 'send', QUEUED.plain);
    await row('odd', 'user:sam', 'send', { type: 'message' });
    await row('done', 'user:sam', 'send', QUEUED.plain, {
      status: 'sent',
      sent_activity_id: 'act-old',
      done_at: new Date(t0).toISOString(),
    });

    // Enough sent rows that the migration reads the outbox in more than two pages.
    for (let i = 0; i < 1100; i++)
      await row(`bulk-${i}`, 'user:sam', 'send', QUEUED.plain, { status: 'sent', done_at: new Date(t0).toISOString() });

    store = await openStore(db.options); // runs migration 006
    expect((await db.raw('select name from kysely_migration')).map((r) => r.name)).toContain(MIGRATION);
    const rows = Object.fromEntries(
      (await db.raw('select key, content, status, reason from outbox')).map((r) => [
        r.key,
        { ...r, content: JSON.parse(String(r.content)) },
      ]),
    );
    expect(rows.post).toMatchObject({
      status: 'pending',
      content: { kind: 'card', card: QUEUED.post.attachments[0].content, summary: QUEUED.post.summary },
    });
    expect(rows.thread).toMatchObject({
      status: 'pending',
      content: { kind: 'text', text: QUEUED.reminder.text, format: 'markdown' },
    });
    expect(rows.card).toMatchObject({ status: 'sent', content: null });
    expect(rows.note).toMatchObject({
      status: 'pending',
      content: { kind: 'text', text: QUEUED.plain.text, format: 'plain' },
    });
    expect(rows.done).toMatchObject({
      status: 'sent',
      content: { kind: 'text', text: QUEUED.plain.text, format: 'plain' },
    });
    // Not one of KeepSafe's shapes: failed, with what was stored kept for whoever looks into it.
    expect(rows.odd).toMatchObject({ status: 'failed', reason: 'UNKNOWN_CONTENT', content: { type: 'message' } });
    const bulk = Object.entries(rows).filter(([k]) => k.startsWith('bulk-'));
    expect(bulk).toHaveLength(1100);
    expect(bulk.every(([, r]) => (r as { content: { kind?: string } }).content.kind === 'text')).toBe(true);

    const worker = new DeliveryWorker({
      store,
      adapter,
      appId: '',
      logger,
      baseDelayMs: 10,
      maxDelayMs: 50,
      random: () => 1,
    });
    for (let i = 0; i < 40 && (await store.outbox.stats()).pending > 0; i++) {
      await worker.runOnce();
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(await store.outbox.stats()).toEqual({ pending: 0, sent: 7 + 1100, failed: 1 }); // and the bulk rows, sent before
    expect(await store.outbox.listFailed()).toEqual([
      expect.objectContaining({ key: 'odd', reason: 'UNKNOWN_CONTENT', attempts: 0 }),
    ]);

    const postId = (await store.outbox.sentActivity('post'))!.activityId;
    const call = (test: (c: ConnectorCall) => boolean) => {
      const found = connector.calls.filter(test);
      expect(found).toHaveLength(1);
      return said(found[0].body);
    };
    expect(call((c) => c.method === 'POST' && c.conversationId === '19:m@thread.tacv2')).toEqual(QUEUED.post);
    expect(call((c) => c.method === 'POST' && c.conversationId === `19:m@thread.tacv2;messageid=${postId}`)).toEqual(
      QUEUED.reminder,
    );
    expect(call((c) => c.method === 'PUT' && c.activityId === 'act-worker-card')).toEqual(QUEUED.cardV2);
    expect(
      call((c) => c.method === 'POST' && c.conversationId === 'a:sam' && c.body.attachments !== undefined),
    ).toEqual(QUEUED.withLine);
    expect(
      call((c) => c.method === 'POST' && c.conversationId === 'a:sam' && c.body.attachments === undefined),
    ).toEqual(QUEUED.plain);
    expect(connector.calls).toHaveLength(5); // nothing for the record, the unknown row or the one already sent
  });
});
