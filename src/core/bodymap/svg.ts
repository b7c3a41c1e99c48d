/**
 * The body map as SVG, from the geometry table (geometry.ts) and the marks of a record. Two layouts:
 *
 * - `marking`: one view with every region outlined and numbered (the numbers of the walkthrough's region list)
 *   and the marks made so far, for the body-map step of the walkthrough;
 * - `summary`: front and back (and a side view with marks), at least 720 px wide, marks numbered to match the
 *   list, and a legend.
 *
 * The printable copy for the case file (print.ts) is the summary layout of all four views, with the record's
 * fields beside it.
 *
 * Each mark is drawn where it is and at its size: an ellipse of its length × width in centimetres (scaled to the
 * age band's outline, along the region's run), placed at the region's centre or the part named, in the colour
 * of its type; a leader line runs from it to a label in the margin with the type's symbol and the mark's number.
 * Colours are the Okabe–Ito set (distinct for colour-blind readers) and every type also has its own symbol
 * shape, so a greyscale print still tells them apart.
 *
 * Pure: same marks, same SVG text. Only view, region, position, type and size are read: descriptions and other
 * free text never reach the picture.
 */
import {
  markPoint,
  unitsPerCm,
  viewGeometry,
  FIGURE,
  type MarkAcross,
  type MarkVertical,
  type Point,
  type Polygon,
} from './geometry';
import { AGE_BAND_LABEL, VIEW_LABEL, type AgeBand, type BodyView } from './regions';

export type BodyMapMarkType = 'bruise' | 'cut' | 'burn_or_scald' | 'redness' | 'swelling' | 'other';
export const BODY_MAP_MARK_TYPES: readonly BodyMapMarkType[] = [
  'bruise',
  'cut',
  'burn_or_scald',
  'redness',
  'swelling',
  'other',
];

/** What the picture needs of a mark. Old records have one `sizeCm`; new ones length × width. */
export interface BodyMapMark {
  view: BodyView;
  region: string;
  type: BodyMapMarkType;
  lengthCm?: number;
  widthCm?: number;
  /** Records of flow version 1: one size, drawn as a round mark of that diameter. */
  sizeCm?: number;
  vertical?: MarkVertical;
  across?: MarkAcross;
}

export type Symbol = 'circle' | 'triangle' | 'square' | 'diamond' | 'star' | 'cross';

export const TYPE_STYLE: Readonly<Record<BodyMapMarkType, { label: string; colour: string; symbol: Symbol }>> = {
  bruise: { label: 'Bruise', colour: '#0072B2', symbol: 'circle' },
  cut: { label: 'Cut', colour: '#D55E00', symbol: 'triangle' },
  burn_or_scald: { label: 'Burn or scald', colour: '#E69F00', symbol: 'square' },
  redness: { label: 'Redness', colour: '#CC79A7', symbol: 'diamond' },
  swelling: { label: 'Swelling', colour: '#009E73', symbol: 'star' },
  other: { label: 'Other', colour: '#000000', symbol: 'cross' },
};

export const FONT_FAMILY = 'Atkinson Hyperlegible';

export const PALETTE = {
  background: '#FFFFFF',
  body: '#F3F1EE',
  outline: '#4A4A4A',
  regionLine: '#B9B4AD',
  regionNumber: '#5E5A55',
  text: '#1F1F1F',
  subtle: '#555555',
} as const;

export type Layout = 'marking' | 'summary';

export interface SvgOptions {
  layout: Layout;
  band?: AgeBand;
  /** marking: the view shown. summary: the views shown (default: front, back and a side with marks). */
  views?: readonly BodyView[];
  /** Pixel width of the picture (default: 720 summary, 600 marking). */
  width?: number;
}

