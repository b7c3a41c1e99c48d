/**
 * `npm run package [-- --env NAME]`: builds the Teams app package appPackage/build/keepsafe-<NAME>.zip.
 *
 * 1. Reads env/.env.<NAME> (default dev); a variable set in the environment wins over the file.
 * 2. Fills every ${{VAR}} placeholder in appPackage/manifest.json, refusing with a message that names each
 *    missing or malformed variable.
 * 3. Validates the filled manifest against the official schema for its manifestVersion, read from the copy
 *    bundled in @microsoft/app-manifest (never fetched: a version without a bundled schema is refused).
 * 4. Checks the icons (color 192×192; outline 32×32, white on transparent) and writes the zip with
 *    manifest.json, color.png and outline.png at its root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import dotenv from 'dotenv';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

const ROOT = path.resolve(__dirname, '..');
export const APP_DIR = path.join(ROOT, 'appPackage');

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

/** Defaults for placeholders that may be left out; every other placeholder must be set and non-empty. */
const DEFAULTS: Record<string, string> = { APP_VERSION: '1.0.0', APP_NAME_SUFFIX: '' };
/** Placeholders that may be set to an empty string. */
const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;

/** What each known placeholder must look like, said the way an admin would fix it. */
const FORMATS: Record<string, { test: (v: string) => boolean; expected: string }> = {
  TEAMS_APP_ID: { test: (v) => GUID.test(v), expected: 'a GUID such as 6f1c2a3b-1111-4222-8333-944455566677' },
  BOT_ID: { test: (v) => GUID.test(v), expected: "the Azure Bot's Microsoft App ID (a GUID)" },
  BOT_DOMAIN: {
    test: (v) => HOST.test(v),
    expected: 'a host name without https:// or a path, e.g. keepsafe.knowsley.gov.uk',
  },
  APP_VERSION: { test: (v) => /^\d+\.\d+\.\d+$/.test(v), expected: 'a version such as 1.0.0' },
  APP_NAME_SUFFIX: {
    test: (v) => v.length <= 10 && !/[\r\n]/.test(v),
    expected: 'at most 10 characters, e.g. " (dev)"',
  },
  COUNCIL_WEBSITE_URL: { test: isHttpsUrl, expected: 'an https:// address' },
  COUNCIL_PRIVACY_URL: { test: isHttpsUrl, expected: 'an https:// address' },
  COUNCIL_TERMS_URL: { test: isHttpsUrl, expected: 'an https:// address' },
};

