/**
 * The body regions a worker can mark on a body map, and the views they are seen in. One list, used by the
 * walkthrough's choices, the record's validation and the picture the bot draws (geometry.ts gives each region
 * of each view its shape and its number). Left and right are the person's own left and right (as on any
 * clinical body map), not the viewer's.
 *
 * Records made before the side views existed use only `front` and `back` and the first 25 ids below; those stay
 * as they were, so old records still validate and draw.
 */
export type BodyView = 'front' | 'back' | 'left' | 'right';
/** The views of the first body map (flow version 1): front and back only. */
export type FrontBackView = 'front' | 'back';

export const BODY_VIEWS: readonly BodyView[] = ['front', 'back', 'left', 'right'];

export const VIEW_LABEL: Readonly<Record<BodyView, string>> = {
  front: 'Front',
  back: 'Back',
  left: 'Left side',
  right: 'Right side',
};

/** Outlines by age band: a baby's proportions are not an adult's. */
export type AgeBand = 'baby' | 'child' | 'adult';
export const AGE_BANDS: readonly AgeBand[] = ['baby', 'child', 'adult'];
export const AGE_BAND_LABEL: Readonly<Record<AgeBand, string>> = {
  baby: 'Baby (under 2)',
  child: 'Child (2 to 12)',
  adult: 'Adult or young person (13 and over)',
};

export interface BodyRegion {
  id: string;
  label: string;
  views: readonly BodyView[];
}

const both: readonly BodyView[] = ['front', 'back'];
const leftSide: readonly BodyView[] = ['front', 'back', 'left'];
const rightSide: readonly BodyView[] = ['front', 'back', 'right'];

export const BODY_REGIONS: readonly BodyRegion[] = [
  { id: 'head', label: 'Head', views: both },
  { id: 'face', label: 'Face', views: ['front'] },
  { id: 'neck', label: 'Neck', views: both },
  { id: 'chest', label: 'Chest', views: ['front'] },
  { id: 'abdomen', label: 'Abdomen', views: ['front'] },
  { id: 'upper_back', label: 'Upper back', views: ['back'] },
  { id: 'lower_back', label: 'Lower back', views: ['back'] },
  { id: 'buttocks', label: 'Buttocks', views: ['back'] },
  { id: 'genital_area', label: 'Genital area', views: ['front'] },
  { id: 'left_shoulder', label: 'Left shoulder', views: leftSide },
  { id: 'right_shoulder', label: 'Right shoulder', views: rightSide },
  { id: 'left_upper_arm', label: 'Left upper arm', views: leftSide },
  { id: 'right_upper_arm', label: 'Right upper arm', views: rightSide },
  { id: 'left_forearm', label: 'Left forearm', views: leftSide },
  { id: 'right_forearm', label: 'Right forearm', views: rightSide },
  { id: 'left_hand', label: 'Left hand', views: leftSide },
  { id: 'right_hand', label: 'Right hand', views: rightSide },
  { id: 'left_thigh', label: 'Left thigh', views: leftSide },
  { id: 'right_thigh', label: 'Right thigh', views: rightSide },
  { id: 'left_knee', label: 'Left knee', views: leftSide },
  { id: 'right_knee', label: 'Right knee', views: rightSide },
  { id: 'left_lower_leg', label: 'Left lower leg', views: leftSide },
  { id: 'right_lower_leg', label: 'Right lower leg', views: rightSide },
  { id: 'left_foot', label: 'Left foot', views: leftSide },
  { id: 'right_foot', label: 'Right foot', views: rightSide },
  // Seen only from the side.
  { id: 'left_side_of_head', label: 'Left side of head', views: ['left'] },
  { id: 'right_side_of_head', label: 'Right side of head', views: ['right'] },
  { id: 'left_ear', label: 'Left ear', views: ['left'] },
  { id: 'right_ear', label: 'Right ear', views: ['right'] },
  { id: 'left_side_of_face', label: 'Left side of face', views: ['left'] },
  { id: 'right_side_of_face', label: 'Right side of face', views: ['right'] },
  { id: 'left_side_of_neck', label: 'Left side of neck', views: ['left'] },
  { id: 'right_side_of_neck', label: 'Right side of neck', views: ['right'] },
  { id: 'left_side_of_chest', label: 'Left side of chest and ribs', views: ['left'] },
  { id: 'right_side_of_chest', label: 'Right side of chest and ribs', views: ['right'] },
  { id: 'left_side_of_waist', label: 'Left side of waist', views: ['left'] },
  { id: 'right_side_of_waist', label: 'Right side of waist', views: ['right'] },
  { id: 'left_hip', label: 'Left hip', views: ['left'] },
  { id: 'right_hip', label: 'Right hip', views: ['right'] },
];

export const BODY_REGION_IDS = BODY_REGIONS.map((r) => r.id);

export function bodyRegion(id: string): BodyRegion | undefined {
  return BODY_REGIONS.find((r) => r.id === id);
}

/** True when the region can be seen in that view (e.g. the face only from the front). */
export function regionInView(id: string, view: string): boolean {
  return bodyRegion(id)?.views.includes(view as BodyView) ?? false;
}

export function isBodyView(v: unknown): v is BodyView {
  return typeof v === 'string' && (BODY_VIEWS as readonly string[]).includes(v);
}

export function isAgeBand(v: unknown): v is AgeBand {
  return typeof v === 'string' && (AGE_BANDS as readonly string[]).includes(v);
}
