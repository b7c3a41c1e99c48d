/**
 * Guidance engine figures: build (start-up) time, answer latency over thousands of questions (the development
 * set cycled, with typing slips, shouting, emoji, dropped words and long pastes mixed in), and heap used.
 */
import os from 'node:os';
import path from 'node:path';
import { loadGuidanceContent } from '../../src/core/guidance/content';
import { GuidanceEngine } from '../../src/core/guidance/engine';
import { loadQuestions } from '../../tests/helpers/questions';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A deterministic perturbation of a question: a typing slip, shouting, no punctuation, emoji, a dropped word, a paste. */
function perturb(q: string, seed: number): string {
  const words = q.split(' ');
  switch (seed % 6) {
    case 0: {
      const i = seed % words.length;
      const w = words[i];
      if (w.length > 3) {
        const j = 1 + (seed % (w.length - 2));
        words[i] = w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2);
      }
      return words.join(' ');
    }
    case 1:
      return q.toUpperCase();
    case 2:
      return q.replace(/[^\w\s]/g, '');
    case 3:
      return `${q} 😬🙏`;
    case 4:
      return words.length > 3 ? words.filter((_, i) => i !== seed % words.length).join(' ') : q;
    default:
      return seed % 60 === 5 ? `${q} ${'and so on '.repeat(1000)}` : `<p>${q}</p>`;
  }
}

export async function benchEngine(log: (s: string) => void, total = 20000): Promise<Record<string, number>> {
  const contentDir = path.resolve(__dirname, '../../content');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // The model's weights live in typed arrays, outside the JS heap: count both.
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBefore = used();
  const t0 = performance.now();
  const engine = new GuidanceEngine(loadGuidanceContent(contentDir));
  const buildMs = performance.now() - t0;
  gc?.();
  const heapMb = (used() - heapBefore) / 2 ** 20;
  if (!gc) log('  (heap figure needs --expose-gc; npm run bench passes it)');

  const questions = loadQuestions().map((q) => q.question);
  const times: number[] = [];
  // CPU time too: on a shared machine wall-clock percentiles measure the neighbours as much as the engine.
  const cpu: number[] = [];
  for (let i = 0; i < total; i++) {
    const base = questions[i % questions.length];
    const q = i < questions.length ? base : perturb(base, i);
    const c = process.cpuUsage();
    const s = performance.now();
    engine.answer(q);
    times.push(performance.now() - s);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if ((i + 1) % 5000 === 0) log(`  ${i + 1}/${total} questions`);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    'engine build incl. content load (ms)': Math.round(buildMs),
    'memory for the engine, heap and typed arrays (MiB)': Number(heapMb.toFixed(1)),
    questions: total,
    'answer latency median (ms)': Number(percentile(times, 50).toFixed(3)),
    'answer latency p99 (ms)': Number(percentile(times, 99).toFixed(3)),
    'answer latency max (ms)': Number(times[times.length - 1].toFixed(3)),
    'answer CPU time p99 (ms)': Number(percentile(cpu, 99).toFixed(3)),
    'load average while measuring (1 min)': Number(os.loadavg()[0].toFixed(1)),
  };
}
