/**
 * The body regions a worker can mark on a body map, for the front and the back view. One list, used by the
 * walkthrough's choices, the record's validation and the picture the bot draws. Left and right are the
 * person's own left and right (as on any clinical body map), not the viewer's.
 */
export type BodyView = 'front' | 'back';

export interface BodyRegion {
  id: string;
  label: string;
  views: readonly BodyView[];
}

const both: readonly BodyView[] = ['front', 'back'];

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
  { id: 'left_shoulder', label: 'Left shoulder', views: both },
  { id: 'right_shoulder', label: 'Right shoulder', views: both },
  { id: 'left_upper_arm', label: 'Left upper arm', views: both },
  { id: 'right_upper_arm', label: 'Right upper arm', views: both },
  { id: 'left_forearm', label: 'Left forearm', views: both },
  { id: 'right_forearm', label: 'Right forearm', views: both },
  { id: 'left_hand', label: 'Left hand', views: both },
  { id: 'right_hand', label: 'Right hand', views: both },
  { id: 'left_thigh', label: 'Left thigh', views: both },
  { id: 'right_thigh', label: 'Right thigh', views: both },
  { id: 'left_knee', label: 'Left knee', views: both },
  { id: 'right_knee', label: 'Right knee', views: both },
  { id: 'left_lower_leg', label: 'Left lower leg', views: both },
  { id: 'right_lower_leg', label: 'Right lower leg', views: both },
  { id: 'left_foot', label: 'Left foot', views: both },
  { id: 'right_foot', label: 'Right foot', views: both },
];

export const BODY_REGION_IDS = BODY_REGIONS.map((r) => r.id);

export function bodyRegion(id: string): BodyRegion | undefined {
  return BODY_REGIONS.find((r) => r.id === id);
}

/** True when the region can be seen in that view (e.g. the face only from the front). */
export function regionInView(id: string, view: BodyView): boolean {
  return bodyRegion(id)?.views.includes(view) ?? false;
}
