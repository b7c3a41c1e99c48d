/** Choosing the managers' channel and "failed messages", driven directly. */
import { managersChannel } from '../../../src/features/admin/managersChannel';
import { MANAGERS_CHANNEL_KEY } from '../../../src/features/conversationKeys';
import { textMessage } from '../../../src/features/outboxMessages';
import { runCommand } from '../../../src/features/routes';
import { ADMIN, harness, harnessForFile, only, PRIYA, SAM, textOf, turn } from '../harness';

describe("'set as managers channel'", () => {
  const h = harnessForFile({ managers: [PRIYA], admins: [ADMIN] });

  it('is only done in a channel', async () => {
    const reply = only(await runCommand(turn({ actor: PRIYA }), h.deps, 'set_managers_channel'));
    expect(reply).toMatchObject({ kind: 'notice', title: 'Do this in the managers’ channel' });
  });
  it('a worker is refused in the words every managers-or-administrators refusal uses, and audited', async () => {
    const before = h.refusals().length;
    const reply = only(await runCommand(turn({ place: 'channel' }), h.deps, 'set_managers_channel'));
    expect(textOf(reply)).toMatch(/Only managers can do this/);
    const audited = h.refusals().slice(before);
    expect(audited).toEqual([{ actor: SAM.aadObjectId, what: 'set_managers_channel', record: null }]);
    expect(await managersChannel(h.deps)).toBeUndefined();
  });
  it('an administrator sets it: the setting and the channel reference are stored, the channel is told', async () => {
    const reply = only(await runCommand(turn({ actor: ADMIN, place: 'channel' }), h.deps, 'set_managers_channel'));
    expect(reply).toMatchObject({ kind: 'notice', title: "This is now the managers' channel" });
    expect(await managersChannel(h.deps)).toEqual({ teamId: '19:team', channelId: '19:managers@thread.tacv2' });
    const saved = await h.store.conversations.get(MANAGERS_CHANNEL_KEY);
    const conversation = { id: '19:managers@thread.tacv2', conversationType: 'channel' };
    expect(saved?.reference).toMatchObject({ conversation });
  });
});

describe('first set-up, and a channel fixed in configuration', () => {
  it('with nobody configured, says what to configure (with their id) rather than "only managers"', async () => {
    const h = await harness({ managers: [], admins: [] });
    try {
      const reply = only(await runCommand(turn({ place: 'channel' }), h.deps, 'set_managers_channel'));
      expect(textOf(reply)).toMatch(/needs its managers set up first/);
      expect(textOf(reply)).toContain(SAM.aadObjectId);
      expect(h.refusals()).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
  it('when configuration fixes the channel, a manager is told who can change it', async () => {
    const h = await harness({ channel: { teamId: 't', channelId: 'c' } });
    try {
      const reply = only(await runCommand(turn({ actor: PRIYA, place: 'channel' }), h.deps, 'set_managers_channel'));
      expect(reply).toMatchObject({ kind: 'notice', title: 'Set by your administrator' });
    } finally {
      await h.close();
    }
  });
});

describe("'failed messages'", () => {
  it('tells a manager or an administrator what could not be delivered, and refuses a worker', async () => {
    const h = await harness({ managers: [PRIYA], admins: [ADMIN] });
    try {
      const message = { key: 'k-1', conversationKey: 'user:someone', op: 'send' as const, content: textMessage('') };
      await h.store.enqueue([message]);
      const [claimed] = await h.store.outbox.claim('test', 1);
      await h.store.outbox.markFailed(claimed.id, 'HTTP_403');
      for (const who of [PRIYA, ADMIN]) {
        const reply = only(await runCommand(turn({ actor: who }), h.deps, 'failed_messages'));
        expect(reply).toMatchObject({ kind: 'notice', title: '1 message could not be delivered' });
        expect(textOf(reply)).toMatch(/a 1:1 chat failed after 1 try \(HTTP_403\)/);
      }
      const refused = only(await runCommand(turn(), h.deps, 'failed_messages'));
      expect(textOf(refused)).toMatch(/Only KeepSafe administrators and managers can see delivery failures/);
    } finally {
      await h.close();
    }
  });
});
