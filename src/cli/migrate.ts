/**
 * `npm run migrate`: brings the database (DATABASE_URL, or the SQLite file in DATA_DIR) to the latest schema.
 * The bot also does this at start-up; running it twice, or from two machines at once, is safe.
 * Exit 0 when up to date, 1 when it failed, 2 when the database could not be reached.
 */
import { loadEnvFile, parseConfig } from '../config';
import { StoreUnavailableError } from '../storage/errors';
import { storeOptionsFrom } from '../storage/storeOptions';
import { openStore } from '../storage/store';

async function main(): Promise<number> {
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore(storeOptionsFrom(config));
  process.stdout.write(`Database is up to date (${store.engine}).\n`);
  await store.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`Migration failed: ${(err as Error).message}\n`);
    process.exit(err instanceof StoreUnavailableError ? 2 : 1);
  },
);
