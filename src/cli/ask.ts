/**
 * `npm run --silent ask -- [--json] ["question"]`: ask the guidance engine from a terminal.
 * With a question: one answer. Without: one question per line from stdin, one answer per line, in order.
 * --json prints {"intent", "section", "score", "alternatives", "clarify"} per question and nothing else: the single
 * best section, the next best section numbers, and whether the bot would ask "Did you mean…?".
 */
import path from 'node:path';
import readline from 'node:readline';
import { loadGuidanceContent } from '../core/guidance/content';
import { GuidanceEngine } from '../core/guidance/engine';
import type { Answer } from '../core/guidance/types';

const USAGE = `Usage: npm run --silent ask -- [--json] [--content DIR] ["question"]
  Answers a question from the council's social media guidance.
  With no question, reads one question per line from standard input.
  --json      one JSON line per question: {"intent","section","score","alternatives","clarify"}
  --content   folder holding guidance.json and vocabulary.json (default: ./content)`;

function parseArgs(argv: string[]): { json: boolean; contentDir: string; question?: string } {
  let json = false;
  let contentDir = process.env.CONTENT_DIR || 'content';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--content') contentDir = argv[++i] ?? contentDir;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else rest.push(a);
  }
  return { json, contentDir: path.resolve(contentDir), question: rest.length ? rest.join(' ') : undefined };
}

function readable(engine: GuidanceEngine, answer: Answer): string {
  if (answer.section) {
    const s = engine.section(answer.section)!;
    return [
      `Section ${s.number}: ${s.title}  (intent ${answer.intent}, confidence ${answer.score.toFixed(2)})`,
      ...s.keyPoints.map((p) => `  • ${p}`),
    ].join('\n');
  }
  const explain: Record<string, string> = {
    help: 'Help: ask me about keeping safe on social media, or type "topics".',
    topics: `Topics: ${engine.document.sections.map((s) => `${s.number} ${s.title}`).join('; ')}`,
    greeting: 'Hello! Ask me a question about keeping safe on social media.',
    out_of_scope: "That's outside the social media guidance. Please use the usual route or ask your line manager.",
    guidance: 'The guidance doesn\'t cover that. Ask your line manager, or type "topics".',
  };
  return `${explain[answer.intent] ?? ''}  (intent ${answer.intent}, confidence ${answer.score.toFixed(2)})`;
}

async function main(): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: stop quietly instead of crashing with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
  const args = parseArgs(process.argv.slice(2));
  let engine: GuidanceEngine;
  try {
    engine = new GuidanceEngine(loadGuidanceContent(args.contentDir));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const print = (q: string) => {
    const a = engine.answer(q);
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ intent: a.intent, section: a.section, score: a.score, alternatives: a.alternatives.map((m) => m.section), clarify: a.clarify })}\n`
        : `${readable(engine, a)}\n`,
    );
  };
  if (args.question !== undefined) {
    print(args.question);
    return;
  }
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) print(line);
}

void main();
