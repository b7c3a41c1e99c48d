/**
 * What the end-to-end tests share: the real bot (src/index.ts, local mode, loopback only, a throwaway data
 * folder) behind the Microsoft 365 Agents Playground (started exactly as `npm run playground` starts it), and one
 * headless Debian Chromium session driving the playground's web UI.
 *
 * Each test file calls `startE2E()` once in beforeAll and `stop()` in afterAll: one bot, one playground and one
 * browser per file.
 *
 * Skipped with a note when /usr/bin/chromium is missing, except under CI, where .ci/install-system-deps.sh
 * installs it: there a missing browser fails the run instead of passing quietly.
 * Nothing leaves the machine: the browser's requests to other hosts are aborted (the UI asks a CDN for fonts),
 * the bot runs with the test suite's loopback-only socket guard, and the playground refuses and records any
 * outbound connection (`outboundAttempts()`), which the tests assert never happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { portIsFree, ROOT, startPlayground, waitForHttp } from '../../scripts/playground';

export { ROOT };
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where the screenshots go. */
export const RESULTS_DIR = path.join(ROOT, 'test-results');
/** Sam Carter, the playground's current user (made an administrator so the tests can set the managers' channel). */
export const PLAYGROUND_USER_AAD_ID = '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f';

export const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: CI must install it first (bash .ci/install-system-deps.sh)`);
}
export const describeIfBrowser = haveBrowser ? describe : describe.skip;

export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found');
}

export interface Child {
  name: string;
  proc: ChildProcess;
  logs: string[];
}

/** Spawned in its own process group (tsx starts a grandchild), so the whole group can be stopped. */
function spawnLogged(name: string, dir: string, start: (stdio: ['ignore', number, number]) => ChildProcess): Child {
  const out = path.join(dir, `${name}.out.log`);
  const err = path.join(dir, `${name}.err.log`);
  const proc = start(['ignore', fs.openSync(out, 'w'), fs.openSync(err, 'w')]);
  return { name, proc, logs: [out, err] };
}

function exitReason(child: Child): string | undefined {
  const { exitCode, signalCode } = child.proc;
  if (exitCode === null && signalCode === null) return undefined;
  return `${child.name} exited (${signalCode ?? `code ${exitCode}`})\n${tails(child)}`;
}

/** The last lines of each child's logs, for a failure message. */
export function tails(...children: (Child | undefined)[]): string {
  const parts: string[] = [];
  for (const child of children) {
    for (const file of child?.logs ?? []) {
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8').trim();
      if (text) parts.push(`--- ${path.basename(file)} (last lines)\n${text.split('\n').slice(-15).join('\n')}`);
    }
  }
  return parts.join('\n');
}

async function stopGroup(child: Child | undefined): Promise<void> {
  const proc = child?.proc;
  if (!proc?.pid) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // the group is gone
    }
  };
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    signalGroup('SIGTERM');
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([exited, timer]);
  }
  signalGroup('SIGKILL'); // leftovers of the group (a grandchild that ignored SIGTERM)
}

export interface E2E {
  /** The throwaway folder: logs, the Chromium profile and the bot's data. */
  tmp: string;
  /** The bot's DATA_DIR (its SQLite file is `keepsafe.sqlite` in it). */
  dataDir: string;
  bot: Child;
  playground: Child;
  context: BrowserContext;
  /** The playground's web UI. */
  uiUrl: string;
  /** Hosts the browser asked for and was refused (the fonts CDN). */
  blockedByBrowser: Set<string>;
  /** Hosts the playground tried to reach (should be none). */
  outboundAttempts(): string;
  /** The browser's page (the first one, or a new one). */
  page(): Promise<Page>;
  /** Mark the run failed: its folder is kept for the logs. */
  fail(): void;
  /** The last lines of the bot's and the playground's logs. */
  tails(): string;
  stop(): Promise<void>;
}

export interface E2EOptions {
  /** Extra environment for the bot (over the test defaults). */
  botEnv?: NodeJS.ProcessEnv;
  /** Prefix of the throwaway folder's name. */
  name?: string;
}

/** Starts the bot, the playground in front of it and a headless Chromium session. Call `stop()` in afterAll. */
export async function startE2E(opts: E2EOptions = {}): Promise<E2E> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${opts.name ?? 'keepsafe-e2e'}-`));
  const dataDir = path.join(tmp, 'data');
  let bot: Child | undefined;
  let playground: Child | undefined;
  let context: BrowserContext | undefined;
  const blockedByBrowser = new Set<string>();
  let failed = false;
  const outboundLog = path.join(tmp, 'playground-outbound.log');

  const stop = async () => {
    await context?.close().catch(() => undefined);
    await stopGroup(playground);
    await stopGroup(bot);
    if (failed) process.stderr.write(`[e2e] logs kept in ${tmp}\n`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const botPort = await freePort();
    // The real bot, in local mode, on loopback, with a throwaway data folder. KEEPSAFE_ENV points at an env file
    // that does not exist, so a developer's env/.env.local cannot change the run.
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const noNetwork = pathToFileURL(path.join(ROOT, 'tests/setup/no-network.ts')).href;
    bot = spawnLogged('bot', tmp, (stdio) =>
      spawn(process.execPath, ['--import', tsx, '--import', noNetwork, path.join(ROOT, 'src/index.ts')], {
        cwd: ROOT,
        detached: true,
        stdio,
        env: {
          ...process.env,
          KEEPSAFE_ENV: 'e2e-none',
          NODE_ENV: 'test',
          PORT: String(botPort),
          HOST: '',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          MicrosoftAppId: '',
          MicrosoftAppPassword: '',
          MicrosoftAppTenantId: '',
          ALLOWED_TENANT_IDS: '',
          // Sam (the playground's current user) may choose the managers' channel, so a test can set one up.
          ADMIN_AAD_IDS: PLAYGROUND_USER_AAD_ID,
          DELIVERY_POLL_MS: '200',
          DATABASE_URL: '',
          ...opts.botEnv,
        },
      }),
    );
    await waitForHttp(`http://127.0.0.1:${botPort}/healthz`, 60_000, () => exitReason(bot!));

    const uiPort = await freePort();
    playground = spawnLogged('playground', tmp, (stdio) =>
      startPlayground(
        {
          botEndpoint: `http://127.0.0.1:${botPort}/api/messages`,
          port: uiPort,
          logFile: path.join(tmp, 'playground-app.log'),
          outboundLog,
        },
        { cwd: tmp, detached: true, stdio },
      ),
    );
    playground.logs.push(path.join(tmp, 'playground-app.log'));
    const uiUrl = `http://127.0.0.1:${uiPort}/`;
    await waitForHttp(uiUrl, 30_000, () => exitReason(playground!));

    // One browser session, with a fresh profile of its own.
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 1100 },
    });
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
      blockedByBrowser.add(hostname);
      return route.abort();
    });
    fs.mkdirSync(RESULTS_DIR, { recursive: true });

    const ctx = context;
    const b = bot;
    const p = playground;
    return {
      tmp,
      dataDir,
      bot: b,
      playground: p,
      context: ctx,
      uiUrl,
      blockedByBrowser,
      outboundAttempts: () => (fs.existsSync(outboundLog) ? fs.readFileSync(outboundLog, 'utf8').trim() : ''),
      page: async () => ctx.pages()[0] ?? (await ctx.newPage()),
      fail: () => {
        failed = true;
      },
      tails: () => tails(b, p),
      stop,
    };
  } catch (err) {
    failed = true;
    await stop();
    throw err;
  }
}

