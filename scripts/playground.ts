/**
 * `npm run playground`: starts the Microsoft 365 Agents Playground (a local, offline Teams-like client) against
 * the running bot. Start the bot first with `npm start` in another terminal, then open http://localhost:56150.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const botPort = Number(process.env.PORT || 3978);
const uiPort = Number(process.env.PLAYGROUND_PORT || 56150);

async function botIsUp(): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${botPort}/healthz`);
    return res.status === 200 || res.status === 503;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!(await botIsUp())) {
    process.stderr.write(`KeepSafe is not answering on port ${botPort}. Start the bot first with \`npm start\` in another terminal.\n`);
    process.exit(1);
  }
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(
    process.execPath,
    [cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(uiPort), '--disable-telemetry'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(ROOT, '.m365agentsplayground.yml'),
      },
    },
  );
  process.stdout.write(`Agents Playground: open http://localhost:${uiPort} (Ctrl-C to stop)\n`);
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

void main();
