/**
 * The body-map renderer: how long a 20-mark map takes to draw (SVG built, rendered by resvg, re-encoded as a
 * palette PNG), how big the pictures are, and the resident memory of a process with the renderer loaded
 * (measured in a child process, so the bench's own heap does not count).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { regionsInView } from '../../src/core/bodymap/geometry';
import { BODY_VIEWS, type BodyView } from '../../src/core/bodymap/regions';
import { renderBodyMap, BODY_MAP_MARK_TYPES, type BodyMapMark } from '../../src/core/bodymap/render';
import { MARKING_WIDTH } from '../../src/core/walkthrough/bodyMapCard';

/** Twenty marks spread over the given views, every type, sizes 3 to 7 cm by 1 to 3 cm, parts named. */
export function twentyMarks(views: readonly BodyView[]): BodyMapMark[] {
  return Array.from({ length: 20 }, (_, i) => {
    const view = views[i % views.length];
    const regions = regionsInView(view);
    return {
      view,
      region: regions[(i * 7) % regions.length],
      type: BODY_MAP_MARK_TYPES[i % 6],
      lengthCm: 3 + (i % 5),
      widthCm: 1 + (i % 3),
      vertical: (['upper', 'middle', 'lower', undefined] as const)[i % 4],
    };
  });
}

interface Timing {
  median: number;
  p99: number;
  max: number;
  /** CPU time of the process per render (user + system): what the render costs, whatever else shares the cores. */
  cpuMedian: number;
  cpuP99: number;
}

/** Wall-clock and CPU time per call; the event loop turns between calls, as between a bot's requests. */
async function timings(fn: () => unknown, runs: number): Promise<Timing> {
  for (let i = 0; i < 20; i++) fn(); // warm up: JIT, font loading, geometry caches
  const ts: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    await new Promise((r) => setImmediate(r));
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t) / 1e6);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const q = (xs: number[], f: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * f) - 1)];
  return { median: q(ts, 0.5), p99: q(ts, 0.99), max: q(ts, 1), cpuMedian: q(cpu, 0.5), cpuP99: q(cpu, 0.99) };
}

/**
 * In a child process: RSS before and after loading the renderer, after one render, and the highest and last
 * over 300 more renders with the event loop turning between them (resvg's native images are freed by their
 * finalizers, which run between turns; a tight synchronous loop of renders holds them all, see the README).
 */
const RSS_PROBE = `
const mb = () => Math.round(process.memoryUsage().rss / 1048576);
const before = mb();
const r = require(${JSON.stringify(path.resolve('src/core/bodymap/render.ts'))});
const loaded = mb();
const marks = JSON.parse(process.argv[1]);
r.renderBodyMap(marks);
const first = mb();
(async () => {
  let peak = first;
  for (let i = 0; i < 300; i++) {
    r.renderBodyMap(marks);
    await new Promise((ok) => setImmediate(ok));
    peak = Math.max(peak, mb());
  }
  process.stdout.write(JSON.stringify({ before, loaded, first, peak, after: mb() }));
})();
`;

export async function benchBodyMap(log: (s: string) => void, runs = 300): Promise<Record<string, number>> {
  const all = twentyMarks(BODY_VIEWS);
  const frontBack = twentyMarks(['front', 'back']);
  log(`rendering a 20-mark body map ${runs} times (four views, 720 px wide)`);
  const four = await timings(() => renderBodyMap(all), runs);
  log(`rendering a 20-mark body map ${runs} times (front and back)`);
  const two = await timings(() => renderBodyMap(frontBack), runs);
  log('rendering the marking picture (one view, level 9)');
  const marking = await timings(
    () => renderBodyMap(all, { layout: 'marking', views: ['front'], width: MARKING_WIDTH, compression: 9 }),
    100,
  );
  log('resident memory with the renderer loaded (child process)');
  const probe = spawnSync(process.execPath, ['--import', 'tsx', '-e', RSS_PROBE, JSON.stringify(all)], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) throw new Error(`RSS probe failed: ${probe.stderr}`);
  const rss = JSON.parse(probe.stdout) as {
    before: number;
    loaded: number;
    first: number;
    peak: number;
    after: number;
  };
  return {
    '20 marks, four views: render median (ms)': four.median,
    '20 marks, four views: render p99 (ms)': four.p99,
    '20 marks, four views: render max (ms)': four.max,
    '20 marks, four views: CPU time per render, median (ms)': four.cpuMedian,
    '20 marks, four views: CPU time per render, p99 (ms)': four.cpuP99,
    '20 marks, four views: PNG bytes (720 px wide)': renderBodyMap(all).length,
    '20 marks, front and back: render median (ms)': two.median,
    '20 marks, front and back: render p99 (ms)': two.p99,
    '20 marks, front and back: PNG bytes': renderBodyMap(frontBack).length,
    'marking picture, one view: render p99 (ms)': marking.p99,
    'marking picture, one view: PNG bytes (500 px wide)': renderBodyMap(all, {
      layout: 'marking',
      views: ['front'],
      width: MARKING_WIDTH,
      compression: 9,
    }).length,
    'RSS of node + tsx before loading the renderer (MiB)': rss.before,
    'RSS with the renderer loaded (MiB)': rss.loaded,
    'RSS after the first render (MiB)': rss.first,
    'RSS, highest over 300 more renders (MiB)': rss.peak,
    'RSS after them (MiB)': rss.after,
  };
}
