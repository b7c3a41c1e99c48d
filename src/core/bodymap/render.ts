/**
 * Draws a body map from the marks of a record: a front and a back outline side by side, marked regions filled
 * in red with a symbol per type of mark, small enough to travel inside an Adaptive Card as a data: URL.
 *
 * Pure and deterministic (same marks → identical PNG bytes, whatever order they come in): no clock, no
 * randomness, no Teams code. A tiny rasteriser of our own: the figure is sampled 3×3 per pixel into a map of
 * colour classes, averaged for smooth edges and snapped back to a fixed palette of a few dozen colours so that
 * the PNG deflates well. Text uses a built-in 5×7 bitmap font.
 *
 * Only view, region and type of a mark are read: descriptions and other free text never reach the picture
 * or its alt text.
 */
import zlib from 'node:zlib';
import { FIGURE, regionAnchor, regionAt } from './geometry';
import { BODY_REGIONS, bodyRegion, regionInView, type BodyView } from './regions';

export type BodyMapMarkType = 'bruise' | 'cut' | 'burn_or_scald' | 'redness' | 'swelling' | 'other';

export interface BodyMapMark {
  view: 'front' | 'back';
  region: string;
  type: BodyMapMarkType;
}

export const BODY_MAP_MARK_TYPES: readonly BodyMapMarkType[] = ['bruise', 'cut', 'burn_or_scald', 'redness', 'swelling', 'other'];

const TYPE_LABEL: Record<BodyMapMarkType, string> = {
  bruise: 'Bruise',
  cut: 'Cut',
  burn_or_scald: 'Burn or scald',
  redness: 'Redness',
  swelling: 'Swelling',
  other: 'Other',
};

/** The same, as words inside a sentence (alt text). */
const TYPE_WORDS: Record<BodyMapMarkType, string> = {
  bruise: 'bruise',
  cut: 'cut',
  burn_or_scald: 'burn or scald',
  redness: 'redness',
  swelling: 'swelling',
  other: 'other mark',
};

const VIEWS: readonly BodyView[] = ['front', 'back'];

export const BODY_MAP_SIZE: { readonly width: number; readonly height: number } = Object.freeze({ width: 360, height: 356 });

/** Where each figure's origin (midline, top of head) sits in the image, in pixels; figure units are pixels. */
export const BODY_MAP_LAYOUT: Readonly<Record<BodyView, { readonly x: number; readonly y: number }>> = Object.freeze({
  front: Object.freeze({ x: 90, y: 30 }),
  back: Object.freeze({ x: 270, y: 30 }),
});

/** Colours of the picture (RGB). `highlight` fills a marked region; `badge` + `symbol` are the per-type markers. */
export const BODY_MAP_COLOURS = Object.freeze({
  background: [255, 255, 255],
  body: [241, 241, 239],
  highlight: [228, 70, 46],
  outline: [112, 112, 112],
  divider: [178, 178, 176],
  badge: [110, 22, 14],
  symbol: [255, 255, 255],
  text: [51, 51, 51],
} as const satisfies Record<string, readonly [number, number, number]>);

// ---- colour classes and palette ------------------------------------------------------------------------

const enum C {
  Background = 0,
  Body,
  Highlight,
  Outline,
  Divider,
  Badge,
  Symbol,
  Text,
}
const BASE: readonly (readonly [number, number, number])[] = [
  BODY_MAP_COLOURS.background,
  BODY_MAP_COLOURS.body,
  BODY_MAP_COLOURS.highlight,
  BODY_MAP_COLOURS.outline,
  BODY_MAP_COLOURS.divider,
  BODY_MAP_COLOURS.badge,
  BODY_MAP_COLOURS.symbol,
  BODY_MAP_COLOURS.text,
];

/** Pairs of classes that meet along an edge; their blends (in thirds) join the palette for smooth edges. */
const EDGE_PAIRS: readonly (readonly [C, C])[] = [
  [C.Background, C.Outline],
  [C.Body, C.Outline],
  [C.Highlight, C.Outline],
  [C.Body, C.Divider],
  [C.Highlight, C.Divider],
  [C.Highlight, C.Badge],
  [C.Body, C.Badge],
  [C.Background, C.Badge],
  [C.Divider, C.Badge],
  [C.Badge, C.Symbol],
  [C.Body, C.Highlight],
];

