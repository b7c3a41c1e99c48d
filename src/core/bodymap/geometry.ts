/**
 * Drawing geometry of the body map, as data: for each view (front, back, left side, right side) the regions of
 * regions.ts, each with its number in that view, its shape, where its number goes and which way it runs; and for
 * each age band (baby, child, adult) the same outline with that band's proportions. The picture (svg.ts) and the
 * walkthrough's list of regions ("12 · Left upper arm") both read this one table.
 *
 * Coordinates are "figure units": x runs from -FIGURE.halfWidth to +FIGURE.halfWidth with 0 on the body's
 * midline and positive x to the VIEWER's right; y runs from 0 (top of the head) down to FIGURE.height (soles).
 *
 * Sides, as on clinical body maps: in the FRONT view we face the person, so the person's LEFT is on the viewer's
 * RIGHT (+x); in the BACK view we stand behind them, so their LEFT is on the viewer's LEFT (-x). In the LEFT SIDE
 * view we stand at their left and they face the viewer's left; the RIGHT SIDE view is its mirror. The shapes below
 * are written once for a "canonical" body (front: left side at +x; side: facing -x) and mirrored as needed.
 *
 * Regions may overlap as drawn shapes; the earlier region in a view's list wins (a shoulder over the upper arm),
 * which is also the order they are painted in, last first.
 */
import { bodyRegion, regionInView, type AgeBand, type BodyView } from './regions';

export interface Point {
  x: number;
  y: number;
}

export type Polygon = readonly Point[];

export const FIGURE = { halfWidth: 70, height: 286 } as const;

/** Standing height used to turn centimetres into figure units, per age band. */
export const BAND_HEIGHT_CM: Readonly<Record<AgeBand, number>> = { baby: 72, child: 128, adult: 168 };

/** Figure units per centimetre for an age band. */
export function unitsPerCm(band: AgeBand): number {
  return FIGURE.height / BAND_HEIGHT_CM[band];
}

// ---- shapes -------------------------------------------------------------------------------------------------

type Shape = Polygon;

function ellipse(cx: number, cy: number, rx: number, ry: number, n = 36): Shape {
  const pts: Point[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    pts.push({ x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) });
  }
  return pts;
}

function polygon(...xy: number[]): Shape {
  const pts: Point[] = [];
  for (let i = 0; i < xy.length; i += 2) pts.push({ x: xy[i], y: xy[i + 1] });
  return pts;
}

const mirror = (s: Shape): Shape => s.map((p) => ({ x: -p.x, y: p.y })).reverse();

/** Half-planes that clip a region's shapes (e.g. the face is the head below the hairline). */
interface Clip {
  minX?: number;
  maxX?: number;
  minY?: number;
  maxY?: number;
}

/** Sutherland–Hodgman against one axis-aligned half-plane. */
function clipHalf(poly: Polygon, inside: (p: Point) => boolean, cross: (a: Point, b: Point) => Point): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i];
    const b = poly[(i + 1) % poly.length];
    const ia = inside(a);
    const ib = inside(b);
    if (ia) out.push(a);
    if (ia !== ib) out.push(cross(a, b));
  }
  return out;
}

function clipPolygon(poly: Polygon, c: Clip): Point[] {
  let p: Point[] = [...poly];
  const atX = (x: number) => (a: Point, b: Point) => ({ x, y: a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x) });
  const atY = (y: number) => (a: Point, b: Point) => ({ x: a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y), y });
  if (c.minX !== undefined) p = clipHalf(p, (q) => q.x >= c.minX!, atX(c.minX));
  if (c.maxX !== undefined) p = clipHalf(p, (q) => q.x <= c.maxX!, atX(c.maxX));
  if (c.minY !== undefined) p = clipHalf(p, (q) => q.y >= c.minY!, atY(c.minY));
  if (c.maxY !== undefined) p = clipHalf(p, (q) => q.y <= c.maxY!, atY(c.maxY));
  return p;
}

interface RegionDef {
  id: string;
  shapes: readonly Shape[];
  clip?: Clip;
  /** Where its number goes, well inside it (canonical coordinates). */
  anchor: Point;
  /** The direction the region runs, in degrees from vertical (a forearm hangs at about 5°): a mark's length lies along it. */
  axis: number;
}