export interface SvgResult {
  svg: string;
  width: number;
  height: number;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function pathOf(poly: Polygon, tx: (p: Point) => Point): string {
  return `M${poly
    .map((p) => {
      const q = tx(p);
      return `${r1(q.x)} ${r1(q.y)}`;
    })
    .join('L')}Z`;
}

/** A symbol of `size` (its height in pixels) centred on (x, y). */
export function symbolSvg(
  symbol: Symbol,
  x: number,
  y: number,
  size: number,
  fill: string,
  stroke = '#FFFFFF',
): string {
  const h = size / 2;
  const sw = r1(Math.max(1, size / 12));
  const attrs = `fill="${fill}" stroke="${stroke}" stroke-width="${sw}"`;
  switch (symbol) {
    case 'circle':
      return `<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(h)}" ${attrs}/>`;
    case 'square':
      return `<rect x="${r1(x - h * 0.9)}" y="${r1(y - h * 0.9)}" width="${r1(h * 1.8)}" height="${r1(h * 1.8)}" ${attrs}/>`;
    case 'triangle':
      return `<path d="M${r1(x)} ${r1(y - h)}L${r1(x + h * 1.05)} ${r1(y + h * 0.85)}L${r1(x - h * 1.05)} ${r1(y + h * 0.85)}Z" ${attrs}/>`;
    case 'diamond':
      return `<path d="M${r1(x)} ${r1(y - h * 1.1)}L${r1(x + h * 0.95)} ${r1(y)}L${r1(x)} ${r1(y + h * 1.1)}L${r1(x - h * 0.95)} ${r1(y)}Z" ${attrs}/>`;
    case 'star': {
      const pts: string[] = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? h * 1.1 : h * 0.48;
        pts.push(`${r1(x + rr * Math.cos(a))} ${r1(y + 0.05 * h + rr * Math.sin(a))}`);
      }
      return `<path d="M${pts.join('L')}Z" ${attrs}/>`;
    }
    case 'cross': {
      const a = h * 0.36;
      const b = h;
      const d = [
        [-a, -b],
        [a, -b],
        [a, -a],
        [b, -a],
        [b, a],
        [a, a],
        [a, b],
        [-a, b],
        [-a, a],
        [-b, a],
        [-b, -a],
        [-a, -a],
      ].map(([dx, dy]) => `${r1(x + dx)} ${r1(y + dy)}`);
      return `<path d="M${d.join('L')}Z" ${attrs}/>`;
    }
  }
}

/** The drawn size of a mark in centimetres: length × width, or an old record's single size as a round mark. */
export function markSizeCm(m: BodyMapMark): { length: number; width: number } {
  const length = m.lengthCm ?? m.sizeCm ?? 1;
  const width = m.widthCm ?? (m.lengthCm === undefined ? length : Math.min(length, m.lengthCm));
  return { length, width };
}

interface Panel {
  view: BodyView;
  /** Top-left of the panel, its width, and the figure's scale (pixels per figure unit). */
  x: number;
  y: number;
  w: number;
  scale: number;
}

/** Margin each side of the figure for mark labels, in figure units. */
const MARGIN = 42;
const PANEL_UNITS = 2 * FIGURE.halfWidth + 2 * MARGIN;

function panelHeight(scale: number, titlePx: number, labelPx: number): number {
  return titlePx * 1.9 + (FIGURE.height + 4) * scale + labelPx * 1.3;
}

interface Drawn {
  svg: string[];
}

