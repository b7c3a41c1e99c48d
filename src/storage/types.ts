/**
 * Every store interface and the shapes they hold: the record store, its bot-state table, the outbox, the
 * conversation references and the settings. Two engines implement them (SQLite and PostgreSQL, both through
 * Kysely in store.ts, outbox.ts, conversations.ts, settingsStore.ts, stateStorage.ts); one contract test suite
 * (tests/storage) runs against both. This file imports no implementation, so nothing here imports back.
 */
import type { ChainReport } from '../core/records/audit';
import type { Author, NewEntry, StoredEntry } from '../core/records/entry';
import type { RecordKind } from '../core/records/kinds';
import type { Logger } from '../logger';

export type Engine = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; empty or absent selects the SQLite file `<dataDir>/keepsafe.sqlite`. */
  databaseUrl?: string;
  dataDir: string;
  /** Regular expression a case reference must match (default in src/core/records/caseRef.ts). */
  caseRefPattern?: string;
  /** Retention per kind in days (RETENTION_DAYS_<KIND>); defaults in src/core/records/kinds.ts. */
  retentionDays?: Partial<Record<RecordKind, number>>;
  /** PostgreSQL schema for KeepSafe's tables (tests give each run its own); created if missing. */
  schema?: string;
  logger?: Logger;
}

export type OutboxOp = 'send' | 'reply' | 'update' | 'record';

/**
 * What a queued message says, in KeepSafe's own terms rather than any SDK's: an Adaptive Card (rendered when it
 * was queued, with its notification preview and an optional plain line above it), or a line of text, shown as
 * typed or read as Markdown. The edge that delivers the outbox turns it into its SDK's message when sending
 * (src/teams/delivery.ts: a Bot Framework message activity).
 */
export type OutboxContent =
  | {
      kind: 'card';
      /** The Adaptive Card as JSON. */
      card: Record<string, unknown>;
      /** The notification preview. */
      summary: string;
      /** A line above the card, shown as typed. */
      text?: string;
    }
  | { kind: 'text'; text: string; format: 'plain' | 'markdown' };

export interface OutboxMessage {
  /** Unique: the same key twice queues once (a retried write queues nothing new). */
  key: string;
  /** A stored conversation reference: 'user:<aad>', 'channel:managers', … (src/teams/conversationKeys.ts). */
  conversationKey: string;
  /**
   * send: a new message (a new thread when the conversation is a channel); reply: into the thread started by
   * the 'send' whose key is `threadOf`; update: replace the message sent as `updates` (or `activityId`) in place;
   * record: nothing is sent — `activityId` is remembered under this key so later updates can name it.
   */
  op: OutboxOp;
  /** What to send; every op but 'record' (which sends nothing) needs it. */
  content?: OutboxContent;
  threadOf?: string;
  updates?: string;
  activityId?: string;
  /** Not before this time (reminders). */
  notBefore?: Date;
}

export interface ClaimedMessage {
  id: string;
  key: string;
  conversationKey: string;
  op: OutboxOp;
  /** Null only for a message whose content could not be read (the outbox marks those failed). */
  content: OutboxContent | null;
  threadOf: string | null;
  updates: string | null;
  targetActivityId: string | null;
  attempts: number;
  createdAt: string;
}

export interface FailedMessage {
  key: string;
  conversationKey: string;
  op: OutboxOp;
  attempts: number;
  reason: string | null;
  createdAt: string;
  failedAt: string | null;
}

export interface SentActivity {
  activityId: string;
  conversationId: string | null;
}

export interface OutboxStats {
  pending: number;
  sent: number;
  failed: number;
}

export interface ConversationMeta {
  kind: 'personal' | 'channel' | 'team' | 'member';
  aadObjectId?: string;
  teamId?: string;
  channelId?: string;
  name?: string;
}

export interface StoredConversation {
  key: string;
  reference: Record<string, unknown>;
  meta: ConversationMeta;
  unreachableReason: string | null;
  updatedAt: string;
}

