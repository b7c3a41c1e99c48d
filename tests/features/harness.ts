/**
 * Drives the use cases directly, Turn → Reply, with no HTTP and no Bot Framework: the real guidance engine and
 * card templates, a real SQLite record store in a temporary folder, and the managers' directory as the Teams
 * layer would hand it over (who is a manager or an administrator, fixed per test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadGuidanceContent } from '../../src/core/guidance/content';
import { GuidanceEngine } from '../../src/core/guidance/engine';
import { compileCaseRefPattern } from '../../src/core/records/caseRef';
import type { FeatureDeps, Managers } from '../../src/features/deps';
import { runCommand, runPress, type CardPress, type CommandDetail } from '../../src/features/routes';
import { storeFeedback } from '../../src/features/guidance/feedback';
import type { CommandName } from '../../src/core/commands';
import type { Actor, Place, Reply, Turn } from '../../src/features/turn';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/storage/store';
import type { RecordStore } from '../../src/storage/types';
import { cardText } from '../helpers/bot';

export const SAM: Actor = { aadObjectId: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f', name: 'Sam Carter' };
export const PRIYA: Actor = { aadObjectId: '3d9b7c2a-5e1f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Priya Shah' };
export const ADMIN: Actor = { aadObjectId: '5a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d', name: 'Ada Admin' };

let engine: GuidanceEngine | undefined;
export function guidanceEngine(): GuidanceEngine {
  return (engine ??= new GuidanceEngine(loadGuidanceContent(path.resolve(__dirname, '../../content'))));
}

export interface Harness {
  deps: FeatureDeps;
  store: RecordStore;
  /** How many times a use case asked the delivery worker to look at the outbox. */
  nudges: () => number;
  /** Refusals in the audit trail, oldest first (who, what, which record). */
  refusals: () => Array<{ actor: string; what: string; record: string | null }>;
  /** Audit events of one action ('view', 'export', …), oldest first. */
  audited: (action: string) => Array<{ actor: string; record: string | null }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  managers?: Actor[];
  admins?: Actor[];
  /** The managers' channel fixed in configuration. */
  channel?: { teamId: string; channelId: string };
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-features-'));
  const store = await openStore({ dataDir });
  const managerIds = new Set((options.managers ?? [PRIYA]).map((m) => m.aadObjectId.toLowerCase()));
  const adminIds = new Set((options.admins ?? []).map((m) => m.aadObjectId.toLowerCase()));
  const managers: Managers = {
    isManager: async (id) => Boolean(id) && managerIds.has(id!.toLowerCase()),
    isAdmin: (id) => Boolean(id) && adminIds.has(id!.toLowerCase()),
    nobodyConfigured: () => managerIds.size === 0 && adminIds.size === 0,
    clear: () => undefined,
  };
  const events = (action: string): any[] => {
    const db = new Database(path.join(dataDir, 'keepsafe.sqlite'), { readonly: true });
    try {
      const sql = 'select actor_id, record_id, detail from audit_events where action = ? order by seq';
      return db.prepare(sql).all(action);
    } finally {
      db.close();
    }
  };
  let nudged = 0;
  const guidance = guidanceEngine();
  const deps: FeatureDeps = {
    logger: createLogger('silent'),
    guidance,
    store,
    managers,
    caseRefPattern: compileCaseRefPattern(),
    features: { reportIncident: true, photoDecision: true },
    managersChannelFromConfig: options.channel,
    nudgeDelivery: () => void nudged++,
    feedback: storeFeedback(store, guidance.document.version),
  };
  return {
    deps,
    store,
    nudges: () => nudged,
    refusals: () =>
      events('refused').map((r) => ({
        actor: r.actor_id,
        what: JSON.parse(r.detail ?? '{}').what,
        record: r.record_id,
      })),
    audited: (action) => events(action).map((r) => ({ actor: r.actor_id, record: r.record_id })),
    async close() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The one harness of a test file (or of a describe block): made before its first test, closed after its last.
 * Usable at once as a Harness — each member reads the live one — so a file declares it, and `pressWith` and
 * `commandWith` on it, at the top; a later beforeAll may store the entries its tests read.
 */
export function harnessForFile(options: HarnessOptions = {}): Harness {
  let live: Harness | undefined;
  const current = (): Harness => {
    if (!live) throw new Error('The harness is made in beforeAll: use it inside a test or a hook');
    return live;
  };
  beforeAll(async () => {
    live = await harness(options);
  });
  afterAll(async () => {
    await live?.close();
    live = undefined;
  });
  return {
    get deps() {
      return current().deps;
    },
    get store() {
      return current().store;
    },
    nudges: () => current().nudges(),
    refusals: () => current().refusals(),
    audited: (action) => current().audited(action),
    close: () => current().close(),
  };
}

let counter = 0;
const CHANNEL = '19:managers@thread.tacv2';

/** A turn as the Teams layer would build it: by default Sam typing in his 1:1 chat. */
export function turn(over: Partial<Omit<Turn, 'ids'>> & { ids?: Partial<Turn['ids']>; place?: Place } = {}): Turn {
  counter++;
  const place = over.place ?? 'personal';
  const { ids, ...rest } = over;
  const conversationId = place === 'channel' ? CHANNEL : 'a:sam';
  return {
    actor: 'actor' in over ? over.actor : SAM,
    place,
    text: '',
    hasFiles: false,
    ...(place === 'channel' ? { channel: { teamId: '19:team', channelId: CHANNEL, channelName: 'Escalations' } } : {}),
    conversationReference: { conversation: { id: conversationId }, serviceUrl: 'http://127.0.0.1:1/' },
    log: {},
    ...rest,
    ids: { conversationId, activityId: `act-${counter}`, replyToId: '', ...ids },
  };
}

/** The text a reply shows: a card's text blocks and facts, a notice's title and message, a message, or a file offer's name and description. */
export function textOf(reply: Reply): string {
  if (reply.kind === 'notice') return `${reply.title}\n${reply.message}`;
  if (reply.kind === 'message') return reply.text;
  if (reply.kind === 'fileOffer') return `${reply.file.name}\n${reply.file.description}`;
  return cardText(reply.card);
}

export function only(replies: Reply[]): Reply {
  expect(replies).toHaveLength(1);
  return replies[0];
}

type TurnOptions = Parameters<typeof turn>[0];

/** Presses a card button: its verb and data, by Sam in his 1:1 chat unless `over` says otherwise. */
export function pressWith(h: Harness) {
  type DataOf<V> = Extract<CardPress, { verb: V }>['data'];
  return <V extends CardPress['verb']>(verb: V, data: DataOf<V>, over: TurnOptions = {}) =>
    runPress(turn(over), h.deps, { verb, data } as CardPress);
}

/** Runs a command as if typed, by Sam in his 1:1 chat unless `over` says otherwise. */
export function commandWith(h: Harness) {
  return (name: CommandName, over: TurnOptions = {}, detail: CommandDetail = {}) =>
    runCommand(turn(over), h.deps, name, detail);
}
