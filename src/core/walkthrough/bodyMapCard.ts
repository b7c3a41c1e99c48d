/**
 * The body-map parts of the walkthrough's cards (cards.ts builds the card around them): the picture of the view
 * being marked with its numbered regions and the marks so far, the region list of that view only ("12 · Left
 * upper arm"), the sides that fit, and each mark's line in the list, numbered as on the picture.
 * Pure: no Teams SDK, no I/O.
 */
import { acrossChoices, numberedRegions } from '../bodymap/geometry';
import { bodyMapDataUri, type BodyMapMark } from '../bodymap/render';
import { bodyRegion, isBodyView, VIEW_LABEL, type BodyView } from '../bodymap/regions';
import { bodyMapBand } from './entries';
import type { Choice, FieldDef, Flow, Mark, StepDef, WalkState } from './types';

export interface BodyMapImage {
  /** A data: URL (the bot's own PNG) or an https URL. */
  url: string;
  altText: string;
}

/** The marks of a walkthrough as the picture needs them (codes and numbers only). */
export function pictureMarks(marks: readonly Mark[]): BodyMapMark[] {
  return marks.map((m) => ({
    view: m.view,
    region: m.region,
    type: m.type,
    ...(m.sizeCm !== undefined ? { sizeCm: m.sizeCm } : {}),
    ...(m.lengthCm !== undefined ? { lengthCm: m.lengthCm, widthCm: m.widthCm } : {}),
    ...(m.vertical ? { vertical: m.vertical } : {}),
    ...(m.across ? { across: m.across } : {}),
  }));
}

/** The view being marked on a body-map step that keeps one (flow 2 on). */
export function shownView(state: WalkState, step: StepDef): BodyView {
  const v = state.answers[step.id]?.view ?? step.marks?.defaults?.view;
  return isBodyView(v) ? v : 'front';
}

/** Pixel width of the picture while marking: shown about 330 px wide on a phone, its numbers stay 11 px and more. */
export const MARKING_WIDTH = 500;

/** The picture of the view being marked: its regions numbered, the marks made so far on it. */
export function markingPicture(state: WalkState, step: StepDef): BodyMapImage {
  const view = shownView(state, step);
  const marks = pictureMarks(state.marks);
  const band = bodyMapBand(state);
  const here = marks.map((m, i) => (m.view === view ? i + 1 : 0)).filter((n) => n > 0);
  const parts = numberedRegions(view).map((r) => `${r.number} ${bodyRegion(r.id)!.label.toLowerCase()}`);
  const drawn = here.length
    ? `Marks so far on this side, numbered as in the list: ${here.join(', ')}.`
    : 'No marks on this side yet.';
  return {
    url: bodyMapDataUri(marks, { layout: 'marking', views: [view], band, width: MARKING_WIDTH, compression: 9 }),
    altText: `Body map, ${VIEW_LABEL[view].toLowerCase()}. ${drawn} Numbered parts: ${parts.join(', ')}.`,
  };
}

/** The choices a body-map field offers for the view shown, or undefined when it is not such a field. */
export function bodyMapChoices(f: FieldDef, state: WalkState, step: StepDef): readonly Choice[] | undefined {
  if (!f.bodyMapChoices || !step.marks?.keep) return undefined;
  const view = shownView(state, step);
  if (f.bodyMapChoices === 'region') {
    return numberedRegions(view).map((r) => ({ value: r.id, title: `${r.number} · ${bodyRegion(r.id)!.label}` }));
  }
  // Sides: those that fit some region of this view (front/back: inner, outer, left, right; sides: front, back).
  const fits = new Set(numberedRegions(view).flatMap((r) => acrossChoices(view, r.id)));
  return (f.choices ?? []).filter((c) => fits.has(c.value as never));
}

function title(flow: Flow, field: string, value: string | undefined): string {
  const f = flow.steps.body_map?.fields.find((x) => x.id === field);
  return f?.choices?.find((c) => c.value === value)?.title ?? String(value ?? '');
}

const tri = (v: Mark['skinBroken'], yes: string, no: string, unknown: string) =>
  v === 'yes' ? yes : v === 'no' ? no : unknown;

/**
 * One mark in the list, numbered as on the picture: "1. Left forearm (front), upper part: bruise, 3 × 2 cm, oval,
 * purple" (flow 1: "1. Front, Left forearm: bruise, 3 cm, purple").
 */
export function markLine(m: Mark, i: number, flow: Flow): string {
  const region = bodyRegion(m.region)?.label ?? m.region;
  const type = title(flow, 'markType', m.type).toLowerCase();
  if (m.lengthCm === undefined) {
    return `${i + 1}. ${m.view === 'front' ? 'Front' : 'Back'}, ${region}: ${type}, ${m.sizeCm} cm${m.colour ? `, ${m.colour}` : ''}`;
  }
  const where = [
    m.vertical ? title(flow, 'vertical', m.vertical).toLowerCase() : '',
    m.across
      ? title(flow, 'across', m.across)
          .replace(/ \(.*\)$/, '')
          .toLowerCase()
      : '',
  ]
    .filter(Boolean)
    .join(', ');
  const shape = (title(flow, 'shape', m.shape).split(' (')[0] ?? '').toLowerCase();
  return `${i + 1}. ${region} (${VIEW_LABEL[m.view].toLowerCase()})${where ? `, ${where}` : ''}: ${type}, ${m.lengthCm} × ${m.widthCm} cm, ${shape}, ${m.colour}`;
}

/** The rest of a mark (flow 2): skin, swelling, bleeding and whether it was explained, then the worker's words. */
export function markDetail(m: Mark): string {
  if (m.lengthCm === undefined) return m.description ?? '';
  const facts = [
    tri(m.skinBroken, 'skin broken', 'skin not broken', "can't tell if the skin is broken"),
    tri(m.swelling, 'swelling', 'no swelling', "can't tell if swollen"),
    tri(m.bleeding, 'bleeding', 'not bleeding', "can't tell if bleeding"),
    m.explanation === 'the_person'
      ? 'explained by the person'
      : m.explanation === 'someone_else'
        ? `explained by ${m.explainedBy ?? 'someone else'}`
        : 'no explanation given',
  ];
  facts[0] = facts[0].charAt(0).toUpperCase() + facts[0].slice(1);
  const words = m.explanationWords ? ` Their words: "${m.explanationWords}"` : '';
  const more = m.description ? ` ${m.description}` : '';
  return `${facts.join('; ')}.${words}${more}`;
}
