/**
 * Wires KeepSafe together: content and engine, record store, Teams layer, HTTP server.
 */
import type { Config } from './config';
import { loadGuidanceContent } from './core/guidance/content';
import { GuidanceEngine } from './core/guidance/engine';
import { ErrorCodes } from './errors';
import type { Logger } from './logger';
import { closeServer, createServer, listen } from './server';
import { openStore, type RecordStore } from './storage/store';
import { createAdapter, processActivityRequest, type AdapterOptions } from './teams/adapter';
import { KeepSafeBot } from './teams/bot';
import { loadAllTemplates, renderCard } from './features/cardRender';
import { sendCard } from './teams/replies';
import { ManagerDirectory } from './teams/managers';
import { compileCaseRefPattern } from './core/records/caseRef';
import { retentionPolicy } from './core/records/kinds';
import { DeliveryWorker } from './teams/delivery';
import { managersChannel } from './features/admin/managersChannel';
import { queueDueReminders } from './features/reminders';
import { storeFeedback } from './features/guidance/feedback';

const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface App {
  start(): Promise<{ url: string; port: number }>;
  /**
   * Stops within the shutdown deadline: no new connections, requests in flight and sends under way get what is
   * left of it, then connections are closed; unsent messages stay in the outbox for the next start.
   */
  stop(deadlineMs?: number): Promise<void>;
  readonly storageEngine: string;
  readonly store: RecordStore;
  readonly engine: GuidanceEngine;
  readonly delivery: DeliveryWorker;
}

export interface AppOverrides {
  credentialsFactory?: AdapterOptions['credentialsFactory'];
  /** PostgreSQL schema (tests). */
  databaseSchema?: string;
}

export async function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const content = loadGuidanceContent(config.contentDir);
  for (const notice of content.notices ?? []) logger.warn({ notice }, 'content.notice');
  const engine = new GuidanceEngine(content);
  // The nearest section of a question the engine declines, for the content-gap report and the ask-a-manager card.
  const nearestSection = (question: string) => engine.nearestSection(question);
  loadAllTemplates();
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: overrides.databaseSchema ?? config.databaseSchema,
    caseRefPattern: config.caseRefPattern,
    logger,
  });
  const adapter = createAdapter(config, logger, {
    credentialsFactory: overrides.credentialsFactory,
    onTurnFailure: (context, reference) =>
      sendCard(context, renderCard('error', { message: ErrorCodes.INTERNAL, reference })),
  });
  const managers = new ManagerDirectory({
    configuredIds: config.managers.aadObjectIds,
    adminIds: config.managers.adminAadObjectIds,
    channel: () => managersChannel({ store }, config.managers.channel),
    logger,
  });
  const delivery = new DeliveryWorker({
    store,
    adapter,
    appId: config.bot.appId,
    logger,
    pollMs: config.deliveryPollMs,
    maxAttempts: config.deliveryMaxAttempts,
    baseDelayMs: config.deliveryRetryBaseMs,
    concurrency: config.deliveryConcurrency,
    // Each connector call has its own timeout (the adapter's); this bounds a whole send, token and all.
    sendTimeoutMs: config.connectorTimeoutMs + 1000,
    lateAnswerMs: config.deliveryLateAnswerMs,
  });
  const bot = new KeepSafeBot({
    logger,
    store,
    managers,
    caseRefPattern: compileCaseRefPattern(config.caseRefPattern),
    features: { reportIncident: true, photoDecision: true },
    managersChannelFromConfig: config.managers.channel,
    nudgeDelivery: () => delivery.nudge(),
    guidance: engine,
    allowedTenantIds: config.allowedTenantIds,
    files: { timeoutMs: config.connectorTimeoutMs, localMode: config.localMode },
    gapDays: retentionPolicy(config.retentionDays).guidance_gap,
    nearestSection,
    safety: config.safety,
    feedback: storeFeedback(store, engine.document.version),
  });
  const server = createServer({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    handleActivity: (body, authHeader) =>
      processActivityRequest(adapter, logger, body, authHeader, (context) => bot.run(context), {
        localMode: config.localMode,
      }),
    health: async () => {
      const database = await store.health();
      return { ok: database.ok, mode: config.localMode ? 'local' : 'teams', database };
    },
  });

  // Retention runs once a day in the running bot (and on demand with `npm run retention`).
  const timers: NodeJS.Timeout[] = [];
  const runRetention = async () => {
    try {
      const deleted = await store.runRetention(new Date(), config.retentionDays);
      logger.info({ deleted }, 'retention.ran');
    } catch (err) {
      logger.error({ code: (err as { code?: string }).code ?? 'RETENTION_FAILED' }, 'retention.failed');
    }
  };

  return {
    storageEngine: store.engine,
    store,
    delivery,
    engine,
    async start() {
      const address = await listen(server, config.port, config.host);
      if (
        !config.managers.channel &&
        config.managers.aadObjectIds.length === 0 &&
        config.managers.adminAadObjectIds.length === 0
      ) {
        // First set-up: without these nobody can choose the managers' channel from Teams.
        logger.warn(
          {
            code: 'NO_MANAGERS_CONFIGURED',
            settings: ['MANAGER_AAD_IDS', 'ADMIN_AAD_IDS', 'MANAGERS_TEAM_ID', 'MANAGERS_CHANNEL_ID'],
          },
          'setup.no_managers_configured',
        );
      }
      timers.push(
        setTimeout(() => void runRetention(), 60_000).unref(),
        setInterval(() => void runRetention(), RETENTION_INTERVAL_MS).unref(),
      );
      // Proactive messages: the delivery worker, and a once-a-minute check for urgent incidents nobody has acknowledged.
      delivery.start();
      const reminders = {
        store,
        logger,
        urgentAckMinutes: config.managers.urgentAckMinutes,
        dutyManagerAadObjectId: config.managers.dutyManagerAadObjectId,
      };
      timers.push(
        setInterval(() => {
          queueDueReminders(reminders)
            .then((n) => (n > 0 ? delivery.nudge() : undefined))
            .catch((err) =>
              logger.warn({ code: (err as { code?: string }).code ?? 'REMINDERS_FAILED' }, 'reminders.failed'),
            );
        }, 60_000).unref(),
      );
      return address;
    },
    async stop(deadlineMs = config.shutdownDeadlineMs) {
      const started = Date.now();
      timers.forEach((t) => clearTimeout(t));
      // The server and the worker wind down side by side, both within the deadline.
      const [inTime] = await Promise.all([closeServer(server, deadlineMs), delivery.stop(deadlineMs)]);
      if (!inTime) logger.warn({ deadlineMs }, 'shutdown.requests_cut_off');
      await Promise.race([
        store.close(),
        new Promise((r) => setTimeout(r, Math.max(500, deadlineMs - (Date.now() - started))).unref()),
      ]);
    },
  };
}
