import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildPackage, fillPlaceholders } from '../scripts/package';

const SAMPLE = {
  TEAMS_APP_ID: '6f1c2a3b-1111-4222-8333-944455566677',
  BOT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  BOT_DOMAIN: 'keepsafe.knowsley.example',
  COUNCIL_WEBSITE_URL: 'https://www.knowsley.gov.uk',
  COUNCIL_PRIVACY_URL: 'https://www.knowsley.gov.uk/privacy',
  COUNCIL_TERMS_URL: 'https://www.knowsley.gov.uk/terms',
};
const APP = path.resolve(__dirname, '../appPackage');

describe('Teams app package', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-pkg-'));
  });

  it('builds a zip whose manifest validates against the official schema, with both icons at its root', async () => {
    const { zipFile, manifest } = await buildPackage({ envName: 'test', envFile: '/nonexistent', outDir, env: SAMPLE });
    expect(manifest.manifestVersion >= '1.17').toBe(true);
    expect(manifest.bots[0].botId).toBe(SAMPLE.BOT_ID);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team']);
    const commands = manifest.bots[0].commandLists.flatMap((l: any) => l.commands.map((c: any) => c.title));
    expect(commands).toEqual(expect.arrayContaining(['help', 'topics']));
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('the schema check is real: a broken manifest is refused', async () => {
    const { manifest } = await buildPackage({ envName: 'test', envFile: '/nonexistent', outDir, env: SAMPLE });
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] };
    expect((await AppManifestUtils.validateAgainstSchema(broken)).length).toBeGreaterThan(0);
  });

  it('icons are the sizes Teams requires, and the outline icon is transparent', () => {
    const color = PNG.sync.read(fs.readFileSync(path.join(APP, 'color.png')));
    const outline = PNG.sync.read(fs.readFileSync(path.join(APP, 'outline.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.data[3]).toBe(0); // corner pixel fully transparent
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] > 0) expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
    }
  });

  it('refuses to build when a placeholder has no value, naming it', async () => {
    const { BOT_ID: _omit, ...rest } = SAMPLE;
    await expect(buildPackage({ envName: 'test', envFile: '/nonexistent', outDir, env: rest })).rejects.toThrow(/Missing value for BOT_ID/);
  });

  it('escapes values so they cannot break the JSON', () => {
    expect(JSON.parse(fillPlaceholders('{"a":"${{X}}"}', { X: 'say "hi"\\' })).a).toBe('say "hi"\\');
  });
});
