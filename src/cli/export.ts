/**
 * `npm run export -- --from DATE --to DATE [--case REF] [--kind KIND] [--out FILE] [--as ACTOR]`: entries created
 * from the start of --from to the end of --to (UTC days), as CSV with a header row, to standard output unless
 * --out. `--kind consent_decision` exports only that kind of entry (the consent log), corrections included.
 * Safe to open in a spreadsheet (see src/core/records/csv.ts). The export is recorded in the audit trail, with
 * who made it (--as, default cli:<login name>), the range, the kind and the count.
 *
 * `npm run export -- --body-map KS-XXXXXXXX --out FILE.png [--as ACTOR]`: one body map as a printable PNG for the
 * case file (the four views with the marks, and the record's fields beside them), audited as an export of that
 * entry with who made it.
 */
import fs from 'node:fs';
import { loadEnvFile, parseConfig } from '../config';
import { toCsv } from '../core/records/csv';
import { isRecordKind, RECORD_KIND_NAMES, type RecordKind } from '../core/records/kinds';
import { exportBodyMapPng } from '../features/records/bodyMapCopy';
import type { RecordStore, StoredEntry } from '../storage/types';
import { storeOptionsFrom } from '../storage/storeOptions';
import { openStore } from '../storage/store';

const USAGE =
  'Usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--case REF] [--kind KIND] [--out FILE] [--as WHO]\n' +
  '       npm run export -- --body-map KS-XXXXXXXX --out FILE.png [--as WHO]';
const FLAGS = new Set(['--from', '--to', '--case', '--kind', '--out', '--as', '--body-map']);

class UsageError extends Error {}

export function parseDay(value: string | undefined, flag: string): Date {
  if (value === undefined) throw new UsageError(`${flag} is missing.\n${USAGE}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new UsageError(`${flag} "${value}" is not a date like 2026-11-01.\n${USAGE}`);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new UsageError(`${flag} ${value} is not a real date.`);
  return d;
}

export function parseKind(value: string | undefined): RecordKind | undefined {
  if (value === undefined) return undefined;
  if (!isRecordKind(value))
    throw new UsageError(`--kind "${value}" is not a kind of entry. Kinds: ${RECORD_KIND_NAMES.join(', ')}.`);
  return value;
}

export interface BodyMapArgs {
  bodyMap: string;
  out: string;
  actor?: string;
}

/** The arguments of a printable body-map export, or undefined when --body-map is not given. */
export function parseBodyMapArgs(argv: string[]): BodyMapArgs | undefined {
  if (!argv.includes('--body-map')) return undefined;
  const values = flagValues(argv);
  for (const f of ['--from', '--to', '--case', '--kind'])
    if (values.has(f)) throw new UsageError(`--body-map exports one body map: ${f} does not go with it.\n${USAGE}`);
  const bodyMap = values.get('--body-map')!;
  if (!/^KS-[0-9A-F]{8}$/i.test(bodyMap) && !/^[0-9a-f-]{36}$/i.test(bodyMap))
    throw new UsageError(`--body-map "${bodyMap}" is not a reference like KS-7Q2M4X1A or an entry id.`);
  const out = values.get('--out');
  if (!out)
    throw new UsageError(`--body-map needs --out FILE.png: the picture is not written to the terminal.\n${USAGE}`);
  if (!/\.png$/i.test(out)) throw new UsageError(`--out "${out}" must end in .png.`);
  return { bodyMap, out, actor: values.get('--as') };
}

function flagValues(argv: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!FLAGS.has(flag)) throw new UsageError(`Unknown argument "${flag}".\n${USAGE}`);
    const value = argv[i + 1];
    if (value === undefined || FLAGS.has(value)) throw new UsageError(`${flag} needs a value.\n${USAGE}`);
    values.set(flag, value);
    i++;
  }
  return values;
}

export function parseArgs(argv: string[]): {
  from: Date;
  to: Date;
  caseRef?: string;
  kind?: RecordKind;
  out?: string;
  actor?: string;
} {
  const values = flagValues(argv);
  if (values.has('--body-map'))
    throw new UsageError(`--body-map exports one body map: use it with --out and --as only.\n${USAGE}`);
  const from = parseDay(values.get('--from'), '--from');
  const toDay = parseDay(values.get('--to'), '--to');
  if (toDay < from) throw new UsageError(`--to ${values.get('--to')} is before --from ${values.get('--from')}.`);
  const kind = parseKind(values.get('--kind'));
  return {
    from,
    to: new Date(toDay.getTime() + 86_400_000),
    caseRef: values.get('--case'),
    ...(kind ? { kind } : {}),
    out: values.get('--out'),
    actor: values.get('--as'),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const bodyMap = parseBodyMapArgs(argv);
  if (bodyMap) {
    loadEnvFile();
    const store = await openStore(storeOptionsFrom(parseConfig(process.env)));
    try {
      await exportBodyMap(store, bodyMap, new Date());
    } finally {
      await store.close();
    }
    return;
  }
  const args = parseArgs(argv);
  loadEnvFile();
  const config = parseConfig(process.env);
  const store = await openStore(storeOptionsFrom(config));
  try {
    const entries = await store.export(
      { from: args.from, to: args.to, caseRef: args.caseRef, kind: args.kind },
      args.actor ?? `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`,
    );
    const csv = toCsv(entries);
    if (args.out) {
      // Owner-only: the file holds safeguarding records.
      fs.writeFileSync(args.out, csv, { mode: 0o600 });
      process.stderr.write(`Exported ${entries.length} ${args.kind ? `${args.kind} ` : ''}entries to ${args.out}\n`);
    } else {
      process.stdout.write(csv);
    }
  } finally {
    await store.close();
  }
}

/** Writes the printable body map (audited by the store as an export of that one entry). Throws when there is none. */
export async function exportBodyMap(
  store: Pick<RecordStore, 'exportOne'>,
  args: BodyMapArgs,
  now: Date,
): Promise<StoredEntry> {
  // The same path as the managers' command in Teams: the read and its audit in one store call, then the PNG.
  const made = await exportBodyMapPng(
    store,
    args.bodyMap,
    args.actor ?? `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`,
    now,
  );
  if (!made) throw new UsageError(`No body map ${args.bodyMap}.`);
  const { entry, png } = made;
  // Owner-only: the file holds a safeguarding record.
  fs.writeFileSync(args.out, png, { mode: 0o600 });
  process.stderr.write(`Exported body map ${args.bodyMap} to ${args.out}\n`);
  return entry;
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error & { userMessage?: string }).userMessage ?? (err as Error).message}\n`);
    process.exit(1);
  });
}
