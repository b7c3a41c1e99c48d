/**
 * Card data for incidents: the report form, the worker's confirmation, the managers' escalation card and the
 * open-incidents list. Pure functions. What goes to the channel carries no free text: the worker's account and
 * managers' notes reach only the manager who takes it, privately.
 */
import { OUTCOME_LABEL, allowedActions, type IncidentState } from '../../core/incidents/state';
import { EMPTY_FORM, ukToday, type ReportErrors, type ReportFormValues } from '../../core/incidents/report';
import {
  INCIDENT_TYPE_INFO,
  INCIDENT_TYPES,
  PLATFORMS,
  STATUS_LABEL,
  URGENCY_LABEL,
  URGENCIES,
  type IncidentType,
} from '../../core/incidents/types';
import { recordReference, ukDate, ukDateTime } from '../../core/records/reference';
import type { CardData } from '../cardCatalogue';
import { IMPERSONATION } from './reportPrefill';

export function reportFormCardData(
  now: Date,
  values: ReportFormValues = EMPTY_FORM,
  opts: { errors?: ReportErrors; pii?: { found: string; digest: string }; problem?: string } = {},
): CardData['incidentReport'] {
  const e = opts.errors ?? {};
  return {
    heading: 'Report an incident',
    intro:
      "Your managers will see this in their channel, and you'll be told here when someone picks it up. Use a case reference for any service user involved: never their name or their social media username.",
    problem:
      opts.problem ??
      (Object.keys(e).length ? 'Please check the answers marked below. Everything you typed is still here.' : null),
    pii: opts.pii ?? null,
    types: INCIDENT_TYPES.map((t) => ({ title: INCIDENT_TYPE_INFO[t].choice, value: t })),
    platforms: [...PLATFORMS],
    urgencies: URGENCIES.map((u) => ({ title: URGENCY_LABEL[u], value: u })),
    values,
    errors: {
      type: e.type ?? null,
      summary: e.summary ?? null,
      happenedDate: e.happenedDate ?? null,
      happenedTime: e.happenedTime ?? null,
      platform: e.platform ?? null,
      urgency: e.urgency ?? null,
      caseRef: e.caseRef ?? null,
    },
    maxDate: ukToday(now),
    bottom: bottomSummary(e, opts.pii, opts.problem),
  };
}

const FIELD_LABEL: Record<keyof ReportErrors, string> = {
  type: 'What happened?',
  summary: 'Tell us what happened',
  happenedDate: 'When (date)',
  happenedTime: 'Time',
  platform: 'Where',
  urgency: 'How urgent',
  caseRef: 'Case reference',
};

/**
 * What stopped the press, again right above the buttons: Teams shows a phone the bottom of a tall card after a
 * press, so the worker sees what to fix without scrolling up. Null when nothing did.
 */
function bottomSummary(
  e: ReportErrors,
  pii: { found: string } | undefined,
  problem: string | undefined,
): { heading: string; lines: string[] } | null {
  const lines = (Object.keys(FIELD_LABEL) as (keyof ReportErrors)[])
    .filter((k) => e[k])
    .map((k) => `${FIELD_LABEL[k]}: ${e[k]!.replace(/\.$/, '')}.`);
  if (lines.length) return { heading: 'Please check these answers (marked above):', lines };
  if (pii)
    return {
      heading: 'This may identify someone:',
      lines: [`${pii.found}. Change it above and press Check again, or press Send as it is if it must stay.`],
    };
  if (problem) return { heading: 'Not sent yet:', lines: [problem] };
  return null;
}

function statusLineFor(state: IncidentState): string {
  switch (state.status) {
    case 'open':
      return "Your managers have it. You'll be told here when someone picks it up.";
    case 'acknowledged':
      return 'A manager has seen your report.';
    case 'in_progress':
      return `${state.owner?.name ?? 'A manager'} is dealing with it and may contact you.`;
    case 'resolved': {
      const outcome = outcomeOf(state);
      return `Your managers have closed this report${outcome ? `. Outcome: ${outcome.toLowerCase()}` : ''}. If anything else happens, report it again.`;
    }
  }
}

/** The outcome of the latest "resolve", in words ("Advice given to the worker"), if resolved with one. */
export function outcomeOf(state: IncidentState): string | undefined {
  const last = [...state.history].reverse().find((h) => h.action === 'resolve');
  return last?.outcome ? (OUTCOME_LABEL[last.outcome] ?? undefined) : undefined;
}

/**
 * Someone pretending to be the worker is not someone in their account: changing passwords does not stop a copied
 * name and photo. The kind is one choice on the card, so what the worker wrote tells the two apart.
 */
const IMPERSONATION_ADVICE = [
  "Report the fake profile to the site: most have a 'Report' option on the profile itself. Note its address and when you found it.",
  'Ask colleagues and friends not to accept requests from it, and check your privacy settings so less of you can be copied (2.1).',
  "Don't message the person behind it. If it names service users or your work, your manager will take it from here.",
];

