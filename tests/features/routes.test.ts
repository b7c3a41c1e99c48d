/**
 * The route table as a whole: one route per command of the command table and per card verb, and every manager
 * guard refuses someone who is not a manager, politely and with an entry in the audit trail.
 */
import { COMMANDS, type CommandName } from '../../src/core/commands';
import { ROUTES, runCommand, runPress, type CardPress, type Verb } from '../../src/features/routes';
import { EXECUTE_VERBS, SUBMIT_ACTIONS } from '../../src/teams/cardPayloads';
import { harnessForFile, only, SAM, textOf, turn } from './harness';

const UUID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';

const h = harnessForFile();

it('has one route per command, and one per card verb of either kind of button', () => {
  expect(Object.keys(ROUTES.commands).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  const verbs = new Set<string>([...SUBMIT_ACTIONS, ...EXECUTE_VERBS]);
  expect(Object.keys(ROUTES.presses).sort()).toEqual([...verbs].sort());
});

it('declares a manager guard on every command the table marks as for managers', () => {
  for (const spec of COMMANDS) {
    const guarded = Boolean(ROUTES.commands[spec.name].guards?.managers);
    expect([spec.name, guarded]).toEqual([spec.name, Boolean(spec.managers)]);
  }
});

const managerCommands = COMMANDS.filter((c) => c.managers).map((c) => c.name);

it.each(managerCommands.map((c) => [c]))('%s: a worker is refused, and the refusal is audited', async (name) => {
  const before = h.refusals().length;
  const where = name === 'set_managers_channel' ? 'channel' : 'personal';
  const reply = only(await runCommand(turn({ place: where }), h.deps, name as CommandName));
  expect(reply.kind).toBe('notice');
  expect(textOf(reply)).toMatch(/Only (KeepSafe administrators and )?managers can/);
  const audited = h.refusals().slice(before);
  const what = ROUTES.commands[name as CommandName].guards!.managers!.audit;
  expect(audited).toEqual([{ actor: SAM.aadObjectId, what, record: null }]);
});

const managerPresses: CardPress[] = [
  { verb: 'incidentAct', data: { incidentId: UUID, sequence: 1, act: 'acknowledge' } },
  { verb: 'adviceAnswer', data: { requestId: UUID, walkId: UUID, adviceDecision: 'photograph' } },
  { verb: 'questionAct', data: { questionId: UUID, act: 'take' } },
];

it('lists a sample for every card verb with a manager guard', () => {
  const guarded = (Object.keys(ROUTES.presses) as Verb[]).filter((v) => ROUTES.presses[v].guards?.managers);
  expect(guarded.sort()).toEqual(managerPresses.map((p) => p.verb).sort());
});

const samples = managerPresses.map((p) => [p.verb, p]);
it.each(samples)('%s: a worker pressing is refused, and audited', async (_verb, press) => {
  const before = h.refusals().length;
  const reply = only(await runPress(turn(), h.deps, press as CardPress));
  expect(reply.kind).toBe('message');
  expect(textOf(reply)).toMatch(/^Only managers can /);
  const [event] = h.refusals().slice(before);
  expect(event.actor).toBe(SAM.aadObjectId);
  expect(event.what).toMatch(/^(incident\.acknowledge|advice\.answer|question\.take)$/);
});

it('refuses a turn without a signed-in person on every route that needs one, in the same words', async () => {
  const signedIn = (Object.keys(ROUTES.commands) as CommandName[]).filter((c) => ROUTES.commands[c].guards?.signedIn);
  expect(signedIn.length).toBeGreaterThan(0);
  for (const name of signedIn) {
    const reply = only(await runCommand(turn({ actor: undefined }), h.deps, name));
    expect(textOf(reply)).toMatch(/signed in with your council account/);
  }
});
