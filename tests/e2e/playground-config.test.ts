/**
 * The Agents Playground config (.m365agentsplayground.yml) against the JSON schema bundled in the installed
 * @microsoft/m365agentsplayground, plus what KeepSafe needs from it. Runs without a browser.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { CHECKED_VERSION, CONFIG_PATH, installedVersion, preloadSource } from '../../scripts/playground';

// js-yaml comes with jest (through istanbul); the playground has no YAML parser of its own to lend.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

interface User {
  id: string;
  name: string;
  aadObjectId: string;
}
interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: User;
  users: User[];
  personalChat: { id: string };
  groupChat: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const text = fs.readFileSync(CONFIG_PATH, 'utf8');
const config = yaml.load(text) as PlaygroundConfig;

/**
 * The config schema as the playground's bundle embeds it: the one JSON.parse('...') literal that holds the
 * "ConfigFile" title. Checked on 0.2.28; if a new version moves it, this says so rather than passing.
 */
function bundledSchema(): object {
  const bundle = fs.readFileSync(
    path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'dist/index.js'),
    'utf8',
  );
  const at = bundle.indexOf('"title":"ConfigFile"');
  if (at < 0)
    throw new Error(
      `no config schema found in @microsoft/m365agentsplayground ${installedVersion()} (checked with ${CHECKED_VERSION})`,
    );
  const start = bundle.lastIndexOf("JSON.parse('", at) + "JSON.parse('".length;
  const end = bundle.indexOf("')", at);
  // The literal is a single-quoted JS string: undo its escapes the way the JS parser would.
  const literal = bundle.slice(start, end).replace(/\\(['"\\])/g, '$1');
  return JSON.parse(literal) as object;
}

describe('.m365agentsplayground.yml', () => {
  it('is valid against the config schema inside the installed playground', () => {
    const schema = bundledSchema();
    expect(schema).toMatchObject({ title: 'ConfigFile' });
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is the council tenant: KeepSafe, Sam Carter as the worker, five distinct people with real-looking ids', () => {
    expect(config.tenantId).toMatch(GUID);
    expect(config.bot.name).toBe('KeepSafe');
    expect(config.currentUser.name).toBe('Sam Carter');
    expect(config.users).toHaveLength(5);
    const people = [config.currentUser, ...config.users];
    for (const person of people) expect(person.aadObjectId).toMatch(GUID);
    expect(new Set(people.map((p) => p.aadObjectId)).size).toBe(6);
    expect(new Set(people.map((p) => p.id)).size).toBe(6);
  });

  it('has the managers team, whose General channel is the team id, and the "Managers escalations" channel', () => {
    expect(config.team.name).toBe('Social Care Managers');
    expect(config.team.aadGroupId).toMatch(GUID);
    expect(config.team.channels).toEqual([
      { id: expect.stringMatching(/^19:.+@thread\.tacv2$/), name: 'Managers escalations' },
    ]);
    expect(config.team.channels[0].id).not.toBe(config.team.id);
  });

  it('lists every id in its header comment, so the bot configuration can refer to them', () => {
    const header = text
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .join('\n');
    const ids = [
      config.tenantId,
      config.bot.id,
      config.personalChat.id,
      config.groupChat.id,
      config.team.id,
      config.team.aadGroupId,
      ...config.team.channels.map((c) => c.id),
      ...[config.currentUser, ...config.users].flatMap((u) => [u.id, u.aadObjectId]),
    ];
    for (const id of ids) expect(header).toContain(id);
    for (const user of config.users) expect(header).toMatch(new RegExp(`${user.name}\\s+(MANAGER|.*\\(staff\\))`));
  });
});

describe('the playground launch preload (scripts/playground.ts)', () => {
  const run = (preload: string, code: string) =>
    execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, '-e', code], {
      encoding: 'utf8',
    }).trim();

  it('makes a server that names no host listen on 127.0.0.1 only', () => {
    const code =
      "const s = require('node:http').createServer().listen(0, () => { console.log(s.address().address); s.close(); });";
    expect(run(preloadSource(), code)).toBe('127.0.0.1');
  });

  it('in tests, refuses a connection to a host that is not loopback and records it', () => {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ks-preload-')), 'outbound.log');
    const code = "require('node:net').connect(443, 'telemetry.invalid').on('error', (e) => console.log(e.message));";
    expect(run(preloadSource(log), code)).toBe('outbound connection refused in tests: telemetry.invalid');
    expect(fs.readFileSync(log, 'utf8')).toBe('telemetry.invalid\n');
  });
});