export function confirmCardData(state: IncidentState, updatedAt: string): CardData['incidentConfirm'] {
  const info = INCIDENT_TYPE_INFO[state.type];
  const advice =
    state.type === 'account_hacked' && IMPERSONATION.test(state.summary) && !/\bhack/i.test(state.summary)
      ? IMPERSONATION_ADVICE
      : info.advice;
  return {
    reference: recordReference(state.id),
    typeLabel: info.label,
    status: STATUS_LABEL[state.status],
    statusLine: statusLineFor(state),
    owner: state.owner?.name ?? null,
    updated: ukDateTime(updatedAt),
    section: info.section,
    advice,
  };
}

const ACTION_WORDS: Record<string, string> = {
  acknowledge: 'Acknowledged',
  take_ownership: 'Taken on',
  note: 'Note added',
  resolve: 'Resolved',
  reopen: 'Reopened',
};

export function historyLine(item: IncidentState['history'][number]): string {
  let text = `${ACTION_WORDS[item.action] ?? item.action} by ${item.by}`;
  if (item.action === 'take_ownership' && item.assigneeName && item.assigneeName !== item.by)
    text = `Given to ${item.assigneeName} by ${item.by}`;
  if (item.action === 'resolve' && item.outcome) text += ` (${OUTCOME_LABEL[item.outcome] ?? item.outcome})`;
  return `${text}, ${ukDateTime(item.at)}`;
}

/**
 * The channel card: what happened as structured facts only. The worker's own words never go to the channel —
 * a detector can miss an identifying detail — but privately to the manager who takes ownership.
 */
export function escalationCardData(
  state: IncidentState,
  opts: { viewerId?: string; notice?: string } = {},
): CardData['escalation'] {
  const allowed = new Set(allowedActions(state));
  // The owner is not offered "Take ownership" again (on the card they pressed); another manager may take it over.
  const viewerOwns = !!opts.viewerId && state.owner?.aadObjectId.toLowerCase() === opts.viewerId.toLowerCase();
  if (viewerOwns) allowed.delete('take_ownership');
  const history = [
    `Reported by ${state.reporter.name || 'a worker'}, ${ukDateTime(state.reportedAt)}`,
    ...state.history.map(historyLine),
  ];
  return {
    incidentId: state.id,
    sequence: state.version + 1,
    reference: recordReference(state.id),
    typeLabel: INCIDENT_TYPE_INFO[state.type].label,
    urgent: state.urgency === 'high' && state.status === 'open',
    status: STATUS_LABEL[state.status],
    owner: state.owner?.name ?? 'Nobody yet',
    urgency: URGENCY_LABEL[state.urgency],
    happened: state.timeKnown ? ukDateTime(state.happenedAt) : `${ukDate(state.happenedAt)} (time not given)`,
    platform: state.platform ?? 'Not given',
    reporter: state.reporter.name || 'A worker',
    caseRef: state.caseRef ?? 'None given',
    evidence: state.evidenceKept ? 'Yes' : 'No',
    // The newest few: the card must stay small however long an incident runs.
    history:
      history.length > 8 ? [history[0], `… ${history.length - 7} earlier changes`, ...history.slice(-6)] : history,
    takeOwnershipTitle: state.owner ? 'Take over' : 'Take ownership',
    notice: opts.notice ?? null,
    actions: {
      acknowledge: allowed.has('acknowledge'),
      takeOwnership: allowed.has('take_ownership'),
      note: allowed.has('note'),
      resolve: allowed.has('resolve'),
      reopen: allowed.has('reopen'),
    },
    outcomes: Object.entries(OUTCOME_LABEL).map(([value, title]) => ({ title, value })),
  };
}

export function openIncidentsCardData(
  open: IncidentState[],
  recent: IncidentState[],
  weeks: number,
  weekLabel: (iso: string) => string,
): CardData['openIncidents'] {
  const byType = new Map<IncidentType, number>();
  const byWeek = new Map<string, number>();
  for (const s of recent) {
    byType.set(s.type, (byType.get(s.type) ?? 0) + 1);
    const w = weekLabel(s.reportedAt);
    byWeek.set(w, (byWeek.get(w) ?? 0) + 1);
  }
  const shown = open.slice(0, 20);
  return {
    heading: 'Open incidents',
    summary:
      open.length === 0
        ? 'There are no open incidents.'
        : `${open.length} open, the most urgent first${open.length > shown.length ? ` (showing ${shown.length})` : ''}.`,
    weeks,
    incidents: shown.map((s) => ({
      title: `${recordReference(s.id)}: ${INCIDENT_TYPE_INFO[s.type].label}${s.urgency === 'high' ? ' (urgent)' : ''}`,
      detail: `${s.status === 'in_progress' && s.owner ? `Being handled by ${s.owner.name}` : STATUS_LABEL[s.status]}. Reported ${ukDateTime(s.reportedAt)}${s.caseRef ? `, case ${s.caseRef}` : ''}.`,
      urgent: s.urgency === 'high',
    })),
    byType: [...byType.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([t, count]) => ({ label: INCIDENT_TYPE_INFO[t].label, count })),
    byWeek: [...byWeek.entries()].sort((a, b) => b[0].localeCompare(a[0])).map(([label, count]) => ({ label, count })),
  };
}
