/**
 * `npm run retention`: deletes entries older than their kind's retention period (RETENTION_DAYS_<KIND>),
 * leaving an audit event per kind that says how many went, not what they said. The running bot does the same
 * once a day. Exit 0 on success, 1 on failure.
 */
import { loadEnvFile, parseConfig } from '../config';
import { retentionPolicy } from '../core/records/kinds';
import { storeOptionsFrom } from '../storage/storeOptions';
import { openStore } from '../storage/store';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore(storeOptionsFrom(config));
  try {
    const deleted = await store.runRetention(new Date());
    const policy = retentionPolicy(config.retentionDays);
    const lines = Object.entries(deleted).map(
      ([kind, n]) => `  ${kind}: ${n} (older than ${policy[kind as keyof typeof policy]} days)`,
    );
    process.stdout.write(
      lines.length
        ? `Deleted expired entries:\n${lines.join('\n')}\n`
        : 'No entries have passed their retention period.\n',
    );
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Retention did not run: ${(err as Error).message}\n`);
  process.exit(1);
});
