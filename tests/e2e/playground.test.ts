/**
 * End to end, as a worker sees it: the real bot (compiled-free, via tsx) behind the Microsoft 365 Agents
 * Playground, driven through its web UI in headless Chromium. Skipped with a note when /usr/bin/chromium is
 * missing, except in CI (where .ci/install-system-deps.sh installs it), so a missing browser never passes quietly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');
const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install it (.ci/install-system-deps.sh)`);
if (!haveBrowser) process.stderr.write(`e2e: skipped, ${CHROMIUM} not installed (run .ci/install-system-deps.sh)\n`);
const maybe = haveBrowser ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stopGroup(child?: ChildProcess): Promise<void> {
  if (!child || child.exitCode !== null || !child.pid) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000).unref();
  });
}

maybe('Agents Playground end to end', () => {
  jest.setTimeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-e2e-'));
  let bot: ChildProcess | undefined;
  let playground: ChildProcess | undefined;
  let browser: any;
  let uiUrl = '';

  beforeAll(async () => {
    const botPort = await freePort();
    const uiPort = await freePort();
    const log = (name: string) => fs.openSync(path.join(tmp, `${name}.log`), 'w');
    bot = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'src/index.ts')], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', log('bot'), log('bot-err')],
      env: { ...process.env, PORT: String(botPort), DATA_DIR: path.join(tmp, 'data'), LOG_LEVEL: 'warn', KEEPSAFE_ENV: 'e2e', MicrosoftAppId: '', DATABASE_URL: '' },
    });
    await waitFor(`http://127.0.0.1:${botPort}/healthz`, 30_000);
    playground = spawn(
      process.execPath,
      [require.resolve('@microsoft/m365agentsplayground/cli.js'), '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(uiPort), '--disable-telemetry'],
      {
        cwd: tmp,
        detached: true,
        stdio: ['ignore', log('playground'), log('playground-err')],
        env: {
          ...process.env,
          TEAMSAPPTESTER_BROWSER: 'none',
          M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(ROOT, '.m365agentsplayground.yml'),
          M365_AGENTS_PLAYGROUND_LOGFILE: path.join(tmp, 'playground-app.log'),
        },
      },
    );
    uiUrl = `http://127.0.0.1:${uiPort}/`;
    await waitFor(uiUrl, 30_000);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], // playwright gives each launch a fresh temporary profile
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopGroup(playground);
    await stopGroup(bot);
  });

  it('a worker asks a question in the personal chat and gets the answer card, full text and feedback', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The UI asks a CDN for fonts; nothing may leave the machine.
    await page.route('**/*', (route: any) => {
      const host = new URL(route.request().url()).hostname;
      return ['127.0.0.1', 'localhost'].includes(host) ? route.continue() : route.abort();
    });
    await page.goto(uiUrl, { waitUntil: 'domcontentloaded' });

    // Installing the app in the personal chat shows the welcome card.
    await page.locator('.ac-adaptiveCard', { hasText: 'Welcome to KeepSafe' }).first().waitFor({ timeout: 30_000 });

    const composer = page.locator('[role="textbox"][data-lexical-editor="true"]').first();
    await composer.click();
    await page.keyboard.type('someone on my caseload sent me a friend request on facebook what do i do');
    await page.getByRole('button', { name: 'Send Message' }).click();

    const answer = page.locator('.ac-adaptiveCard', { hasText: 'Section 2.2' }).last();
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.innerText()).toContain('Connect wisely');
    expect(await answer.innerText()).not.toContain('Many people have far more friends');

    await answer.getByRole('button', { name: 'Read the full section' }).click();
    await expect(answer.innerText()).resolves.toContain('Many people have far more friends on social media');

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e-answer.png') });

    // "Was this helpful?" is an Action.Execute: the card is replaced in place by the thanks.
    await answer.getByRole('button', { name: 'Yes' }).click();
    await page.locator('.ac-adaptiveCard', { hasText: 'Thanks for your feedback!' }).last().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e-feedback.png') });
    await page.close();
  });
});
