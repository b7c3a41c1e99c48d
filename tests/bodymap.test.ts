/**
 * The body-map picture: deterministic, small enough for a Teams card, pixel-identical to a reviewed fixture,
 * marked regions drawn where the geometry says (the person's left on the viewer's right in the front view and on
 * the viewer's left in the back view), clear errors, and alt text that says what the picture shows.
 *
 * To accept a deliberate change of the picture: UPDATE_BODYMAP_SNAPSHOT=1 npx jest tests/bodymap.test.ts,
 * then look at tests/fixtures/bodymap-known.png before committing it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { FIGURE, inSilhouette, regionAnchor, regionAt, REGION_GEOMETRY, regionsInView } from '../src/core/bodymap/geometry';
import { BODY_REGIONS, type BodyView } from '../src/core/bodymap/regions';
import {
  BODY_MAP_COLOURS,
  BODY_MAP_LAYOUT,
  BODY_MAP_MARK_TYPES,
  BODY_MAP_SIZE,
  bodyMapAltText,
  bodyMapDataUri,
  bodyMapRegionAtPixel,
  renderBodyMap,
  type BodyMapMark,
} from '../src/core/bodymap/render';

const FIXTURE = path.join(__dirname, 'fixtures', 'bodymap-known.png');
const ACTUAL = FIXTURE.replace(/\.png$/, '.actual.png');
const SIZE_LIMIT = 12 * 1024;

const KNOWN: BodyMapMark[] = [
  { view: 'front', region: 'left_forearm', type: 'bruise' },
  { view: 'back', region: 'upper_back', type: 'redness' },
  { view: 'front', region: 'right_knee', type: 'cut' },
];

/** Every region marked in every view it can be seen in, types cycling so that every marker is drawn. */
const EVERY_REGION: BodyMapMark[] = BODY_REGIONS.flatMap((r, i) =>
  r.views.map((view, j) => ({ view, region: r.id, type: BODY_MAP_MARK_TYPES[(i + j) % BODY_MAP_MARK_TYPES.length] })),
);

const VIEWS: BodyView[] = ['front', 'back'];

function decode(png: Buffer): PNG {
  return PNG.sync.read(png);
}

function rgbAt(img: PNG, x: number, y: number): [number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
}

const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/**
 * Pixels well inside a region: the pixel's centre and the centres of its eight neighbours all fall in it, so
 * no outline, divider or anti-aliased edge touches it.
 */
const interiorCache = new Map<BodyView, Map<string, { x: number; y: number }[]>>();
function interiorPixels(view: BodyView, region: string): { x: number; y: number }[] {
  let byRegion = interiorCache.get(view);
  if (!byRegion) {
    byRegion = new Map();
    const o = BODY_MAP_LAYOUT[view];
    const x0 = Math.floor(o.x - FIGURE.halfWidth) - 1;
    const y0 = Math.floor(o.y) - 1;
    const w = Math.ceil(2 * FIGURE.halfWidth) + 3;
    const h = Math.ceil(FIGURE.height) + 3;
    const grid: (string | null)[] = [];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) grid.push(bodyMapRegionAtPixel(view, x0 + x, y0 + y));
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const r = grid[y * w + x];
        if (r === null) continue;
        let all = true;
        for (let dy = -1; dy <= 1 && all; dy++) for (let dx = -1; dx <= 1 && all; dx++) all = grid[(y + dy) * w + x + dx] === r;
        if (!all) continue;
        if (!byRegion.has(r)) byRegion.set(r, []);
        byRegion.get(r)!.push({ x: x0 + x, y: y0 + y });
      }
    }
    interiorCache.set(view, byRegion);
  }
  return byRegion.get(region) ?? [];
}

