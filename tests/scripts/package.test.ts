/**
 * The Teams app package: the manifest filled from the sample env validates against the official schema shipped
 * in @microsoft/app-manifest (offline; tests/setup bans the network), the icons are what Teams requires, the
 * zip has the right entries at its root, and a missing or malformed setting is refused by name.
 */
import { parseCommand } from '../../src/core/commands';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import dotenv from 'dotenv';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { colorIcon, outlineIcon } from '../../scripts/make-icons';
import {
  buildPackage,
  bundledManifestSchema,
  checkIcons,
  fillPlaceholders,
  PackageError,
  parseArgs,
  validateManifest,
} from '../../scripts/package';

const APP = path.resolve(__dirname, '../../appPackage');
const SAMPLE_FILE = path.resolve(__dirname, '../../env/.env.dev.sample');
const IDS = {
  TEAMS_APP_ID: '6f1c2a3b-1111-4222-8333-944455566677',
  BOT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  BOT_DOMAIN: 'keepsafe.knowsley.example',
};
/** The sample env file as an admin fills it in: its own values plus the three ids it leaves blank. */
const SAMPLE = { ...dotenv.parse(fs.readFileSync(SAMPLE_FILE)), ...IDS };
const NO_FILE = '/nonexistent/.env.test';

let outDir: string;
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-pkg-'));
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function versionAtLeast(version: string, min: string): boolean {
  const [a, b] = [version.split('.').map(Number), min.split('.').map(Number)];
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}