const PALETTE: readonly (readonly [number, number, number])[] = (() => {
  const out: [number, number, number][] = BASE.map((c) => [c[0], c[1], c[2]]);
  for (const [a, b] of EDGE_PAIRS) {
    for (const t of [1 / 3, 2 / 3]) {
      out.push([0, 1, 2].map((i) => Math.round(BASE[a][i] * (1 - t) + BASE[b][i] * t)) as [number, number, number]);
    }
  }
  return out;
})();

function nearestPaletteIndex(r: number, g: number, b: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < PALETTE.length; i++) {
    const p = PALETTE[i];
    const d = (p[0] - r) ** 2 + (p[1] - g) ** 2 + (p[2] - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

// ---- the region map (independent of the marks, computed once) ----------------------------------------

const SS = 3; // samples per pixel along each axis
const W = BODY_MAP_SIZE.width;
const H = BODY_MAP_SIZE.height;
const HW = W * SS;
const HH = H * SS;

const REGION_IDS = BODY_REGIONS.map((r) => r.id);
const NO_REGION = 255;

interface FigureMap {
  /** Per sub-sample: index into REGION_IDS, or NO_REGION outside the body. */
  region: Uint8Array;
  /** Per sub-sample: which view's figure it belongs to (0 front, 1 back), meaningful where region is set. */
  view: Uint8Array;
  /** Per sub-sample: the colour class of the unmarked figure (background, body, outline or divider). */
  cls: Uint8Array;
}

let figureMapCache: FigureMap | undefined;

/** The figures without marks, sampled SS×SS per pixel; the same for every picture, so computed once. */
function figureMap(): FigureMap {
  if (figureMapCache) return figureMapCache;
  const region = new Uint8Array(HW * HH).fill(NO_REGION);
  const view = new Uint8Array(HW * HH);
  VIEWS.forEach((v, vi) => {
    const o = BODY_MAP_LAYOUT[v];
    const x0 = Math.floor((o.x - FIGURE.halfWidth) * SS);
    const x1 = Math.ceil((o.x + FIGURE.halfWidth) * SS);
    const y0 = Math.floor(o.y * SS);
    const y1 = Math.min(HH, Math.ceil((o.y + FIGURE.height) * SS));
    for (let hy = y0; hy < y1; hy++) {
      const fy = (hy + 0.5) / SS - o.y;
      for (let hx = x0; hx < x1; hx++) {
        const id = regionAt(v, (hx + 0.5) / SS - o.x, fy);
        if (id === null) continue;
        region[hy * HW + hx] = REGION_IDS.indexOf(id);
        view[hy * HW + hx] = vi;
      }
    }
  });

  // Outline: a band about one pixel wide astride the silhouette's edge (two sub-samples inside, one outside).
  // Divider: the sub-samples where one region meets another (about two thirds of a pixel).
  const cls = new Uint8Array(HW * HH); // C.Background
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= HW || y >= HH ? NO_REGION : region[y * HW + x]);
  const REACH = 2;
  for (const v of VIEWS) {
    const o = BODY_MAP_LAYOUT[v];
    const x0 = Math.max(0, Math.floor((o.x - FIGURE.halfWidth) * SS) - REACH);
    const x1 = Math.min(HW, Math.ceil((o.x + FIGURE.halfWidth) * SS) + REACH);
    const y0 = Math.max(0, Math.floor(o.y * SS) - REACH);
    const y1 = Math.min(HH, Math.ceil((o.y + FIGURE.height) * SS) + REACH);
    for (let hy = y0; hy < y1; hy++) {
      for (let hx = x0; hx < x1; hx++) {
        const i = hy * HW + hx;
        const r = region[i];
        let outside = false;
        let inside = false;
        let other = false;
        for (let dy = -REACH; dy <= REACH; dy++) {
          for (let dx = -REACH; dx <= REACH; dx++) {
            const d2 = dx * dx + dy * dy;
            if (d2 > REACH * REACH) continue;
            const n = at(hx + dx, hy + dy);
            if (n === NO_REGION) outside = true;
            else {
              if (d2 <= 2) inside = true;
              if (n !== r && d2 <= 1) other = true;
            }
          }
        }
        if (r === NO_REGION) cls[i] = inside ? C.Outline : C.Background;
        else cls[i] = outside ? C.Outline : other ? C.Divider : C.Body;
      }
    }
  }
  figureMapCache = { region, view, cls };
  return figureMapCache;
}

// ---- markers -----------------------------------------------------------------------------------------

const BADGE_RADIUS = 5.5;

function distToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Is (dx, dy), relative to a badge's centre, on the white symbol for that type? */
function onSymbol(type: BodyMapMarkType, dx: number, dy: number): boolean {
  switch (type) {
    case 'bruise': // filled dot
      return dx * dx + dy * dy <= 2.7 * 2.7;
    case 'cut': // slash
      return distToSegment(dx, dy, -2.9, 2.9, 2.9, -2.9) <= 0.95;
    case 'burn_or_scald': {
      // triangle pointing up
      if (dy < -3.3 || dy > 2.6) return false;
      return Math.abs(dx) <= ((dy + 3.3) / 5.9) * 3.5;
    }
    case 'redness': // diamond
      return Math.abs(dx) + Math.abs(dy) <= 3.9;
    case 'swelling': {
      // ring
      const r = Math.hypot(dx, dy);
      return r >= 1.7 && r <= 3.3;
    }
    case 'other': // plus
      return (Math.abs(dx) <= 0.95 && Math.abs(dy) <= 3.3) || (Math.abs(dy) <= 0.95 && Math.abs(dx) <= 3.3);
  }
}

/** Paint one badge (dark disc with the type's white symbol) centred on (cx, cy) in image pixels. */
function paintBadge(cls: Uint8Array, type: BodyMapMarkType, cx: number, cy: number): void {
  const r = BADGE_RADIUS;
  const hx0 = Math.max(0, Math.floor((cx - r) * SS));
  const hx1 = Math.min(HW, Math.ceil((cx + r) * SS));
  const hy0 = Math.max(0, Math.floor((cy - r) * SS));
  const hy1 = Math.min(HH, Math.ceil((cy + r) * SS));
  for (let hy = hy0; hy < hy1; hy++) {
    const dy = (hy + 0.5) / SS - cy;
    for (let hx = hx0; hx < hx1; hx++) {
      const dx = (hx + 0.5) / SS - cx;
      if (dx * dx + dy * dy > r * r) continue;
      cls[hy * HW + hx] = onSymbol(type, dx, dy) ? C.Symbol : C.Badge;
    }
  }
}

/**
 * Badge centres for n marks on one region: rows of up to three, 12 px apart, centred on the anchor, and kept
 * within the figure's height so they never run into the headings or the legend.
 */
function badgePositions(n: number, ax: number, ay: number, top: number, bottom: number): { x: number; y: number }[] {
  const step = 12;
  const perRow = 3;
  const rows = Math.ceil(n / perRow);
  const half = ((rows - 1) * step) / 2;
  const cy = Math.min(Math.max(ay, top + BADGE_RADIUS + half), bottom - BADGE_RADIUS - half);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / perRow);
    const inRow = row === rows - 1 ? n - row * perRow : perRow;
    const col = i % perRow;
    out.push({ x: ax + (col - (inRow - 1) / 2) * step, y: cy - half + row * step });
  }
  return out;
}

