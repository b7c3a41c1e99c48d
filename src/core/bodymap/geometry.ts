/**
 * Drawing geometry of the body map: one body outline, split into the regions of `regions.ts`, for the front
 * and the back view. Pure data plus two look-ups (`regionAt`, `regionAnchor`); the picture itself is drawn by
 * `render.ts`.
 *
 * Coordinates are "figure units" (one unit is one pixel at scale 1): x runs from -FIGURE.halfWidth to
 * +FIGURE.halfWidth with 0 on the body's midline and positive x to the VIEWER's right; y runs from 0 (top of the
 * head) down to FIGURE.height (soles).
 *
 * Sides, as on clinical body maps: in the FRONT view we face the person, so the person's LEFT is on the viewer's
 * RIGHT (+x); in the BACK view we stand behind them, so their LEFT is on the viewer's LEFT (-x). The shapes below
 * are written once for a "canonical" body whose left side is +x, and the back view mirrors x.
 */
import { BODY_REGIONS, bodyRegion, regionInView, type BodyView } from './regions';

export interface Point {
  x: number;
  y: number;
}

export type Shape =
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'polygon'; points: readonly Point[]; bounds: Bounds };

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function boundsOf(points: readonly Point[]): Bounds {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

/** A y-band that clips a region's shapes (e.g. the face is the head below the hairline). */
export interface Band {
  minY?: number;
  maxY?: number;
}

export interface RegionGeometry {
  id: string;
  /** Union of these shapes, clipped to `band`, minus every region listed before this one. */
  shapes: readonly Shape[];
  band?: Band;
  /** Where markers go: a point well inside the region (canonical coordinates). */
  anchor: Point;
}

export const FIGURE = { halfWidth: 70, height: 286 } as const;

const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => ({ kind: 'ellipse', cx, cy, rx, ry });
const polygon = (...xy: number[]): Shape => {
  const points: Point[] = [];
  for (let i = 0; i < xy.length; i += 2) points.push({ x: xy[i], y: xy[i + 1] });
  return { kind: 'polygon', points, bounds: boundsOf(points) };
};
/** The same shape on the other side of the midline. */
function mirror(shape: Shape): Shape {
  if (shape.kind === 'ellipse') return { ...shape, cx: -shape.cx };
  const points = shape.points.map((p) => ({ x: -p.x, y: p.y })).reverse();
  return { kind: 'polygon', points, bounds: boundsOf(points) };
}

// ---- the outline, canonical body (person's left = +x) ----------------------------------------------------
const HEAD = ellipse(0, 24, 17, 22);
const NECK = polygon(-8, 38, 8, 38, 10, 58, -10, 58);
/** Trunk from the base of the neck to the crotch, with a gentle waist. */
const TRUNK = polygon(
  -12, 54, 12, 54, 26, 59, 32, 66, 32, 96, 28, 124, 27, 138, 31, 158, 30, 170, 0, 186,
  -30, 170, -31, 158, -27, 138, -28, 124, -32, 96, -32, 66, -26, 59,
);
/** The slope from the neck over the top of the arm: part of the outline, split between trunk and shoulder. */
const LEFT_SHOULDER_CAP = polygon(10, 54, 26, 57, 36, 60, 43, 65, 47, 72, 48, 82, 36, 82, 30, 66);
/** The shoulder region: this ellipse, inside the outline. */
const LEFT_SHOULDER = ellipse(34, 68, 13, 12);
const LEFT_UPPER_ARM = polygon(35, 66, 47, 68, 50, 94, 52, 128, 41, 129, 37, 96);
const LEFT_FOREARM = polygon(41, 124, 52, 124, 55, 150, 59, 184, 50, 185, 46, 152);
const LEFT_HAND = polygon(49, 182, 59, 181, 61, 186, 64, 190, 66, 197, 65, 202, 62, 199, 62, 208, 57, 215, 52, 214, 49, 204, 48, 192);
const LEFT_THIGH = polygon(30, 160, 31, 172, 28, 196, 24, 226, 7, 226, 4, 200, 1, 186);
/** The knee region: this ellipse, inside the outline of thigh and lower leg. */
const LEFT_KNEE = ellipse(15.5, 228, 10, 8.5);
const LEFT_LOWER_LEG = polygon(7, 224, 24, 224, 26, 240, 22, 262, 20, 272, 11, 272, 9, 262, 6, 240);
const LEFT_FOOT = polygon(10, 270, 21, 270, 24, 278, 25, 283, 20, 285, 11, 285, 9, 280);

/** Top of the trunk, with what the shoulder ellipses leave of the shoulder slopes. */
const UPPER_TRUNK = [TRUNK, LEFT_SHOULDER_CAP, mirror(LEFT_SHOULDER_CAP)];

/** The buttocks, seen from behind: two rounded cheeks over the bottom of the trunk and the top of the thighs. */
const BUTTOCKS = [ellipse(14, 170, 17, 19), ellipse(-14, 170, 17, 19)];
/** The genital area, seen from the front: a small triangle at the crotch. */
const GENITAL = polygon(-13, 172, 13, 172, 0, 194);

const both = (id: string, shape: Shape, anchor: Point): RegionGeometry[] => [
  { id: `left_${id}`, shapes: [shape], anchor },
  { id: `right_${id}`, shapes: [mirror(shape)], anchor: { x: -anchor.x, y: anchor.y } },
];

/** Limbs, in priority order (earlier wins where shapes overlap): shoulders over arms, knees over legs. */
const LIMBS: RegionGeometry[] = [
  ...both('shoulder', LEFT_SHOULDER, { x: 36, y: 69 }),
  ...both('hand', LEFT_HAND, { x: 56, y: 199 }),
  ...both('foot', LEFT_FOOT, { x: 17, y: 279 }),
  ...both('knee', LEFT_KNEE, { x: 15.5, y: 229 }),
  ...both('upper_arm', LEFT_UPPER_ARM, { x: 44, y: 100 }),
  ...both('forearm', LEFT_FOREARM, { x: 51, y: 156 }),
  ...both('lower_leg', LEFT_LOWER_LEG, { x: 16, y: 252 }),
];

/** Front view, canonical orientation (person's left = +x, which is the viewer's right when facing them). */
const FRONT: RegionGeometry[] = [
  { id: 'head', shapes: [HEAD], band: { maxY: 13 }, anchor: { x: 0, y: 8 } },
  { id: 'face', shapes: [HEAD], anchor: { x: 0, y: 28 } },
  { id: 'neck', shapes: [NECK], anchor: { x: 0, y: 50 } },
  { id: 'genital_area', shapes: [GENITAL], anchor: { x: 0, y: 180 } },
  ...LIMBS,
  { id: 'chest', shapes: UPPER_TRUNK, band: { maxY: 110 }, anchor: { x: 0, y: 86 } },
  { id: 'abdomen', shapes: [TRUNK], anchor: { x: 0, y: 142 } },
  ...both('thigh', LEFT_THIGH, { x: 16, y: 205 }),
];

/** Back view, canonical orientation (mirrored when drawn, so the person's left is the viewer's left). */
const BACK: RegionGeometry[] = [
  { id: 'head', shapes: [HEAD], anchor: { x: 0, y: 22 } },
  { id: 'neck', shapes: [NECK], anchor: { x: 0, y: 50 } },
  ...LIMBS,
  { id: 'buttocks', shapes: BUTTOCKS, band: { minY: 150 }, anchor: { x: 0, y: 172 } },
  { id: 'upper_back', shapes: UPPER_TRUNK, band: { maxY: 110 }, anchor: { x: 0, y: 86 } },
  { id: 'lower_back', shapes: [TRUNK], anchor: { x: 0, y: 132 } },
  ...both('thigh', LEFT_THIGH, { x: 16, y: 208 }),
];

export const REGION_GEOMETRY: Readonly<Record<BodyView, readonly RegionGeometry[]>> = { front: FRONT, back: BACK };

/** The person's left is drawn at +x (viewer's right) in the front view and at -x (viewer's left) in the back. */
export function sideSign(view: BodyView): 1 | -1 {
  return view === 'front' ? 1 : -1;
}

function inShape(s: Shape, x: number, y: number): boolean {
  if (s.kind === 'ellipse') {
    const dx = (x - s.cx) / s.rx;
    const dy = (y - s.cy) / s.ry;
    return dx * dx + dy * dy <= 1;
  }
  const box = s.bounds;
  if (x < box.minX || x > box.maxX || y < box.minY || y > box.maxY) return false;
  // even-odd ray cast
  let inside = false;
  const pts = s.points;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i];
    const b = pts[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

function inRegion(g: RegionGeometry, x: number, y: number): boolean {
  if (g.band?.minY !== undefined && y < g.band.minY) return false;
  if (g.band?.maxY !== undefined && y >= g.band.maxY) return false;
  for (const s of g.shapes) if (inShape(s, x, y)) return true;
  return false;
}

/** Shapes that make up the silhouette; every region's shapes lie inside it, and every view covers all of it. */
const SILHOUETTE: readonly Shape[] = [
  HEAD,
  NECK,
  TRUNK,
  ...[LEFT_SHOULDER_CAP, LEFT_UPPER_ARM, LEFT_FOREARM, LEFT_HAND, LEFT_THIGH, LEFT_LOWER_LEG, LEFT_FOOT].flatMap((s) => [s, mirror(s)]),
];

function inCanonicalSilhouette(x: number, y: number): boolean {
  for (const s of SILHOUETTE) if (inShape(s, x, y)) return true;
  return false;
}

/** Inside the body's outline, in view coordinates like `regionAt`. */
export function inSilhouette(view: BodyView, x: number, y: number): boolean {
  return inCanonicalSilhouette(x * sideSign(view), y);
}

/**
 * The region under a point of the figure in that view (x to the viewer's right, see the file comment), or null
 * outside the body. Exactly one region per body point: regions never overlap.
 */
export function regionAt(view: BodyView, x: number, y: number): string | null {
  const cx = x * sideSign(view);
  if (!inCanonicalSilhouette(cx, y)) return null;
  for (const g of REGION_GEOMETRY[view]) if (inRegion(g, cx, y)) return g.id;
  return null;
}

function geometryOf(view: BodyView, id: string): RegionGeometry {
  const region = bodyRegion(id);
  if (!region) throw new Error(`Unknown body region "${id}"`);
  if (!regionInView(id, view)) throw new Error(`Body region "${id}" (${region.label}) is not visible in the ${view} view`);
  const g = REGION_GEOMETRY[view].find((r) => r.id === id);
  if (!g) throw new Error(`Body region "${id}" has no drawing geometry for the ${view} view`);
  return g;
}

/** Where markers for this region go, in view coordinates (x to the viewer's right). Throws for a region not in the view. */
export function regionAnchor(view: BodyView, id: string): Point {
  const a = geometryOf(view, id).anchor;
  return { x: a.x * sideSign(view), y: a.y };
}

/** Every region id of regions.ts that is visible in the view, in the order of regions.ts. */
export function regionsInView(view: BodyView): string[] {
  return BODY_REGIONS.filter((r) => r.views.includes(view)).map((r) => r.id);
}