// ---- front and back: the canonical body (person's left = +x) ---------------------------------------------------
const HEAD = ellipse(0, 24, 17, 22);
const NECK = polygon(-8, 38, 8, 38, 10, 58, -10, 58);
const TRUNK = polygon(
  -12,
  54,
  12,
  54,
  26,
  59,
  32,
  66,
  32,
  96,
  28,
  124,
  27,
  138,
  31,
  158,
  30,
  170,
  0,
  186,
  -30,
  170,
  -31,
  158,
  -27,
  138,
  -28,
  124,
  -32,
  96,
  -32,
  66,
  -26,
  59,
);
const LEFT_SHOULDER_CAP = polygon(10, 54, 26, 57, 36, 60, 43, 65, 47, 72, 48, 82, 36, 82, 30, 66);
const LEFT_SHOULDER = ellipse(34, 68, 13, 12);
const LEFT_UPPER_ARM = polygon(35, 66, 47, 68, 50, 94, 52, 128, 41, 129, 37, 96);
const LEFT_FOREARM = polygon(41, 124, 52, 124, 55, 150, 59, 184, 50, 185, 46, 152);
const LEFT_HAND = polygon(
  49,
  182,
  59,
  181,
  61,
  186,
  64,
  190,
  66,
  197,
  65,
  202,
  62,
  199,
  62,
  208,
  57,
  215,
  52,
  214,
  49,
  204,
  48,
  192,
);
const LEFT_THIGH = polygon(30, 160, 31, 172, 28, 196, 24, 226, 7, 226, 4, 200, 1, 186);
const LEFT_KNEE = ellipse(15.5, 228, 10, 8.5);
const LEFT_LOWER_LEG = polygon(7, 224, 24, 224, 26, 240, 22, 262, 20, 272, 11, 272, 9, 262, 6, 240);
const LEFT_FOOT = polygon(10, 270, 21, 270, 24, 278, 25, 283, 20, 285, 11, 285, 9, 280);
const UPPER_TRUNK = [TRUNK, LEFT_SHOULDER_CAP, mirror(LEFT_SHOULDER_CAP)];
const BUTTOCKS = [ellipse(14, 170, 17, 19), ellipse(-14, 170, 17, 19)];
const GENITAL = polygon(-13, 172, 13, 172, 0, 194);

const FRONT_SILHOUETTE: readonly Shape[] = [
  HEAD,
  NECK,
  TRUNK,
  ...[LEFT_SHOULDER_CAP, LEFT_UPPER_ARM, LEFT_FOREARM, LEFT_HAND, LEFT_THIGH, LEFT_LOWER_LEG, LEFT_FOOT].flatMap(
    (s) => [s, mirror(s)],
  ),
];

/** A left-side limb region and its mirror on the right. */
function pair(part: string, shape: Shape, anchor: Point, axis: number): [RegionDef, RegionDef] {
  return [
    { id: `left_${part}`, shapes: [shape], anchor, axis },
    { id: `right_${part}`, shapes: [mirror(shape)], anchor: { x: -anchor.x, y: anchor.y }, axis: -axis },
  ];
}

const LIMBS = {
  shoulder: pair('shoulder', LEFT_SHOULDER, { x: 36, y: 69 }, 90),
  hand: pair('hand', LEFT_HAND, { x: 56, y: 199 }, 10),
  foot: pair('foot', LEFT_FOOT, { x: 17, y: 279 }, 90),
  knee: pair('knee', LEFT_KNEE, { x: 15.5, y: 229 }, 90),
  upper_arm: pair('upper_arm', LEFT_UPPER_ARM, { x: 44, y: 100 }, 5),
  forearm: pair('forearm', LEFT_FOREARM, { x: 51, y: 156 }, 7),
  lower_leg: pair('lower_leg', LEFT_LOWER_LEG, { x: 16, y: 252 }, 0),
};
const THIGHS = (y: number) => pair('thigh', LEFT_THIGH, { x: 16, y }, -8);

/** Priority order (earlier wins where shapes overlap). */
const FRONT_DEFS: RegionDef[] = [
  { id: 'head', shapes: [HEAD], clip: { maxY: 13 }, anchor: { x: 0, y: 8 }, axis: 90 },
  { id: 'face', shapes: [HEAD], anchor: { x: 0, y: 28 }, axis: 90 },
  { id: 'neck', shapes: [NECK], anchor: { x: 0, y: 50 }, axis: 90 },
  { id: 'genital_area', shapes: [GENITAL], anchor: { x: 0, y: 180 }, axis: 90 },
  ...LIMBS.shoulder,
  ...LIMBS.hand,
  ...LIMBS.foot,
  ...LIMBS.knee,
  ...LIMBS.upper_arm,
  ...LIMBS.forearm,
  ...LIMBS.lower_leg,
  { id: 'chest', shapes: UPPER_TRUNK, clip: { maxY: 110 }, anchor: { x: 0, y: 86 }, axis: 90 },
  { id: 'abdomen', shapes: [TRUNK], anchor: { x: 0, y: 142 }, axis: 90 },
  ...THIGHS(205),
];

