/**
 * `npm run eval`: accuracy of the guidance engine on the development question set, per split and per intent,
 * with every miss listed. For policy officers editing content/ and developers tuning the vocabulary.
 */
import path from 'node:path';
import { loadGuidanceContent } from '../src/core/guidance/content';
import { GuidanceEngine } from '../src/core/guidance/engine';
import { loadQuestions } from '../tests/helpers/questions';

const engine = new GuidanceEngine(loadGuidanceContent(path.resolve(process.env.CONTENT_DIR || 'content')));
const questions = loadQuestions();
const tally = new Map<string, { ok: number; total: number }>();
const bump = (key: string, ok: boolean) => {
  const t = tally.get(key) ?? { ok: 0, total: 0 };
  t.total++;
  if (ok) t.ok++;
  tally.set(key, t);
};
for (const q of questions) {
  const a = engine.answer(q.question);
  const ok = a.intent === q.intent && a.section === q.section;
  bump(`split ${q.split}`, ok);
  bump(`intent ${q.intent}`, ok);
  bump('all', ok);
  if (!ok) console.log(`MISS [${q.split}] want ${q.intent}/${q.section ?? '-'} got ${a.intent}/${a.section ?? '-'} (${a.score}) :: ${q.question}`);
}
for (const [k, t] of [...tally].sort()) console.log(`${k.padEnd(28)} ${((100 * t.ok) / t.total).toFixed(1)}%  (${t.ok}/${t.total})`);
