/**
 * Start-up time of the real bot: from spawning the compiled entry point to GET /healthz answering 200,
 * and its resident memory once ready. Needs `npm run build` first (bench does it if dist/ is missing).
 */
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ENTRY = path.resolve('dist/src/index.js');

async function waitHealthy(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('bot did not become healthy in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** CPU time (user + system) the process has used so far, in ms: what start-up costs apart from waiting for a core. */
function cpuMs(pid: number): number {
  const fields = fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 a second)
}

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

export async function benchStartup(log: (s: string) => void, runs = 5): Promise<Record<string, number>> {
  if (!fs.existsSync(ENTRY)) {
    log('building (npm run build)');
    execSync('npm run --silent build', { stdio: 'inherit' });
  }
  const times: number[] = [];
  const rss: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-bench-start-'));
    const port = 39000 + i;
    const started = performance.now();
    const child = spawn(process.execPath, [ENTRY], {
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        KEEPSAFE_ENV: 'bench',
        DATABASE_URL: '',
        MicrosoftAppId: '',
      },
      stdio: 'ignore',
    });
    try {
      await waitHealthy(port, Date.now() + 30000);
      times.push(performance.now() - started);
      rss.push(rssKb(child.pid!));
      cpu.push(cpuMs(child.pid!));
      log(`  run ${i + 1}/${runs}: ${times[i].toFixed(0)} ms`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    'CPU time to healthy, median (ms)': Math.round(cpu[Math.floor(cpu.length / 2)]),
    'start-up to healthy, median (ms)': Math.round(times[Math.floor(times.length / 2)]),
    'start-up to healthy, worst (ms)': Math.round(times[times.length - 1]),
    'resident memory when ready (MiB)': Math.round(Math.max(...rss) / 1024),
  };
}
