/**
 * `npm run bench`: speed and memory figures, written down rather than asserted in timed tests.
 * Prints progress as it goes and writes a Markdown table to docs/benchmark-results.md.
 *   --only engine|pii|storage|startup|bodymap|soak   run one part (soak only with --only: it takes a few minutes)
 *   PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBodyMap } from './bench/bodymap';
import { benchEngine } from './bench/engine';
import { benchPii } from './bench/pii';
import { benchStartup } from './bench/startup';
import { benchStorage } from './bench/storage';
import { benchSoak } from './bench/soak';

type Figures = Record<string, number>;

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const results: Array<[string, Figures]> = [];
  const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

  if (!only || only === 'engine') {
    log('== guidance engine');
    results.push(['Guidance engine', await benchEngine(log)]);
  }
  if (!only || only === 'pii') {
    log('== identifier check');
    results.push(['Identifier check', await benchPii(log)]);
  }
  if (!only || only === 'startup') {
    log('== bot start-up');
    results.push(['Bot start-up', await benchStartup(log)]);
  }
  if (!only || only === 'storage') {
    log(`== record store (SQLite${pgUrl ? ' and PostgreSQL' : '; set BENCH_DATABASE_URL for PostgreSQL'})`);
    results.push(['Record store', await benchStorage(log, { pgUrl })]);
  }

  if (!only || only === 'bodymap') {
    log('== body-map renderer');
    results.push(['Body-map renderer', await benchBodyMap(log)]);
  }

  if (only === 'soak') {
    log('== soak: 10,000 mixed turns, 50 conversations, 1% of connector calls hanging and 1% answering 429');
    results.push(['Soak', await benchSoak(log)]);
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const lines = [`# Benchmark results`, '', `Run ${new Date().toISOString()} on ${machine}.`, ''];
  for (const [title, figures] of results) {
    lines.push(`## ${title}`, '', '| measure | value |', '|---|---|');
    for (const [k, v] of Object.entries(figures)) lines.push(`| ${k} | ${Number.isInteger(v) ? v : v.toFixed(3)} |`);
    lines.push('');
  }
  const out = path.resolve('docs', only ? `benchmark-results-${only}.md` : 'benchmark-results.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, lines.join('\n'));
  if (only === 'soak') {
    // The soak figures also replace the Soak section of the main results file.
    const main = path.resolve('docs', 'benchmark-results.md');
    const section = [
      `## Soak`,
      '',
      `Run ${new Date().toISOString()} (\`npm run bench -- --only soak\`) on ${machine}. The compiled bot as its own process with SQLite; a loopback connector stand-in holds 1% of activity calls open for ever and answers 1% with 429 (Retry-After: 1) after a 500-turn warm-up; CONNECTOR_TIMEOUT_SECONDS=2. The bot runs with the Node flags of \`npm start\` (package.json). Resident memory is sampled before warm-up (5 s after launch, one turn), after the 500-turn warm-up, every 1,000 turns as the process holds it, and after the outbox drained and 15 s idle; the live heap is measured after a full garbage collection (forced by the bench's memory probe) before and after warm-up and at the end.`,
      '',
      '| measure | value |',
      '|---|---|',
    ];
    for (const [k, v] of Object.entries(results[0][1]))
      section.push(`| ${k} | ${Number.isInteger(v) ? v : v.toFixed(3)} |`);
    const current = fs.existsSync(main) ? fs.readFileSync(main, 'utf8') : '# Benchmark results\n';
    const stripped = current.replace(/\n## Soak\n[\s\S]*?(?=\n## |$)/, '\n');
    fs.writeFileSync(main, `${stripped.trimEnd()}\n\n${section.join('\n')}\n`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  log(`written to ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