const BACK_DEFS: RegionDef[] = [
  { id: 'head', shapes: [HEAD], anchor: { x: 0, y: 22 }, axis: 90 },
  { id: 'neck', shapes: [NECK], anchor: { x: 0, y: 50 }, axis: 90 },
  ...LIMBS.shoulder,
  ...LIMBS.hand,
  ...LIMBS.foot,
  ...LIMBS.knee,
  ...LIMBS.upper_arm,
  ...LIMBS.forearm,
  ...LIMBS.lower_leg,
  { id: 'buttocks', shapes: BUTTOCKS, clip: { minY: 150 }, anchor: { x: 0, y: 172 }, axis: 90 },
  { id: 'upper_back', shapes: UPPER_TRUNK, clip: { maxY: 110 }, anchor: { x: 0, y: 86 }, axis: 90 },
  { id: 'lower_back', shapes: [TRUNK], anchor: { x: 0, y: 132 }, axis: 90 },
  ...THIGHS(208),
];

// ---- the side: the canonical left side (the person faces -x) ---------------------------------------------------
const S_HEAD = ellipse(2, 24, 18, 22);
const S_NOSE = polygon(-14, 17, -20, 28, -13, 31);
const S_EAR = ellipse(6, 27, 4, 6.5);
const S_NECK = polygon(-7, 40, 9, 40, 10, 58, -9, 58);
const S_TRUNK = polygon(
  -9,
  54,
  11,
  54,
  17,
  60,
  20,
  80,
  18,
  104,
  14,
  122,
  16,
  140,
  22,
  158,
  22,
  176,
  14,
  188,
  -12,
  188,
  -16,
  172,
  -14,
  150,
  -17,
  132,
  -20,
  112,
  -22,
  92,
  -21,
  72,
  -16,
  60,
);
const S_SHOULDER = ellipse(2, 68, 12, 11);
const S_UPPER_ARM = polygon(-8, 66, 11, 66, 10, 96, 8, 126, -5, 127, -9, 96);
const S_FOREARM = polygon(-6, 122, 8, 122, 6, 152, 3, 182, -7, 183, -8, 152);
const S_HAND = polygon(-8, 180, 4, 180, 6, 190, 3, 206, -4, 211, -9, 204, -10, 190);
const S_THIGH = polygon(-14, 170, 20, 170, 19, 196, 12, 226, -9, 226, -14, 196);
const S_KNEE = ellipse(1.5, 228, 11, 8.5);
const S_LOWER_LEG = polygon(-9, 224, 12, 224, 14, 240, 9, 262, 6, 272, -5, 272, -6, 256, -8, 240);
const S_FOOT = polygon(-5, 270, 8, 270, 10, 278, 9, 285, -22, 285, -23, 280, -12, 275);

const SIDE_SILHOUETTE: readonly Shape[] = [
  S_HEAD,
  S_NOSE,
  S_EAR,
  S_NECK,
  S_TRUNK,
  S_SHOULDER,
  S_UPPER_ARM,
  S_FOREARM,
  S_HAND,
  S_THIGH,
  S_KNEE,
  S_LOWER_LEG,
  S_FOOT,
];

