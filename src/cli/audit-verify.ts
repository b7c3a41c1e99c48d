/**
 * `npm run audit:verify`: walks the audit trail's hash chain, then checks every entry against the event that
 * vouches for it, and reports the first broken link.
 * Exit code 0 when everything verifies, 1 when something is broken, 2 when it could not be checked.
 * Uses the bot's settings (DATABASE_URL, or the SQLite file in DATA_DIR).
 */
import { loadEnvFile, parseConfig } from '../config';
import { storeOptionsFrom } from '../storage/storeOptions';
import { openStore } from '../storage/store';

async function main(): Promise<number> {
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore(storeOptionsFrom(config));
  try {
    const started = performance.now();
    const report = await store.verifyAudit();
    const ms = Math.round(performance.now() - started);
    if (report.ok) {
      process.stdout.write(
        `Audit trail verified: ${report.checked} events, chain intact, every entry matches (${store.engine}, ${ms} ms).\n`,
      );
      return 0;
    }
    const where =
      report.firstBrokenId !== undefined
        ? `at event ${report.firstBrokenId}`
        : report.recordId
          ? `at entry ${report.recordId}`
          : 'in the entry counts';
    process.stdout.write(
      `Audit trail BROKEN ${where}: ${report.reason}. ${report.checked} events verified before it.\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`Could not verify the audit trail: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