function drawPanel(
  out: Drawn,
  p: Panel,
  band: AgeBand,
  marks: readonly { m: BodyMapMark; n: number }[],
  opts: { numbers: boolean; regionLines: boolean; titlePx: number; labelPx: number },
): void {
  const g = viewGeometry(p.view, band);
  const ox = p.x + p.w / 2;
  const oy = p.y + opts.titlePx * 1.9;
  const tx = (q: Point): Point => ({ x: ox + q.x * p.scale, y: oy + q.y * p.scale });
  const s = out.svg;
  // Title and the person's sides.
  s.push(
    `<text x="${r1(ox)}" y="${r1(p.y + opts.titlePx * 1.2)}" font-size="${opts.titlePx}" font-weight="bold" text-anchor="middle" fill="${PALETTE.text}">${esc(VIEW_LABEL[p.view])}</text>`,
  );
  if (p.view === 'front' || p.view === 'back') {
    // "R" and "L" under the feet: the person's right and left.
    const leftOnRight = p.view === 'front';
    const ly = r1(oy + (FIGURE.height + 4) * p.scale + opts.labelPx * 0.9);
    const lx = (dir: number) => r1(ox + dir * 24 * p.scale);
    s.push(
      `<text x="${lx(leftOnRight ? -1 : 1)}" y="${ly}" font-size="${opts.labelPx}" font-weight="bold" text-anchor="middle" fill="${PALETTE.subtle}">R</text>`,
    );
    s.push(
      `<text x="${lx(leftOnRight ? 1 : -1)}" y="${ly}" font-size="${opts.labelPx}" font-weight="bold" text-anchor="middle" fill="${PALETTE.subtle}">L</text>`,
    );
  }
  // Outline: every silhouette shape stroked, then filled over, so only the outer edge shows.
  const sw = r1(Math.max(1.5, p.scale * 1.1));
  s.push(
    `<g fill="${PALETTE.outline}" stroke="${PALETTE.outline}" stroke-width="${sw * 2}" stroke-linejoin="round">${g.silhouette.map((q) => `<path d="${pathOf(q, tx)}"/>`).join('')}</g>`,
  );
  s.push(`<g fill="${PALETTE.body}">${g.silhouette.map((q) => `<path d="${pathOf(q, tx)}"/>`).join('')}</g>`);
  // Regions, painted last first so that earlier regions lie on top (as regionAt decides).
  if (opts.regionLines) {
    const lw = r1(Math.max(0.8, p.scale * 0.45));
    s.push(`<g fill="${PALETTE.body}" stroke="${PALETTE.regionLine}" stroke-width="${lw}" stroke-linejoin="round">`);
    for (const reg of [...g.regions].reverse())
      for (const poly of reg.polygons) s.push(`<path d="${pathOf(poly, tx)}"/>`);
    s.push('</g>');
  }
  if (opts.numbers) {
    const fs = r1(Math.max(8, 7.6 * p.scale));
    s.push(`<g font-size="${fs}" font-weight="bold" text-anchor="middle" fill="${PALETTE.regionNumber}">`);
    for (const reg of g.regions) {
      const a = tx(reg.anchor);
      s.push(`<text x="${r1(a.x)}" y="${r1(a.y + fs * 0.36)}">${reg.number}</text>`);
    }
    s.push('</g>');
  }
  // Marks: the extent at its true size, then a leader to a label in the margin.
  const upc = unitsPerCm(band);
  const here = marks.filter((x) => x.m.view === p.view);
  const placed = here.map(({ m, n }) => {
    const c = markPoint(p.view, m.region, band, m.vertical, m.across);
    const reg = g.regions.find((r) => r.id === m.region)!;
    return { m, n, c, axis: reg.axis };
  });
  for (const { m, c, axis } of placed) {
    const st = TYPE_STYLE[m.type];
    const size = markSizeCm(m);
    const rx = Math.max(1.6, (size.width * upc) / 2) * p.scale;
    const ry = Math.max(1.6, (size.length * upc) / 2) * p.scale;
    const q = tx(c);
    s.push(
      `<ellipse cx="${r1(q.x)}" cy="${r1(q.y)}" rx="${r1(rx)}" ry="${r1(ry)}" transform="rotate(${r1(axis)} ${r1(q.x)} ${r1(q.y)})" fill="${st.colour}" stroke="${st.colour}" stroke-width="${r1(Math.max(1.2, p.scale * 0.7))}"/>`,
    );
  }
  // Labels: on the side of the midline the mark is on, stacked so they never overlap.
  const lh = opts.labelPx * 1.25;
  const top = oy + opts.labelPx;
  const bottom = oy + FIGURE.height * p.scale;
  for (const side of [-1, 1]) {
    const group = placed
      .filter((x) => (x.c.x < 0 ? -1 : x.c.x > 0 ? 1 : x.n % 2 ? -1 : 1) === side)
      .sort((a, b) => a.c.y - b.c.y || a.n - b.n);
    const ys: number[] = [];
    for (const it of group) {
      const want = Math.min(bottom, Math.max(top, tx(it.c).y));
      ys.push(ys.length ? Math.max(want, ys[ys.length - 1] + lh) : want);
    }
    // Pushed past the bottom: shift the stack up.
    const over = ys.length ? ys[ys.length - 1] - bottom : 0;
    if (over > 0) for (let i = ys.length - 1; i >= 0; i--) ys[i] = Math.min(ys[i], bottom - (ys.length - 1 - i) * lh);
    // The symbol sits just outside the widest part of the figure; the number beyond it, inside the panel.
    const labelX = ox + side * (FIGURE.halfWidth * p.scale + opts.labelPx * 0.75);
    group.forEach((it, i) => {
      const st = TYPE_STYLE[it.m.type];
      const q = tx(it.c);
      const y = ys[i];
      const symX = labelX;
      s.push(
        `<path d="M${r1(q.x)} ${r1(q.y)}L${r1(symX - side * opts.labelPx * 0.6)} ${r1(y)}" stroke="${PALETTE.text}" stroke-width="${r1(Math.max(1, p.scale * 0.45))}" fill="none"/>`,
      );
      s.push(symbolSvg(st.symbol, symX, y, opts.labelPx * 0.9, st.colour, PALETTE.text));
      // The mark's number: white on a black badge, never mistaken for a grey region number.
      const digits = String(it.n).length;
      const bw = opts.labelPx * (0.5 + 0.56 * digits);
      const bh = opts.labelPx * 1.05;
      const bx = side > 0 ? symX + opts.labelPx * 0.55 : symX - opts.labelPx * 0.55 - bw;
      s.push(
        `<rect x="${r1(bx)}" y="${r1(y - bh / 2)}" width="${r1(bw)}" height="${r1(bh)}" rx="${r1(bh * 0.2)}" fill="${PALETTE.text}"/>`,
      );
      s.push(
        `<text x="${r1(bx + bw / 2)}" y="${r1(y + opts.labelPx * 0.36)}" font-size="${opts.labelPx}" font-weight="bold" text-anchor="middle" fill="#FFFFFF">${it.n}</text>`,
      );
    });
  }
}

