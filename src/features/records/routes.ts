/** The records family's routes: "my records", "my team's records" and the managers' "body map KS-…". */
import type { CommandName } from '../../core/commands';
import type { Route } from '../route';
import { BODY_MAP_COPY_GUARDS, offerBodyMapCopy } from './bodyMapCopy';
import { showMyRecords, showTeamRecords } from './records';

export const recordsCommands: Partial<Record<CommandName, Route<{ caseRef?: string; entryRef?: string }>>> = {
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
  print_body_map: {
    guards: BODY_MAP_COPY_GUARDS,
    storeUnavailableNotice: true,
    run: (turn, deps, detail) => offerBodyMapCopy(turn, deps, detail.entryRef),
  },
};
