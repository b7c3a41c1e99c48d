/**
 * `npm run migrate`: brings the database (DATABASE_URL, or the SQLite file in DATA_DIR) to the latest schema.
 * The bot also does this at start-up; running it twice, or from two machines at once, is safe.
 */
import { loadEnvFile, parseConfig } from '../config';
import { openStore } from '../storage/store';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
  process.stdout.write(`Database is up to date (${store.engine}).\n`);
  await store.close();
}

main().catch((err) => {
  process.stderr.write(`Migration failed: ${(err as Error).message}\n`);
  process.exit(1);
});
