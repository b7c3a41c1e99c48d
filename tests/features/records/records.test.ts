/** "my records" and "my team's records", driven directly: Turn → Reply against a real SQLite store. */
import { runCommand } from '../../../src/features/routes';
import { StoreUnavailableError } from '../../../src/storage/errors';
import { harnessForFile, only, PRIYA, SAM, textOf, turn } from '../harness';

const h = harnessForFile();
beforeAll(async () => {
  const entry = { kind: 'referral' as const, caseRef: 'LCS-100200', author: SAM, fields: { referralMade: true } };
  await h.store.append({ ...entry, guidanceVersion: 'test' });
});

describe('my records', () => {
  it("lists the worker's own entries", async () => {
    const reply = only(await runCommand(turn(), h.deps, 'my_records'));
    expect(reply.kind).toBe('card');
    expect(textOf(reply)).toMatch(/Your recent entries/);
    expect(textOf(reply)).toMatch(/LCS-100200/);
  });
  it("shows someone else nothing of Sam's", async () => {
    const reply = only(await runCommand(turn({ actor: PRIYA }), h.deps, 'my_records'));
    expect(textOf(reply)).not.toMatch(/LCS-100200/);
  });
  it('needs a signed-in person', async () => {
    const reply = only(await runCommand(turn({ actor: undefined }), h.deps, 'my_records'));
    expect(reply).toMatchObject({ kind: 'notice', title: "I can't tell who you are" });
  });
  it('says the records cannot be reached, once, when the store is down', async () => {
    const list = h.store.list;
    h.store.list = async () => {
      throw new StoreUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    };
    try {
      const reply = only(await runCommand(turn(), h.deps, 'my_records'));
      expect(reply).toMatchObject({ kind: 'notice', title: "I can't reach the records just now" });
    } finally {
      h.store.list = list;
    }
  });
});

describe("my team's records", () => {
  it('shows a manager counts by kind and week', async () => {
    const reply = only(await runCommand(turn({ actor: PRIYA }), h.deps, 'team_records'));
    expect(reply.kind).toBe('card');
    expect(textOf(reply)).toMatch(/Referral/i);
  });
  it('refuses a worker, says what they can see instead, and audits it', async () => {
    const before = h.refusals().length;
    const reply = only(await runCommand(turn(), h.deps, 'team_records'));
    expect(reply).toMatchObject({ kind: 'notice', title: 'Managers only' });
    expect(textOf(reply)).toMatch(/type 'my records'/);
    expect(h.refusals().slice(before)).toEqual([{ actor: SAM.aadObjectId, what: 'records.team', record: null }]);
  });
});
