/**
 * Entry point: read settings, wire the app, listen, stop cleanly. Nothing else happens here.
 */
import { loadEnvFile, parseConfig } from './config';
import { ConfigError, KeepSafeError } from './errors';
import { createLogger } from './logger';
import { createApp } from './app';
import { installProcessGuard } from './server';
import { warmUp as warmUpIdentifierCheck } from './core/pii';

/** How long after listening the identifier check's word lists are loaded. */
const WARM_UP_AFTER_MS = 3000;

async function main(): Promise<void> {
  let config;
  try {
    loadEnvFile();
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`KeepSafe cannot start. ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  installProcessGuard(logger);
  logger.info(
    config.localMode
      ? { mode: 'local', auth: 'off', host: config.host, port: config.port }
      : { mode: 'teams', auth: 'on', appType: config.bot.appType, host: config.host, port: config.port },
    config.localMode
      ? `starting in LOCAL MODE: no Bot Framework authentication, so listening on ${config.host} only`
      : 'starting with Bot Framework authentication',
  );
  let app;
  try {
    app = await createApp(config, logger);
  } catch (err) {
    const message = err instanceof KeepSafeError || err instanceof Error ? err.message : String(err);
    logger.fatal({ code: err instanceof KeepSafeError ? err.code : 'STARTUP_FAILED' }, 'startup.failed');
    process.stderr.write(`KeepSafe cannot start. ${message}\n`);
    process.exit(1);
  }
  const { url } = await app.start();
  logger.info({ url: `${url}/api/messages`, storage: app.storageEngine }, 'listening');
  // The identifier check's name lists load a little after the bot is listening and healthy, not before (about
  // 0.4 s of CPU); a check that comes sooner loads them itself.
  setTimeout(warmUpIdentifierCheck, WARM_UP_AFTER_MS).unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, deadlineMs: config.shutdownDeadlineMs }, 'stopping');
    // Whatever happens inside stop(), the process is gone by the deadline (plus a moment to write the log).
    const hardStop = setTimeout(() => {
      logger.warn({ signal }, 'stopped.deadline');
      process.exit(0);
    }, config.shutdownDeadlineMs + 1500);
    hardStop.unref();
    try {
      await app.stop(config.shutdownDeadlineMs);
    } catch (err) {
      logger.warn({ code: (err as { code?: string })?.code ?? 'STOP_FAILED' }, 'stop.failed');
    }
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    logger.error(
      { code: 'UNHANDLED_REJECTION', err: { type: (reason as Error)?.name, stack: (reason as Error)?.stack } },
      'process.unhandled_rejection',
    );
  });
}

void main();
