/**
 * Identifier-check figures: the cost of loading it (name lists, compromise's lexicon), and its latency on
 * 2,000-character texts made of the evaluation sets' texts (identifiers and near misses mixed, in many orders),
 * and on single short texts, after 300 warm-up texts (a running bot is warm).
 */
import fs from 'node:fs';
import path from 'node:path';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function benchPii(log: (s: string) => void, runs = 3000): Promise<Record<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const { findIdentifiers, warmUp } = await import('../../src/core/pii');
  const { parseLabelled } = await import('../../src/core/pii/evaluate');
  // what the bot does just after it starts listening: load the name lists and compromise's lexicon
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  warmUp();
  const loadMs = performance.now() - t0;
  const loadCpu = process.cpuUsage(c0);
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

  const fixtures = path.resolve(__dirname, '../../tests/fixtures');
  const texts = ['pii-eval.jsonl', 'pii-blind1.jsonl'].flatMap((f) =>
    parseLabelled(fs.readFileSync(path.join(fixtures, f), 'utf8')).map((r) => r.text),
  );
  // 2,000-character texts: the set's texts in a deterministic order that changes with each run
  const long: string[] = [];
  for (let k = 0; k < 200; k++) {
    let s = '';
    for (let i = 0; s.length < 2000; i++) s += `${texts[(k * 37 + i * 11) % texts.length]}. `;
    long.push(s.slice(0, 2000));
  }
  // warm up as a running bot is: the first few hundred calls compile the regular expressions and the code
  for (let i = 0; i < 300; i++) findIdentifiers(long[i % long.length]);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const s = performance.now();
    findIdentifiers(long[i % long.length]);
    times.push(performance.now() - s);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if ((i + 1) % 1000 === 0) log(`  ${i + 1}/${runs} texts of 2,000 characters`);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const short: number[] = [];
  for (let i = 0; i < texts.length * 4; i++) {
    const s = performance.now();
    findIdentifiers(texts[i % texts.length]);
    short.push(performance.now() - s);
  }
  short.sort((a, b) => a - b);
  return {
    'warm-up after start-up: name lists and compromise lexicon, wall (ms)': Math.round(loadMs),
    'warm-up after start-up, CPU (ms)': Math.round((loadCpu.user + loadCpu.system) / 1000),
    'heap for the check (MiB)': Math.round(heapMb),
    'texts of 2,000 characters': runs,
    'latency on 2,000 characters, median (ms)': percentile(times, 50),
    'latency on 2,000 characters, p99 (ms)': percentile(times, 99),
    'latency on 2,000 characters, max (ms)': times[times.length - 1],
    // CPU time leaves out the time the process waited for a core (a busy machine), not the check's own work
    'CPU time on 2,000 characters, median (ms)': percentile(cpu, 50),
    'CPU time on 2,000 characters, p99 (ms)': percentile(cpu, 99),
    'latency on one short note, median (ms)': percentile(short, 50),
    'latency on one short note, p99 (ms)': percentile(short, 99),
  };
}