describe('body map geometry', () => {
  it('draws exactly the regions of regions.ts in each view, each once', () => {
    for (const view of VIEWS) {
      const ids = REGION_GEOMETRY[view].map((g) => g.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...regionsInView(view)].sort());
    }
  });

  it("puts each region's anchor inside that region, and every region has a solid interior", () => {
    for (const view of VIEWS) {
      for (const id of regionsInView(view)) {
        const a = regionAnchor(view, id);
        expect({ view, id, at: regionAt(view, a.x, a.y) }).toEqual({ view, id, at: id });
        expect(interiorPixels(view, id).length).toBeGreaterThan(20);
      }
    }
  });

  it('gives every point of the outline a region, and none outside it', () => {
    for (const view of VIEWS) {
      for (let y = 0; y <= FIGURE.height; y += 0.5) {
        for (let x = -FIGURE.halfWidth; x <= FIGURE.halfWidth; x += 0.5) {
          const inside = inSilhouette(view, x, y);
          const r = regionAt(view, x, y);
          if (inside !== (r !== null)) throw new Error(`${view} (${x}, ${y}): outline says ${inside}, region ${r}`);
        }
      }
    }
  });

  it("places the person's left on the viewer's right in the front view and on the viewer's left in the back view", () => {
    for (const part of ['shoulder', 'upper_arm', 'forearm', 'hand', 'thigh', 'knee', 'lower_leg', 'foot']) {
      expect(regionAnchor('front', `left_${part}`).x).toBeGreaterThan(0);
      expect(regionAnchor('front', `right_${part}`).x).toBeLessThan(0);
      expect(regionAnchor('back', `left_${part}`).x).toBeLessThan(0);
      expect(regionAnchor('back', `right_${part}`).x).toBeGreaterThan(0);
    }
    // each view is its own mirror image, left and right swapped; and a limb drawn at +x in the front view is
    // the same limb at -x in the back view (off-grid sample points, so none sits exactly on a polygon's edge)
    const swap = (r: string | null) => (r?.startsWith('left_') ? r.replace('left_', 'right_') : r?.startsWith('right_') ? r.replace('right_', 'left_') : r);
    const sided = (r: string | null) => r !== null && /^(left|right)_/.test(r);
    for (let y = 0.37; y <= FIGURE.height; y += 1.5) {
      for (let x = 0.29; x <= FIGURE.halfWidth; x += 1.5) {
        for (const view of VIEWS) expect(regionAt(view, -x, y)).toBe(swap(regionAt(view, x, y)));
        const front = regionAt('front', x, y);
        const back = regionAt('back', -x, y);
        if (sided(front) && sided(back)) expect(back).toBe(front);
      }
    }
  });

  it('names a region that is unknown or not in the view', () => {
    expect(() => regionAnchor('front', 'elbow')).toThrow('Unknown body region "elbow"');
    expect(() => regionAnchor('back', 'face')).toThrow(/"face".*back view/);
  });
});