const LEFT_SIDE_DEFS: RegionDef[] = [
  { id: 'left_ear', shapes: [S_EAR], anchor: { x: 6, y: 27 }, axis: 0 },
  {
    id: 'left_side_of_face',
    shapes: [S_HEAD, S_NOSE],
    clip: { maxX: -3, minY: 12 },
    anchor: { x: -9, y: 28 },
    axis: 0,
  },
  { id: 'left_side_of_head', shapes: [S_HEAD], anchor: { x: 7, y: 12 }, axis: 90 },
  { id: 'left_side_of_neck', shapes: [S_NECK], anchor: { x: 1, y: 48 }, axis: 0 },
  { id: 'left_hand', shapes: [S_HAND], anchor: { x: -3, y: 196 }, axis: 0 },
  { id: 'left_shoulder', shapes: [S_SHOULDER], anchor: { x: 2, y: 68 }, axis: 90 },
  { id: 'left_upper_arm', shapes: [S_UPPER_ARM], anchor: { x: 1, y: 100 }, axis: 0 },
  { id: 'left_forearm', shapes: [S_FOREARM], anchor: { x: -1, y: 156 }, axis: 0 },
  { id: 'left_foot', shapes: [S_FOOT], anchor: { x: -6, y: 280 }, axis: 90 },
  { id: 'left_knee', shapes: [S_KNEE], anchor: { x: 1.5, y: 229 }, axis: 90 },
  { id: 'left_lower_leg', shapes: [S_LOWER_LEG], anchor: { x: 2, y: 250 }, axis: 0 },
  { id: 'left_hip', shapes: [S_TRUNK], clip: { minY: 148 }, anchor: { x: 14, y: 166 }, axis: 0 },
  { id: 'left_thigh', shapes: [S_THIGH], anchor: { x: 4, y: 217 }, axis: 0 },
  { id: 'left_side_of_chest', shapes: [S_TRUNK], clip: { maxY: 112 }, anchor: { x: -14, y: 96 }, axis: 0 },
  { id: 'left_side_of_waist', shapes: [S_TRUNK], anchor: { x: -11, y: 134 }, axis: 0 },
];

/** Reading order of the numbers in each view: head to toe, and left to right as the viewer sees it. */
const NUMBER_ORDER: Readonly<Record<'front' | 'back' | 'left', readonly string[]>> = {
  front: [
    'head',
    'face',
    'neck',
    'right_shoulder',
    'left_shoulder',
    'chest',
    'right_upper_arm',
    'left_upper_arm',
    'abdomen',
    'right_forearm',
    'left_forearm',
    'genital_area',
    'right_hand',
    'left_hand',
    'right_thigh',
    'left_thigh',
    'right_knee',
    'left_knee',
    'right_lower_leg',
    'left_lower_leg',
    'right_foot',
    'left_foot',
  ],
  back: [
    'head',
    'neck',
    'left_shoulder',
    'right_shoulder',
    'upper_back',
    'left_upper_arm',
    'right_upper_arm',
    'lower_back',
    'left_forearm',
    'right_forearm',
    'buttocks',
    'left_hand',
    'right_hand',
    'left_thigh',
    'right_thigh',
    'left_knee',
    'right_knee',
    'left_lower_leg',
    'right_lower_leg',
    'left_foot',
    'right_foot',
  ],
  left: [
    'left_side_of_head',
    'left_ear',
    'left_side_of_face',
    'left_side_of_neck',
    'left_shoulder',
    'left_side_of_chest',
    'left_upper_arm',
    'left_side_of_waist',
    'left_forearm',
    'left_hip',
    'left_hand',
    'left_thigh',
    'left_knee',
    'left_lower_leg',
    'left_foot',
  ],
};

// ---- age bands ------------------------------------------------------------------------------------------------

/** Landmarks of the canonical (adult) figure: top of head, chin, shoulder line, crotch, soles. */
const LANDMARKS = [0, 46, 58, 186, 286];
interface BandShape {
  /** Where the landmarks fall for this band, as fractions of the figure's height. */
  at: readonly number[];
  /** Horizontal scale of the head, and of the body below the shoulders (a baby is plump, a child slim). */
  headX: number;
  bodyX: number;
}
const BANDS: Readonly<Record<AgeBand, BandShape>> = {
  adult: { at: LANDMARKS.map((y) => y / FIGURE.height), headX: 1, bodyX: 1 },
  child: { at: [0, 0.2, 0.24, 0.665, 1], headX: 1.22, bodyX: 0.9 },
  baby: { at: [0, 0.255, 0.29, 0.69, 1], headX: 1.5, bodyX: 1.02 },
};

function bandTransform(band: AgeBand): (p: Point) => Point {
  const b = BANDS[band];
  const target = b.at.map((f) => f * FIGURE.height);
  return (p) => {
    let i = 0;
    while (i < LANDMARKS.length - 2 && p.y > LANDMARKS[i + 1]) i++;
    const t = Math.min(1, Math.max(0, (p.y - LANDMARKS[i]) / (LANDMARKS[i + 1] - LANDMARKS[i])));
    const y = target[i] + t * (target[i + 1] - target[i]);
    // x: the head's scale down to the chin, the body's from the shoulder line, blended across the neck.
    const blend = Math.min(1, Math.max(0, (p.y - LANDMARKS[1]) / (LANDMARKS[2] - LANDMARKS[1])));
    const sx = b.headX + blend * (b.bodyX - b.headX);
    return { x: p.x * sx, y };
  };
}

