/**
 * `npm run playground`: the Microsoft 365 Agents Playground (Microsoft's local, offline Teams-like client) in front
 * of the running bot. Start the bot first with `npm start` in another terminal, then open http://localhost:56150.
 * docs/playground.md says what the playground can and cannot show.
 *
 * The launch is exported so the end-to-end test (tests/e2e/playground.test.ts) starts the playground exactly as
 * a developer does. Two things are added to the stock `agentsplayground` command, both checked on 0.2.28:
 * - it binds every port to 127.0.0.1. Stock, it listens on all interfaces, which would let anyone on the office
 *   network chat with a local-mode bot (no authentication) as the mocked user;
 * - `APPLICATION_INSIGHTS_NO_STATSBEAT=true`: even with `--disable-telemetry` its Application Insights SDK sends
 *   "statsbeat" usage pings to westus-0.in.applicationinsights.azure.com and the Azure metadata address.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const CONFIG_PATH = path.join(ROOT, '.m365agentsplayground.yml');
export const DEFAULT_UI_PORT = 56150;
/** The version whose behaviour the preload below was checked against (package.json pins it). */
export const CHECKED_VERSION = '0.2.28';

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Port for the playground's web UI and its mocked connector service. */
  port: number;
  configPath?: string;
  /** Where the playground writes its own log when its stdout is not a terminal. */
  logFile?: string;
  /**
   * Tests only: refuse every connection to a host that is not loopback and append the host to this file, so a
   * test can assert that nothing tried to leave the machine.
   */
  outboundLog?: string;
}

/**
 * ES module source preloaded into the playground's Node process (`node --import data:...`). Node-level only: it
 * does not touch the playground's code.
 */
export function preloadSource(outboundLog?: string): string {
  const lines = [
    `import net from 'node:net';`,
    `import fs from 'node:fs';`,
    // Every server the playground opens listens on loopback only (a host it names itself is kept).
    `const listen = net.Server.prototype.listen;`,
    `net.Server.prototype.listen = function (...args) {`,
    `  const first = args[0];`,
    `  if (first === undefined || typeof first === 'function') args.unshift(0, '127.0.0.1');`,
    `  else if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {`,
    `    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');`,
    `  } else if (first && typeof first === 'object' && first.host === undefined && first.path === undefined`,
    `    && first.fd === undefined && first._handle === undefined && first.handle === undefined) {`,
    `    args[0] = { ...first, host: '127.0.0.1' };`,
    `  }`,
    `  return listen.apply(this, args);`,
    `};`,
  ];
  if (outboundLog) {
    lines.push(
      `const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);`,
      `const connect = net.Socket.prototype.connect;`,
      `net.Socket.prototype.connect = function (...args) {`,
      `  const a = Array.isArray(args[0]) ? args[0] : args;`,
      `  const first = a[0];`,
      `  let host;`,
      `  if (first && typeof first === 'object') host = first.path ? undefined : (first.host ?? 'localhost');`,
      `  else if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) host = typeof a[1] === 'string' ? a[1] : 'localhost';`,
      `  if (host !== undefined && !LOOPBACK.has(host)) {`,
      `    fs.appendFileSync(${JSON.stringify(outboundLog)}, host + '\\n');`,
      `    process.nextTick(() => this.destroy(new Error('outbound connection refused in tests: ' + host)));`,
      `    return this;`,
      `  }`,
      `  return connect.apply(this, args);`,
      `};`,
    );
  }
  return lines.join('\n');
}

