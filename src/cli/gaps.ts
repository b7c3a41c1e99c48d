/**
 * `npm run gaps -- [--days N] [--questions] [--out FILE] [--as WHO]`: the content-gap report for the guidance's
 * owners as CSV: questions declined, asked of a manager, marked "not helpful" or with none of the did-you-mean
 * suggestions fitting, over the last N days (default: the guidance_gap retention, RETENTION_DAYS_GUIDANCE_GAP, 90).
 * By default one row per week and nearest section with a count per reason; --questions one row per question, with
 * identifiers masked (never who asked); --choices the did-you-mean choices (week, sections offered, chosen, engine,
 * count), where the engine hesitated. Safe to open in a spreadsheet (src/core/records/csv.ts). Reading is
 * audited: one export event per kind read, naming who (--as, default cli:<login name>) and the count.
 */
import fs from 'node:fs';
import { loadEnvFile, parseConfig } from '../config';
import { gapCsv, readGapReport } from '../core/questions/gaps';
import { retentionPolicy } from '../core/records/kinds';
import { storeOptionsFrom } from '../storage/storeOptions';
import { openStore } from '../storage/store';

const USAGE = 'Usage: npm run gaps -- [--days N] [--questions | --choices] [--out FILE] [--as WHO]';
const VALUED = new Set(['--days', '--out', '--as']);

export class UsageError extends Error {}

export function parseGapArgs(argv: string[]): {
  days?: number;
  questions: boolean;
  choices: boolean;
  out?: string;
  actor?: string;
} {
  const values = new Map<string, string>();
  let questions = false;
  let choices = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--questions' || flag === '--choices') {
      if (flag === '--questions') questions = true;
      else choices = true;
      continue;
    }
    if (!VALUED.has(flag)) throw new UsageError(`Unknown argument "${flag}".\n${USAGE}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value.\n${USAGE}`);
    values.set(flag, value);
    i++;
  }
  let days: number | undefined;
  if (values.has('--days')) {
    days = Number(values.get('--days'));
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      throw new UsageError(`--days "${values.get('--days')}" is not a whole number of days from 1 to 3650.`);
  }
  if (questions && choices) throw new UsageError(`Choose one of --questions and --choices.\n${USAGE}`);
  return { days, questions, choices, out: values.get('--out'), actor: values.get('--as') };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const args = parseGapArgs(argv);
  loadEnvFile();
  const config = parseConfig(process.env);
  const days = args.days ?? retentionPolicy(config.retentionDays).guidance_gap;
  const store = await openStore(storeOptionsFrom(config));
  try {
    const report = await readGapReport(store, {
      now: new Date(),
      days,
      actor: args.actor ?? `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`,
    });
    const csv = gapCsv(report, { questions: args.questions, choices: args.choices });
    if (args.out) {
      // Owner-only: masked questions can still say more than they should.
      fs.writeFileSync(args.out, csv, { mode: 0o600 });
      process.stderr.write(`${report.total} questions over the last ${days} days written to ${args.out}\n`);
    } else {
      process.stdout.write(csv);
    }
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error & { userMessage?: string }).userMessage ?? (err as Error).message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