// ---- the built table ---------------------------------------------------------------------------------------------

export interface RegionGeometry {
  id: string;
  /** Its number in this view, 1 upwards, in reading order. */
  number: number;
  /** Visible shapes (clipped; later regions lie under earlier ones where they overlap), view coordinates. */
  polygons: readonly Polygon[];
  /** Where its number goes. */
  anchor: Point;
  /** The direction it runs, in degrees from vertical, view coordinates. */
  axis: number;
}

export interface ViewGeometry {
  view: BodyView;
  band: AgeBand;
  /** Regions in priority order (earlier wins): paint them last first. */
  regions: readonly RegionGeometry[];
  /** The body's outline, as the union of these. */
  silhouette: readonly Polygon[];
}

function toRight(id: string): string {
  return id.replace(/^left_/, 'right_');
}

function build(view: BodyView, band: AgeBand): ViewGeometry {
  const side = view === 'left' || view === 'right';
  const defs = view === 'front' ? FRONT_DEFS : view === 'back' ? BACK_DEFS : LEFT_SIDE_DEFS;
  // Front: canonical. Back and right side: mirrored in x.
  const flip = view === 'back' || view === 'right' ? -1 : 1;
  const t = bandTransform(band);
  const place = (p: Point): Point => {
    const q = t(p);
    return { x: q.x * flip, y: q.y };
  };
  const order = NUMBER_ORDER[side ? 'left' : view];
  const regions: RegionGeometry[] = defs.map((d) => {
    const id = view === 'right' ? toRight(d.id) : d.id;
    const polys = d.shapes
      .map((s) => (d.clip ? clipPolygon(s, d.clip) : [...s]))
      .filter((p) => p.length >= 3)
      .map((p) => {
        const out = p.map(place);
        return flip === -1 ? out.reverse() : out;
      });
    return { id, number: order.indexOf(d.id) + 1, polygons: polys, anchor: place(d.anchor), axis: d.axis * flip };
  });
  const sil = (side ? SIDE_SILHOUETTE : FRONT_SILHOUETTE).map((s) => s.map(place));
  return { view, band, regions, silhouette: sil };
}

const CACHE = new Map<string, ViewGeometry>();

/** The geometry of one view for one age band (built once, then shared: treat it as read-only). */
export function viewGeometry(view: BodyView, band: AgeBand = 'adult'): ViewGeometry {
  const key = `${view}:${band}`;
  let g = CACHE.get(key);
  if (!g) {
    g = build(view, band);
    CACHE.set(key, g);
  }
  return g;
}

