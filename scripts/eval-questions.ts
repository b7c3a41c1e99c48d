/**
 * `npm run eval`: accuracy of the guidance engine on the development question set, per split and per kind of
 * question, with every miss listed. For policy officers editing content/ and developers tuning the engine.
 *   --split NAME[,NAME]   only these splits (e.g. --split blindA to watch one blind split)
 *   --quiet               totals only, no list of misses
 * A fair alternative section (the also_ok column) counts as right; a not-covered question is right with no section.
 */
import path from 'node:path';
import { loadGuidanceContent } from '../src/core/guidance/content';
import { GuidanceEngine } from '../src/core/guidance/engine';
import { isRight, loadQuestions, type LabelledQuestion } from '../tests/helpers/questions';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = arg('--split')?.split(',');
const quiet = process.argv.includes('--quiet');

const engine = new GuidanceEngine(loadGuidanceContent(path.resolve(process.env.CONTENT_DIR || 'content')));
const questions = loadQuestions().filter((q) => !only || only.includes(q.split));

/** The kinds the issue reports: guidance questions, injury photos, incidents, not covered, and chat (help...). */
export function kindOf(q: LabelledQuestion): string {
  if (q.intent === 'out_of_scope' || q.section === null)
    return q.intent === 'guidance' || q.intent === 'out_of_scope' ? 'not covered' : 'chat';
  return q.intent === 'injury_photo' ? 'injury photo' : q.intent === 'report_incident' ? 'incident' : 'guidance';
}

const tally = new Map<string, { ok: number; total: number }>();
const bump = (key: string, ok: boolean) => {
  const t = tally.get(key) ?? { ok: 0, total: 0 };
  t.total++;
  if (ok) t.ok++;
  tally.set(key, t);
};
let clarified = 0;
let clarifiedRight = 0;
for (const q of questions) {
  const a = engine.answer(q.question);
  const ok = isRight(q, a);
  bump(`split ${q.split}`, ok);
  bump(`split ${q.split} · ${kindOf(q)}`, ok);
  bump(`kind ${kindOf(q)}`, ok);
  bump('all', ok);
  if (a.clarify) {
    clarified++;
    // A did-you-mean card offers the best and the next two sections: does it contain a right one?
    if (
      [a.section, ...a.alternatives.slice(0, 2).map((m) => m.section)].some((s) =>
        isRight(q, { intent: a.intent, section: s }),
      )
    )
      clarifiedRight++;
  }
  if (!ok && !quiet) {
    const alts = a.alternatives.map((m) => `${m.section}:${m.score}`).join(' ');
    console.log(
      `MISS [${q.split}] want ${q.intent}/${q.section ?? '-'}${q.alsoOk.length ? `(+${q.alsoOk.join(',')})` : ''} got ${a.intent}/${a.section ?? '-'} (${a.score}${alts ? ` | ${alts}` : ''}${a.clarify ? ' ?' : ''}) :: ${q.question}`,
    );
  }
}
for (const [k, t] of [...tally].sort())
  console.log(`${k.padEnd(34)} ${((100 * t.ok) / t.total).toFixed(1).padStart(5)}%  (${t.ok}/${t.total})`);
console.log(
  `did you mean: asked on ${clarified} of ${questions.length}; a right section among the choices ${clarifiedRight} of ${clarified}`,
);

// The content's own phrasings and intent examples, answered as written: which ones the engine does not yet follow.
const content = loadGuidanceContent(path.resolve(process.env.CONTENT_DIR || 'content'));
let own = 0;
let ownOk = 0;
const ownMisses: string[] = [];
for (const s of content.document.sections) {
  for (const q of s.questions) {
    const a = engine.answer(q);
    own++;
    if (a.section === s.number) ownOk++;
    else ownMisses.push(`  questions of ${s.number} answered ${a.intent}/${a.section ?? '-'} :: ${q}`);
  }
}
for (const [intent, list] of Object.entries(content.vocabulary.examples)) {
  for (const q of list) {
    const a = engine.answer(q);
    own++;
    if (intent === 'not_covered' ? a.section === null : a.intent === intent) ownOk++;
    else ownMisses.push(`  examples.${intent} answered ${a.intent}/${a.section ?? '-'} :: ${q}`);
  }
}
if (!quiet) console.log(ownMisses.join('\n'));
console.log(`content phrasings answered as written: ${ownOk} of ${own}`);
