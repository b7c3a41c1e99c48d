/** The records family's routes: "my records" and "my team's records". */
import type { CommandName } from '../../core/commands';
import type { Route } from '../route';
import { showMyRecords, showTeamRecords } from './records';

export const recordsCommands: Partial<Record<CommandName, Route<{ caseRef?: string }>>> = {
  my_records: {
    guards: { signedIn: true },
    storeUnavailableNotice: true,
    run: (turn, deps) => showMyRecords(turn, deps),
  },
  team_records: {
    guards: {
      managers: {
        who: 'managers',
        what: "see the team's records",
        hint: "You can see your own entries: type 'my records'.",
        audit: 'records.team',
      },
    },
    storeUnavailableNotice: true,
    run: (turn, deps) => showTeamRecords(turn, deps),
  },
};
