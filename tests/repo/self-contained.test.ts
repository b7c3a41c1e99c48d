/**
 * The repository stands on its own: a fresh clone with nothing beside it must install, build and pass its tests.
 * So no source, test, script, CI or config file may refer to a path outside the repository: the sibling
 * `shared` folder a developer machine happens to have, a `../..`-style escape past the root, or an absolute
 * path of one machine (home folders, a workspace mount).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCANNED_DIRS = ['src', 'tests', 'scripts', '.ci', 'cards', 'content', 'appPackage', 'env', 'docs'];
const CONFIG_FILES =
  /^(package\.json|tsconfig[\w.-]*\.json|jest\.config\.[cm]?js|\.m365agentsplayground\.yml|\.eslintrc[\w.]*|eslint\.config\.[cm]?[jt]s|\.prettierrc[\w.]*|\.gitignore)$/;
const TEXT_FILE = /\.(ts|js|cjs|mjs|json|ya?ml|sh|md|txt|tsv|env|sample)$|(^|\/)(run|\.env[\w.-]*)$/;

// Built from pieces so that this file does not match its own patterns.
const SIBLING = ['\\.\\.', '[\\\\/]', 'shared'].join('');
const MACHINE_PATHS = ['/wo' + 'rk/', '/ho' + 'me/', '/ro' + 'ot/', '/Us' + 'ers/', '/m' + 'nt/', 'C:\\\\'];

/** The files git would put in a fresh clone, plus untracked ones that are not ignored (what is about to land). */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter(Boolean)
    .filter((f) => fs.existsSync(path.join(ROOT, f)))
    .filter((f) => (SCANNED_DIRS.some((d) => f.startsWith(`${d}/`)) && TEXT_FILE.test(f)) || CONFIG_FILES.test(f));
}

/** Each `../` chain in a string literal (or `'..', '..'` arguments) that climbs above the repository root. */
export function escapes(file: string, text: string): string[] {
  const depth = path.dirname(file) === '.' ? 0 : path.dirname(file).split('/').length;
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\.\.\/){1,}/g)) {
    const ups = m[0].length / 3;
    // Markdown links and docs are relative to their own folder too, so the same rule holds.
    if (ups > depth) found.push(`${m[0]} (${ups} up from ${depth} deep)`);
  }
  for (const m of text.matchAll(/'\.\.'(?:\s*,\s*'\.\.')+/g)) {
    const ups = m[0].split(',').length;
    if (ups > depth) found.push(`${m[0]} (${ups} up from ${depth} deep)`);
  }
  return found;
}

/** What is wrong with `text` (a whole file or one line); a line that says `outside-path-ok` is a deliberate case. */
export function outsideReferences(file: string, fileText: string): string[] {
  const text = fileText
    .split('\n')
    .filter((line) => !line.includes('outside-path-' + 'ok'))
    .join('\n');
  const problems: string[] = [];
  if (new RegExp(SIBLING).test(text)) problems.push('refers to the sibling shared folder');
  for (const p of MACHINE_PATHS) if (text.includes(p)) problems.push(`holds a machine's absolute path (${p}…)`);
  for (const e of escapes(file, text)) problems.push(`climbs out of the repository: ${e}`);
  return problems;
}

describe('the repository stands on its own', () => {
  // This file spells the forbidden patterns out as examples, so it is the one file not scanned.
  const files = repositoryFiles().filter((f) => f !== 'tests/repo/self-contained.test.ts');

  it('scans the source, tests, scripts, CI and config files', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'jest.config.js', '.ci/run', 'src/index.ts']));
    expect(files.filter((f) => f.startsWith('tests/')).length).toBeGreaterThan(20);
  });

  it('no file refers to a path outside the repository', () => {
    const problems = files.flatMap((f) =>
      outsideReferences(f, fs.readFileSync(path.join(ROOT, f), 'utf8')).map((p) => `${f}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ['tests/x.test.ts', "fs.readFileSync('" + '../sha' + "red/x')"],
    ['tests/helpers/x.ts', "path.resolve(__dirname, '../../../schemas/a.json')"],
    ['src/x.ts', "path.join(__dirname, '..', '..', 'other')"],
    ['scripts/x.ts', "const dir = '" + '/ho' + "me/dev/keepsafe';"],
    ['.ci/run', 'cp -r ' + '../sha' + 'red/source content/'],
  ])('catches %s referring outside: %s', (file, line) => {
    expect(outsideReferences(file, line)).not.toEqual([]);
  });

  it.each([
    ['tests/helpers/x.ts', "path.resolve(__dirname, '../../content')"],
    ['src/teams/x.ts', "import { y } from '../../core/y';"],
    ['tests/e2e/x.ts', "const CHROMIUM = '/usr/bin/chromium';"],
  ])('allows %s staying inside: %s', (file, line) => {
    expect(outsideReferences(file, line)).toEqual([]);
  });

  it('carries the files the tests and the content editors need', () => {
    for (const f of ['tests/schemas/adaptive-card-1.5.json', 'content/social-media-guidance.txt']) {
      expect(fs.existsSync(path.join(ROOT, f))).toBe(true);
    }
  });
});
