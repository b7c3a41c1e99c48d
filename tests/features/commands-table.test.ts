/**
 * One command table (src/core/commands.ts) gives the router its commands, the help card its buttons and the
 * Teams manifest its command menus: the manifest in appPackage/ must say exactly what the table says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS, helpButtons, MENU_WORDS, menuCommands, parseCommand } from '../../src/core/commands';
import { helpCardData } from '../../src/features/guidance/views';
import { ROUTES } from '../../src/features/routes';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../appPackage/manifest.json'), 'utf8'));

it("the manifest's command menus are the table's, scope by scope, in order and in the same words", () => {
  type List = { scopes: string[]; commands: Array<{ title: string; description: string }> };
  const lists = manifest.bots[0].commandLists as List[];
  for (const scope of ['personal', 'team'] as const) {
    const inManifest = lists.filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands);
    expect([scope, inManifest]).toEqual([scope, menuCommands(scope)]);
  }
});

it('every command the menus or help offer is one the router recognises and routes', () => {
  for (const c of COMMANDS) {
    expect(parseCommand(c.title)).toBe(c.name);
    expect(ROUTES.commands[c.name]).toBeDefined();
  }
  for (const b of [...helpButtons(false), ...helpButtons(true)]) {
    if (MENU_WORDS.some((w) => w.title === b.command)) continue;
    expect(parseCommand(b.command)).not.toBeNull();
  }
});

it("help comes from the table: the managers' buttons are the table's managers' commands", () => {
  const managers = new Set(COMMANDS.filter((c) => c.managers).map((c) => c.title));
  expect(helpCardData(false).managerCommands).toEqual([]);
  expect(helpCardData(true).managerCommands.length).toBeGreaterThan(0);
  for (const b of helpCardData(true).managerCommands) expect(managers.has(b.command)).toBe(true);
  for (const b of helpCardData(false).commands) expect(managers.has(b.command)).toBe(false);
});
