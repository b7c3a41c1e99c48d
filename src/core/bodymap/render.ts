/**
 * Renders the body map's SVG (svg.ts) to PNG with resvg (@resvg/resvg-js: the Rust SVG renderer, prebuilt for
 * each platform through npm), using the Atkinson Hyperlegible font shipped in an npm package and loaded by path,
 * never a system font: the same bytes on every machine.
 *
 * Pure and deterministic (same marks → identical PNG bytes): no clock, no randomness, no Teams code.
 */
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { encode as encodePng } from 'fast-png';
import { bodyMapSvg, TYPE_STYLE, markSizeCm, viewsWithMarks, FONT_FAMILY, type BodyMapMark, type Layout } from './svg';
import { bodyRegion, VIEW_LABEL, type AgeBand, type BodyView } from './regions';

export { BODY_MAP_MARK_TYPES, TYPE_STYLE, type BodyMapMark, type BodyMapMarkType } from './svg';

const FONT_PACKAGE = '@expo-google-fonts/atkinson-hyperlegible';

/** The font files, found in node_modules through Node's own resolution. */
export const FONT_FILES: readonly string[] = (() => {
  const dir = path.dirname(require.resolve(`${FONT_PACKAGE}/package.json`));
  return [
    path.join(dir, '400Regular', 'AtkinsonHyperlegible_400Regular.ttf'),
    path.join(dir, '700Bold', 'AtkinsonHyperlegible_700Bold.ttf'),
  ];
})();

export interface RenderOptions {
  layout?: Layout;
  band?: AgeBand;
  views?: readonly BodyView[];
  width?: number;
  /** zlib level: 7 (default) for speed, 9 for the smallest picture (the marking picture, which is smaller to draw). */
  compression?: 7 | 9;
}

/**
 * PNG bytes of an SVG document, with the body map's font, as a palette image.
 *
 * Drawn without anti-aliasing (crisp edges, plain text rendering), so every pixel is one of the dozen colours the
 * SVG uses; those become the PNG's palette (4 bits a pixel when there are 16 or fewer), which deflates to about a
 * tenth of resvg's own RGBA output. That is what lets a 720-pixel-wide picture travel inside a Teams card.
 */
export function svgToPng(svg: string, compression: 7 | 9 = 7): Buffer {
  const r = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [...FONT_FILES], defaultFontFamily: FONT_FAMILY },
    shapeRendering: 1, // crispEdges
    textRendering: 0, // optimizeSpeed: no anti-aliasing
  });
  const img = r.render();
  return indexedPng(img.width, img.height, img.pixels, compression);
}

/** Re-encodes RGBA pixels that use few colours as an indexed PNG (palette in order of first appearance). */
function indexedPng(width: number, height: number, rgba: Buffer, level: 7 | 9): Buffer {
  const n = width * height;
  // One 32-bit word a pixel; everything is painted over an opaque white background, so alpha is always 255.
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, n);
  const index = new Map<number, number>();
  const colours: number[] = [];
  const idx = new Uint8Array(n);
  let last = -1;
  let lastK = 0;
  for (let i = 0; i < n; i++) {
    const w = words[i];
    if (w !== last) {
      let k = index.get(w);
      if (k === undefined) {
        if (colours.length === 256) throw new Error('Body map: more than 256 colours in the picture');
        k = colours.length;
        index.set(w, k);
        colours.push(w);
      }
      last = w;
      lastK = k;
    }
    idx[i] = lastK;
  }
  const palette = colours.map((w): [number, number, number] => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(w >>> 0);
    return [b[0], b[1], b[2]];
  });
  const depth = palette.length <= 2 ? 1 : palette.length <= 4 ? 2 : palette.length <= 16 ? 4 : 8;
  let data: Uint8Array = idx;
  if (depth < 8) {
    const perByte = 8 / depth;
    const rowBytes = Math.ceil(width / perByte);
    data = new Uint8Array(rowBytes * height);
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const outRow = y * rowBytes;
      for (let x = 0; x < width; x++)
        data[outRow + ((x / perByte) | 0)] |= idx[row + x] << (8 - depth * ((x % perByte) + 1));
    }
  }
  // Level 7: about 10% larger than level 9, in under half the time (pako's level 9 dominated the render).
  const out = encodePng({ width, height, data, depth, channels: 1, palette }, { zlib: { level } });
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** PNG bytes of the body map for these marks. Throws for an unknown region, view or type, naming it. */
export function renderBodyMap(marks: readonly BodyMapMark[], opts: RenderOptions = {}): Buffer {
  for (const m of marks) {
    if (!TYPE_STYLE[m.type]) throw new Error(`Unknown type of mark "${m.type}"`);
  }
  const { svg } = bodyMapSvg(marks, {
    layout: opts.layout ?? 'summary',
    band: opts.band,
    views: opts.views,
    width: opts.width,
  });
  return svgToPng(svg, opts.compression);
}

/** The body map as a `data:image/png;base64,...` URL, for an Adaptive Card Image's `url`. */
export function bodyMapDataUri(marks: readonly BodyMapMark[], opts: RenderOptions = {}): string {
  return `data:image/png;base64,${renderBodyMap(marks, opts).toString('base64')}`;
}

const TYPE_WORDS: Record<BodyMapMark['type'], string> = {
  bruise: 'bruise',
  cut: 'cut',
  burn_or_scald: 'burn or scald',
  redness: 'redness',
  swelling: 'swelling',
  other: 'other mark',
};

function sizeWords(m: BodyMapMark): string {
  const s = markSizeCm(m);
  return m.lengthCm === undefined ? `${s.length} cm` : `${s.length} by ${s.width} cm`;
}

/**
 * Accessible description for the card image's altText, numbering the marks as the picture does, e.g.
 * "Body map, front and back. 1: bruise, 3 by 2 cm, left forearm (front). 2: cut, 1 by 0.2 cm, right knee (front)."
 */
export function bodyMapAltText(
  marks: readonly BodyMapMark[],
  opts: { layout?: Layout; views?: readonly BodyView[] } = {},
): string {
  const views =
    opts.layout === 'marking' ? (opts.views ?? ['front']).slice(0, 1) : (opts.views ?? viewsWithMarks(marks));
  const viewWords = views.map((v) => VIEW_LABEL[v].toLowerCase());
  const head = `Body map, ${viewWords.length > 1 ? `${viewWords.slice(0, -1).join(', ')} and ${viewWords[viewWords.length - 1]}` : viewWords[0]}`;
  if (marks.length === 0) return `${head}, with no marks recorded.`;
  const items = marks.map(
    (m, i) =>
      `${i + 1}: ${TYPE_WORDS[m.type]}, ${sizeWords(m)}, ${(bodyRegion(m.region)?.label ?? m.region).toLowerCase()} (${VIEW_LABEL[m.view].toLowerCase()})`,
  );
  return `${head}. ${items.join('. ')}.`;
}
