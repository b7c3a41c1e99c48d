/**
 * The body map: geometry as data (four views, three age bands, one numbered region list), marks drawn where
 * they are and at their size, numbered as in the list and in the alt text, deterministic pictures compared pixel
 * for pixel with reviewed fixtures (one per view), small enough for a Teams card, and older records still drawn.
 *
 * To accept a deliberate change of the pictures: UPDATE_BODYMAP_SNAPSHOT=1 npx jest tests/core/bodymap/bodymap.test.ts,
 * then LOOK at tests/fixtures/bodymap-*.png before committing them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import {
  acrossChoices,
  FIGURE,
  inSilhouette,
  markPoint,
  numberedRegions,
  regionAnchor,
  regionAt,
  regionGeometry,
  regionsInView,
  unitsPerCm,
  viewGeometry,
} from '../../../src/core/bodymap/geometry';
import { AGE_BANDS, BODY_REGIONS, BODY_VIEWS, type AgeBand, type BodyView } from '../../../src/core/bodymap/regions';
import {
  bodyMapAltText,
  bodyMapDataUri,
  renderBodyMap,
  BODY_MAP_MARK_TYPES,
  TYPE_STYLE,
  type BodyMapMark,
} from '../../../src/core/bodymap/render';
import { bodyMapSvg } from '../../../src/core/bodymap/svg';

const FIXTURES = path.join(__dirname, '../../fixtures');
const UPDATE = process.env.UPDATE_BODYMAP_SNAPSHOT === '1';

const swap = (r: string | null) =>
  r?.startsWith('left_') ? r.replace('left_', 'right_') : r?.startsWith('right_') ? r.replace('right_', 'left_') : r;

/** A known record for each view: three marks of different types, sizes and positions. */
const KNOWN: Record<BodyView, BodyMapMark[]> = {
  front: [
    {
      view: 'front',
      region: 'left_forearm',
      type: 'bruise',
      lengthCm: 3,
      widthCm: 2,
      vertical: 'upper',
      across: 'outer',
    },
    { view: 'front', region: 'chest', type: 'redness', lengthCm: 8, widthCm: 5, across: 'right' },
    { view: 'front', region: 'right_knee', type: 'cut', lengthCm: 2, widthCm: 0.3 },
  ],
  back: [
    { view: 'back', region: 'upper_back', type: 'burn_or_scald', lengthCm: 6, widthCm: 4, across: 'left' },
    {
      view: 'back',
      region: 'right_upper_arm',
      type: 'bruise',
      lengthCm: 2,
      widthCm: 2,
      vertical: 'lower',
      across: 'inner',
    },
    { view: 'back', region: 'buttocks', type: 'other', lengthCm: 4, widthCm: 3 },
  ],
  left: [
    { view: 'left', region: 'left_side_of_face', type: 'swelling', lengthCm: 4, widthCm: 3 },
    { view: 'left', region: 'left_upper_arm', type: 'bruise', lengthCm: 5, widthCm: 1.5, across: 'back' },
    { view: 'left', region: 'left_thigh', type: 'cut', lengthCm: 6, widthCm: 0.5, vertical: 'lower', across: 'front' },
  ],
  right: [
    { view: 'right', region: 'right_ear', type: 'redness', lengthCm: 2, widthCm: 1 },
    { view: 'right', region: 'right_hip', type: 'bruise', lengthCm: 7, widthCm: 6 },
    { view: 'right', region: 'right_lower_leg', type: 'burn_or_scald', lengthCm: 3, widthCm: 3, vertical: 'upper' },
  ],
};

/** Twenty marks over all four views, every type, the largest sizes: the busiest picture the walkthrough makes. */
const TWENTY: BodyMapMark[] = Array.from({ length: 20 }, (_, i) => {
  const view = BODY_VIEWS[i % 4];
  const regions = regionsInView(view);
  return {
    view,
    region: regions[(i * 7) % regions.length],
    type: BODY_MAP_MARK_TYPES[i % 6],
    lengthCm: 3 + (i % 5),
    widthCm: 1 + (i % 3),
    vertical: (['upper', 'middle', 'lower', undefined] as const)[i % 4],
  };
});

function decode(png: Buffer): PNG {
  return PNG.sync.read(png);
}