function legend(
  out: Drawn,
  x: number,
  y: number,
  width: number,
  types: readonly BodyMapMarkType[],
  px: number,
): number {
  const s = out.svg;
  const colW = width / 2;
  let row = 0;
  types.forEach((t, i) => {
    const st = TYPE_STYLE[t];
    const cx = x + (i % 2) * colW;
    const cy = y + Math.floor(i / 2) * px * 1.5;
    s.push(symbolSvg(st.symbol, cx + px * 0.6, cy, px * 0.9, st.colour, PALETTE.text));
    s.push(
      `<text x="${r1(cx + px * 1.4)}" y="${r1(cy + px * 0.36)}" font-size="${px}" fill="${PALETTE.text}">${esc(st.label)}</text>`,
    );
    row = Math.floor(i / 2);
  });
  return types.length ? (row + 1) * px * 1.5 : 0;
}

function usedTypes(marks: readonly BodyMapMark[]): BodyMapMarkType[] {
  return BODY_MAP_MARK_TYPES.filter((t) => marks.some((m) => m.type === t));
}

/** The views a summary shows: front and back always (no marks there is worth seeing too), and a side view with marks. */
export function viewsWithMarks(marks: readonly BodyMapMark[]): BodyView[] {
  return (['front', 'back', 'left', 'right'] as BodyView[]).filter(
    (x) => x === 'front' || x === 'back' || marks.some((m) => m.view === x),
  );
}

