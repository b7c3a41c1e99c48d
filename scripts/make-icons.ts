/**
 * Draws the Teams app icons with pngjs: appPackage/color.png (192×192, full colour) and appPackage/outline.png
 * (32×32, white on transparent), as Teams requires. A shield with a tick: "keeping safe".
 * Run: npx tsx scripts/make-icons.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type RGBA = [number, number, number, number];

/** Inside a shield centred in a unit square (x, y in 0..1). */
function inShield(x: number, y: number): boolean {
  const cx = x - 0.5;
  if (y < 0.14 || y > 0.9) return false;
  if (y < 0.55) return Math.abs(cx) <= 0.34 - 0.06 * Math.max(0, (0.2 - y) / 0.06);
  const t = (y - 0.55) / 0.35; // taper to a point at the bottom
  return Math.abs(cx) <= 0.34 * Math.sqrt(Math.max(0, 1 - t * t));
}

/** On the tick stroke inside the shield. */
function onTick(x: number, y: number, width: number): boolean {
  const dist = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
  };
  return Math.min(dist(x, y, 0.34, 0.5, 0.46, 0.62), dist(x, y, 0.46, 0.62, 0.68, 0.36)) < width;
}

function draw(size: number, pixel: (x: number, y: number) => RGBA): PNG {
  const png = new PNG({ width: size, height: size });
  const samples = 4; // supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = pixel((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          for (let i = 0; i < 4; i++) acc[i] += c[i] * (i < 3 ? c[3] : 1);
        }
      }
      const n = samples * samples;
      const alpha = acc[3] / n;
      const idx = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) png.data[idx + i] = acc[3] > 0 ? Math.round(acc[i] / acc[3]) : 0; // alpha-weighted mean
      png.data[idx + 3] = Math.round(alpha);
    }
  }
  return png;
}

const TEAL: RGBA = [27, 110, 90, 255];
const WHITE: RGBA = [255, 255, 255, 255];
const CLEAR: RGBA = [0, 0, 0, 0];

export function colorIcon(): PNG {
  return draw(192, (x, y) => {
    if (onTick(x, y, 0.045) && inShield(x, y)) return TEAL;
    if (inShield(x, y)) return WHITE;
    return TEAL;
  });
}

export function outlineIcon(): PNG {
  return draw(32, (x, y) => {
    const inside = inShield(x, y);
    const border = inside && !inShield(0.5 + (x - 0.5) * 1.22, 0.14 + (y - 0.14) * 1.16);
    if (border || (inside && onTick(x, y, 0.06))) return WHITE;
    return CLEAR;
  });
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '../appPackage');
  fs.writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(colorIcon()));
  fs.writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(outlineIcon()));
  process.stdout.write('wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32)\n');
}