describe('Teams app package', () => {
  it('builds from the sample env file: the manifest validates against the official schema, both icons at the zip root', async () => {
    const envFile = path.join(outDir, '.env.sample-filled');
    fs.writeFileSync(
      envFile,
      `${fs.readFileSync(SAMPLE_FILE, 'utf8')}\n${Object.entries(IDS)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    const { zipFile, manifest, entries } = await buildPackage({ envName: 'test', envFile, outDir, env: {} });

    expect(versionAtLeast(manifest.manifestVersion, '1.17')).toBe(true);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    // the official validator, as published, resolves the bundled schema from $schema (no network here)
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    expect(await validateManifest(manifest)).toEqual([]);

    expect(path.basename(zipFile)).toBe('keepsafe-test.zip');
    const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(entries.sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const zipped = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(zipped).toEqual(manifest);
    expect(JSON.stringify(zipped)).not.toContain('${{');
    expect(
      Buffer.compare(await zip.file('color.png')!.async('nodebuffer'), fs.readFileSync(path.join(APP, 'color.png'))),
    ).toBe(0);
  });

  // supportsFiles: the managers' printable body map is offered as a file in the 1:1 chat (file consent card).
  it('describes a KeepSafe bot for personal chats and teams, with its commands', async () => {
    const { manifest } = await buildPackage({ envName: 'test', envFile: NO_FILE, outDir, env: SAMPLE });
    expect(manifest.name.short).toBe('KeepSafe (dev)');
    expect(manifest.developer.name).toBe('Knowsley Council');
    expect(manifest.id).toBe(IDS.TEAMS_APP_ID);
    expect(manifest.validDomains).toEqual([IDS.BOT_DOMAIN]);
    const [bot] = manifest.bots;
    expect(bot).toMatchObject({
      botId: IDS.BOT_ID,
      scopes: ['personal', 'team'],
      supportsFiles: true,
      isNotificationOnly: false,
    });
    const commands = (scope: string) =>
      bot.commandLists
        .filter((l: any) => l.scopes.includes(scope))
        .flatMap((l: any) => l.commands.map((c: any) => c.title));
    expect(commands('personal')).toEqual([
      'help',
      'topics',
      'my records',
      "my team's records",
      'report an incident',
      'photo decision',
      'log consent',
      'my consent log',
      'open incidents',
      'team consent log',
    ]);
    expect(commands('team')).toEqual(['help', 'topics', 'set as managers channel', 'open incidents', 'guidance gaps']);
    // Teams shows at most 10 commands per scope.
    for (const scope of ['personal', 'team']) expect(commands(scope).length).toBeLessThanOrEqual(10);
    // Only commands whose flows exist: each one beyond help/topics is one the bot recognises.
    for (const title of [...commands('personal'), ...commands('team')].filter((t) => !['help', 'topics'].includes(t))) {
      expect(parseCommand(title)).not.toBeNull();
    }
    for (const list of bot.commandLists) {
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32); // what Teams shows in the command menu
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('the schema check is real: a broken manifest is refused', async () => {
    const { manifest } = await buildPackage({ envName: 'test', envFile: NO_FILE, outDir, env: SAMPLE });
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] };
    expect((await validateManifest(broken)).length).toBeGreaterThan(0);
  });

  it('refuses a manifest version whose schema is not bundled, rather than fetching it', () => {
    expect(() => bundledManifestSchema('1.18')).toThrow(PackageError); // there never was a 1.18
    expect(() => bundledManifestSchema('../../etc')).toThrow(PackageError); // outside-path-ok: the traversal refused
    expect(bundledManifestSchema('1.17')).toHaveProperty('properties');
  });

  it('refuses to build when a setting is missing, naming it, and writes nothing', async () => {
    const { BOT_ID: _omit, ...rest } = SAMPLE;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-pkg-missing-'));
    await expect(buildPackage({ envName: 'test', envFile: NO_FILE, outDir: dir, env: rest })).rejects.toThrow(
      /Missing value for BOT_ID\n/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  it('treats an empty setting as missing (the sample file leaves the ids blank), and points at the env file', async () => {
    const envFile = path.join(outDir, '.env.blank');
    fs.copyFileSync(SAMPLE_FILE, envFile);
    const err = await buildPackage({ envName: 'blank', envFile, outDir, env: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(PackageError);
    expect(err.message).toMatch(/Missing value for TEAMS_APP_ID/);
    expect(err.message).toMatch(/Missing value for BOT_ID/);
    expect(err.message).toMatch(/Missing value for BOT_DOMAIN/);
    expect(err.message).toContain('.env.blank');
  });

  it.each([
    ['BOT_ID', 'my-bot', /BOT_ID must be the Azure Bot's Microsoft App ID/],
    ['TEAMS_APP_ID', '1234', /TEAMS_APP_ID must be a GUID/],
    ['BOT_DOMAIN', 'https://keepsafe.knowsley.gov.uk/api', /BOT_DOMAIN must be a host name without https:\/\//],
    ['COUNCIL_PRIVACY_URL', 'http://www.knowsley.gov.uk/privacy', /COUNCIL_PRIVACY_URL must be an https:\/\/ address/],
    ['APP_VERSION', 'v1', /APP_VERSION must be a version such as 1.0.0/],
  ])('refuses a malformed %s, naming it', async (name, value, message) => {
    await expect(
      buildPackage({ envName: 'test', envFile: NO_FILE, outDir, env: { ...SAMPLE, [name]: value } }),
    ).rejects.toThrow(message);
  });

  it('a setting in the environment wins over the env file', async () => {
    const envFile = path.join(outDir, '.env.precedence');
    fs.writeFileSync(
      envFile,
      Object.entries(SAMPLE)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n'),
    );
    const { manifest } = await buildPackage({ envName: 'test', envFile, outDir, env: { APP_NAME_SUFFIX: '' } });
    expect(manifest.name.short).toBe('KeepSafe');
  });

  it('escapes values so they cannot break or extend the JSON', () => {
    expect(JSON.parse(fillPlaceholders('{"a":"${{X}}"}', { X: 'say "hi"\\' })).a).toBe('say "hi"\\');
    expect(Object.keys(JSON.parse(fillPlaceholders('{"a":"${{X}}"}', { X: '", "b": "c' })))).toEqual(['a']);
  });

  it('reads --env NAME and --env=NAME, refuses anything else', () => {
    expect(parseArgs([])).toEqual({ envName: 'dev' });
    expect(parseArgs(['--env', 'prod'])).toEqual({ envName: 'prod' });
    expect(parseArgs(['--env=local'])).toEqual({ envName: 'local' });
    expect(parseArgs(['--env'])).toHaveProperty('error');
    expect(parseArgs(['--zip'])).toHaveProperty('error');
  });
});

describe('icons', () => {
  it('are the sizes Teams requires, and the outline icon is white on transparent', () => {
    const color = PNG.sync.read(fs.readFileSync(path.join(APP, 'color.png')));
    const outline = PNG.sync.read(fs.readFileSync(path.join(APP, 'outline.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.data[3]).toBe(0); // corner pixel fully transparent
    let opaque = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] === 0) continue;
      opaque++;
      expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(opaque).toBeGreaterThan(50);
    expect(checkIcons(APP)).toEqual({ color: '192×192', outline: '32×32' });
  });

  it('the committed icons are exactly what scripts/make-icons.ts draws', () => {
    expect(Buffer.compare(PNG.sync.write(colorIcon()), fs.readFileSync(path.join(APP, 'color.png')))).toBe(0);
    expect(Buffer.compare(PNG.sync.write(outlineIcon()), fs.readFileSync(path.join(APP, 'outline.png')))).toBe(0);
  });

  it('the packager refuses a wrong-sized or coloured icon', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-icons-'));
    const write = (name: string, png: PNG) => fs.writeFileSync(path.join(dir, name), PNG.sync.write(png));
    write('color.png', colorIcon());
    write('outline.png', new PNG({ width: 48, height: 48 }));
    expect(() => checkIcons(dir)).toThrow(/outline.png must be 32×32/);
    const coloured = outlineIcon();
    const i = coloured.data.findIndex((_v, k) => k % 4 === 3 && coloured.data[k] > 0) - 3;
    coloured.data[i] = 0; // make one visible pixel cyan instead of white
    write('outline.png', coloured);
    expect(() => checkIcons(dir)).toThrow(/white on a transparent background/);
    fs.rmSync(dir, { recursive: true });
  });
});