/** The outbox (outbox.ts): what delivery workers claim, send and mark. */
export interface OutboxStore {
  enqueue(messages: readonly OutboxMessage[]): Promise<number>;
  /** Takes up to `limit` due messages for this worker, leased for `leaseMs` (default LEASE_MS in outbox.ts). */
  claim(workerId: string, limit: number, now?: Date, leaseMs?: number): Promise<ClaimedMessage[]>;
  renew(id: string, workerId: string, now?: Date, leaseMs?: number): Promise<boolean>;
  release(id: string, notBefore: Date): Promise<void>;
  markSent(id: string, activityId: string, conversationId: string | null, now?: Date): Promise<void>;
  /**
   * A send that timed out was delivered after all (its answer came late): recorded as sent if the message is still
   * pending or failed on that timeout, so no retry sends it again. True when recorded.
   */
  markSentLate(id: string, activityId: string, conversationId: string | null, now?: Date): Promise<boolean>;
  markRetry(id: string, reason: string, nextAttemptAt: Date): Promise<void>;
  markFailed(id: string, reason: string, now?: Date): Promise<void>;
  sentActivity(key: string): Promise<SentActivity | undefined>;
  dependencyFailed(key: string): Promise<boolean>;
  listFailed(limit?: number): Promise<FailedMessage[]>;
  stats(): Promise<OutboxStats>;
}

/** Conversation references (conversations.ts). */
export interface ConversationStore {
  /** Saves (or replaces) a reference; returns false when the stored one was already identical. */
  save(key: string, reference: Record<string, unknown>, meta: ConversationMeta, now?: Date): Promise<boolean>;
  get(key: string): Promise<StoredConversation | undefined>;
  /** The bot was removed from the team, or the user blocked it: stop trying until it hears from them again. */
  markUnreachable(key: string, reason: string): Promise<void>;
  list(filter?: { kind?: ConversationMeta['kind'] }): Promise<StoredConversation[]>;
}

/** Settings chosen from Teams (settingsStore.ts). */
export interface SettingsStore {
  get(name: string): Promise<string | undefined>;
  /** Sets a value and audits the change (which setting and who, not the value). */
  set(name: string, value: string, actorId: string, now?: Date): Promise<void>;
}

/** botbuilder's StoreItems: key → item; an item may carry `eTag`. */
export type StateItems = Record<string, any>;

/**
 * Bot state in the database (stateStorage.ts), with botbuilder's Storage shape and eTag contract: no eTag or "*"
 * always writes; a stale eTag throws StateConflictError; a new key is written whatever its eTag.
 */
