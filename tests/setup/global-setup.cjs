/**
 * Runs once before the whole test run (jest.config.js, globalSetup) and says, in one line each, which of the
 * optional suites run:
 *   - PostgreSQL: TEST_DATABASE_URL if set; otherwise the local server at 127.0.0.1:5432 (database `test`) when
 *     it answers within two seconds. KEEPSAFE_TEST_NO_POSTGRES=1 switches the PostgreSQL suites off.
 *   - Chromium (the Agents Playground end-to-end suites): /usr/bin/chromium.
 * What it finds is passed to the test workers through the environment.
 */
const fs = require('node:fs');
const { Client } = require('pg');

const LOCAL_DB = 'postgres://postgres@127.0.0.1:5432/test';
const CHROMIUM = '/usr/bin/chromium';

async function reachable(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = async function globalSetup() {
  const say = (line) => process.stderr.write(`${line}\n`);
  say('');
  if (process.env.KEEPSAFE_TEST_NO_POSTGRES === '1') {
    delete process.env.TEST_DATABASE_URL;
    say('[tests] PostgreSQL suites SKIPPED: KEEPSAFE_TEST_NO_POSTGRES=1');
  } else if (process.env.TEST_DATABASE_URL) {
    say('[tests] PostgreSQL suites run against TEST_DATABASE_URL');
  } else if (await reachable(LOCAL_DB)) {
    process.env.TEST_DATABASE_URL = LOCAL_DB;
    say(`[tests] PostgreSQL suites run against ${LOCAL_DB} (found running)`);
  } else {
    say(
      `[tests] PostgreSQL suites SKIPPED: nothing answers at ${LOCAL_DB} (set TEST_DATABASE_URL to use another server)`,
    );
  }
  if (fs.existsSync(CHROMIUM)) say(`[tests] Agents Playground end-to-end suites run (${CHROMIUM} found)`);
  else
    say(
      `[tests] Agents Playground end-to-end suites SKIPPED: ${CHROMIUM} is not installed (bash .ci/install-system-deps.sh)`,
    );
};
