/** The consent family's routes: "my consent log" and "team consent log" ("log consent" is a walkthrough). */
import type { CommandName } from '../../core/commands';
import type { Route } from '../route';
import { showMyConsentLog, showTeamConsentLog } from './consentLog';

export const consentCommands: Partial<Record<CommandName, Route<{ caseRef?: string }>>> = {
  my_consent_log: {
    guards: { signedIn: true },
    storeUnavailableNotice: true,
    run: (turn, deps) => showMyConsentLog(turn, deps),
  },
  team_consent_log: {
    guards: {
      managers: {
        who: 'managers',
        what: "see the service's consent log",
        hint: "You can see the consent decisions you logged: type 'my consent log'.",
        audit: 'consent_log.team',
      },
    },
    storeUnavailableNotice: true,
    run: (turn, deps, detail) => showTeamConsentLog(turn, deps, detail.caseRef),
  },
};
