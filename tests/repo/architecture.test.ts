/**
 * The layers of docs/architecture.md, checked on the source: Bot Framework only in src/teams, the use cases in
 * src/features free of it, the pure core importing nothing of the layers above, and no import circle anywhere
 * (type-only imports count: a circle of types still ties the files together). ESLint checks the same
 * boundaries as you type (eslint.config.mjs); this test keeps them in the suite.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = sourceFiles(SRC);
const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;
const specifiers = (f: string) => [...fs.readFileSync(f, 'utf8').matchAll(IMPORT)].map((m) => m[1]);

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
}

it('only src/teams imports Bot Framework', () => {
  const botFramework = (f: string) => specifiers(f).some((s) => /^(botbuilder|botframework-)/.test(s));
  const outside = files.filter((f) => !rel(f).startsWith('teams/') && botFramework(f));
  expect(outside.map(rel)).toEqual([]);
});

it('src/features imports nothing from src/teams; src/core nothing from features, teams or storage', () => {
  const wrong: string[] = [];
  for (const f of files) {
    const layer = rel(f).split('/')[0];
    for (const s of specifiers(f)) {
      const target = resolveLocal(f, s);
      if (!target) continue;
      const to = rel(target).split('/')[0];
      if (layer === 'features' && to === 'teams') wrong.push(`${rel(f)} -> ${rel(target)}`);
      if (layer === 'core' && ['features', 'teams', 'storage'].includes(to)) wrong.push(`${rel(f)} -> ${rel(target)}`);
    }
  }
  expect(wrong).toEqual([]);
});

/** Groups of files that import each other in a circle (Tarjan's strongly connected components). */
function circles(): string[][] {
  const targets = (f: string) =>
    specifiers(f)
      .map((s) => resolveLocal(f, s))
      .filter((t): t is string => !!t);
  const graph = new Map(files.map((f) => [f, targets(f)]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(rel(w));
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

it('has no import circle, inside a folder or between folders', () => {
  expect(circles()).toEqual([]);
});