/** The SVG of a body map. Marks are numbered 1, 2, … in the order given, as in the record's list. */
export function bodyMapSvg(marks: readonly BodyMapMark[], opts: SvgOptions): SvgResult {
  const band = opts.band ?? 'adult';
  const numbered = marks.map((m, i) => ({ m, n: i + 1 }));
  const out: Drawn = { svg: [] };
  let width: number;
  let height: number;
  if (opts.layout === 'marking') {
    const view = opts.views?.[0] ?? 'front';
    width = opts.width ?? 600;
    const scale = width / PANEL_UNITS;
    const titlePx = Math.round(width / 26);
    const labelPx = Math.round(width / 24);
    const ph = panelHeight(scale, titlePx, labelPx);
    drawPanel(out, { view, x: 0, y: 0, w: width, scale }, band, numbered, {
      numbers: true,
      regionLines: true,
      titlePx,
      labelPx,
    });
    const note = `${AGE_BAND_LABEL[band]} outline. Grey numbers: parts of the body, as in the list below. Black numbers: the marks so far.`;
    const notePx = Math.round(width / 30);
    let y = ph + notePx * 0.4;
    for (const line of wrap(note, Math.floor((width * 0.94) / (notePx * 0.5)))) {
      y += notePx * 1.25;
      out.svg.push(
        `<text x="${r1(width / 2)}" y="${r1(y)}" font-size="${notePx}" text-anchor="middle" fill="${PALETTE.subtle}">${esc(line)}</text>`,
      );
    }
    height = Math.ceil(y + notePx * 0.6);
  } else {
    const views = opts.views ?? viewsWithMarks(marks);
    width = opts.width ?? 720;
    // One view alone, or two across (a third and fourth on a second row).
    const cols = views.length === 1 ? 1 : 2;
    const colW = width / cols;
    // A single view is not blown up past the size two side by side would have... much beyond it.
    const scale = Math.min(colW / PANEL_UNITS, (width / 2 / PANEL_UNITS) * 1.45);
    const titlePx = Math.round(width / 25);
    const labelPx = Math.round(width / 28);
    const ph = panelHeight(scale, titlePx, labelPx);
    const rows = Math.ceil(views.length / cols);
    views.forEach((v, i) => {
      const col = i % cols;
      const row = Math.floor(i / cols);
      const x = col * colW + (colW - PANEL_UNITS * scale) / 2;
      drawPanel(out, { view: v, x, y: row * ph, w: PANEL_UNITS * scale, scale }, band, numbered, {
        numbers: false,
        regionLines: false,
        titlePx,
        labelPx,
      });
    });
    let y = rows * ph + labelPx * 0.6;
    const types = usedTypes(marks);
    const lpx = labelPx;
    if (types.length) y += legend(out, width * 0.06, y + lpx * 0.6, width * 0.88, types, lpx) + lpx * 0.2;
    const notePx = Math.round(lpx * 0.92);
    const note = `${AGE_BAND_LABEL[band]} outline. Numbers match the list of marks. L and R: the person's left and right.`;
    y += notePx * 1.3;
    for (const line of wrap(note, Math.floor((width * 0.9) / (notePx * 0.5)))) {
      out.svg.push(
        `<text x="${r1(width / 2)}" y="${r1(y)}" font-size="${notePx}" text-anchor="middle" fill="${PALETTE.subtle}">${esc(line)}</text>`,
      );
      y += notePx * 1.25;
    }
    height = Math.ceil(y);
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">` +
    `<rect width="${width}" height="${height}" fill="${PALETTE.background}"/>${out.svg.join('')}</svg>`;
  return { svg, width, height };
}

/** Greedy word wrap by an average character width. */
export function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && (cur + ' ' + word).length > maxChars) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}
