import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGuidanceContent, parseGuidance } from '../src/core/guidance/content';
import { GuidanceEngine } from '../src/core/guidance/engine';
import { CONFIDENCE_THRESHOLD } from '../src/core/guidance/search';
import { loadQuestions } from './helpers/questions';

const CONTENT = path.resolve(__dirname, '../content');
const content = loadGuidanceContent(CONTENT);
const engine = new GuidanceEngine(content);

describe('guidance content', () => {
  it('has every section of the source, numbered as in it, and no section 3', () => {
    expect(content.document.sections.map((s) => s.number)).toEqual(['1', '2', '2.1', '2.2', '2.3', '2.3.1', '2.3.2', '2.4', '2.5', '4']);
  });

  it('quotes the source text verbatim in every section that has its own text', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../shared/source/social-media-guidance.txt'), 'utf8').replace(/\u00a0/g, ' ');
    for (const s of content.document.sections.filter((x) => !['2', '2.3'].includes(x.number))) {
      for (const p of s.paragraphs) expect(source).toContain(p);
    }
  });

  it.each([
    [(d: any) => (d.sections[3].keyPoints = []), /sections\[3\]\.keyPoints .*at least 1/],
    [(d: any) => (d.sections[0].number = '3'), /no section 3/],
    [(d: any) => (d.sections[2].related = ['9.9']), /sections\[2\]\.related\[0\] "9.9" is not a section/],
    [(d: any) => (d.sections[1].number = '1'), /used twice/],
    [(d: any) => delete d.version, /version/],
    [(d: any) => (d.sections[4].title = ''), /sections\[4\]\.title must not be empty/],
  ])('a broken content file stops the start with a message naming the field (%#)', (breakIt, message) => {
    const doc = structuredClone(JSON.parse(fs.readFileSync(path.join(CONTENT, 'guidance.json'), 'utf8')));
    breakIt(doc);
    expect(() => parseGuidance(doc, 'content/guidance.json')).toThrow(message);
    try {
      parseGuidance(doc, 'content/guidance.json');
    } catch (err) {
      expect((err as Error).message.startsWith('content/guidance.json: ')).toBe(true);
    }
  });

  it('reports a file that is not JSON with its name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-content-'));
    fs.writeFileSync(path.join(dir, 'guidance.json'), '{ "title": ');
    fs.copyFileSync(path.join(CONTENT, 'vocabulary.json'), path.join(dir, 'vocabulary.json'));
    expect(() => loadGuidanceContent(dir)).toThrow(/guidance\.json: is not valid JSON/);
  });
});

describe('the engine', () => {
  it.each([
    ['how do i make my facebok privte', '2.1'], // typos
    ['instagarm password', '2.1'],
    ['a yp i work with folowed me on tiktok', '2.2'],
    ['been on the lash, can i post on fb', '2.3.1'],
    ['SOMEONE TAGGED ME IN A PHOTO', '2.4'],
    ['can i give a su my personal number', '2.5'],
  ])('tolerates typos, slang and shouting: %s', (q, section) => {
    expect(engine.answer(q).section).toBe(section);
  });

  it('routes by meaning, not by sentence', () => {
    expect(engine.answer('there are bruises on the child, can i take a photo?')).toMatchObject({ intent: 'injury_photo', section: '2.3.2' });
    expect(engine.answer('my account got hacked')).toMatchObject({ intent: 'report_incident', section: '2.1' });
    expect(engine.answer('how do i stop my account being hacked')).toMatchObject({ intent: 'guidance', section: '2.1' });
    expect(engine.answer('how often should i change my facebook password')).toMatchObject({ intent: 'guidance', section: '2.1' });
    expect(engine.answer('i forgot my work password')).toMatchObject({ intent: 'out_of_scope', section: null });
  });

  it('says "not covered" below the confidence threshold instead of guessing', () => {
    const a = engine.answer('what is the dress code for court');
    expect(a.section).toBeNull();
    expect(a.score).toBeLessThan(CONFIDENCE_THRESHOLD);
    const covered = engine.answer('should i accept a friend request from a client');
    expect(covered.score).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
  });

  it.each([[''], ['   '], ['😀🙈'], ['<b>hi</b>'], ['x'.repeat(10000)], ['?!?!'], ['\u0000\u0007'], ['[link](javascript:alert(1))']])(
    'never throws on odd input (%#)',
    (q) => {
      const a = engine.answer(q);
      expect(typeof a.intent).toBe('string');
    },
  );

  it('answers a 10,000-character paste in bounded time', () => {
    const started = performance.now();
    engine.answer(`privacy ${'lorem ipsum dolor '.repeat(600)}`);
    expect(performance.now() - started).toBeLessThan(2000); // a guard against runaway work, not a benchmark
  });
});

describe('development question set', () => {
  const questions = loadQuestions();

  it('has at least 120 questions across every intent and section', () => {
    expect(questions.length).toBeGreaterThanOrEqual(120);
    const intents = new Set(questions.map((q) => q.intent));
    expect([...intents].sort()).toEqual(['greeting', 'guidance', 'help', 'injury_photo', 'out_of_scope', 'report_incident', 'topics']);
    const sections = new Set(questions.map((q) => q.section).filter(Boolean));
    for (const s of content.document.sections.map((x) => x.number).filter((n) => n !== '2.3')) expect(sections).toContain(s);
  });

  it('is answered with at least 90% accuracy (intent and section both right)', () => {
    const bySplit = new Map<string, { ok: number; total: number }>();
    let ok = 0;
    for (const q of questions) {
      const a = engine.answer(q.question);
      const right = a.intent === q.intent && a.section === q.section;
      if (right) ok++;
      const t = bySplit.get(q.split) ?? { ok: 0, total: 0 };
      t.total++;
      if (right) t.ok++;
      bySplit.set(q.split, t);
    }
    const report = [...bySplit].map(([k, t]) => `${k} ${((100 * t.ok) / t.total).toFixed(1)}% (${t.ok}/${t.total})`).join(', ');
    process.stdout.write(`dev-set accuracy: ${((100 * ok) / questions.length).toFixed(1)}% overall; ${report}\n`);
    expect(ok / questions.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('ask CLI', () => {
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [require.resolve('tsx/cli'), path.resolve(__dirname, '../src/cli/ask.ts'), ...args], {
      input,
      encoding: 'utf8',
      cwd: path.resolve(__dirname, '..'),
    });

  it('prints exactly one JSON line for one question', () => {
    const out = run(['--json', 'can i snap a pic of the bruises on this kid']);
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ intent: 'injury_photo', section: '2.3.2' });
  });

  it('reads one question per line from stdin and answers each, in order', () => {
    const out = run(['--json'], 'how do i book annual leave\n\nsomeone tagged me in a photo\n');
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ intent: 'out_of_scope', section: null });
    expect(lines[2]).toMatchObject({ intent: 'guidance', section: '2.4' });
    expect(typeof lines[2].score).toBe('number');
  });

  it('prints a readable answer without --json', () => {
    const out = run(['how do i make my facebook private']);
    expect(out.stdout).toMatch(/Section 2\.1: Privacy settings and passwords/);
  });
});
