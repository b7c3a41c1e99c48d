/**
 * The consent log, driven directly: a worker's own decisions, the managers' log (each view of another person's
 * entry audited), a case reference checked, and the Correct button that starts a correction walkthrough.
 */
import { randomUUID } from 'node:crypto';
import { parseWalkthroughAction } from '../../../src/core/walkthrough';
import { consentLogCardData } from '../../../src/features/consent/views';
import { runCommand, runPress } from '../../../src/features/routes';
import type { StoredEntry } from '../../../src/storage/types';
import { walkCard } from '../../helpers/cardDriver';
import { harnessForFile, only, PRIYA, SAM, textOf, turn } from '../harness';

const decision = {
  personType: 'adult' as const,
  consent: 'given' as const,
  capacity: 'has_capacity' as const,
  decision: 'photograph' as const,
  device: 'work_device' as const,
  imagesStoredIn: 'case_record' as const,
};

const h = harnessForFile();
let sams: StoredEntry;
beforeAll(async () => {
  const entry = { kind: 'consent_decision' as const, caseRef: 'LCS-300100', author: SAM, fields: decision };
  sams = await h.store.append({ ...entry, guidanceVersion: 'test' });
});

it("'my consent log' lists the worker's own decisions", async () => {
  const reply = only(await runCommand(turn(), h.deps, 'my_consent_log'));
  expect(reply.kind).toBe('card');
  expect(textOf(reply)).toMatch(/LCS-300100/);
  expect(textOf(only(await runCommand(turn({ actor: PRIYA }), h.deps, 'my_consent_log')))).not.toMatch(/LCS-300100/);
});

it("'team consent log' shows a manager everyone's decisions, and audits seeing Sam's", async () => {
  const reply = only(await runCommand(turn({ actor: PRIYA }), h.deps, 'team_consent_log', { caseRef: 'lcs-300100' }));
  expect(textOf(reply)).toMatch(/LCS-300100/);
  expect(h.audited('view')).toContainEqual({ actor: PRIYA.aadObjectId, record: sams.id });
});

it("'team consent log' with a case reference that is not one says so", async () => {
  const reply = only(await runCommand(turn({ actor: PRIYA }), h.deps, 'team_consent_log', { caseRef: 'Mrs Jones' }));
  expect(reply).toMatchObject({ kind: 'notice', title: 'Check the case reference' });
});

it("'team consent log' refuses a worker and audits it", async () => {
  const before = h.refusals().length;
  const reply = only(await runCommand(turn(), h.deps, 'team_consent_log'));
  expect(reply).toMatchObject({ kind: 'notice', title: 'Managers only' });
  expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'consent_log.team', record: null }]);
});

/** The Correct button of an entry on the worker's consent log, as its payload. */
function correctButton(entry: StoredEntry): Record<string, unknown> {
  const data = consentLogCardData([entry]);
  let found: Record<string, unknown> | undefined;
  walkCard(data, (n) => {
    if (n && typeof n === 'object' && n.action === 'walkthrough' && n.corrects) found = n;
  });
  if (!found) throw new Error('no Correct button');
  return found;
}

it("Correct on their own entry starts the correction; on someone else's it is refused and audited", async () => {
  const press = correctButton(sams);
  const started = only(await runPress(turn(), h.deps, { verb: 'walkthrough', data: parseWalkthroughAction(press) }));
  expect(started.kind).toBe('update');
  expect(textOf(started)).toMatch(/You are correcting KS-/);

  const before = h.refusals().length;
  const other = { ...press, walkId: randomUUID() };
  const byPriya = turn({ actor: PRIYA });
  const refused = only(await runPress(byPriya, h.deps, { verb: 'walkthrough', data: parseWalkthroughAction(other) }));
  expect(refused).toEqual({ kind: 'message', text: 'You can only correct consent decisions you logged yourself.' });
  const audited = h.refusals().slice(before);
  expect(audited).toEqual([{ actor: PRIYA.aadObjectId, what: 'consent_log.correct_not_author', record: sams.id }]);
});
