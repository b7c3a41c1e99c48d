/**
 * The delivery worker: sends what the outbox holds, through the Bot Framework connector, and never loses a
 * message. Retries throttling and transient failures (429, 412, 500, 502, 503, 504, connection errors) with
 * exponential backoff and full jitter, honouring Retry-After, and pauses all sending while throttled. Gives up
 * on a message after `maxAttempts`, with the reason visible to "failed messages". A conversation the bot can no
 * longer reach (removed from the team, blocked by the user, gone) is marked and its messages fail at once.
 * Several instances may run it: the outbox leases each message to one worker.
 */
import { randomUUID } from 'node:crypto';
import { type Activity, type CloudAdapter, type ConversationReference, TurnContext } from 'botbuilder';
import { cardAttachment, type AdaptiveCard } from '../features/cardRender';
import type { Logger } from '../logger';
import { LEASE_MS } from '../storage/outbox';
import { withConnectorTimeout } from './adapter';
import type { ClaimedMessage, OutboxContent, RecordStore, StoredConversation } from '../storage/types';

export interface DeliveryOptions {
  store: RecordStore;
  adapter: CloudAdapter;
  /** The bot's app id ('' in local mode). */
  appId: string;
  logger: Logger;
  pollMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
  /** How long a claimed message stays this worker's (default 60 s); renewed before each send. */
  leaseMs?: number;
  /** How many conversations are sent to at once (default 8); one conversation's messages go one at a time, in order. */
  concurrency?: number;
  /** Longest one send may take, from the first connector call to its answer (default 5 s); then it is a failed attempt. */
  sendTimeoutMs?: number;
  /**
   * How long a new message's HTTP call stays open after the worker stopped waiting, so a late answer is
   * recorded rather than the message sent twice (the app gives DELIVERY_LATE_ANSWER_SECONDS, 30 s by default).
   * Off when 0 or unset: each call keeps the adapter's connector timeout and no late answer can come.
   */
  lateAnswerMs?: number;
  random?: () => number;
  now?: () => Date;
}

const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
const UNREACHABLE_CODES = new Set([
  'BotNotInConversationRoster',
  'ConversationBlockedByUser',
  'ConversationNotFound',
  'BotDisabledByAdmin',
]);

export interface SendFailure {
  status?: number;
  code: string;
  retryAfterMs?: number;
  retryable: boolean;
  unreachable: boolean;
}