describe('renderBodyMap', () => {
  it('is a PNG of BODY_MAP_SIZE', () => {
    const img = decode(renderBodyMap(KNOWN));
    expect({ width: img.width, height: img.height }).toEqual(BODY_MAP_SIZE);
  });

  it('is deterministic: same marks, in any order and with repeats, give identical bytes', () => {
    const a = renderBodyMap(KNOWN);
    const b = renderBodyMap(KNOWN);
    const c = renderBodyMap([KNOWN[2], KNOWN[0], KNOWN[1], KNOWN[0]]);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
  });

  it('stays under the size limit in the worst case', () => {
    const sizes = {
      none: renderBodyMap([]).length,
      known: renderBodyMap(KNOWN).length,
      everyRegion: renderBodyMap(EVERY_REGION).length,
      // more than any record can hold (the record kind allows 50 marks): every type on every region
      everyRegionEveryType: renderBodyMap(
        BODY_REGIONS.flatMap((r) => r.views.flatMap((view) => BODY_MAP_MARK_TYPES.map((type) => ({ view, region: r.id, type })))),
      ).length,
    };
    for (const [name, size] of Object.entries(sizes)) expect({ name, under: size < SIZE_LIMIT }).toEqual({ name, under: true });
    expect(sizes.known).toBeLessThan(8 * 1024);
  });

  it('gives a data URI of the same bytes', () => {
    const uri = bodyMapDataUri(KNOWN);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64').equals(renderBodyMap(KNOWN))).toBe(true);
  });

  it('matches the reviewed picture pixel for pixel (tests/fixtures/bodymap-known.png)', () => {
    const actual = renderBodyMap(KNOWN);
    if (process.env.UPDATE_BODYMAP_SNAPSHOT === '1') {
      fs.writeFileSync(FIXTURE, actual);
      if (fs.existsSync(ACTUAL)) fs.unlinkSync(ACTUAL);
    }
    expect(fs.existsSync(FIXTURE)).toBe(true);
    const want = decode(fs.readFileSync(FIXTURE));
    const got = decode(actual);
    let differing = 0;
    if (want.width !== got.width || want.height !== got.height) differing = -1;
    else for (let i = 0; i < want.data.length; i += 4) if (want.data.readUInt32BE(i) !== got.data.readUInt32BE(i)) differing++;
    if (differing !== 0) {
      fs.writeFileSync(ACTUAL, actual);
      throw new Error(
        `Body map differs from ${FIXTURE} (${differing < 0 ? 'size' : `${differing} pixels`}); see ${ACTUAL}. ` +
          'If the change is intended: UPDATE_BODYMAP_SNAPSHOT=1 npx jest tests/bodymap.test.ts',
      );
    }
    if (fs.existsSync(ACTUAL)) fs.unlinkSync(ACTUAL);
  });

  it('fills a marked region and no other, in every region of both views', () => {
    const body = BODY_MAP_COLOURS.body;
    const highlight = BODY_MAP_COLOURS.highlight;
    for (const view of VIEWS) {
      for (const region of regionsInView(view)) {
        const img = decode(renderBodyMap([{ view, region, type: 'other' }]));
        // the marked region: no unmarked body colour left inside, and mostly the highlight (a badge covers some)
        const inside = interiorPixels(view, region);
        const lit = inside.filter((p) => same(rgbAt(img, p.x, p.y), highlight)).length;
        expect({ view, region, unmarked: inside.filter((p) => same(rgbAt(img, p.x, p.y), body)).length }).toEqual({ view, region, unmarked: 0 });
        expect({ view, region, lit: lit > 0 }).toEqual({ view, region, lit: true });
        // every other region, in both views: no highlight at all
        for (const v of VIEWS) {
          for (const other of regionsInView(v)) {
            if (v === view && other === region) continue;
            const wrong = interiorPixels(v, other).filter((p) => same(rgbAt(img, p.x, p.y), highlight)).length;
            if (wrong > 0) throw new Error(`marking ${view} ${region} lit ${wrong} pixels of ${v} ${other}`);
          }
        }
      }
    }
  });

  it("draws the person's left forearm on the figure's right in the front view and on its left in the back view", () => {
    const litPixels = (img: PNG) => {
      const out: number[] = [];
      for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (same(rgbAt(img, x, y), BODY_MAP_COLOURS.highlight)) out.push(x);
      return out;
    };
    const front = litPixels(decode(renderBodyMap([{ view: 'front', region: 'left_forearm', type: 'bruise' }])));
    expect(front.length).toBeGreaterThan(50);
    expect(Math.min(...front)).toBeGreaterThan(BODY_MAP_LAYOUT.front.x + 30); // right of the front figure's midline
    expect(Math.max(...front)).toBeLessThan(BODY_MAP_SIZE.width / 2); // and in the front figure, on the image's left half
    const back = litPixels(decode(renderBodyMap([{ view: 'back', region: 'left_forearm', type: 'bruise' }])));
    expect(Math.min(...back)).toBeGreaterThan(BODY_MAP_SIZE.width / 2); // the back figure, on the image's right half
    expect(Math.max(...back)).toBeLessThan(BODY_MAP_LAYOUT.back.x - 30); // left of the back figure's midline
  });

  it('refuses unknown regions, regions not in the view, and unknown views or types, naming them', () => {
    expect(() => renderBodyMap([{ view: 'front', region: 'elbow', type: 'bruise' }])).toThrow('Unknown body region "elbow"');
    expect(() => renderBodyMap([{ view: 'back', region: 'face', type: 'bruise' }])).toThrow(/"face" \(Face\) cannot be marked in the back view/);
    expect(() => renderBodyMap([{ view: 'front', region: 'upper_back', type: 'cut' }])).toThrow(/"upper_back".*front view/);
    expect(() => renderBodyMap([{ view: 'side', region: 'head', type: 'cut' } as unknown as BodyMapMark])).toThrow(/unknown view "side"/);
    expect(() => renderBodyMap([{ view: 'front', region: 'head', type: 'bite' } as unknown as BodyMapMark])).toThrow(/unknown type "bite"/);
    expect(() => bodyMapAltText([{ view: 'front', region: 'Left forearm', type: 'cut' }])).toThrow('Unknown body region "Left forearm"');
  });
});

describe('bodyMapAltText', () => {
  it('describes the known record, front then back, with the regions in plain words', () => {
    expect(bodyMapAltText(KNOWN)).toBe('Body map, front: bruise on left forearm, cut on right knee; back: redness on upper back');
  });

  it('joins several kinds of mark on one region, and drops repeats', () => {
    expect(
      bodyMapAltText([
        { view: 'back', region: 'buttocks', type: 'burn_or_scald' },
        { view: 'back', region: 'buttocks', type: 'bruise' },
        { view: 'back', region: 'buttocks', type: 'swelling' },
        { view: 'back', region: 'buttocks', type: 'bruise' },
      ]),
    ).toBe('Body map, back: bruise, burn or scald and swelling on buttocks');
  });

  it('says when nothing is marked', () => {
    expect(bodyMapAltText([])).toBe('Body map with no marks recorded');
  });

  it("never carries a mark's free text (descriptions stay in the record)", () => {
    const mark = { view: 'front', region: 'face', type: 'other', description: 'Mrs Smith said she fell', colour: 'purple', sizeCm: 2 } as const;
    const alt = bodyMapAltText([mark]);
    expect(alt).toBe('Body map, front: other mark on face');
    expect(renderBodyMap([mark]).equals(renderBodyMap([{ view: 'front', region: 'face', type: 'other' }]))).toBe(true);
  });
});
