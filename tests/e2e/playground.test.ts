/**
 * End to end, as a worker sees it: the real bot behind the Microsoft 365 Agents Playground (started exactly as
 * `npm run playground` starts it), driven through the playground's web UI in headless Chromium.
 *
 * Skipped with a note when /usr/bin/chromium is missing, except under CI, where .ci/install-system-deps.sh
 * installs it: there a missing browser fails the run instead of passing quietly.
 * Nothing leaves the machine: the browser's requests to other hosts are aborted (the UI asks a CDN for fonts),
 * the bot runs with the test suite's loopback-only socket guard, and the playground refuses and records any
 * outbound connection, which the test asserts never happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { portIsFree, ROOT, startPlayground, waitForHttp } from '../../scripts/playground';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const QUESTION = 'someone on my caseload sent me a friend request on facebook what do i do';
/** What the engine answers for QUESTION (`npm run --silent ask -- --json "..."` → report_incident, 2.2). */
const EXPECTED_SECTION = '2.2';
/** From section 2.2 of the council's guidance: only in the full text, not in the key points. */
const FULL_TEXT_SENTENCE = 'Many people have far more friends on social media than they know personally';
const SCREENSHOT = path.join(ROOT, 'test-results', 'e2e-answer.png');

const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: CI must install it first (bash .ci/install-system-deps.sh)`);
}
if (!haveBrowser) {
  process.stderr.write(`\n[e2e] SKIPPED: ${CHROMIUM} is not installed. Run: bash .ci/install-system-deps.sh\n\n`);
}
const describeIfBrowser = haveBrowser ? describe : describe.skip;

async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found');
}

interface Child {
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

function tails(...children: (Child | undefined)[]): string {
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

describeIfBrowser('Agents Playground end to end (headless Chromium)', () => {
  let tmp = '';
  let bot: Child | undefined;
  let playground: Child | undefined;
  let context: BrowserContext | undefined;
  let uiUrl = '';
  let outboundLog = '';
  const blockedByBrowser = new Set<string>();
  let failed = false;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keepsafe-e2e-'));
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
          DATA_DIR: path.join(tmp, 'data'),
          LOG_LEVEL: 'warn',
          MicrosoftAppId: '',
          MicrosoftAppPassword: '',
          MicrosoftAppTenantId: '',
          ALLOWED_TENANT_IDS: '',
          // Sam (the playground's current user) may choose the managers' channel, so the test can set one up.
          ADMIN_AAD_IDS: '8f4c1d9e-3b7a-4c1e-9f2d-1a2b3c4d5e6f',
          DELIVERY_POLL_MS: '200',
          DATABASE_URL: '',
        },
      }),
    );
    await waitForHttp(`http://127.0.0.1:${botPort}/healthz`, 60_000, () => exitReason(bot!));

    const uiPort = await freePort();
    outboundLog = path.join(tmp, 'playground-outbound.log');
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
    uiUrl = `http://127.0.0.1:${uiPort}/`;
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
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stopGroup(playground);
    await stopGroup(bot);
    if (failed) process.stderr.write(`[e2e] logs kept in ${tmp}\n`);
    else if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  it('a worker asks in the personal chat and gets the right section, its full text and the feedback buttons', async () => {
    const page: Page = context!.pages()[0] ?? (await context!.newPage());
    try {
      await page.goto(uiUrl, { waitUntil: 'domcontentloaded' });

      // The personal chat with the bot; installing the app there shows the welcome card.
      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      await page.locator('.ac-adaptiveCard', { hasText: /welcome/i }).first().waitFor({ timeout: 30_000 });

      const composer = page.locator('[role="textbox"][data-lexical-editor="true"]').first();
      await composer.click();
      await page.keyboard.type(QUESTION);
      await page.getByRole('button', { name: 'Send Message' }).click();

      // An answer card carries a text block that reads exactly "Section <number>".
      const sectionLine = /^\s*Section (\d+(?:\.\d+)*)\s*$/;
      const answer = page
        .locator('.ac-adaptiveCard')
        .filter({ has: page.locator('.ac-textBlock').filter({ hasText: sectionLine }) })
        .last();
      await answer.waitFor({ timeout: 30_000 });
      const heading = await answer.locator('.ac-textBlock').filter({ hasText: sectionLine }).first().innerText();
      expect(sectionLine.exec(heading)?.[1]).toBe(EXPECTED_SECTION);

      // The full text is behind the toggle: hidden first, shown after the click.
      const fullText = answer.getByText(FULL_TEXT_SENTENCE);
      expect(await fullText.isVisible()).toBe(false);
      await answer.getByRole('button', { name: 'Read the full section' }).click();
      await fullText.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await answer.getByRole('button', { name: 'Yes' }).isVisible()).toBe(true);

      await fullText.scrollIntoViewIfNeeded();
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });

      // "Was this helpful?" is an Action.Execute: the playground replaces the card in place with the thanks.
      await answer.getByRole('button', { name: 'Yes' }).click();
      await page.locator('.ac-adaptiveCard', { hasText: /thank/i }).last().waitFor({ timeout: 20_000 });

      // Nothing but the fonts CDN was refused to the browser, and the playground never tried to go out.
      expect(fs.existsSync(outboundLog) ? fs.readFileSync(outboundLog, 'utf8').trim() : '').toBe('');
    } catch (err) {
      failed = true;
      const failure = path.join(ROOT, 'test-results', 'e2e-failure.png');
      await page.screenshot({ path: failure }).catch(() => undefined);
      const blocked = [...blockedByBrowser].join(', ') || 'none';
      (err as Error).message += `\n\nScreenshot: ${failure}\nBrowser requests aborted to: ${blocked}\n${tails(bot, playground)}`;
      throw err;
    }
  }, 90_000);

  it('a worker reports an incident: the report card renders with its inputs, and a finished report comes back as the confirmation', async () => {
    const page: Page = context!.pages()[0] ?? (await context!.newPage());
    try {
      await page.goto(uiUrl, { waitUntil: 'domcontentloaded' });
      // An administrator makes "Managers escalations" the managers' channel.
      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const channelComposer = page.locator('[role="textbox"][data-lexical-editor="true"]').first();
      await channelComposer.click();
      // In a channel the bot hears only what mentions it: "@" opens the mention picker.
      await page.keyboard.type('@Keep');
      await page.getByText('KeepSafe', { exact: true }).last().click();
      await page.keyboard.type(' set as managers channel');
      await page.getByRole('button', { name: 'Post', exact: true }).click(); // a channel starts a new post
      await page.locator('.ac-adaptiveCard', { hasText: "This is now the managers' channel" }).last().waitFor({ timeout: 30_000 });

      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      const composer = page.locator('[role="textbox"][data-lexical-editor="true"]').first();
      await composer.click();
      await page.keyboard.type('report an incident');
      await page.getByRole('button', { name: 'Send Message' }).click();
      const form = page.locator('.ac-adaptiveCard', { hasText: 'Tell us what happened' }).last();
      await form.waitFor({ timeout: 30_000 });
      await form.getByRole('radio', { name: 'My account was hacked or someone is pretending to be me' }).check();
      await form.locator('textarea').first().fill('Someone logged into my Instagram last night and posted as me.');
      // The date picker is Teams' own calendar: open it and pick yesterday (any past day will do).
      await form.getByPlaceholder('Select a date...').click();
      const yesterday = new Date(Date.now() - 86_400_000);
      const day = `${yesterday.getDate()}, ${yesterday.toLocaleString('en-GB', { month: 'long' })}, ${yesterday.getFullYear()}`;
      if (yesterday.getMonth() !== new Date().getMonth()) await page.getByRole('button', { name: /previous month/i }).first().click();
      await page.getByRole('button', { name: new RegExp(`^${day}`) }).first().click();
      await form.getByRole('radio', { name: 'Medium: in the next working day' }).check();
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'playground-incident-form.png'), fullPage: true });
      await form.getByRole('button', { name: 'Check and send' }).click();
      const confirmation = page.locator('.ac-adaptiveCard', { hasText: 'Incident reported' }).last();
      await confirmation.waitFor({ timeout: 30_000 });
      expect(await confirmation.innerText()).toMatch(/KS-[0-9A-F]{8}[\s\S]*Change your passwords now/);
      await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'playground-incident-confirmed.png'), fullPage: true });

      // The managers see it in their channel as an escalation card, with the worker's text but no more.
      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const escalation = page.locator('.ac-adaptiveCard', { hasText: 'Account hacked or impersonated' }).last();
      await escalation.waitFor({ timeout: 30_000 });
      const shown = await escalation.innerText();
      expect(shown).toMatch(/Urgency[\s\S]*Medium/);
      expect(shown).toMatch(/\(time not given\)/); // no time was picked: none is made up
      expect(shown).toMatch(/Reported by[\s\S]*Sam Carter/);
      expect(await escalation.getByRole('button', { name: 'Acknowledge' }).isVisible()).toBe(true);
      await escalation.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'playground-escalation.png'), fullPage: true });
    } catch (err) {
      failed = true;
      const failure = path.join(ROOT, 'test-results', 'e2e-incident-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${tails(bot, playground)}`;
      throw err;
    }
  }, 90_000);
});
