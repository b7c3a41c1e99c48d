/** Store options from the bot's parsed settings (src/config.ts), for the CLI commands. */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { StoreOptions } from './types';

export function storeOptionsFrom(config: Config, logger?: Logger): StoreOptions {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
    caseRefPattern: config.caseRefPattern,
    retentionDays: config.retentionDays,
    logger,
  };
}
