/**
 * Incidents, driven directly: the report card (1:1 only), its buttons (cancel, the identifier check, stored
 * once with its channel post queued in the outbox), the managers' buttons and "open incidents".
 */
import { runCommand, runPress } from '../../../src/features/routes';
import { harnessForFile, only, pressWith, PRIYA, SAM, textOf, turn } from '../harness';

const REPORT = {
  type: 'untrue_or_abusive_post',
  summary: 'A parent posted that I lied in court.',
  happenedDate: '2026-11-20',
  happenedTime: '19:30',
  platform: 'Facebook',
  urgency: 'high',
  caseRef: 'lcs-104233',
  evidenceKept: 'true',
};

const h = harnessForFile();
const press = pressWith(h);

describe("'report an incident' and the report card's button on an answer", () => {
  it('opens the report card in a 1:1 chat', async () => {
    const typed = only(await runCommand(turn(), h.deps, 'report_incident'));
    expect(typed.kind).toBe('card');
    expect(textOf(typed)).toMatch(/Report an incident/);
    const pressed = only(await runPress(turn(), h.deps, { verb: 'reportIncident', data: {} }));
    expect(textOf(pressed)).toBe(textOf(typed));
  });
  it('is refused in a channel or a group chat, pointing to the 1:1 chat', async () => {
    for (const place of ['channel', 'group'] as const) {
      const reply = only(await runCommand(turn({ place }), h.deps, 'report_incident'));
      expect(reply).toMatchObject({ kind: 'notice', title: 'Do this in your chat with me' });
      expect(textOf(reply)).toMatch(/type 'report an incident'/);
    }
  });
});

describe('the report card', () => {
  const submit = (data: Record<string, unknown>, over = {}) =>
    press('incident', { step: 'submit', ...data } as never, { ids: { replyToId: 'form-1' }, ...over });

  it('cancel replaces the card and stores nothing', async () => {
    const reply = only(await runPress(turn(), h.deps, { verb: 'incident', data: { step: 'cancel' } }));
    expect(reply.kind).toBe('update');
    expect(textOf(reply)).toMatch(/Report cancelled/);
    expect(await h.store.list({ kind: 'incident_report' })).toHaveLength(0);
  });
  it('shows what is wrong on the card itself', async () => {
    const reply = only(await submit({ ...REPORT, caseRef: 'Mrs Jones' }));
    expect(reply.kind).toBe('update');
    expect(await h.store.list({ kind: 'incident_report' })).toHaveLength(0);
  });
  it('stores a good report once, queues the channel post, and asks for delivery', async () => {
    const before = h.nudges();
    const first = only(await submit(REPORT));
    const again = only(await submit(REPORT)); // Teams retrying the press
    expect(textOf(first)).toMatch(/Incident reported[\s\S]*KS-[0-9A-F]{8}/);
    expect(textOf(again)).toBe(textOf(first));
    const stored = await h.store.list({ kind: 'incident_report' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ caseRef: 'LCS-104233', author: { aadObjectId: SAM.aadObjectId } });
    expect(await h.store.outbox.stats()).toMatchObject({ pending: 1 });
    expect(h.nudges()).toBeGreaterThan(before);
  });
  it('needs a signed-in person', async () => {
    const reply = only(await submit(REPORT, { actor: undefined }));
    const text = 'Please use KeepSafe from Teams, signed in with your council account.';
    expect(reply).toEqual({ kind: 'message', text });
  });
});

describe('the managers', () => {
  it('a manager acknowledges: the card is replaced, the worker and thread are told through the outbox', async () => {
    const [incident] = await h.store.list({ kind: 'incident_report' });
    const pending = (await h.store.outbox.stats()).pending;
    const data = { incidentId: incident.id, sequence: 1, act: 'acknowledge' as const };
    const reply = only(await press('incidentAct', data, { actor: PRIYA, place: 'channel' }));
    expect(reply.kind).toBe('update');
    expect(textOf(reply)).toMatch(/Acknowledged/i);
    const actions = await h.store.list({ kind: 'manager_action' });
    expect(actions.map((e) => e.author.aadObjectId)).toEqual([PRIYA.aadObjectId]);
    expect((await h.store.outbox.stats()).pending).toBeGreaterThan(pending);
  });
  it("a worker pressing a manager's button is refused, audited against the incident", async () => {
    const [incident] = await h.store.list({ kind: 'incident_report' });
    const before = h.refusals().length;
    const data = { incidentId: incident.id, sequence: 2, act: 'resolve' as const, outcome: 'other' };
    const reply = only(await press('incidentAct', data, { place: 'channel' }));
    expect(reply).toMatchObject({ kind: 'message' });
    expect(textOf(reply)).toMatch(/Only managers can act on incident reports/);
    const audited = h.refusals().slice(before);
    expect(audited).toEqual([{ actor: SAM.aadObjectId, what: 'incident.resolve', record: incident.id }]);
  });
  it("'open incidents' lists them for a manager, and refuses a worker with a pointer to reporting", async () => {
    expect(textOf(only(await runCommand(turn({ actor: PRIYA }), h.deps, 'open_incidents')))).toMatch(/LCS-104233/);
    const refused = only(await runCommand(turn(), h.deps, 'open_incidents'));
    expect(refused).toMatchObject({ kind: 'notice', title: 'Managers only' });
    expect(textOf(refused)).toMatch(/type 'report an incident'/);
  });
});