function inPolygon(poly: Polygon, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Inside the body's outline, in view coordinates. */
export function inSilhouette(view: BodyView, x: number, y: number, band: AgeBand = 'adult'): boolean {
  return viewGeometry(view, band).silhouette.some((p) => inPolygon(p, x, y));
}

/**
 * The region under a point of the figure in that view (x to the viewer's right, see the file comment), or null
 * outside the body. Exactly one region per body point.
 */
export function regionAt(view: BodyView, x: number, y: number, band: AgeBand = 'adult'): string | null {
  const g = viewGeometry(view, band);
  if (!g.silhouette.some((p) => inPolygon(p, x, y))) return null;
  for (const r of g.regions) if (r.polygons.some((p) => inPolygon(p, x, y))) return r.id;
  return null;
}

export function regionGeometry(view: BodyView, id: string, band: AgeBand = 'adult'): RegionGeometry {
  const region = bodyRegion(id);
  if (!region) throw new Error(`Unknown body region "${id}"`);
  if (!regionInView(id, view)) throw new Error(`Body region "${id}" (${region.label}) is not seen in the ${view} view`);
  const g = viewGeometry(view, band).regions.find((r) => r.id === id);
  if (!g) throw new Error(`Body region "${id}" has no drawing geometry for the ${view} view`);
  return g;
}

/** Where a region's number goes, in view coordinates. Throws for a region not in the view. */
export function regionAnchor(view: BodyView, id: string, band: AgeBand = 'adult'): Point {
  return regionGeometry(view, id, band).anchor;
}

/** The regions of a view in the order of their numbers: [{ id, number }]. */
export function numberedRegions(view: BodyView): { id: string; number: number }[] {
  return viewGeometry(view, 'adult')
    .regions.map((r) => ({ id: r.id, number: r.number }))
    .sort((a, b) => a.number - b.number);
}

/** Every region id seen in the view, in number order. */
export function regionsInView(view: BodyView): string[] {
  return numberedRegions(view).map((r) => r.id);
}

// ---- where a mark goes ------------------------------------------------------------------------------------------

/** Where on its region a mark is: up and down, and across (see MARK_ACROSS). */
export type MarkVertical = 'upper' | 'middle' | 'lower';
/**
 * Across a region: nearer the body's midline (inner) or further from it (outer), for arms and legs seen from the
 * front or back; the person's own left or right, for the head, neck and trunk; nearer the front or the back of
 * the body, in a side view.
 */
export type MarkAcross = 'inner' | 'outer' | 'left' | 'right' | 'front' | 'back';

/** The points of a region's visible area on a grid (used to place marks inside it). */
const AREA_CACHE = new Map<string, Point[]>();
function visiblePoints(view: BodyView, id: string, band: AgeBand): Point[] {
  const key = `${view}:${band}:${id}`;
  let pts = AREA_CACHE.get(key);
  if (pts) return pts;
  const g = regionGeometry(view, id, band);
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (const p of g.polygons)
    for (const q of p) {
      minX = Math.min(minX, q.x);
      maxX = Math.max(maxX, q.x);
      minY = Math.min(minY, q.y);
      maxY = Math.max(maxY, q.y);
    }
  pts = [];
  for (let y = Math.floor(minY); y <= maxY; y += 0.5)
    for (let x = Math.floor(minX); x <= maxX; x += 0.5) if (regionAt(view, x, y, band) === id) pts.push({ x, y });
  AREA_CACHE.set(key, pts);
  return pts;
}

/** Which across-positions make sense for a region in a view (an empty list: only the centre). */
export function acrossChoices(view: BodyView, id: string): MarkAcross[] {
  if (view === 'left' || view === 'right') return ['front', 'back'];
  const a = regionAnchor(view, id);
  return Math.abs(a.x) < 2 ? ['left', 'right'] : ['inner', 'outer'];
}

/** Is this across-position one that the region has (see acrossChoices)? */
export function acrossFits(view: BodyView, id: string, across: MarkAcross): boolean {
  return acrossChoices(view, id).includes(across);
}

/**
 * Where a mark's centre goes in view coordinates: the region's anchor, or, with a named part, that part of the
 * region's visible area (upper, middle or lower third; inner or outer, left or right, front or back half),
 * always inside the region.
 */
export function markPoint(
  view: BodyView,
  id: string,
  band: AgeBand,
  vertical?: MarkVertical,
  across?: MarkAcross,
): Point {
  const anchor = regionAnchor(view, id, band);
  if (!vertical && !across) return anchor;
  const pts = visiblePoints(view, id, band);
  if (!pts.length) return anchor;
  const ys = pts.map((p) => p.y);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const fy = vertical === 'upper' ? 0.2 : vertical === 'lower' ? 0.8 : 0.5;
  const ty = vertical ? minY + fy * (maxY - minY) : anchor.y;
  // Points on (near) that height, then the across position among them.
  const row = pts.filter((p) => Math.abs(p.y - ty) <= 1.5);
  const line = row.length ? row : pts;
  const xs = line.map((p) => p.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  let tx = vertical && !across ? (minX + maxX) / 2 : anchor.x;
  if (across) {
    // +1 means "towards +x" in view coordinates.
    let dir = 0;
    if (across === 'inner' || across === 'outer') {
      const outward = Math.sign(anchor.x) || 1;
      dir = across === 'outer' ? outward : -outward;
    } else if (across === 'left' || across === 'right') {
      // The person's left is +x in the front view, -x in the back view.
      const leftDir = view === 'back' ? -1 : 1;
      dir = across === 'left' ? leftDir : -leftDir;
    } else {
      // Side views: the person faces -x in the left view, +x in the right view.
      const frontDir = view === 'right' ? 1 : -1;
      dir = across === 'front' ? frontDir : -frontDir;
    }
    tx = dir > 0 ? minX + 0.78 * (maxX - minX) : minX + 0.22 * (maxX - minX);
    if (Math.abs(anchor.x) < 2 && (across === 'left' || across === 'right')) tx = dir > 0 ? maxX * 0.5 : minX * 0.5;
  }
  // The nearest point of the region to the target (the target itself when inside it).
  let best = line[0];
  let bestD = Infinity;
  for (const p of line) {
    const d = (p.x - tx) ** 2 + (p.y - ty) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return { x: best.x, y: best.y };
}