// ---- bitmap font -----------------------------------------------------------------------------------------

/** 5×7 glyphs (rows 0–6; row 7 is the descender), '#' inked. Only the letters the picture uses. */
const GLYPHS: Record<string, readonly string[]> = {
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  N: ['#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  a: ['.....', '.....', '.###.', '....#', '.####', '#...#', '.####'],
  b: ['#....', '#....', '####.', '#...#', '#...#', '#...#', '####.'],
  c: ['.....', '.....', '.###.', '#....', '#....', '#....', '.###.'],
  d: ['....#', '....#', '.####', '#...#', '#...#', '#...#', '.####'],
  e: ['.....', '.....', '.###.', '#...#', '#####', '#....', '.###.'],
  g: ['.....', '.....', '.####', '#...#', '#...#', '.####', '....#', '.###.'],
  h: ['#....', '#....', '####.', '#...#', '#...#', '#...#', '#...#'],
  i: ['..#..', '.....', '.##..', '..#..', '..#..', '..#..', '.###.'],
  k: ['#....', '#....', '#..#.', '#.#..', '##...', '#.#..', '#..#.'],
  l: ['.##..', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  m: ['.....', '.....', '##.#.', '#.#.#', '#.#.#', '#.#.#', '#.#.#'],
  n: ['.....', '.....', '####.', '#...#', '#...#', '#...#', '#...#'],
  o: ['.....', '.....', '.###.', '#...#', '#...#', '#...#', '.###.'],
  r: ['.....', '.....', '#.##.', '##..#', '#....', '#....', '#....'],
  s: ['.....', '.....', '.####', '#....', '.###.', '....#', '####.'],
  t: ['.#...', '.#...', '####.', '.#...', '.#...', '.#..#', '..##.'],
  u: ['.....', '.....', '#...#', '#...#', '#...#', '#..##', '.##.#'],
  w: ['.....', '.....', '#...#', '#...#', '#.#.#', '#.#.#', '.#.#.'],
  ' ': [],
};
const GLYPH_ADVANCE = 6;

function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}

/** Draws text with its top-left at (x, y) into the palette-index image. */
function drawText(img: Uint8Array, text: string, x: number, y: number, scale: number, colour: number): void {
  let penX = x;
  for (const ch of text) {
    const glyph = GLYPHS[ch];
    if (!glyph) throw new Error(`Body map font has no glyph for "${ch}"`);
    glyph.forEach((row, gy) => {
      for (let gx = 0; gx < row.length; gx++) {
        if (row[gx] !== '#') continue;
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) {
            const px = penX + gx * scale + sx;
            const py = y + gy * scale + sy;
            if (px >= 0 && px < W && py >= 0 && py < H) img[py * W + px] = colour;
          }
        }
      }
    });
    penX += GLYPH_ADVANCE * scale;
  }
}

