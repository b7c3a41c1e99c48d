/**
 * Which of a section's key points answer the question that was asked, so the answer card shows those first and
 * the rest behind "Read the full section". Works on the engine's public output (the section it chose and its
 * key points) and the question; the guidance engine itself is untouched.
 *
 * A point matches by the words it shares with the question, after stemming (wink-porter2-stemmer, the stemmer
 * the guidance engine already depends on) and folding a few everyday words together ("mum", "dad" → family;
 * "added me", "friend request" → connect). Points about photographing injuries are
 * shown first only on injury-photo answers, and never lead any other answer.
 */
import stem from 'wink-porter2-stemmer';
import type { Intent } from '../../core/guidance/types';

const STOP = new Set(
  'the a an and or but if of to in on at for with from by about as is are was were be been being it its this that these those there their they them you your yours me my mine we our i he she his her him what when where who why how can could should would do does did done not no yes any all some more most very just only so than then too also into out up off over under again get got have has had will shall may might must one two use using used make made want like know anyone someone something anything thing things'.split(
    ' ',
  ),
);

/** Everyday words folded into one term (before stemming), so "mum added me on insta" meets "connect … family". */
const FOLD: Record<string, string> = {
  mum: 'family',
  mother: 'family',
  dad: 'family',
  father: 'family',
  parent: 'family',
  parents: 'family',
  relative: 'family',
  relatives: 'family',
  families: 'family',
  carer: 'family',
  carers: 'family',
  friend: 'connect',
  friends: 'connect',
  request: 'connect',
  requests: 'connect',
  add: 'connect',
  added: 'connect',
  adding: 'connect',
  follow: 'connect',
  followed: 'connect',
  connection: 'connect',
  connections: 'connect',
  unfriend: 'connect',
  unfriending: 'connect',
  photo: 'photo',
  photos: 'photo',
  picture: 'photo',
  pictures: 'photo',
  pic: 'photo',
  pics: 'photo',
  image: 'photo',
  images: 'photo',
  photograph: 'photo',
  photographs: 'photo',
  hacked: 'password',
  hack: 'password',
  passwords: 'password',
  login: 'password',
  client: 'service',
  clients: 'service',
  caseload: 'service',
  user: 'service',
  users: 'service',
  tagged: 'tag',
  tagging: 'tag',
  tags: 'tag',
  posted: 'post',
  posting: 'post',
  posts: 'post',
  shared: 'post',
  share: 'post',
  sharing: 'post',
  colleague: 'colleague',
  colleagues: 'colleague',
  coworker: 'colleague',
  manager: 'manager',
  boss: 'manager',
  bruise: 'injury',
  bruises: 'injury',
  bruising: 'injury',
  injuries: 'injury',
  injury: 'injury',
  marks: 'injury',
};

function terms(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().match(/[a-z][a-z']*/g) ?? []) {
    const w = raw.replace(/'s$|'$/g, '').replace(/'/g, '');
    if (w.length < 2 || STOP.has(w)) continue;
    out.add(FOLD[w] ?? stem(w));
  }
  return out;
}

const INJURY_POINT = /injur|bruis|body map|abuse or neglect|photograph/i;

/**
 * Indices of the key points to show first (at most two, best first), the rest to go behind the toggle; or
 * undefined to show every point as it is (nothing in the question picks any out, and none needs holding back).
 */
export function pointsFirst(question: string, keyPoints: readonly string[], intent: Intent): number[] | undefined {
  if (!question.trim() || keyPoints.length === 0) return undefined;
  const asked = terms(question);
  const injuryAnswer = intent === 'injury_photo';
  const scored = keyPoints.map((p, i) => {
    const injury = INJURY_POINT.test(p);
    let score = 0;
    for (const t of terms(p)) if (asked.has(t)) score += 1;
    if (injury && injuryAnswer) score += 5;
    return { i, score, injury };
  });
  const held = scored.filter((s) => s.injury && !injuryAnswer);
  const candidates = scored
    .filter((s) => !(s.injury && !injuryAnswer) && s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i);
  if (!candidates.length) {
    // Nothing matched: every point, but the injury-photo ones held back on an answer about something else.
    return held.length ? scored.filter((s) => !held.includes(s)).map((s) => s.i) : undefined;
  }
  const top = candidates[0].score;
  return candidates.filter((s, k) => k === 0 || (k === 1 && s.score >= Math.max(1, top - 1))).map((s) => s.i);
}
