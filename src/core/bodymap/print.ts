/**
 * The printable copy of one body-map record, for the case file: the four views (marks numbered, at their size,
 * with the legend) on the left and the record's fields beside them — reference, case, who recorded it, their
 * role and when, the outline, and every mark with everything recorded about it. One PNG page, drawn by the same
 * SVG and renderer as the pictures in Teams, so it can be attached to the case system.
 *
 * This copy is for the case record, like the CSV export: it carries the worker's own words (colour,
 * explanation, description), which never go to the managers' channel. Pure: no clock (the caller says when it
 * was printed), no I/O.
 */
import type { StoredEntryOf } from '../records/entry';
import { recordReference } from '../records/reference';
import { formatLondon } from '../time';
import { FLOWS } from '../walkthrough/flow';
import { markDetail, markLine, pictureMarks } from '../walkthrough/bodyMapCard';
import type { Mark } from '../walkthrough/types';
import { AGE_BAND_LABEL, type AgeBand } from './regions';
import { svgToPng } from './render';
import { bodyMapSvg, FONT_FAMILY, PALETTE, wrap } from './svg';

export type BodyMapEntry = Pick<
  StoredEntryOf<'body_map'>,
  'id' | 'caseRef' | 'author' | 'createdAt' | 'fields' | 'guidanceVersion' | 'corrects' | 'reason'
>;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The record's marks as the walkthrough's marks (the list's lines and details come from the same code). */
function marksOf(entry: BodyMapEntry): Mark[] {
  return entry.fields.marks.map((m, i) => ({ id: `m${i + 1}`, ...m }) as Mark);
}

/** The lines of text beside the picture: headings in bold. */
export function printableLines(
  entry: BodyMapEntry,
  printedAt: Date,
): { text: string; bold?: boolean; gap?: boolean }[] {
  const f = entry.fields;
  const band: AgeBand = f.ageBand ?? 'adult';
  const flow = FLOWS[f.flowVersion ?? '2'] ?? FLOWS['2'];
  const lines: { text: string; bold?: boolean; gap?: boolean }[] = [
    { text: `Body map ${recordReference(entry.id)}`, bold: true },
    { text: `Case reference: ${entry.caseRef ?? ''}` },
    {
      text: `Recorded by: ${entry.author.name || entry.author.aadObjectId}${f.recorderRole ? ` (${f.recorderRole})` : ''}`,
    },
    { text: `Recorded: ${formatLondon(entry.createdAt)}` },
    { text: `Outline: ${AGE_BAND_LABEL[band]}` },
    {
      text: `Guidance version ${entry.guidanceVersion}${f.flowVersion ? `, walkthrough version ${f.flowVersion}` : ''}`,
    },
  ];
  if (entry.corrects) lines.push({ text: `Corrects ${recordReference(entry.corrects)}: ${entry.reason ?? ''}` });
  lines.push({ text: `Marks (${f.marks.length})`, bold: true, gap: true });
  marksOf(entry).forEach((m, i) => {
    lines.push({ text: markLine(m, i, flow), bold: true, gap: i > 0 });
    const detail = markDetail(m);
    if (detail) lines.push({ text: detail });
    if (m.markedAt) lines.push({ text: `Marked ${formatLondon(m.markedAt)}` });
  });
  lines.push({
    text: `Printed from KeepSafe ${formatLondon(printedAt)}. A body map is never edited: a change is a new, linked entry.`,
    gap: true,
  });
  return lines;
}

export const PRINT_SIZE = { width: 1700, pictureWidth: 820 } as const;

/** The printable copy as SVG: the picture on the left, the fields on the right (the page grows to fit them). */
export function printableSvg(entry: BodyMapEntry, printedAt: Date): { svg: string; width: number; height: number } {
  const band = entry.fields.ageBand ?? 'adult';
  const marks = pictureMarks(marksOf(entry));
  const pic = bodyMapSvg(marks, {
    layout: 'summary',
    band,
    views: ['front', 'back', 'left', 'right'],
    width: PRINT_SIZE.pictureWidth,
  });
  const margin = 40;
  const textX = PRINT_SIZE.pictureWidth + margin * 2;
  const textW = PRINT_SIZE.width - textX - margin;
  const px = 22;
  const maxChars = Math.floor(textW / (px * 0.5));
  const out: string[] = [];
  let y = margin + px;
  for (const line of printableLines(entry, printedAt)) {
    if (line.gap) y += px * 0.6;
    const size = line.bold && y < margin + px * 2 ? px * 1.5 : px;
    for (const part of wrap(line.text, Math.floor(maxChars * (px / size)))) {
      out.push(
        `<text x="${textX}" y="${Math.round(y)}" font-size="${size}"${line.bold ? ' font-weight="bold"' : ''} fill="${PALETTE.text}">${esc(part)}</text>`,
      );
      y += size * 1.3;
    }
  }
  const height = Math.ceil(Math.max(pic.height + margin * 2, y + margin));
  const inner = pic.svg.replace(
    /^<svg [^>]*>/,
    `<svg x="${margin}" y="${margin}" width="${pic.width}" height="${pic.height}" viewBox="0 0 ${pic.width} ${pic.height}">`,
  );
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PRINT_SIZE.width}" height="${height}" viewBox="0 0 ${PRINT_SIZE.width} ${height}" font-family="${FONT_FAMILY}">` +
    `<rect width="${PRINT_SIZE.width}" height="${height}" fill="#FFFFFF"/>${inner}` +
    `<path d="M${textX - margin / 2} ${margin}V${height - margin}" stroke="${PALETTE.regionLine}" stroke-width="2"/>${out.join('')}</svg>`;
  return { svg, width: PRINT_SIZE.width, height };
}

/** The printable copy as PNG bytes. */
export function printableBodyMapPng(entry: BodyMapEntry, printedAt: Date): Buffer {
  return svgToPng(printableSvg(entry, printedAt).svg, 9);
}
