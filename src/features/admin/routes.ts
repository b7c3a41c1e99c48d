/** The admin family's routes: choosing the managers' channel, and the messages that could not be delivered. */
import type { CommandName } from '../../core/commands';
import type { Route } from '../route';
import { showFailedMessages } from './failedMessages';
import { nobodyCanSetChannel, SET_CHANNEL_HOW, setManagersChannel } from './managersChannel';

export const adminCommands: Partial<Record<CommandName, Route<{ caseRef?: string }>>> = {
  set_managers_channel: {
    guards: {
      channelOnly: SET_CHANNEL_HOW,
      managers: {
        who: 'managersOrAdmins',
        what: "choose the managers' channel",
        audit: 'set_managers_channel',
        refusal: nobodyCanSetChannel,
      },
    },
    run: (turn, deps) => setManagersChannel(turn, deps),
  },
  failed_messages: {
    guards: { managers: { who: 'managersOrAdmins', what: 'see delivery failures', audit: 'failed_messages' } },
    storeUnavailableNotice: true,
    run: (turn, deps) => showFailedMessages(turn, deps),
  },
};