export interface StateStore {
  read(keys: string[]): Promise<StateItems>;
  write(changes: StateItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export interface WriteOptions {
  /**
   * From the Teams activity or card (e.g. the invoke's activity id + verb). The same key twice returns the
   * first entry and writes nothing: a retried invoke never makes two entries.
   */
  idempotencyKey?: string;
  /**
   * Proactive messages that belong to this entry, queued in the same transaction (all or nothing). A function
   * gets the entry as stored (its id and time). Nothing is queued when the key finds an earlier entry.
   */
  outbox?: OutboxMessage[] | ((entry: StoredEntry) => OutboxMessage[]);
}

export interface Viewer {
  aadObjectId: string;
  isManager: boolean;
}

export interface ListFilter {
  authorId?: string;
  caseRef?: string;
  kind?: RecordKind;
  /** Leave these kinds out (e.g. feedback from a worker's list of their records). */
  excludeKinds?: RecordKind[];
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  /** Newest first; default 50, at most 1000. */
  limit?: number;
}

export interface WeekCount {
  kind: RecordKind;
  /** The Monday (UTC) the week starts on, YYYY-MM-DD. */
  weekStart: string;
  count: number;
}

export type RetentionReport = Partial<Record<RecordKind, number>>;

export interface StoreHealth {
  ok: boolean;
  engine: Engine;
  latencyMs?: number;
  /** An error code (never a message that could carry data), when not ok. */
  error?: string;
}

/** The result of verifyAudit(): the chain, then every stored entry against the event that vouches for it. */
export type AuditReport = ChainReport;

export interface RecordStore {
  readonly engine: Engine;

  /** Stores an entry, its audit event and its idempotency key in one transaction; refuses invalid entries. */
  append(entry: NewEntry, options?: WriteOptions): Promise<StoredEntry>;
  /** A correction: a new entry of the same kind pointing at `oldId`, with a reason. Nothing is changed in place. */
  correct(oldId: string, entry: NewEntry, reason: string, options?: WriteOptions): Promise<StoredEntry>;
  /** One entry. Staff see their own; only managers see others' (RecordAccessError), and that view is audited. */
  get(id: string, viewer: Viewer): Promise<StoredEntry | undefined>;
  /** Entries, newest first. The caller decides who may list whose (staff: their own authorId). */
  list(filter: ListFilter): Promise<StoredEntry[]>;
  /** Counts by kind and week (Monday, UTC) of entries created in [from, to), optionally of some authors only. */
  countsByKindAndWeek(range: { from: Date; to: Date; authorIds?: string[] }): Promise<WeekCount[]>;
  /** Entries created in [from, to) (of one case, of one kind), oldest first, for a CSV export; audited (who, range, kind, count). */
  export(range: { from: Date; to: Date; caseRef?: string; kind?: RecordKind }, actor: string): Promise<StoredEntry[]>;
  /**
   * One entry of a kind, by its id or its KS- reference, for a printable copy (a body map for the case file):
   * audited as an export of that entry (who, which entry, the format), in the same transaction as the read.
   * Undefined when there is none; an error when a reference matches more than one.
   */
  exportOne(
    ref: { idOrReference: string; kind: RecordKind; format: string },
    actor: string,
  ): Promise<StoredEntry | undefined>;
  /**
   * Which entry a KS- reference (or an id) is, and its kind and time, without its content (so not audited):
   * for telling "no such entry" from "not a body map" before anything is read. Undefined when there is none;
   * an error when the reference is malformed or matches more than one.
   */
  lookup(idOrReference: string): Promise<{ id: string; kind: RecordKind; createdAt: string } | undefined>;
  /**
   * Deletes entries older than their kind's retention period (correction chains leaf first) and audits each
   * kind's count. `overrides` replaces the configured periods for this run.
   */
  runRetention(now: Date, overrides?: Partial<Record<RecordKind, number>>): Promise<RetentionReport>;
  /**
   * Audits a refused attempt (a non-manager pressing a manager's button, someone not allowed moving the managers'
   * channel): who, what (a short code such as "incident.acknowledge") and which record, never any content.
   */
  auditRefusal(input: { actorId: string; recordId: string | null; what: string }): Promise<void>;
  /** Walks the whole audit chain, then checks every entry against it; reports the first broken link. */
  verifyAudit(): Promise<AuditReport>;

  /** Bot Framework state (botbuilder's Storage shape, eTag contract) in the same database. */
  readonly state: StateStore;
  /** Proactive messages waiting for the delivery worker. */
  readonly outbox: OutboxStore;
  /** Conversation references for proactive messages. */
  readonly conversations: ConversationStore;
  /** Settings chosen from Teams (audited). */
  readonly settings: SettingsStore;
  /** Queues messages that belong to no new entry (reminders). Keys already queued are skipped. */
  enqueue(messages: OutboxMessage[]): Promise<number>;

  /** "Was this helpful?": a feedback entry (no case reference). Returns true if new, false for a repeated key. */
  recordFeedback(input: {
    section: string;
    helpful: boolean;
    authorId: string;
    guidanceVersion: string;
    idempotencyKey: string;
  }): Promise<boolean>;
  /** Feedback counted by section. */
  feedbackCounts(): Promise<Array<{ section: string; helpful: number; notHelpful: number }>>;

  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export type { Author, NewEntry, StoredEntry };
