/** The incidents family's routes: reporting (1:1), the managers' buttons, and "open incidents". */
import type { CommandName } from '../../core/commands';
import type { Route } from '../route';
import { pressReply } from '../turn';
import {
  actOnIncident,
  openReportForm,
  showOpenIncidents,
  submitReport,
  type IncidentActData,
  type IncidentSubmitData,
} from './incidents';

const REPORT_IN_PRIVATE = { personalOnly: { command: 'report an incident' } };

export const incidentCommands: Partial<Record<CommandName, Route<{ caseRef?: string }>>> = {
  report_incident: { guards: REPORT_IN_PRIVATE, run: (turn, deps) => openReportForm(turn, deps) },
  open_incidents: {
    guards: {
      managers: {
        who: 'managers',
        what: 'see incident reports',
        hint: "To report one yourself, type 'report an incident'.",
        audit: 'incidents.open',
      },
    },
    storeUnavailableNotice: true,
    run: (turn, deps) => showOpenIncidents(turn, deps),
  },
};

export const incidentPresses = {
  reportIncident: {
    guards: REPORT_IN_PRIVATE,
    run: (turn, deps) => openReportForm(turn, deps),
  } satisfies Route<object>,
  incident: {
    guards: { signedIn: true },
    run: async (turn, deps, data) => pressReply(await submitReport(turn, deps, data)),
  } satisfies Route<IncidentSubmitData>,
  incidentAct: {
    guards: {
      managers: {
        who: 'managers',
        what: 'act on incident reports',
        audit: (d) => `incident.${d.act}`,
        recordId: (d) => d.incidentId,
      },
    },
    run: async (turn, deps, data) => pressReply(await actOnIncident(turn, deps, data)),
  } satisfies Route<IncidentActData>,
};