function hex(img: PNG, x: number, y: number): string {
  const i = (y * img.width + x) * 4;
  return `#${[img.data[i], img.data[i + 1], img.data[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

function compareWithFixture(name: string, actual: Buffer): void {
  const file = path.join(FIXTURES, `${name}.png`);
  const diffFile = file.replace(/\.png$/, '.actual.png');
  if (UPDATE) fs.writeFileSync(file, actual);
  expect(fs.existsSync(file)).toBe(true);
  const want = decode(fs.readFileSync(file));
  const got = decode(actual);
  let differing = 0;
  if (want.width !== got.width || want.height !== got.height) differing = -1;
  else
    for (let i = 0; i < want.data.length; i += 4)
      if (want.data.readUInt32BE(i) !== got.data.readUInt32BE(i)) differing++;
  if (differing !== 0) {
    fs.writeFileSync(diffFile, actual);
    throw new Error(
      `${name} differs from ${file} (${differing < 0 ? 'size' : `${differing} pixels`}); see ${diffFile}. If intended: UPDATE_BODYMAP_SNAPSHOT=1 npx jest tests/core/bodymap/bodymap.test.ts`,
    );
  }
  if (fs.existsSync(diffFile)) fs.unlinkSync(diffFile);
}

describe('body map geometry: one table for the picture and the region list', () => {
  it('has, in each view, exactly the regions regions.ts says are seen there, numbered 1 to N once each', () => {
    for (const view of BODY_VIEWS) {
      const g = viewGeometry(view);
      const ids = g.regions.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(
        BODY_REGIONS.filter((r) => r.views.includes(view))
          .map((r) => r.id)
          .sort(),
      );
      expect(g.regions.map((r) => r.number).sort((a, b) => a - b)).toEqual(ids.map((_, i) => i + 1));
      expect(numberedRegions(view).map((r) => r.number)).toEqual(ids.map((_, i) => i + 1));
    }
  });

  it('puts every region number inside its own region, in every view and age band', () => {
    for (const view of BODY_VIEWS) {
      for (const band of AGE_BANDS) {
        for (const id of regionsInView(view)) {
          const a = regionAnchor(view, id, band);
          expect({ view, band, id, at: regionAt(view, a.x, a.y, band) }).toEqual({ view, band, id, at: id });
        }
      }
    }
  });

  it('gives every point inside the outline one region, and none outside it', () => {
    for (const view of BODY_VIEWS) {
      for (const band of AGE_BANDS) {
        for (let y = 0.3; y <= FIGURE.height; y += 1.7) {
          for (let x = -FIGURE.halfWidth + 0.2; x <= FIGURE.halfWidth; x += 1.7) {
            const inside = inSilhouette(view, x, y, band);
            const r = regionAt(view, x, y, band);
            if (inside !== (r !== null))
              throw new Error(`${view}/${band} (${x}, ${y}): outline says ${inside}, region ${r}`);
          }
        }
      }
    }
  });

  it("puts the person's left on the viewer's right from the front and on the viewer's left from the back", () => {
    for (const part of ['shoulder', 'upper_arm', 'forearm', 'hand', 'thigh', 'knee', 'lower_leg', 'foot']) {
      expect(regionAnchor('front', `left_${part}`).x).toBeGreaterThan(0);
      expect(regionAnchor('front', `right_${part}`).x).toBeLessThan(0);
      expect(regionAnchor('back', `left_${part}`).x).toBeLessThan(0);
      expect(regionAnchor('back', `right_${part}`).x).toBeGreaterThan(0);
    }
    // Each view is its own mirror image with left and right swapped; the back is the front mirrored.
    for (let y = 0.37; y <= FIGURE.height; y += 1.5) {
      for (let x = 0.29; x <= FIGURE.halfWidth; x += 1.5) {
        for (const view of ['front', 'back'] as const) expect(regionAt(view, -x, y)).toBe(swap(regionAt(view, x, y)));
        const front = regionAt('front', x, y);
        const back = regionAt('back', -x, y);
        if (front?.match(/^(left|right)_/) && back?.match(/^(left|right)_/)) expect(back).toBe(front);
      }
    }
  });

  it('shows only the left side in the left view and only the right in the right view, facing opposite ways', () => {
    expect(regionsInView('left').every((id) => id.startsWith('left_'))).toBe(true);
    expect(regionsInView('right').every((id) => id.startsWith('right_'))).toBe(true);
    expect(regionsInView('right')).toEqual(regionsInView('left').map((id) => id.replace('left_', 'right_')));
    // The person faces the viewer's left in the left view (the face is further left than the back of the head)…
    expect(regionAnchor('left', 'left_side_of_face').x).toBeLessThan(regionAnchor('left', 'left_side_of_head').x);
    // …and the right view is its mirror, region for region.
    for (let y = 0.37; y <= FIGURE.height; y += 1.5) {
      for (let x = -40.29; x <= 40; x += 1.5) expect(regionAt('right', -x, y)).toBe(swap(regionAt('left', x, y)));
    }
    expect(() => regionAnchor('left', 'right_hand')).toThrow(/"right_hand".*left view/);
    expect(() => regionAnchor('front', 'left_hip')).toThrow(/"left_hip".*front view/);
    expect(() => regionAnchor('front', 'elbow')).toThrow('Unknown body region "elbow"');
  });

  it("draws a baby's head bigger for its height than a child's, and a child's than an adult's", () => {
    const headShare = (band: AgeBand) => {
      const ys = regionGeometry('front', 'face', band)
        .polygons.flat()
        .map((p) => p.y);
      return Math.max(...ys) / FIGURE.height;
    };
    expect(headShare('baby')).toBeGreaterThan(headShare('child') + 0.03);
    expect(headShare('child')).toBeGreaterThan(headShare('adult') + 0.02);
    // And a centimetre is more of a baby's outline than of an adult's.
    expect(unitsPerCm('baby')).toBeGreaterThan(unitsPerCm('child'));
    expect(unitsPerCm('child')).toBeGreaterThan(unitsPerCm('adult'));
  });

  it('places a mark in the part of its region named, always inside the region', () => {
    for (const view of BODY_VIEWS) {
      for (const id of regionsInView(view)) {
        const up = markPoint(view, id, 'adult', 'upper');
        const mid = markPoint(view, id, 'adult', 'middle');
        const low = markPoint(view, id, 'adult', 'lower');
        for (const p of [up, mid, low]) expect(regionAt(view, p.x, p.y)).toBe(id);
        expect(up.y).toBeLessThan(low.y);
        for (const across of acrossChoices(view, id)) {
          const p = markPoint(view, id, 'adult', undefined, across);
          expect({ view, id, across, at: regionAt(view, p.x, p.y) }).toEqual({ view, id, across, at: id });
        }
      }
    }
    // Outer is further from the midline than inner, on a limb, from the front and the back.
    for (const view of ['front', 'back'] as const) {
      for (const id of ['left_upper_arm', 'right_thigh']) {
        expect(Math.abs(markPoint(view, id, 'adult', undefined, 'outer').x)).toBeGreaterThan(
          Math.abs(markPoint(view, id, 'adult', undefined, 'inner').x),
        );
      }
    }
    // The person's left of the chest is on the viewer's right from the front; of the upper back, on the viewer's left.
    expect(markPoint('front', 'chest', 'adult', undefined, 'left').x).toBeGreaterThan(2);
    expect(markPoint('front', 'chest', 'adult', undefined, 'right').x).toBeLessThan(-2);
    expect(markPoint('back', 'upper_back', 'adult', undefined, 'left').x).toBeLessThan(-2);
    // From the side: the front of the thigh is towards the way the person faces.
    expect(markPoint('left', 'left_thigh', 'adult', undefined, 'front').x).toBeLessThan(
      markPoint('left', 'left_thigh', 'adult', undefined, 'back').x,
    );
    expect(markPoint('right', 'right_thigh', 'adult', undefined, 'front').x).toBeGreaterThan(
      markPoint('right', 'right_thigh', 'adult', undefined, 'back').x,
    );
    expect(acrossChoices('front', 'chest')).toEqual(['left', 'right']);
    expect(acrossChoices('back', 'left_forearm')).toEqual(['inner', 'outer']);
    expect(acrossChoices('left', 'left_hip')).toEqual(['front', 'back']);
  });
});

describe('body map picture', () => {
  it('draws each mark at its size: an ellipse of length × width in cm, scaled to the outline', () => {
    const ellipses = (marks: BodyMapMark[], band: AgeBand) =>
      [
        ...bodyMapSvg(marks, { layout: 'summary', band }).svg.matchAll(/<ellipse [^>]*rx="([\d.]+)" ry="([\d.]+)"/g),
      ].map((m) => ({ rx: Number(m[1]), ry: Number(m[2]) }));
    const scale = 360 / (2 * FIGURE.halfWidth + 84); // summary: two views across 720 px
    const [e] = ellipses([{ view: 'front', region: 'abdomen', type: 'bruise', lengthCm: 10, widthCm: 4 }], 'adult');
    expect(e.ry).toBeCloseTo(5 * unitsPerCm('adult') * scale, 0);
    expect(e.rx).toBeCloseTo(2 * unitsPerCm('adult') * scale, 0);
    // The same 4 cm mark is bigger on a baby's outline than on an adult's.
    const baby = ellipses([{ view: 'front', region: 'abdomen', type: 'bruise', lengthCm: 4, widthCm: 4 }], 'baby')[0];
    const adult = ellipses([{ view: 'front', region: 'abdomen', type: 'bruise', lengthCm: 4, widthCm: 4 }], 'adult')[0];
    expect(baby.rx / adult.rx).toBeCloseTo(unitsPerCm('baby') / unitsPerCm('adult'), 1);
    // In pixels, on the figure (not the label in the margin): an 8 cm bruise on the upper arm is four times as tall
    // as a 2 cm one and covers far more (the whole region was painted before, whatever the size).
    const blob = (lengthCm: number) => {
      const img = decode(
        renderBodyMap([{ view: 'front', region: 'left_upper_arm', type: 'bruise', lengthCm, widthCm: lengthCm / 2 }]),
      );
      const rows = new Set<number>();
      let n = 0;
      for (let y = 0; y < 600; y++)
        for (let x = 200; x < 290; x++)
          if (hex(img, x, y) === TYPE_STYLE.bruise.colour) {
            n++;
            rows.add(y);
          }
      return { n, h: rows.size };
    };
    const small = blob(2);
    const big = blob(8);
    expect(big.h / small.h).toBeGreaterThan(3);
    expect(big.h / small.h).toBeLessThan(5);
    expect(big.n).toBeGreaterThan(small.n * 6); // not 16: a mark is never drawn under 1.6 figure units across
  });

  it('gives each type its own colour and symbol, and shows each used type once in the legend', () => {
    const colours = new Set(Object.values(TYPE_STYLE).map((s) => s.colour));
    const symbols = new Set(Object.values(TYPE_STYLE).map((s) => s.symbol));
    expect(colours.size).toBe(BODY_MAP_MARK_TYPES.length);
    expect(symbols.size).toBe(BODY_MAP_MARK_TYPES.length);
    const svg = bodyMapSvg(KNOWN.front, { layout: 'summary' }).svg;
    for (const t of ['bruise', 'redness', 'cut'] as const)
      expect(svg.split(`>${TYPE_STYLE[t].label}</text>`).length - 1).toBe(1);
    expect(svg).not.toContain(`>${TYPE_STYLE.swelling.label}</text>`);
  });

  it('numbers the marks 1, 2, 3… in the order of the list, on the picture and in the alt text', () => {
    const marks = [...KNOWN.front, ...KNOWN.back];
    const svg = bodyMapSvg(marks, { layout: 'summary' }).svg;
    const badges = [...svg.matchAll(/fill="#FFFFFF">(\d+)<\/text>/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(badges).toEqual([1, 2, 3, 4, 5, 6]);
    const alt = bodyMapAltText(marks);
    expect(alt).toBe(
      'Body map, front and back. 1: bruise, 3 by 2 cm, left forearm (front). 2: redness, 8 by 5 cm, chest (front). 3: cut, 2 by 0.3 cm, right knee (front). ' +
        '4: burn or scald, 6 by 4 cm, upper back (back). 5: bruise, 2 by 2 cm, right upper arm (back). 6: other mark, 4 by 3 cm, buttocks (back).',
    );
    expect(bodyMapAltText([])).toBe('Body map, front and back, with no marks recorded.');
    expect(bodyMapAltText(KNOWN.left)).toMatch(/^Body map, front, back and left side\. 1: swelling/);
  });

  it('is at least 720 px wide with text at least 24 px high, so 11 px and more at a phone card width of 330 px', () => {
    for (const marks of [KNOWN.front, TWENTY]) {
      const { svg, width } = bodyMapSvg(marks, { layout: 'summary' });
      expect(width).toBeGreaterThanOrEqual(720);
      const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(Math.min(...sizes) * (330 / width)).toBeGreaterThanOrEqual(11);
      const img = decode(renderBodyMap(marks));
      expect(img.width).toBe(width);
    }
    // While marking: the region numbers too (the picture is 540 px, shown 330 px wide).
    const m = bodyMapSvg(KNOWN.front, { layout: 'marking', views: ['front'], width: 540 });
    const sizes = [...m.svg.matchAll(/font-size="([\d.]+)"/g)].map((x) => Number(x[1]));
    expect(Math.min(...sizes) * (330 / 540)).toBeGreaterThanOrEqual(11);
  });

  it('numbers every region of the view while marking, and no region of another view', () => {
    for (const view of BODY_VIEWS) {
      const svg = bodyMapSvg([], { layout: 'marking', views: [view] }).svg;
      const numbers = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+">(\d+)<\/text>/g)]
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
      expect(numbers).toEqual(numberedRegions(view).map((r) => r.number));
    }
  });

  it('is deterministic: the same marks give identical bytes', () => {
    const a = renderBodyMap(TWENTY);
    expect(renderBodyMap(TWENTY).equals(a)).toBe(true);
    const uri = bodyMapDataUri(TWENTY);
    expect(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64').equals(a)).toBe(true);
  });

  it('stays small enough for a Teams card: 20 marks over all four views', () => {
    const sizes = {
      twentyAllViews: renderBodyMap(TWENTY).length,
      twentyFrontBack: renderBodyMap(
        TWENTY.map((m, i) => ({
          ...m,
          view: (i % 2 ? 'back' : 'front') as BodyView,
          region: regionsInView(i % 2 ? 'back' : 'front')[i],
        })),
      ).length,
      marking: Math.max(
        ...BODY_VIEWS.map((v) => renderBodyMap(TWENTY, { layout: 'marking', views: [v], width: 540 }).length),
      ),
    };
    expect(sizes.twentyAllViews).toBeLessThan(17 * 1024);
    expect(sizes.twentyFrontBack).toBeLessThan(13 * 1024);
    expect(sizes.marking).toBeLessThan(12 * 1024);
  });

  it('still draws older records (flow 1: front and back, one size in cm): a round mark of that size', () => {
    const old: BodyMapMark[] = [
      { view: 'front', region: 'left_forearm', type: 'bruise', sizeCm: 3 },
      { view: 'back', region: 'upper_back', type: 'redness', sizeCm: 10 },
    ];
    const svg = bodyMapSvg(old, { layout: 'summary' }).svg;
    const e = [...svg.matchAll(/<ellipse [^>]*rx="([\d.]+)" ry="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(e).toHaveLength(2);
    for (const [rx, ry] of e) expect(rx).toBe(ry);
    expect(e[1][0] / e[0][0]).toBeCloseTo(10 / 3, 1);
    expect(bodyMapAltText(old)).toBe(
      'Body map, front and back. 1: bruise, 3 cm, left forearm (front). 2: redness, 10 cm, upper back (back).',
    );
    compareWithFixture('bodymap-flow1-record', renderBodyMap(old));
  });

  it('names an unknown region or type, or a region not in its view', () => {
    expect(() => renderBodyMap([{ view: 'front', region: 'tail', type: 'bruise', lengthCm: 1, widthCm: 1 }])).toThrow(
      'Unknown body region "tail"',
    );
    expect(() => renderBodyMap([{ view: 'back', region: 'face', type: 'bruise', lengthCm: 1, widthCm: 1 }])).toThrow(
      /"face".*back view/,
    );
    expect(() =>
      renderBodyMap([{ view: 'front', region: 'face', type: 'tattoo' as never, lengthCm: 1, widthCm: 1 }]),
    ).toThrow('Unknown type of mark "tattoo"');
  });

  describe('matches the reviewed pictures pixel for pixel', () => {
    for (const view of BODY_VIEWS) {
      it(`the ${view} view while marking (tests/fixtures/bodymap-marking-${view}.png)`, () => {
        compareWithFixture(
          `bodymap-marking-${view}`,
          renderBodyMap(KNOWN[view], { layout: 'marking', views: [view], width: 540 }),
        );
      });
    }
    for (const band of AGE_BANDS) {
      it(`the summary of every view, ${band} outline (tests/fixtures/bodymap-summary-${band}.png)`, () => {
        compareWithFixture(
          `bodymap-summary-${band}`,
          renderBodyMap([...KNOWN.front, ...KNOWN.back, ...KNOWN.left, ...KNOWN.right], { band }),
        );
      });
    }
  });
});
