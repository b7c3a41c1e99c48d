/**
 * The managers' printable body map, driven directly (Turn → Reply): "body map KS-…" offers the file in a
 * manager's 1:1 chat (name and description carry the reference and date only); refused to a worker (audited)
 * and in a channel; polite notices for no reference, an unknown one, an entry that is not a body map and a store
 * that cannot be reached; the accept makes the same PNG as the CLI export and audits it as an export.
 */
import { parseCommandDetail } from '../../../src/core/commands';
import { recordReference } from '../../../src/core/records/reference';
import { fileAccepted, fileDeclined, runCommand } from '../../../src/features/routes';
import { StoreUnavailableError } from '../../../src/storage/errors';
import type { StoredEntry } from '../../../src/storage/types';
import { BODY_MAP_FIELDS } from '../../fixtures/bodyMapFields';
import { harnessForFile, only, PRIYA, SAM, textOf, turn } from '../harness';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const h = harnessForFile();
let map: StoredEntry;
let written: StoredEntry;
let ref: string;
beforeAll(async () => {
  map = await h.store.append({
    kind: 'body_map',
    caseRef: 'LCS-104233',
    author: SAM,
    fields: BODY_MAP_FIELDS as never,
    guidanceVersion: '1.0',
  });
  written = await h.store.append({
    kind: 'written_record',
    caseRef: 'LCS-104233',
    author: SAM,
    fields: { whatWasSeen: 'Seen' },
    guidanceVersion: '1.0',
  });
  ref = recordReference(map.id);
});

const ask = (entryRef: string | undefined, over: Parameters<typeof turn>[0] = { actor: PRIYA }) =>
  runCommand(turn(over), h.deps, 'print_body_map', { entryRef });

describe('the command', () => {
  it('is recognised with a reference, and "body map" alone stays a question for the guidance', () => {
    expect(parseCommandDetail('body map KS-7e2d4a1b')).toEqual({ name: 'print_body_map', entryRef: 'KS-7E2D4A1B' });
    expect(parseCommandDetail('print body map KS-7E2D4A1B')).toEqual({
      name: 'print_body_map',
      entryRef: 'KS-7E2D4A1B',
    });
    expect(parseCommandDetail('print body map')).toEqual({ name: 'print_body_map' });
    expect(parseCommandDetail('body map')).toBeNull();
    expect(parseCommandDetail('team consent log KS-7E2D4A1B')?.entryRef).toBeUndefined();
  });

  it('offers a manager the file: its name and words carry the reference and the date, never a name', async () => {
    const reply = only(await ask(ref));
    expect(reply.kind).toBe('fileOffer');
    if (reply.kind !== 'fileOffer') return;
    expect(reply.file.name).toMatch(new RegExp(`^body-map-${ref}-\\d{4}-\\d{2}-\\d{2}\\.png$`));
    expect(reply.file.description).toMatch(
      new RegExp(`^Body map ${ref}, recorded \\d{1,2} \\w{3} \\d{4}: a printable copy`),
    );
    expect(reply.file.context).toEqual({ entry: ref });
    expect(reply.file.sizeInBytes).toBeGreaterThan(20_000);
    const shown = JSON.stringify(reply);
    for (const never of [SAM.name, 'Sam', 'LCS-104233', 'banged', 'mother']) expect(shown).not.toContain(never);
  });

  it('refuses a worker (audited) and says what they can do instead', async () => {
    const before = h.refusals().length;
    const reply = only(await ask(ref, { actor: SAM }));
    expect(reply).toMatchObject({ kind: 'notice', title: 'Managers only' });
    expect(textOf(reply)).toMatch(/Only managers can print a body map for the case file/);
    expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'bodymap.print', record: null }]);
  });

  it('in a channel, says it works in the 1:1 chat (and offers nothing there)', async () => {
    const reply = only(await ask(ref, { actor: PRIYA, place: 'channel' }));
    expect(reply).toMatchObject({ kind: 'notice', title: 'Do this in your chat with me' });
    expect(textOf(reply)).toMatch(/1:1 chat with KeepSafe.*type 'body map KS-…'/);
  });

  it('says politely what is wrong: no reference, not a reference, unknown, not a body map', async () => {
    expect(textOf(only(await ask(undefined)))).toMatch(/Which body map\?[\s\S]*body map KS-7Q2M4X1A/);
    expect(textOf(only(await ask('KS-ZZZZZZZZ')))).toMatch(/KS-ZZZZZZZZ isn't an entry's reference/);
    const unknown = map.id.startsWith('0') ? 'KS-FFFFFFFF' : 'KS-00000000';
    expect(only(await ask(unknown))).toMatchObject({ kind: 'notice', title: 'No entry with that reference' });
    const other = only(await ask(recordReference(written.id)));
    expect(other).toMatchObject({ kind: 'notice', title: 'That entry is not a body map' });
  });

  it('says the records cannot be reached when the store is down', async () => {
    const lookup = h.store.lookup;
    h.store.lookup = async () => {
      throw new StoreUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    };
    try {
      expect(only(await ask(ref))).toMatchObject({ kind: 'notice', title: "I can't reach the records just now" });
    } finally {
      h.store.lookup = lookup;
    }
  });
});

describe('the accept', () => {
  it("makes the PNG and audits it as an export of that entry by the manager (the CLI's path)", async () => {
    const before = h.audited('export').length;
    const file = await fileAccepted(turn({ actor: PRIYA }), h.deps, { entry: ref });
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(file.bytes.readUInt32BE(16)).toBe(1700); // the IHDR width: the printable page
    expect(file.name).toMatch(new RegExp(`^body-map-${ref}-`));
    expect(file.fileType).toBe('png');
    expect(h.audited('export').slice(before)).toEqual([{ actor: PRIYA.aadObjectId, record: map.id }]);
  });

  it('checks the guards again: someone no longer a manager gets a message, audited, and no file', async () => {
    const before = { refusals: h.refusals().length, exports: h.audited('export').length };
    const file = await fileAccepted(turn({ actor: SAM }), h.deps, { entry: ref });
    expect(file.ok).toBe(false);
    if (file.ok) return;
    expect(file.replies).toEqual([
      { kind: 'message', text: expect.stringMatching(/^Only managers can print a body map/) },
    ]);
    expect(h.refusals().slice(before.refusals)).toEqual([
      { actor: SAM.aadObjectId, what: 'bodymap.print', record: null },
    ]);
    expect(h.audited('export').length).toBe(before.exports);
  });

  it('an entry gone since the offer, or the store down: a message and no file', async () => {
    const unknown = map.id.startsWith('0') ? 'KS-FFFFFFFF' : 'KS-00000000';
    const gone = await fileAccepted(turn({ actor: PRIYA }), h.deps, { entry: unknown });
    expect(gone).toEqual({
      ok: false,
      replies: [{ kind: 'message', text: expect.stringMatching(/I can't find an entry KS-/) }],
    });
    const exportOne = h.store.exportOne;
    h.store.exportOne = async () => {
      throw new StoreUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    };
    try {
      const down = await fileAccepted(turn({ actor: PRIYA }), h.deps, { entry: ref });
      expect(down).toEqual({
        ok: false,
        replies: [{ kind: 'message', text: expect.stringMatching(/can't reach the records/) }],
      });
    } finally {
      h.store.exportOne = exportOne;
    }
  });

  it('a decline is a short message naming the reference only', () => {
    expect(fileDeclined({ entry: ref })).toEqual([
      { kind: 'message', text: expect.stringMatching(new RegExp(`haven't saved body map ${ref}`)) },
    ]);
  });
});