function header(err: any, name: string): string | undefined {
  const h = err?.response?.headers;
  if (!h) return undefined;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  return h[name] ?? h[name.toLowerCase()];
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What went wrong, from a connector error, as codes only (never the message, which may quote content). */
export function classify(err: unknown, now = Date.now()): SendFailure {
  const e = err as any;
  // A call that ran out of time (ours, or the connector client's own timeout): a failed attempt, retried with backoff.
  if (e?.code === 'CONNECTOR_TIMEOUT' || e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return { code: 'CONNECTOR_TIMEOUT', retryable: true, unreachable: false };
  }
  const status: number | undefined = e?.statusCode ?? e?.response?.status;
  let body = e?.response?.parsedBody ?? e?.body;
  if (!body && typeof e?.response?.bodyAsText === 'string') {
    try {
      body = JSON.parse(e.response.bodyAsText);
    } catch {
      body = undefined;
    }
  }
  const errorCode: string | undefined = body?.error?.code ?? (typeof e?.code === 'string' ? e.code : undefined);
  const code = errorCode ?? (status ? `HTTP_${status}` : 'SEND_FAILED');
  const unreachable = (errorCode !== undefined && UNREACHABLE_CODES.has(errorCode)) || status === 403 || status === 404;
  const network =
    typeof e?.code === 'string' &&
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(e.code);
  const retryable = !unreachable && (network || status === undefined || RETRYABLE.has(status));
  return { status, code, retryAfterMs: parseRetryAfter(header(e, 'retry-after'), now), retryable, unreachable };
}

/**
 * The Bot Framework message activity for what an outbox message says: a card as an Adaptive Card attachment with
 * its summary (and its line above, as plain text), or a line of text (plain, or Markdown: no text format).
 */
export function activityOf(content: OutboxContent): Partial<Activity> {
  if (content.kind === 'card') {
    return {
      type: 'message',
      summary: content.summary,
      ...(content.text ? { text: content.text, textFormat: 'plain' } : {}),
      attachments: [cardAttachment(content.card as AdaptiveCard)],
    };
  }
  return { type: 'message', text: content.text, ...(content.format === 'plain' ? { textFormat: 'plain' } : {}) };
}

/** A send that took longer than its timeout. */
export class ConnectorTimeoutError extends Error {
  override readonly name = 'ConnectorTimeoutError';
  readonly code = 'CONNECTOR_TIMEOUT';
  constructor(ms: number) {
    super(`No answer from the connector within ${ms} ms`);
  }
}

export class DeliveryWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private claiming?: Promise<void>;
  private again = false;
  private pausedUntil = 0;
  private stopped = true;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly sendTimeoutMs: number;
  private readonly lateAnswerMs: number | undefined;
  private readonly random: () => number;
  private readonly now: () => Date;
  /** Conversations with messages in this worker, each a chain so that conversation's messages go in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Messages claimed and not yet finished (sent, rescheduled, failed or handed back). */
  private readonly held = new Map<string, ClaimedMessage>();
  /**
   * A conversation whose message failed its first try: its later messages wait (order) until that retry is due.
   * A message failing again no longer holds them, so one dead message never stops its conversation for long.
   */
  private readonly holds = new Map<string, number>();
  /** Sends under way, at most `concurrency`, and those waiting for a slot. */
  private sending = 0;
  /** The last claim filled its batch (or there was no room): more messages may be due. */
  private moreWaiting = false;
  private readonly slotWaiters: Array<() => void> = [];
  /** Fired by stop(): ends the HTTP calls still open for a late answer. */
  private closing = new AbortController();

  constructor(private readonly options: DeliveryOptions) {
    this.pollMs = options.pollMs ?? 2000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.concurrency = options.concurrency ?? 8;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 5000;
    this.lateAnswerMs = options.lateAnswerMs ? Math.max(this.sendTimeoutMs, options.lateAnswerMs) : undefined;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.closing.signal.aborted) this.closing = new AbortController();
    this.timer = setInterval(() => this.nudge(), this.pollMs);
    this.timer.unref();
    this.nudge();
  }

  /**
   * Stops claiming, gives the sends under way up to `deadlineMs` to finish, then hands back whatever this
   * worker still holds (due at once, no attempt counted) so a restart or another instance sends it.
   */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const all = Promise.allSettled([this.claiming, ...this.chains.values()]);
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, deadlineMs)))]);
    clearTimeout(timer);
    const left = [...this.held.values()];
    this.held.clear();
    await Promise.all(left.map((m) => this.options.store.outbox.release(m.id, this.now()).catch(() => undefined)));
    if (left.length) this.options.logger.info({ count: left.length }, 'delivery.handed_back');
    // Calls still open end now: those kept open only for a late answer (their messages are pending), and sends still
    // under way at the deadline, whose messages were just handed back (deliverOnce leaves their rows alone).
    this.closing.abort();
  }

  /** Look for due messages soon (after an enqueue, a finished send, each poll); claims never overlap. */
  nudge(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimAndSchedule()
      .then(() => undefined)
      .catch((err) =>
        this.options.logger.warn({ code: (err as { code?: string }).code ?? 'DELIVERY_FAILED' }, 'delivery.run_failed'),
      )
      .finally(() => {
        this.claiming = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /**
   * One pass: claim due messages and try each once; resolves when all of them are done. Conversations are sent
   * to side by side (at most `concurrency` at once), each conversation's messages one after another.
   */
  async runOnce(): Promise<number> {
    const results = await Promise.all(await this.claimAndSchedule());
    return results.filter(Boolean).length;
  }

  private async claimAndSchedule(): Promise<Array<Promise<boolean>>> {
    if (Date.now() < this.pausedUntil) return [];
    // Never hold more than a few batches in memory; conversations already busy here are left for later.
    const room = Math.max(this.batchSize, this.concurrency * 4) - this.held.size;
    if (room <= 0) {
      this.moreWaiting = true;
      return [];
    }
    const limit = Math.min(this.batchSize, room);
    const batch = await this.options.store.outbox.claim(this.id, limit, this.now(), this.leaseMs);
    // A full batch means more may be due: look again as soon as a send finishes (otherwise the poll will).
    this.moreWaiting = batch.length === limit;
    return batch.map((m) => this.schedule(m));
  }

  private schedule(message: ClaimedMessage): Promise<boolean> {
    this.held.set(message.id, message);
    const key = message.conversationKey;
    const run = (this.chains.get(key) ?? Promise.resolve()).then(() => this.deliverInTurn(message));
    const tail = run.catch(() => false);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
      this.held.delete(message.id);
      // Room is free: if the last claim was full there is more to send now.
      if (!this.stopped && this.moreWaiting) this.nudge();
    });
    return tail;
  }

  private async slot(): Promise<() => void> {
    while (this.sending >= this.concurrency) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.sending++;
    return () => {
      this.sending--;
      this.slotWaiters.shift()?.();
    };
  }

  private async deliverInTurn(message: ClaimedMessage): Promise<boolean> {
    if (!this.held.has(message.id)) return false; // handed back by stop()
    const until = Math.max(this.holds.get(message.conversationKey) ?? 0, this.pausedUntil);
    if (Date.now() < until) {
      // Throttled, or an earlier message of this conversation waits for its retry: hand it back untouched.
      await this.options.store.outbox.release(message.id, new Date(until)).catch(() => undefined);
      return false;
    }
    const release = await this.slot();
    try {
      if (!this.held.has(message.id)) return false;
      const { sent, retryAt } = await this.deliver(message);
      if (retryAt !== undefined && message.attempts === 0) this.holds.set(message.conversationKey, retryAt);
      else this.holds.delete(message.conversationKey);
      return sent;
    } finally {
      release();
    }
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
    return Math.round(this.random() * cap); // full jitter
  }

  /** Tries one message once. `retryAt`: it was rescheduled, and later messages of its conversation wait until then. */
  private async deliver(message: ClaimedMessage): Promise<{ sent: boolean; retryAt?: number }> {
    const r = await this.deliverOnce(message);
    return typeof r === 'number' ? { sent: false, retryAt: r } : { sent: r };
  }

  /** Rejects after the send timeout; the timer never keeps the process alive. */
  private timeout(): { promise: Promise<never>; clear: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new ConnectorTimeoutError(this.sendTimeoutMs)), this.sendTimeoutMs);
      timer.unref();
    });
    return { promise, clear: () => clearTimeout(timer) };
  }

  private async deliverOnce(message: ClaimedMessage): Promise<boolean | number> {
    const { store, logger } = this.options;
    const log = { key: message.key, op: message.op, attempt: message.attempts + 1 };
    // A send that timed out but is kept open for a late answer: its retry is not due before that window closes, so a
    // message the connector did post (and answers late) is recorded as sent, not posted a second time.
    let lateWindowMs = 0;
    try {
      // Nothing readable to send: failed before anything else, not after opening a chat for it.
      if (!message.content) {
        await store.outbox.markFailed(message.id, 'NO_CONTENT');
        logger.warn({ ...log, code: 'NO_CONTENT' }, 'delivery.failed');
        return false;
      }
      let conversation = await store.conversations.get(message.conversationKey);
      if (!conversation && message.conversationKey.startsWith('user:')) {
        const deadline = this.timeout();
        try {
          conversation = await Promise.race([this.openPersonalChat(message.conversationKey), deadline.promise]);
        } finally {
          deadline.clear();
        }
      }
      if (!conversation) return await this.retryOrFail(message, 'NO_CONVERSATION', undefined);
      if (conversation.unreachableReason) {
        await store.outbox.markFailed(message.id, `UNREACHABLE:${conversation.unreachableReason}`);
        logger.warn({ ...log, reason: conversation.unreachableReason }, 'delivery.unreachable');
        return false;
      }
      const reference = conversation.reference as Partial<ConversationReference>;
      const target = await this.target(message, reference);
      if (target === 'wait') return await this.retryOrFail(message, 'WAITING_FOR_THREAD', undefined);
      if (target === 'failed') {
        await store.outbox.markFailed(message.id, 'DEPENDENCY_FAILED');
        return false;
      }
      // The lease may have run out while earlier messages of this batch were sent (a slow connector): then
      // another worker may hold this one now, and sending it here could send it twice.
      if (!(await store.outbox.renew(message.id, this.id, this.now(), this.leaseMs))) {
        logger.info(log, 'delivery.lease_lost');
        return false;
      }
      let activityId = '';
      // The adapter's turn error handler would swallow a failed send: catch it inside the turn and rethrow here.
      let sendError: unknown;
      // The connector client has its own per-call timeout; this one bounds the whole send (token, retries, all).
      const deadline = this.timeout();
      const conversationId = (target.reference.conversation?.id as string) ?? null;
      const attempt = this.options.adapter.continueConversationAsync(
        this.options.appId,
        target.reference,
        async (ctx: TurnContext) => {
          try {
            await this.send(ctx, message, target.activityId, (id) => (activityId = id));
          } catch (err) {
            sendError = err ?? new Error('SEND_FAILED');
          }
        },
      );
      try {
        await Promise.race([attempt, deadline.promise]);
      } catch (err) {
        // Out of time: a failed attempt, retried with backoff. A new message's call is left running a while
        // longer, so that if the connector did post it and answers late, the outbox records it instead of
        // sending it again (an update is a PUT to a known id: sending it again is harmless).
        if (this.lateAnswerMs && err instanceof ConnectorTimeoutError && message.op !== 'update') {
          this.recordLateAnswer(message, attempt, () => (sendError ? undefined : activityId), conversationId);
          lateWindowMs = this.lateAnswerMs - this.sendTimeoutMs;
        }
        throw err;
      } finally {
        deadline.clear();
      }
      if (sendError) throw sendError;
      await store.outbox.markSent(message.id, activityId, conversationId);
      logger.info(log, 'delivery.sent');
      return true;
    } catch (err) {
      // Handed back by stop() while this call was under way (stop() ends such calls): the row is pending again with
      // no attempt counted, and may already be another worker's. Leave it as stop() left it.
      if (!this.held.has(message.id)) {
        logger.info(log, 'delivery.handed_back_in_flight');
        return false;
      }
      const failure = classify(err);
      if (failure.status === 404 && message.op === 'update' && failure.code !== 'ConversationNotFound') {
        // The message to replace is gone (deleted in Teams); the conversation itself may be fine.
        await store.outbox.markFailed(message.id, failure.code);
        logger.warn({ ...log, status: 404, code: failure.code }, 'delivery.failed');
        return false;
      }
      if (failure.unreachable) {
        await store.conversations.markUnreachable(message.conversationKey, failure.code).catch(() => undefined);
        await store.outbox.markFailed(message.id, failure.code);
        logger.warn({ ...log, status: failure.status, code: failure.code }, 'delivery.unreachable');
        return false;
      }
      if (failure.status === 429) {
        const pause = failure.retryAfterMs ?? this.backoff(message.attempts);
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
        logger.warn({ ...log, status: 429, pauseMs: pause }, 'delivery.throttled');
      }
      if (!failure.retryable) {
        await store.outbox.markFailed(message.id, failure.code);
        logger.warn({ ...log, status: failure.status, code: failure.code }, 'delivery.failed');
        return false;
      }
      return await this.retryOrFail(message, failure.code, failure.retryAfterMs, lateWindowMs);
    }
  }

  /**
   * A send that timed out may still have been posted. When its answer comes later (within `lateAnswerMs`, the
   * HTTP timeout of a proactive call) with the new activity's id, the message is marked sent — unless it is no
   * longer pending because a retry already sent it (then it went twice: logged). A retry claimed but not yet
   * sent sees the message is no longer pending when it renews its lease, and does not send.
   */
  private recordLateAnswer(
    message: ClaimedMessage,
    attempt: Promise<unknown>,
    answeredId: () => string | undefined,
    conversationId: string | null,
  ): void {
    const { store, logger } = this.options;
    void attempt
      .then(async () => {
        const id = answeredId();
        if (!id) return;
        const recorded = await store.outbox.markSentLate(message.id, id, conversationId);
        logger.info(
          { key: message.key, op: message.op },
          recorded ? 'delivery.late_answer_recorded' : 'delivery.late_answer_after_resend',
        );
      })
      .catch(() => undefined);
  }

  /**
   * The Bot Framework client retries 429 and 5xx itself, several times, inside one call: that would hide
   * throttling from this worker (which pauses all sending) and hold the worker for half a minute. This turn's
   * client is made for this one proactive send, so its retry phase is removed and the outbox's retries apply.
   */
  private withoutClientRetries(ctx: TurnContext): void {
    const adapter = ctx.adapter as CloudAdapter & { ConnectorClientKey?: symbol };
    const client = adapter.ConnectorClientKey
      ? (ctx.turnState.get(adapter.ConnectorClientKey) as {
          client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } };
        })
      : undefined;
    client?.client?.pipeline?.removePolicy({ phase: 'Retry' });
  }

  private async send(
    ctx: TurnContext,
    message: ClaimedMessage,
    targetActivityId: string | undefined,
    sent: (id: string) => void,
  ): Promise<void> {
    this.withoutClientRetries(ctx);
    // The worker stops waiting after sendTimeoutMs either way; the HTTP call itself may run until lateAnswerMs
    // so that a late answer can still be recorded (recordLateAnswer).
    const adapter = ctx.adapter as CloudAdapter & { ConnectorClientKey?: symbol };
    if (this.lateAnswerMs && adapter.ConnectorClientKey)
      withConnectorTimeout(ctx.turnState.get(adapter.ConnectorClientKey), this.lateAnswerMs, {
        replace: true,
        abortSignal: this.closing.signal,
      });
    if (message.op === 'update') {
      await ctx.updateActivity({ ...activityOf(message.content!), id: targetActivityId });
      sent(targetActivityId ?? '');
      return;
    }
    // A proactive turn's activity has a made-up id, which botbuilder would send as replyToId (a reply to a
    // message that does not exist). A new message — or a reply addressed by ";messageid=" — has none.
    ctx.onSendActivities(async (_c, activities, next) => {
      activities.forEach((a) => delete a.replyToId);
      return next();
    });
    const res = await ctx.sendActivity(activityOf(message.content!));
    sent(res?.id ?? '');
  }

  /**
   * Reschedules with backoff, and not sooner than Retry-After or `minDelayMs`, or, after the last try, marks it
   * failed. Returns until when the conversation's later messages wait (the backoff, without `minDelayMs`).
   */
  private async retryOrFail(
    message: ClaimedMessage,
    reason: string,
    retryAfterMs: number | undefined,
    minDelayMs = 0,
  ): Promise<false | number> {
    const { store, logger } = this.options;
    if (message.attempts + 1 >= this.maxAttempts) {
      await store.outbox.markFailed(message.id, reason);
      logger.warn({ key: message.key, attempts: message.attempts + 1, reason }, 'delivery.gave_up');
      return false;
    }
    const backoff = Math.max(retryAfterMs ?? 0, this.backoff(message.attempts));
    const delay = Math.max(backoff, minDelayMs);
    const due = new Date(this.now().getTime() + delay);
    await store.outbox.markRetry(message.id, reason, due);
    logger.info(
      { key: message.key, attempt: message.attempts + 1, reason, delayMs: delay },
      'delivery.retry_scheduled',
    );
    // Later messages of the conversation wait for the backoff only, not for a late-answer window: one slow call
    // must not hold a conversation (the managers' channel) for half a minute.
    return Date.now() + backoff;
  }

  /**
   * Opens a 1:1 chat with someone the bot has only seen in a channel (createConversation), and stores it as
   * their personal conversation. Undefined when the bot has never seen them anywhere.
   */
  private async openPersonalChat(key: string): Promise<StoredConversation | undefined> {
    const { store, adapter, appId, logger } = this.options;
    const aad = key.slice('user:'.length);
    const member = await store.conversations.get(`member:${aad}`);
    if (!member) return undefined;
    const ref = member.reference as Partial<ConversationReference> & { conversation?: { tenantId?: string } };
    if (!ref.serviceUrl || !ref.user?.id) return undefined;
    const tenantId = ref.conversation?.tenantId;
    let created: Partial<ConversationReference> | undefined;
    await adapter.createConversationAsync(
      appId,
      'msteams',
      ref.serviceUrl,
      '',
      {
        isGroup: false,
        bot: ref.bot as ConversationReference['bot'],
        members: [{ id: ref.user.id, name: '' }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as never,
      async (ctx) => {
        created = TurnContext.getConversationReference(ctx.activity);
      },
    );
    if (!created?.conversation?.id) return undefined;
    const reference = {
      ...created,
      activityId: undefined,
      user: ref.user,
      conversation: { ...created.conversation, conversationType: 'personal', tenantId },
    };
    await store.conversations.save(key, reference as Record<string, unknown>, { kind: 'personal', aadObjectId: aad });
    logger.info({ key }, 'delivery.chat_opened');
    return store.conversations.get(key);
  }

  /** Where a message goes: the stored conversation, a thread in it, or an earlier message to replace. */
  private async target(
    message: ClaimedMessage,
    reference: Partial<ConversationReference>,
  ): Promise<{ reference: Partial<ConversationReference>; activityId?: string } | 'wait' | 'failed'> {
    const outbox = this.options.store.outbox;
    if (message.op === 'reply' && message.threadOf) {
      const root = await outbox.sentActivity(message.threadOf);
      if (!root) return (await outbox.dependencyFailed(message.threadOf)) ? 'failed' : 'wait';
      const base = String(root.conversationId ?? reference.conversation?.id ?? '').split(';')[0];
      return {
        reference: {
          ...reference,
          conversation: {
            ...(reference.conversation as object),
            id: `${base};messageid=${root.activityId}`,
          } as ConversationReference['conversation'],
        },
      };
    }
    if (message.op === 'update') {
      if (message.targetActivityId) return { reference, activityId: message.targetActivityId };
      if (!message.updates) return 'failed';
      const earlier = await outbox.sentActivity(message.updates);
      if (!earlier) return (await outbox.dependencyFailed(message.updates)) ? 'failed' : 'wait';
      const conversationId = earlier.conversationId ?? reference.conversation?.id;
      return {
        reference: {
          ...reference,
          conversation: {
            ...(reference.conversation as object),
            id: conversationId,
          } as ConversationReference['conversation'],
        },
        activityId: earlier.activityId,
      };
    }
    return { reference };
  }
}
