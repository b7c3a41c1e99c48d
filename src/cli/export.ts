/**
 * `npm run export -- --from DATE --to DATE [--case REF] [--out FILE]`: entries created from the start of
 * --from to the end of --to, as CSV with a header row (to standard output unless --out). Safe to open in a
 * spreadsheet: a cell starting with = + - @ (or a tab or carriage return) is prefixed with '. The export is
 * recorded in the audit trail.
 */
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { loadEnvFile, parseConfig } from '../config';
import { openStore, type StoredRecord } from '../storage/store';

const USAGE = 'Usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--case REF] [--out FILE] [--as AAD_OBJECT_ID]';

export const CSV_COLUMNS = ['id', 'kind', 'case_ref', 'created_at', 'author_id', 'author_name', 'guidance_version', 'corrects', 'reason', 'fields'];

/** Spreadsheet formula injection: a cell that a spreadsheet would run as a formula is made plain text. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(records: StoredRecord[]): string {
  const rows = records.map((r) =>
    [r.id, r.kind, r.caseRef ?? '', r.createdAt, r.author.id, r.author.name, r.guidanceVersion, r.corrects ?? '', r.reason ?? '', JSON.stringify(r.fields)].map(safeCell),
  );
  return stringify([CSV_COLUMNS, ...rows]);
}

function parseDay(value: string | undefined, flag: string): Date {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`${flag} needs a date like 2026-11-01\n${USAGE}`);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new Error(`${flag} ${value} is not a real date`);
  return d;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const from = parseDay(get('--from'), '--from');
  const toDay = parseDay(get('--to'), '--to');
  if (toDay < from) throw new Error('--to is before --from');
  const to = new Date(toDay.getTime() + 86_400_000); // the whole of the --to day
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema, caseRefPattern: config.caseRefPattern });
  try {
    const records = await store.exportRecords({ from, to, caseRef: get('--case') }, get('--as') ?? `cli:${process.env.USER ?? 'unknown'}`);
    const csv = toCsv(records);
    const out = get('--out');
    if (out) {
      fs.writeFileSync(out, csv, { mode: 0o600 });
      process.stderr.write(`Exported ${records.length} entries to ${out}\n`);
    } else {
      process.stdout.write(csv);
    }
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