/** The command that starts the playground: `node --import <preload> agentsplayground ...`, and its environment. */
export function playgroundCommand(opts: PlaygroundOptions, baseEnv: NodeJS.ProcessEnv = process.env) {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const preload = `data:text/javascript,${encodeURIComponent(preloadSource(opts.outboundLog))}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    TEAMSAPPTESTER_BROWSER: 'none', // otherwise it tries to open a browser and exits 1 without a word
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: opts.configPath ?? CONFIG_PATH,
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  };
  if (opts.logFile) env.M365_AGENTS_PLAYGROUND_LOGFILE = opts.logFile;
  // The bot's secrets have no business in the playground's environment.
  for (const name of Object.keys(env)) if (/^MicrosoftApp|^DATABASE_URL$/.test(name)) delete env[name];
  const args = [
    '--import',
    preload,
    cli,
    '-e',
    opts.botEndpoint,
    '-c',
    'msteams',
    '-p',
    String(opts.port),
    '--disable-telemetry',
  ];
  return { command: process.execPath, args, env };
}

export function startPlayground(opts: PlaygroundOptions, spawnOptions: SpawnOptions = {}): ChildProcess {
  const { command, args, env } = playgroundCommand(opts);
  return spawn(command, args, { cwd: ROOT, ...spawnOptions, env: { ...env, ...spawnOptions.env } });
}

/** Installed playground version, to warn when it is not the one the preload was checked against. */
export function installedVersion(): string {
  const pkg = require.resolve('@microsoft/m365agentsplayground/package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** HTTP status of a GET, or undefined when nothing answers. */
export async function httpStatus(url: string, timeoutMs = 2000): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return undefined;
  }
}

/** Resolves when `url` answers with a status below 500; rejects after `timeoutMs` or as soon as `gaveUp()` says so. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  gaveUp: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await httpStatus(url, 1000);
    if (status !== undefined && status < 500) return;
    const reason = gaveUp();
    if (reason) throw new Error(`${url} will not come up: ${reason}`);
    if (Date.now() > deadline)
      throw new Error(`${url} did not come up within ${timeoutMs} ms (last status: ${status ?? 'no answer'})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** The bot's port as `npm start` will use it: PORT from the environment, else from env/.env.<KEEPSAFE_ENV>, else 3978. */
function botPort(): number {
  let raw = process.env.PORT;
  if (!raw) {
    const name = process.env.KEEPSAFE_ENV?.trim() || 'local';
    const file = path.join(ROOT, 'env', `.env.${name}`);
    if (/^[a-z0-9_-]+$/i.test(name) && fs.existsSync(file)) {
      const match = /^\s*PORT\s*=\s*"?(\d+)"?\s*$/m.exec(fs.readFileSync(file, 'utf8'));
      raw = match?.[1];
    }
  }
  const port = Number(raw || 3978);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`PORT must be the bot's port, a whole number from 1 to 65535 (got "${raw}").\n`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const port = botPort();
  const uiPort = Number(process.env.PLAYGROUND_PORT || DEFAULT_UI_PORT);
  const health = await httpStatus(`http://127.0.0.1:${port}/healthz`);
  if (health === undefined || health === 404) {
    process.stderr.write(
      `Nothing answers on http://127.0.0.1:${port}/healthz.\nStart the bot first with \`npm start\` in another terminal.\n`,
    );
    process.exit(1);
  }
  if (health !== 200)
    process.stderr.write(`Warning: the bot answers /healthz with ${health} (not ready); replies may fail.\n`);
  if (!(await portIsFree(uiPort))) {
    process.stderr.write(
      `Port ${uiPort} is already in use (another playground?). Stop it, or choose another with PLAYGROUND_PORT=56151.\n`,
    );
    process.exit(1);
  }
  const version = installedVersion();
  if (version !== CHECKED_VERSION) {
    process.stderr.write(
      `Note: @microsoft/m365agentsplayground ${version} is installed; scripts/playground.ts was checked with ${CHECKED_VERSION}.\n`,
    );
  }

  const child = startPlayground(
    { botEndpoint: `http://127.0.0.1:${port}/api/messages`, port: uiPort },
    { stdio: 'inherit' },
  );
  let stopRequested = false;
  const forward = (signal: NodeJS.Signals) => {
    stopRequested = true;
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGHUP', () => forward('SIGHUP'));
  child.on('error', (err) => {
    process.stderr.write(`Could not start the Agents Playground: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (stopRequested) process.exit(0);
    process.stderr.write(`The Agents Playground stopped (${signal ?? `exit code ${code}`}).\n`);
    process.exit(code || 1);
  });

  try {
    await waitForHttp(`http://127.0.0.1:${uiPort}/`, 30_000, () => (child.exitCode !== null ? 'it exited' : undefined));
  } catch {
    return; // the exit handler reports it
  }
  process.stdout.write(
    `\nAgents Playground ready: open http://localhost:${uiPort} (you are Sam Carter; see docs/playground.md).\n` +
      `It talks to KeepSafe on http://127.0.0.1:${port}/api/messages. Ctrl-C stops the playground, not the bot.\n\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`npm run playground failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
