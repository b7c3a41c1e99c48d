/**
 * `npm run package [-- --env dev]`: builds the Teams app package appPackage/build/keepsafe-<env>.zip from
 * appPackage/manifest.json, filling ${{NAME}} placeholders from env/.env.<env> (or the environment), validating
 * the result against the official manifest schema (offline, from @microsoft/app-manifest) and checking the icons.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import dotenv from 'dotenv';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

const ROOT = path.resolve(__dirname, '..');
const APP_DIR = path.join(ROOT, 'appPackage');

export class PackageError extends Error {}

/** Fills every ${{NAME}} placeholder; refuses, naming the variable, when one has no value. */
export function fillPlaceholders(template: string, values: Record<string, string | undefined>): string {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return JSON.stringify(value).slice(1, -1); // JSON-escaped, as it sits inside a JSON string
  });
  if (missing.size) throw new PackageError(`Missing value for ${[...missing].join(', ')}: set it in the env file or the environment.`);
  return filled;
}

function checkIcon(file: string, size: number, transparentBackground: boolean): void {
  const png = PNG.sync.read(fs.readFileSync(file));
  if (png.width !== size || png.height !== size) throw new PackageError(`${path.basename(file)} must be ${size}×${size}, is ${png.width}×${png.height}`);
  if (transparentBackground && png.data[3] !== 0) throw new PackageError(`${path.basename(file)} must have a transparent background`);
}

export interface PackageOptions {
  envName: string;
  envFile?: string;
  outDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function buildPackage(opts: PackageOptions): Promise<{ zipFile: string; manifest: any }> {
  const envFile = opts.envFile ?? path.join(ROOT, 'env', `.env.${opts.envName}`);
  const fromFile = fs.existsSync(envFile) ? dotenv.parse(fs.readFileSync(envFile)) : {};
  const values: Record<string, string | undefined> = { APP_VERSION: '1.0.0', APP_NAME_SUFFIX: '', ...fromFile, ...pick(opts.env ?? {}) };
  const manifestText = fillPlaceholders(fs.readFileSync(path.join(APP_DIR, 'manifest.json'), 'utf8'), values);
  const manifest = JSON.parse(manifestText);
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  if (errors.length) throw new PackageError(`The manifest is not valid:\n  ${errors.join('\n  ')}`);
  checkIcon(path.join(APP_DIR, 'color.png'), 192, false);
  checkIcon(path.join(APP_DIR, 'outline.png'), 32, true);

  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', fs.readFileSync(path.join(APP_DIR, 'color.png')));
  zip.file('outline.png', fs.readFileSync(path.join(APP_DIR, 'outline.png')));
  const outDir = opts.outDir ?? path.join(APP_DIR, 'build');
  fs.mkdirSync(outDir, { recursive: true });
  const zipFile = path.join(outDir, `keepsafe-${opts.envName}.zip`);
  fs.writeFileSync(zipFile, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipFile, manifest };
}

/** Only the placeholder variables (upper case) are taken from the process environment. */
function pick(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => /^[A-Z0-9_]+$/.test(k) && typeof v === 'string')) as Record<string, string>;
}

if (require.main === module) {
  const i = process.argv.indexOf('--env');
  const envName = i >= 0 ? process.argv[i + 1] : 'dev';
  if (!envName || !/^[a-z0-9_-]+$/i.test(envName)) {
    process.stderr.write('Usage: npm run package -- [--env NAME]   (reads env/.env.NAME; default dev)\n');
    process.exit(2);
  }
  buildPackage({ envName, env: process.env })
    .then(({ zipFile, manifest }) => {
      process.stdout.write(`Built ${path.relative(process.cwd(), zipFile)}: ${manifest.name.short} ${manifest.version}, bot ${manifest.bots[0].botId}\n`);
      process.stdout.write('Upload it in Teams admin centre > Teams apps > Manage apps > Upload new app.\n');
    })
    .catch((err) => {
      process.stderr.write(`${err instanceof PackageError ? err.message : (err as Error).stack}\n`);
      process.exit(1);
    });
}
