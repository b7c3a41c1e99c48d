/**
 * `npm run audit:verify`: walks the audit trail's hash chain and reports the first broken link.
 * Exit code 0 when the chain verifies, 1 when it is broken, 2 when it could not be checked.
 * Uses the bot's settings (DATABASE_URL, or the SQLite file in DATA_DIR).
 */
import { loadEnvFile, parseConfig } from '../config';
import { openStore } from '../storage/store';

async function main(): Promise<number> {
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
  try {
    const started = performance.now();
    const report = await store.verifyAudit();
    const ms = Math.round(performance.now() - started);
    if (report.ok) {
      process.stdout.write(`Audit trail verified: ${report.checked} events, chain intact (${store.engine}, ${ms} ms).\n`);
      return 0;
    }
    process.stdout.write(`Audit trail BROKEN at event ${report.firstBrokenSeq}: ${report.reason}. ${report.checked} events before it verified.\n`);
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