// ---- driving the playground ---------------------------------------------------------------------------------

/** The chat's message box (a Lexical editor). */
export function composer(page: Page) {
  return page.locator('[role="textbox"][data-lexical-editor="true"]').first();
}

/** Opens the personal chat with the bot and sends `text` as Sam. */
export async function sendInPersonalChat(page: Page, text: string): Promise<void> {
  await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
  await composer(page).click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

/**
 * Sam, an administrator in these tests, makes the "Managers escalations" channel the managers' channel. In a
 * channel the bot hears only what mentions it: "@" opens the mention picker, and a channel starts a new post.
 */
export async function setManagersChannel(page: Page): Promise<void> {
  await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
  await composer(page).click();
  await page.keyboard.type('@Keep');
  await page.getByText('KeepSafe', { exact: true }).last().click();
  await page.keyboard.type(' set as managers channel');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page
    .locator('.ac-adaptiveCard', { hasText: "This is now the managers' channel" })
    .last()
    .waitFor({ timeout: 30_000 });
}

/**
 * Picks a day in Teams' own calendar (the playground's Input.Date): opens the picker under `input` and presses
 * the day's button, going back a month first when the day is in the previous one.
 */
export async function pickDate(page: Page, input: ReturnType<Page['locator']>, day: Date): Promise<void> {
  await input.click();
  const name = `${day.getDate()}, ${day.toLocaleString('en-GB', { month: 'long' })}, ${day.getFullYear()}`;
  if (day.getMonth() !== new Date().getMonth())
    await page
      .getByRole('button', { name: /previous month/i })
      .first()
      .click();
  await page
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .first()
    .click();
}

/** A screenshot into test-results/, returning its path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  const file = path.join(RESULTS_DIR, name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Chooses `option` in a compact choice set (Input.ChoiceSet style "compact": the playground's dropdown). */
export async function pickOption(page: Page, combobox: ReturnType<Page['locator']>, option: string): Promise<void> {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Picks a time in Teams' time picker (the playground's Input.Time): its list has every half hour, e.g. "10:30 AM". */
export async function pickTime(page: Page, input: ReturnType<Page['locator']>, option: string): Promise<void> {
  await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
