/**
 * An incident's state is never stored as a mutable row: it is the incident_report entry plus the managers'
 * actions on it (manager_action entries, each numbered by `sequence`), folded in order. Two managers pressing
 * at the same moment both aim at sequence n+1; the store's idempotency key on that number lets only one win.
 */
import type { StoredEntry, StoredEntryOf } from '../records/entry';
import { type IncidentStatus, type IncidentType, type ManagerAction, type Urgency } from './types';

export type IncidentEntry = StoredEntryOf<'incident_report'>;
export type ActionEntry = StoredEntryOf<'manager_action'>;

export interface HistoryItem {
  sequence: number;
  action: ManagerAction;
  by: string;
  at: string;
  /** Shown to managers only. */
  note?: string;
  assigneeName?: string;
  outcome?: string;
}

export interface IncidentState {
  id: string;
  type: IncidentType;
  urgency: Urgency;
  caseRef: string | null;
  reporter: { aadObjectId: string; name: string };
  reportedAt: string;
  happenedAt: string;
  timeKnown: boolean;
  platform?: string;
  evidenceKept: boolean;
  summary: string;
  status: IncidentStatus;
  owner?: { aadObjectId: string; name: string };
  acknowledgedAt?: string;
  /** How many actions so far; the next one is `version + 1`. */
  version: number;
  history: HistoryItem[];
}

export const OUTCOME_LABEL: Record<string, string> = {
  no_further_action: 'No further action',
  advice_given: 'Advice given to the worker',
  post_removed: 'Post or content removed',
  reported_to_platform: 'Reported to the platform',
  hr_or_disciplinary: 'Passed to HR / disciplinary process',
  police: 'Reported to the police',
  other: 'Other',
};

export function isIncidentEntry(e: StoredEntry): e is IncidentEntry {
  return e.kind === 'incident_report';
}

export function isActionOn(incidentId: string) {
  return (e: StoredEntry): e is ActionEntry => e.kind === 'manager_action' && e.fields.subjectRecordId === incidentId;
}

/** Folds an incident and its actions (any order in, applied by sequence then time) into its current state. */
export function incidentState(incident: IncidentEntry, actions: readonly ActionEntry[]): IncidentState {
  const f = incident.fields;
  const state: IncidentState = {
    id: incident.id,
    type: f.type,
    urgency: f.urgency,
    caseRef: incident.caseRef,
    reporter: incident.author,
    reportedAt: incident.createdAt,
    happenedAt: f.happenedAt,
    timeKnown: f.timeKnown !== false,
    platform: f.platform,
    evidenceKept: f.evidenceKept,
    summary: f.summary,
    status: 'open',
    version: 0,
    history: [],
  };
  const ordered = [...actions].sort(
    (a, b) => (a.fields.sequence ?? 0) - (b.fields.sequence ?? 0) || a.createdAt.localeCompare(b.createdAt),
  );
  for (const a of ordered) {
    const action = a.fields.action;
    if (action === 'advice') continue; // advice on a walkthrough request, not an incident action
    state.version = Math.max(state.version + 1, a.fields.sequence ?? 0);
    const by = a.author.name || 'A manager';
    state.history.push({
      sequence: a.fields.sequence ?? state.version,
      action,
      by,
      at: a.createdAt,
      note: a.fields.note,
      assigneeName: a.fields.assigneeName,
      outcome: a.fields.outcome,
    });
    switch (action) {
      case 'acknowledge':
        if (state.status === 'open') state.status = 'acknowledged';
        state.acknowledgedAt ??= a.createdAt;
        break;
      case 'take_ownership':
        state.owner = { aadObjectId: a.fields.assigneeId ?? a.author.aadObjectId, name: a.fields.assigneeName ?? by };
        if (state.status !== 'resolved') state.status = 'in_progress';
        state.acknowledgedAt ??= a.createdAt;
        break;
      case 'note':
        break;
      case 'resolve':
        state.status = 'resolved';
        state.acknowledgedAt ??= a.createdAt;
        break;
      case 'reopen':
        state.status = state.owner ? 'in_progress' : 'acknowledged';
        break;
    }
  }
  return state;
}

/** Which actions make sense in a state (the card shows only these). */
export function allowedActions(state: IncidentState): ManagerAction[] {
  if (state.status === 'resolved') return ['note', 'reopen'];
  const out: ManagerAction[] = [];
  if (state.status === 'open') out.push('acknowledge');
  out.push('take_ownership', 'note', 'resolve');
  return out;
}

/** Open (not resolved) incidents first by urgency, then oldest first. */
export function sortOpen(states: IncidentState[]): IncidentState[] {
  const rank: Record<Urgency, number> = { high: 0, medium: 1, low: 2 };
  return states
    .filter((s) => s.status !== 'resolved')
    .sort((a, b) => rank[a.urgency] - rank[b.urgency] || a.reportedAt.localeCompare(b.reportedAt));
}