// ---- marks -----------------------------------------------------------------------------------------------

/** Checks every mark and returns them de-duplicated in a canonical order (view, region order, type order). */
function normalise(marks: readonly BodyMapMark[]): BodyMapMark[] {
  if (!Array.isArray(marks)) throw new Error('Body map marks must be an array');
  const seen = new Set<string>();
  const out: BodyMapMark[] = [];
  for (const mark of marks) {
    const { view, region, type } = mark ?? ({} as BodyMapMark);
    if (view !== 'front' && view !== 'back') throw new Error(`Body map mark has an unknown view "${String(view)}"`);
    if (!BODY_MAP_MARK_TYPES.includes(type)) throw new Error(`Body map mark has an unknown type "${String(type)}"`);
    const known = typeof region === 'string' ? bodyRegion(region) : undefined;
    if (!known) throw new Error(`Unknown body region "${String(region)}" on the body map`);
    if (!regionInView(region, view)) throw new Error(`Body region "${region}" (${known.label}) cannot be marked in the ${view} view`);
    const key = `${view}|${region}|${type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ view, region, type });
  }
  const vOrder = (v: BodyView) => VIEWS.indexOf(v);
  return out.sort(
    (a, b) =>
      vOrder(a.view) - vOrder(b.view) ||
      REGION_IDS.indexOf(a.region) - REGION_IDS.indexOf(b.region) ||
      BODY_MAP_MARK_TYPES.indexOf(a.type) - BODY_MAP_MARK_TYPES.indexOf(b.type),
  );
}

/** Groups canonical marks per view and region, keeping the order. */
function grouped(marks: readonly BodyMapMark[]): { view: BodyView; region: string; types: BodyMapMarkType[] }[] {
  const out: { view: BodyView; region: string; types: BodyMapMarkType[] }[] = [];
  for (const m of marks) {
    const last = out[out.length - 1];
    if (last && last.view === m.view && last.region === m.region) last.types.push(m.type);
    else out.push({ view: m.view, region: m.region, types: [m.type] });
  }
  return out;
}

// ---- drawing ---------------------------------------------------------------------------------------------

const HEADING_Y = 6;
const LEGEND_TOP = 322;
const LEGEND_ROW = 16;

/** Palette-index image of the body map (one byte per pixel, indices into PALETTE). */
function drawIndexed(marks: readonly BodyMapMark[]): Uint8Array {
  const canonical = normalise(marks);
  const { region, view, cls: figure } = figureMap();

  // marked[view * 256 + region index] = 1
  const marked = new Uint8Array(VIEWS.length * 256);
  for (const m of canonical) marked[VIEWS.indexOf(m.view) * 256 + REGION_IDS.indexOf(m.region)] = 1;

  // 1. colour classes per sub-sample: the unmarked figures, with marked regions filled
  const cls = Uint8Array.from(figure);
  if (canonical.length > 0) {
    for (let i = 0; i < cls.length; i++) {
      if (cls[i] === C.Body && marked[view[i] * 256 + region[i]] === 1) cls[i] = C.Highlight;
    }
  }

  // 2. badges, one per mark, on the region's anchor
  for (const g of grouped(canonical)) {
    const o = BODY_MAP_LAYOUT[g.view];
    const a = regionAnchor(g.view, g.region);
    badgePositions(g.types.length, o.x + a.x, o.y + a.y, o.y, o.y + FIGURE.height).forEach((p, k) => paintBadge(cls, g.types[k], p.x, p.y));
  }

  // 3. legend badges (types present), laid out in centred rows under the figures
  const types = BODY_MAP_MARK_TYPES.filter((t) => canonical.some((m) => m.type === t));
  const legend = layoutLegend(types);
  for (const item of legend) paintBadge(cls, item.type, item.x + BADGE_RADIUS, item.y + 4);

  // 4. down-sample to pixels and snap to the palette
  const img = new Uint8Array(W * H);
  const cache = new Map<number, number>();
  for (let py = 0; py < H; py++) {
    for (let px = 0; px < W; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let first = -1;
      let uniform = true;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = cls[(py * SS + sy) * HW + px * SS + sx];
          if (first < 0) first = c;
          else if (c !== first) uniform = false;
          r += BASE[c][0];
          g += BASE[c][1];
          b += BASE[c][2];
        }
      }
      if (uniform) {
        img[py * W + px] = first;
        continue;
      }
      const n = SS * SS;
      const key = (Math.round(r / n) << 16) | (Math.round(g / n) << 8) | Math.round(b / n);
      let idx = cache.get(key);
      if (idx === undefined) {
        idx = nearestPaletteIndex(Math.round(r / n), Math.round(g / n), Math.round(b / n));
        cache.set(key, idx);
      }
      img[py * W + px] = idx;
    }
  }

  // 5. text: headings, the person's sides, legend words
  for (const v of VIEWS) {
    const o = BODY_MAP_LAYOUT[v];
    const heading = v === 'front' ? 'Front' : 'Back';
    drawText(img, heading, Math.round(o.x - textWidth(heading, 2) / 2), HEADING_Y, 2, C.Text);
    // the person's right and left, beside the head
    const leftX = o.x + 40 * (v === 'front' ? 1 : -1);
    const rightX = o.x - 40 * (v === 'front' ? 1 : -1);
    drawText(img, 'L', Math.round(leftX - textWidth('L', 1) / 2), o.y + 18, 1, C.Text);
    drawText(img, 'R', Math.round(rightX - textWidth('R', 1) / 2), o.y + 18, 1, C.Text);
  }
  if (canonical.length === 0) {
    const msg = 'No marks recorded';
    drawText(img, msg, Math.round((W - textWidth(msg, 1)) / 2), LEGEND_TOP + 1, 1, C.Outline);
  }
  for (const item of legend) drawText(img, TYPE_LABEL[item.type], item.x + BADGE_RADIUS * 2 + 4, item.y + 1, 1, C.Text);
  return img;
}

interface LegendItem {
  type: BodyMapMarkType;
  /** top-left of the item (badge then label), image pixels */
  x: number;
  y: number;
}

function layoutLegend(types: readonly BodyMapMarkType[]): LegendItem[] {
  const gap = 14;
  const itemWidth = (t: BodyMapMarkType) => BADGE_RADIUS * 2 + 4 + textWidth(TYPE_LABEL[t], 1);
  const rows: BodyMapMarkType[][] = [];
  let current: BodyMapMarkType[] = [];
  let width = 0;
  for (const t of types) {
    const w = itemWidth(t);
    if (current.length > 0 && width + gap + w > W - 16) {
      rows.push(current);
      current = [];
      width = 0;
    }
    width += (current.length > 0 ? gap : 0) + w;
    current.push(t);
  }
  if (current.length > 0) rows.push(current);
  const out: LegendItem[] = [];
  rows.forEach((row, ri) => {
    const rowWidth = row.reduce((s, t, k) => s + itemWidth(t) + (k > 0 ? gap : 0), 0);
    let x = Math.round((W - rowWidth) / 2);
    for (const t of row) {
      out.push({ type: t, x, y: LEGEND_TOP + ri * LEGEND_ROW });
      x += itemWidth(t) + gap;
    }
  });
  return out;
}

// ---- PNG encoding ----------------------------------------------------------------------------------------

/*
 * pngjs (used to read PNGs in the tests) only writes grey, RGB and RGBA images. An indexed PNG (colour type 3,
 * one byte per pixel plus a palette) of this picture deflates to about two thirds of the RGB one, which
 * matters inside a 28 KB Teams message, so the few chunks are written here: signature, IHDR, PLTE, IDAT, IEND.
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + data.length);
  return out;
}

function encodeIndexedPng(width: number, height: number, palette: readonly (readonly number[])[], pixels: Uint8Array): Buffer {
  if (palette.length > 256) throw new Error('Body map palette has more than 256 colours');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: indexed
  // compression 0, filter method 0, no interlace
  const plte = Buffer.from(palette.flatMap((c) => [c[0], c[1], c[2]]));
  // Filter type 0 (none) on every row: with flat colours it deflates best (measured against sub, up and paeth).
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const idat = zlib.deflateSync(raw, { level: 9, memLevel: 9, strategy: zlib.constants.Z_DEFAULT_STRATEGY });
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

// ---- public API --------------------------------------------------------------------------------------------

/** PNG bytes of the body map for these marks. Throws for an unknown region, view or type, naming it. */
export function renderBodyMap(marks: readonly BodyMapMark[]): Buffer {
  return encodeIndexedPng(W, H, PALETTE, drawIndexed(marks));
}

/** The body map as a `data:image/png;base64,...` URL, for an Adaptive Card Image's `url`. */
export function bodyMapDataUri(marks: readonly BodyMapMark[]): string {
  return `data:image/png;base64,${renderBodyMap(marks).toString('base64')}`;
}

function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Accessible description for the card image's altText, e.g.
 * "Body map, front: bruise on left forearm, cut on right knee; back: redness on upper back".
 */
export function bodyMapAltText(marks: readonly BodyMapMark[]): string {
  const canonical = normalise(marks);
  if (canonical.length === 0) return 'Body map with no marks recorded';
  const parts: string[] = [];
  for (const v of VIEWS) {
    const here = grouped(canonical.filter((m) => m.view === v));
    if (here.length === 0) continue;
    const items = here.map((g) => {
      const types = joinWords(g.types.map((t) => TYPE_WORDS[t]));
      return `${types} on ${bodyRegion(g.region)!.label.toLowerCase()}`;
    });
    parts.push(`${v}: ${items.join(', ')}`);
  }
  return `Body map, ${parts.join('; ')}`;
}

/** For tests and tools: the region id drawn at an image pixel's centre in a view's figure (null outside it). */
export function bodyMapRegionAtPixel(view: BodyView, px: number, py: number): string | null {
  const o = BODY_MAP_LAYOUT[view];
  return regionAt(view, px + 0.5 - o.x, py + 0.5 - o.y);
}

