/**
 * The printable body map for the case file: `npm run export -- --body-map KS-XXXXXXXX --out FILE.png` on SQLite
 * and PostgreSQL writes one body map as a PNG (the four views with the marks, the record's fields beside them),
 * owner-only, audited as an export of that entry; an older (flow 1) record prints too; bad arguments are refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { parseBodyMapArgs, parseArgs } from '../../src/cli/export';
import { printableLines, printableSvg } from '../../src/core/bodymap/print';
import { recordReference } from '../../src/core/records/reference';
import { openStore, type RecordStore } from '../../src/storage/store';
import type { StoredEntryOf } from '../../src/core/records/entry';
import { ENGINES, makeTestDb, type TestDb } from '../helpers/db';
import { runCli } from '../storage/fixtures/cli';

const SAM = { aadObjectId: 'aad-sam', name: 'Sam Carter' };
const MARKED_AT = '2026-11-24T14:30:00.000Z';

const V2_FIELDS = {
  marks: [
    {
      view: 'front',
      region: 'left_forearm',
      vertical: 'upper',
      across: 'outer',
      type: 'bruise',
      lengthCm: 3,
      widthCm: 2,
      shape: 'oval',
      colour: 'purple with a yellow edge',
      skinBroken: 'no',
      swelling: 'yes',
      bleeding: 'no',
      explanation: 'the_person',
      explanationWords: 'I banged it on the door',
      markedAt: MARKED_AT,
    },
    {
      view: 'left',
      region: 'left_hip',
      type: 'cut',
      lengthCm: 4,
      widthCm: 0.2,
      shape: 'line',
      colour: 'red',
      skinBroken: 'yes',
      swelling: 'no',
      bleeding: 'yes',
      explanation: 'someone_else',
      explainedBy: 'mother',
      explanationWords: 'He fell on the fence',
      description: 'Two parallel lines',
      markedAt: MARKED_AT,
    },
  ],
  ageBand: 'child',
  recorderRole: 'Support worker',
  flowVersion: '2',
};

const V1_FIELDS = {
  marks: [
    {
      view: 'back',
      region: 'upper_back',
      type: 'redness',
      sizeCm: 10,
      description: 'Red patch across the shoulder blades',
    },
  ],
  flowVersion: '1',
};

describe('printable body map (no database)', () => {
  const entry = {
    id: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
    caseRef: 'LCS-104233',
    author: SAM,
    createdAt: '2026-11-24T14:35:00.000Z',
    fields: V2_FIELDS,
    guidanceVersion: '1.0',
    corrects: null,
    reason: null,
  } as unknown as StoredEntryOf<'body_map'>;

  it("puts every field of the record beside the picture: who, role, when, outline, and each mark's details", () => {
    const text = printableLines(entry, new Date('2026-11-25T09:00:00Z'))
      .map((l) => l.text)
      .join('\n');
    for (const want of [
      'Body map KS-7E2D4A1B',
      'Case reference: LCS-104233',
      'Recorded by: Sam Carter (Support worker)',
      'Outline: Child (2 to 12)',
      '1. Left forearm (front), upper part, outer side: bruise, 3 × 2 cm, oval, purple with a yellow edge',
      'Skin not broken; swelling; not bleeding; explained by the person. Their words: "I banged it on the door"',
      '2. Left hip (left side): cut, 4 × 0.2 cm, a line or strip, red',
      'explained by mother. Their words: "He fell on the fence" Two parallel lines',
    ])
      expect(text).toContain(want);
    expect(text).toMatch(/Recorded: .*2026/);
    expect(text).toMatch(/Marked .*2026/);
    const { svg, width } = printableSvg(entry, new Date('2026-11-25T09:00:00Z'));
    expect(width).toBe(1700);
    expect(svg).toContain('>Left side</text>');
    expect(svg).toContain('>Right side</text>');
  });

  it('prints an older (flow 1) record as it was: front and back, one size', () => {
    const old = { ...entry, fields: V1_FIELDS } as unknown as StoredEntryOf<'body_map'>;
    const text = printableLines(old, new Date())
      .map((l) => l.text)
      .join('\n');
    expect(text).toContain('1. Back, Upper back: redness, 10 cm');
    expect(text).toContain('Red patch across the shoulder blades');
    expect(text).toContain('Outline: Adult or young person (13 and over)');
  });

  it('refuses export arguments that do not make one body map', () => {
    expect(parseBodyMapArgs(['--body-map', 'KS-7E2D4A1B', '--out', 'map.png'])).toEqual({
      bodyMap: 'KS-7E2D4A1B',
      out: 'map.png',
    });
    expect(parseBodyMapArgs(['--from', '2026-11-01', '--to', '2026-11-30'])).toBeUndefined();
    expect(() => parseBodyMapArgs(['--body-map', 'KS-7E2D4A1B'])).toThrow(/needs --out/);
    expect(() => parseBodyMapArgs(['--body-map', 'KS-7E2D4A1B', '--out', 'map.csv'])).toThrow(/must end in \.png/);
    expect(() => parseBodyMapArgs(['--body-map', 'Mrs Jones', '--out', 'map.png'])).toThrow(/not a reference/);
    expect(() => parseBodyMapArgs(['--body-map', 'KS-7E2D4A1B', '--out', 'map.png', '--from', '2026-11-01'])).toThrow(
      /does not go with it/,
    );
    expect(() => parseArgs(['--from', '2026-11-01', '--to', '2026-11-30', '--body-map', 'KS-7E2D4A1B'])).toThrow(
      /one body map/,
    );
  });
});

describe.each(ENGINES.map((e) => [e]))('npm run export --body-map on %s', (engine) => {
  let db: TestDb;
  let store: RecordStore;
  beforeEach(async () => {
    db = await makeTestDb(engine);
    store = await openStore(db.options);
  });
  afterEach(async () => {
    await store?.close();
    await db?.cleanup();
  });

  it('writes one body map as a PNG, owner-only, and audits the export of that entry; an older record too', async () => {
    const entry = await store.append({
      kind: 'body_map',
      caseRef: 'LCS-104233',
      author: SAM,
      fields: V2_FIELDS as never,
      guidanceVersion: '1.0',
    });
    const old = await store.append({
      kind: 'body_map',
      caseRef: 'LCS-104233',
      author: SAM,
      fields: V1_FIELDS as never,
      guidanceVersion: '1.0',
    });
    const ref = recordReference(entry.id);
    const out = path.join(db.options.dataDir, 'map.png');
    const res = runCli('export', db, ['--body-map', ref, '--out', out, '--as', 'aad-priya']);
    expect({ status: res.status, stderr: res.stderr }).toEqual({
      status: 0,
      stderr: `Exported body map ${ref} to ${out}\n`,
    });
    const png = PNG.sync.read(fs.readFileSync(out));
    expect(png.width).toBe(1700);
    expect(png.height).toBeGreaterThan(900);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const events = await db.raw(
      `select actor_id, record_id, case_ref, kind, detail from audit_events where action = 'export' order by seq`,
    );
    expect(events).toEqual([
      {
        actor_id: 'aad-priya',
        record_id: entry.id,
        case_ref: 'LCS-104233',
        kind: 'body_map',
        detail: JSON.stringify({ count: 1, format: 'png' }),
      },
    ]);

    // By the full id, and an older record.
    const outOld = path.join(db.options.dataDir, 'old.png');
    expect(runCli('export', db, ['--body-map', old.id, '--out', outOld, '--as', 'aad-priya']).status).toBe(0);
    expect(PNG.sync.read(fs.readFileSync(outOld)).width).toBe(1700);

    // No such body map (a written record's reference is not a body map): nothing written, and said plainly.
    const written = await store.append({
      kind: 'written_record',
      caseRef: 'LCS-104233',
      author: SAM,
      fields: { whatWasSeen: 'Seen' },
      guidanceVersion: '1.0',
    });
    const missing = runCli('export', db, [
      '--body-map',
      recordReference(written.id),
      '--out',
      path.join(db.options.dataDir, 'none.png'),
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No body map KS-/);
    expect(fs.existsSync(path.join(db.options.dataDir, 'none.png'))).toBe(false);
    expect((await store.verifyAudit()).ok).toBe(true);
  });
});