function isHttpsUrl(v: string): boolean {
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills every ${{NAME}} placeholder (values JSON-escaped, as they sit inside JSON strings). Refuses, naming
 * every variable that is missing, empty or malformed, before anything is written.
 */
export function fillPlaceholders(
  template: string,
  values: Record<string, string | undefined>,
  source = 'the environment',
): string {
  const problems: string[] = [];
  for (const name of placeholdersIn(template)) {
    const value = values[name];
    if (value === undefined || (value.trim() === '' && !MAY_BE_EMPTY.has(name))) {
      problems.push(`Missing value for ${name}`);
    } else if (FORMATS[name] && !FORMATS[name].test(value)) {
      problems.push(`${name} must be ${FORMATS[name].expected}`);
    }
  }
  if (problems.length)
    throw new PackageError([...problems, `Set ${problems.length > 1 ? 'these' : 'it'} in ${source}.`].join('\n'));
  return template.replace(PLACEHOLDER, (_m, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

/** The official schema for a manifest version, from the copy bundled in @microsoft/app-manifest. */
export function bundledManifestSchema(manifestVersion: unknown): object {
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${String(manifestVersion)}`;
  const base = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(base, 'build', 'json-schemas', 'teams', folder, 'MicrosoftTeams.schema.json');
  if (typeof manifestVersion !== 'string' || !/^(\d+\.\d+|devPreview)$/.test(manifestVersion) || !fs.existsSync(file)) {
    throw new PackageError(
      `No bundled schema for manifestVersion ${JSON.stringify(manifestVersion)} in @microsoft/app-manifest: use a version it ships (see ${path.relative(ROOT, path.dirname(path.dirname(file)))}).`,
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b'));
}

/** Schema errors for a filled manifest (empty when valid), validated offline. */
export async function validateManifest(manifest: {
  manifestVersion?: unknown;
  [k: string]: unknown;
}): Promise<string[]> {
  type Args = Parameters<typeof AppManifestUtils.validateAgainstSchema>;
  return AppManifestUtils.validateAgainstSchema(
    manifest as unknown as Args[0],
    bundledManifestSchema(manifest.manifestVersion) as Args[1],
  );
}

/** Size and transparency checks Teams applies to the two icons. */
export function checkIcons(dir = APP_DIR): { color: string; outline: string } {
  const read = (name: string) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file))
      throw new PackageError(`${name} is missing from ${path.relative(ROOT, dir) || dir}: run npm run icons.`);
    try {
      return PNG.sync.read(fs.readFileSync(file));
    } catch (err) {
      throw new PackageError(`${name} is not a readable PNG: ${(err as Error).message}`);
    }
  };
  const color = read('color.png');
  if (color.width !== 192 || color.height !== 192)
    throw new PackageError(`color.png must be 192×192 pixels, is ${color.width}×${color.height}.`);
  const outline = read('outline.png');
  if (outline.width !== 32 || outline.height !== 32)
    throw new PackageError(`outline.png must be 32×32 pixels, is ${outline.width}×${outline.height}.`);
  let opaque = 0;
  for (let i = 0; i < outline.data.length; i += 4) {
    const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
    if (a === 0) continue;
    opaque++;
    if (r !== 255 || g !== 255 || b !== 255)
      throw new PackageError('outline.png must be white on a transparent background: it has a coloured pixel.');
  }
  if (opaque === 0 || opaque === 32 * 32)
    throw new PackageError('outline.png must be a white shape on a transparent background.');
  return { color: `${color.width}×${color.height}`, outline: `${outline.width}×${outline.height}` };
}

export interface PackageOptions {
  envName: string;
  /** Defaults to env/.env.<envName>. A missing file is fine when the environment holds every value. */
  envFile?: string;
  /** Defaults to appPackage/build. */
  outDir?: string;
  /** Values that win over the file (the process environment when run from the command line). */
  env?: NodeJS.ProcessEnv;
  /** Defaults to appPackage/ (manifest.json, color.png, outline.png). */
  appDir?: string;
}

export interface PackageResult {
  zipFile: string;
  manifest: any;
  entries: string[];
  envFile: string | null;
  icons: { color: string; outline: string };
}

export async function buildPackage(opts: PackageOptions): Promise<PackageResult> {
  if (!/^[A-Za-z0-9_-]+$/.test(opts.envName))
    throw new PackageError(`Environment name "${opts.envName}" may use only letters, digits, - and _.`);
  const appDir = opts.appDir ?? APP_DIR;
  const envFile = opts.envFile ?? path.join(ROOT, 'env', `.env.${opts.envName}`);
  const hasFile = fs.existsSync(envFile);
  const fromFile = hasFile ? dotenv.parse(fs.readFileSync(envFile)) : {};
  const template = fs.readFileSync(path.join(appDir, 'manifest.json'), 'utf8');
  const wanted = placeholdersIn(template);
  const values: Record<string, string | undefined> = { ...DEFAULTS, ...fromFile, ...pick(opts.env ?? {}, wanted) };
  const source = hasFile
    ? `${path.relative(process.cwd(), envFile) || envFile} or the environment`
    : `${path.relative(process.cwd(), envFile) || envFile} (not found: copy env/.env.dev.sample to it) or in the environment`;

  const manifest = JSON.parse(fillPlaceholders(template, values, source));
  const errors = await validateManifest(manifest);
  if (errors.length)
    throw new PackageError(
      `The manifest does not match the official v${manifest.manifestVersion} schema:\n  ${errors.join('\n  ')}`,
    );
  const icons = checkIcons(appDir);

  const zip = new JSZip();
  const entries = ['manifest.json', 'color.png', 'outline.png'];
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('color.png', fs.readFileSync(path.join(appDir, 'color.png')));
  zip.file('outline.png', fs.readFileSync(path.join(appDir, 'outline.png')));
  const outDir = opts.outDir ?? path.join(appDir, 'build');
  fs.mkdirSync(outDir, { recursive: true });
  const zipFile = path.join(outDir, `keepsafe-${opts.envName}.zip`);
  fs.writeFileSync(zipFile, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipFile, manifest, entries, envFile: hasFile ? envFile : null, icons };
}

/** Only the variables the manifest uses are taken from the environment. */
function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (typeof env[name] === 'string') out[name] = env[name] as string;
  return out;
}

export function parseArgs(argv: string[]): { envName: string } | { help: true } | { error: string } {
  let envName = 'dev';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--env') {
      const next = argv[++i];
      if (!next) return { error: '--env needs a name, e.g. --env dev' };
      envName = next;
    } else if (arg.startsWith('--env=')) envName = arg.slice('--env='.length);
    else return { error: `Unknown argument "${arg}"` };
  }
  return { envName };
}

const USAGE =
  'Usage: npm run package -- [--env NAME]   (reads env/.env.NAME, default dev; writes appPackage/build/keepsafe-NAME.zip)\n';

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}`);
    process.exit(2);
  }
  buildPackage({ envName: args.envName, env: process.env })
    .then((r) => {
      const rel = (f: string) => path.relative(process.cwd(), f) || f;
      const lines = [
        `Settings: ${r.envFile ? rel(r.envFile) : 'the environment only (no env file)'}`,
        `Manifest: v${r.manifest.manifestVersion} schema OK (offline); ${r.manifest.name.short} ${r.manifest.version}, app ${r.manifest.id}, bot ${r.manifest.bots[0].botId}, domain ${r.manifest.validDomains.join(', ')}`,
        `Icons: color.png ${r.icons.color}, outline.png ${r.icons.outline} (white on transparent)`,
        `Wrote ${rel(r.zipFile)} (${fs.statSync(r.zipFile).size} bytes): ${r.entries.join(', ')}`,
        'Install: Teams admin centre > Teams apps > Manage apps > Upload new app (or Teams > Apps > Manage your apps > Upload an app).',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    })
    .catch((err) => {
      if (err instanceof PackageError) process.stderr.write(`Cannot build the app package:\n${err.message}\n`);
      else process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    });
}
