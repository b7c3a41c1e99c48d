/**
 * Incidents: a worker reports one from their 1:1 chat (report card → personal-identifier check → stored with
 * its channel post in one transaction), managers act on the escalation card in their channel, and the
 * reporter is told of every change. Every write carries an idempotency key, so Teams' retries change nothing,
 * and every manager action names the state it was pressed on (`sequence`), so of two managers pressing at the
 * same moment one wins and the other is shown the current card.
 */
import { CHECK_LIMITS, describeFindings, findIdentifiers } from '../../core/pii';
import {
  checkReport,
  EMPTY_FORM,
  formValuesFrom,
  textDigest,
  type ReportFormValues,
} from '../../core/incidents/report';
import {
  incidentState,
  isActionOn,
  sortOpen,
  type ActionEntry,
  type IncidentEntry,
  type IncidentState,
} from '../../core/incidents/state';
import { INCIDENT_TYPE_INFO, STATUS_LABEL, type ManagerAction } from '../../core/incidents/types';
import { recordReference, ukDate, ukDateTime } from '../../core/records/reference';
import { weekStartOf } from '../../core/time';
import { inPrivate } from '../route';
import { CANCELLED, FIRST, GONE, identifiersInNote, personalOnly } from '../messages';
import type { OutboxMessage, StoredEntry } from '../../storage/types';
import { StoreUnavailableError } from '../../storage/errors';
import { renderCard, type AdaptiveCard } from '../cardRender';
import { MANAGERS_CHANNEL_KEY, userKey } from '../conversationKeys';
import type { FeatureDeps } from '../deps';
import { boundedKey } from '../keys';
import { loadWithActions } from '../loadWithActions';
import { cardMessage, textMessage } from '../outboxMessages';
import { weeksBack } from '../records/views';
import { reply, type PressResult, type Reply, type Turn } from '../turn';
import { incidentKeys } from './keys';
import {
  confirmCardData,
  escalationCardData,
  historyLine,
  openIncidentsCardData,
  outcomeOf,
  reportFormCardData,
} from './views';

type Deps = Pick<FeatureDeps, 'guidance' | 'logger' | 'store' | 'caseRefPattern' | 'nudgeDelivery'>;

// ---- Reporting (1:1) ------------------------------------------------------------------------------------

/** The report card, ready to fill in; only in a 1:1 chat, where the details stay private. */
export async function openReportForm(
  turn: Turn,
  _deps: unknown,
  prefill: Partial<ReportFormValues> = {},
): Promise<Reply[]> {
  if (!inPrivate(turn)) return [reply.notice(personalOnly('report an incident'))];
  return [reply.card(renderCard('incidentReport', reportFormCardData(new Date(), { ...EMPTY_FORM, ...prefill })))];
}

export interface IncidentSubmitData {
  step: 'submit' | 'confirm' | 'cancel';
  digest?: string;
  [input: string]: unknown;
}

/** The report card's buttons (Action.Execute `incident`, or the Action.Submit fallback). Returns the card to show. */
export async function submitReport(turn: Turn, deps: Deps, data: IncidentSubmitData): Promise<PressResult> {
  const now = new Date();
  if (data.step === 'cancel') {
    deps.logger.info(turn.log, 'incident.report_cancelled');
    return { card: renderCard('notice', CANCELLED.report) };
  }
  const author = turn.actor!;
  const values: ReportFormValues = formValuesFrom(data);
  const form = (opts: Parameters<typeof reportFormCardData>[2]) => ({
    card: renderCard('incidentReport', reportFormCardData(now, values, opts)),
  });

  const checked = checkReport(values, now, deps.caseRefPattern);
  if (!checked.ok) {
    deps.logger.info({ ...turn.log, fields: Object.keys(checked.errors) }, 'incident.report_invalid');
    return form({ errors: checked.errors });
  }
  const report = checked.report;
  const findings = findIdentifiers(report.summary);
  const digest = textDigest(report.summary);
  if (findings.length > 0 && !(data.step === 'confirm' && data.digest === digest)) {
    deps.logger.info({ ...turn.log, identifiers: findings.map((f) => f.type) }, 'incident.identifiers_found');
    return form({ pii: { found: describeFindings(findings), digest } });
  }

  // One incident per report card: the card's activity id (or this activity's, as a fallback) is the key.
  const cardId = turn.ids.replyToId || turn.ids.activityId;
  const conversationId = turn.ids.conversationId;
  let stored: StoredEntry;
  try {
    stored = await deps.store.append(
      {
        kind: 'incident_report',
        caseRef: report.caseRef,
        author,
        fields: {
          type: report.type,
          summary: report.summary,
          happenedAt: report.happenedAt,
          timeKnown: report.timeKnown,
          platform: report.platform,
          urgency: report.urgency,
          evidenceKept: report.evidenceKept,
        },
        guidanceVersion: deps.guidance.document.version,
      },
      {
        idempotencyKey: boundedKey('incident-report', String(conversationId), cardId),
        outbox: (entry) => {
          const state = incidentState(entry as IncidentEntry, []);
          const messages: OutboxMessage[] = [
            {
              key: incidentKeys.post(entry.id),
              conversationKey: MANAGERS_CHANNEL_KEY,
              op: 'send',
              content: cardMessage(
                renderCard('escalation', escalationCardData(state)),
                `Incident ${recordReference(entry.id)}`,
              ),
            },
          ];
          if (cardId) {
            // The worker's confirmation card is the report card replaced in place: status changes update it later.
            messages.push({
              key: incidentKeys.worker(entry.id),
              conversationKey: userKey(author.aadObjectId),
              op: 'record',
              activityId: cardId,
            });
          }
          return messages;
        },
      },
    );
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    deps.logger.warn({ ...turn.log, code: 'STORE_UNAVAILABLE' }, 'incident.not_saved');
    return form({
      problem:
        "Your report couldn't be saved just now, so it has not been sent. Everything you typed is still here: please press Check and send again in a minute.",
    });
  }
  const state = incidentState(stored as IncidentEntry, []);
  deps.logger.info({ ...turn.log, record: stored.id, type: state.type, urgency: state.urgency }, 'incident.reported');
  deps.nudgeDelivery();
  return { card: renderCard('incidentConfirm', confirmCardData(state, stored.createdAt)) };
}

// ---- Managers ---------------------------------------------------------------------------------------------

export interface IncidentActData {
  incidentId: string;
  sequence: number;
  act: ManagerAction | 'details';
  note?: string;
  outcome?: string;
}

/** An incident report with the managers' actions on it. */
const INCIDENT_WITH_ACTIONS = {
  kind: 'incident_report',
  actionKind: 'manager_action',
  isActionOn,
  fold: incidentState,
} as const;

function escalationCard(state: IncidentState, opts: { viewerId?: string; notice?: string } = {}): AdaptiveCard {
  return renderCard('escalation', escalationCardData(state, opts));
}

/** The worker's report and every manager's note, for one manager in a private chat (never the channel). */
function privateBrief(state: IncidentState, intro: string): string {
  const notes = state.history
    .filter((h) => h.note)
    .map((h) => `- ${h.by}, ${ukDateTime(h.at)}${h.action === 'resolve' ? ' (on resolving)' : ''}: ${h.note}`);
  return [
    `${intro} Incident ${recordReference(state.id)} (${INCIDENT_TYPE_INFO[state.type].label}), reported by ${state.reporter.name || 'a worker'}${state.caseRef ? `, case ${state.caseRef}` : ''}.`,
    `What the worker wrote:\n\n${state.summary}`,
    notes.length ? `Managers' notes:\n\n${notes.join('\n')}` : "Managers' notes: none yet.",
  ].join('\n\n');
}

const NOTIFY_WORKER: Partial<Record<ManagerAction, (s: IncidentState, by: string) => string>> = {
  acknowledge: (s, by) => `${by} has seen your incident report ${recordReference(s.id)}.`,
  take_ownership: (s) =>
    `${s.owner?.name ?? 'A manager'} is now dealing with your incident report ${recordReference(s.id)} and may contact you.`,
  resolve: (s) => {
    const outcome = outcomeOf(s);
    return `Your incident report ${recordReference(s.id)} has been closed by your managers.${outcome ? ` Outcome: ${outcome.toLowerCase()}.` : ''} If anything else happens, report it again.`;
  },
  reopen: (s) => `Your incident report ${recordReference(s.id)} has been reopened.`,
};

/**
 * A manager's button on the escalation card (managers only: the route's guard). Returns the card everyone should
 * now see, or a short message.
 */
export async function actOnIncident(turn: Turn, deps: Deps, data: IncidentActData): Promise<PressResult> {
  const me = turn.actor!;
  const ids = turn.log;
  const viewer = { aadObjectId: me.aadObjectId, isManager: true };
  const loaded = await loadWithActions(deps.store, data.incidentId, viewer, INCIDENT_WITH_ACTIONS);
  if (!loaded) return { message: GONE.entry('incident') };
  const { state } = loaded;
  if (data.act === 'details') {
    // Read through store.get above, so the view is audited. Once per manager and version of the incident.
    await deps.store.enqueue([
      {
        key: `incident:${state.id}:details:${me.aadObjectId.toLowerCase()}:${state.version}`,
        conversationKey: userKey(me.aadObjectId),
        op: 'send',
        content: textMessage(privateBrief(state, 'You asked for the full report.')),
      },
    ]);
    deps.nudgeDelivery();
    deps.logger.info({ ...ids, record: state.id }, 'incident.details_sent');
    return {
      card: escalationCard(state, {
        viewerId: me.aadObjectId,
        notice: "The full report and managers' notes have gone to your chat with KeepSafe.",
      }),
    };
  }
  const owns = state.owner?.aadObjectId.toLowerCase() === me.aadObjectId.toLowerCase();
  if (data.act === 'take_ownership' && owns) {
    // Already theirs (a second press, an old card): nothing stored, nobody told again.
    deps.logger.info({ ...ids, record: state.id }, 'incident.already_owner');
    return {
      card: escalationCard(state, { viewerId: me.aadObjectId, notice: 'You are already dealing with this incident.' }),
    };
  }
  if (data.sequence !== state.version + 1) {
    deps.logger.info(
      { ...ids, record: state.id, pressed: data.sequence, current: state.version + 1 },
      'incident.action_stale',
    );
    return { card: escalationCard(state) };
  }
  const note = typeof data.note === 'string' && data.note.trim() ? data.note.trim() : undefined;
  if (data.act === 'note' && !note) return { message: FIRST.note };
  if (data.act === 'resolve' && !data.outcome) return { message: FIRST.outcome };
  const noteFindings = note ? findIdentifiers(note) : [];
  if (noteFindings.length > 0) {
    return { message: identifiersInNote(describeFindings(noteFindings), CHECK_LIMITS, 'save') };
  }

  const fields = {
    subjectRecordId: state.id,
    action: data.act,
    note,
    outcome: data.act === 'resolve' ? (data.outcome as never) : undefined,
    assigneeId: data.act === 'take_ownership' ? me.aadObjectId : undefined,
    assigneeName: data.act === 'take_ownership' ? me.name || undefined : undefined,
    sequence: data.sequence,
  };
  const stored = await deps.store.append(
    {
      kind: 'manager_action',
      caseRef: state.caseRef,
      author: me,
      fields,
      guidanceVersion: deps.guidance.document.version,
    },
    {
      // The nth action on this incident: only one can ever be stored, whoever presses first.
      idempotencyKey: `incident:${state.id}:seq:${data.sequence}`,
      outbox: (entry) => {
        const next = incidentState(loaded.record, [...loaded.actions, entry as ActionEntry]);
        const item = next.history[next.history.length - 1];
        const messages: OutboxMessage[] = [
          {
            key: incidentKeys.step(state.id, data.sequence, 'card'),
            conversationKey: MANAGERS_CHANNEL_KEY,
            op: 'update',
            updates: incidentKeys.post(state.id),
            content: cardMessage(escalationCard(next), `Incident ${recordReference(state.id)}`),
          },
          {
            key: incidentKeys.step(state.id, data.sequence, 'thread'),
            conversationKey: MANAGERS_CHANNEL_KEY,
            op: 'reply',
            threadOf: incidentKeys.post(state.id),
            content: textMessage(historyLine(item)),
          },
        ];
        const tell = NOTIFY_WORKER[data.act as ManagerAction];
        if (tell) {
          messages.push(
            {
              key: incidentKeys.step(state.id, data.sequence, 'worker-card'),
              conversationKey: userKey(state.reporter.aadObjectId),
              op: 'update',
              updates: incidentKeys.worker(state.id),
              content: cardMessage(
                renderCard('incidentConfirm', confirmCardData(next, entry.createdAt)),
                `Incident ${recordReference(state.id)}: ${STATUS_LABEL[next.status]}`,
              ),
            },
            {
              key: incidentKeys.step(state.id, data.sequence, 'worker-note'),
              conversationKey: userKey(state.reporter.aadObjectId),
              op: 'send',
              content: textMessage(tell(next, me.name || 'A manager')),
            },
          );
        }
        if (data.act === 'take_ownership') {
          // The full report and the notes so far, privately, to the manager who takes it (never to the whole channel).
          messages.push({
            key: incidentKeys.step(state.id, data.sequence, 'owner-brief'),
            conversationKey: userKey(me.aadObjectId),
            op: 'send',
            content: textMessage(privateBrief(next, 'You are now dealing with this.')),
          });
        }
        if (note && next.owner && next.owner.aadObjectId.toLowerCase() !== me.aadObjectId.toLowerCase()) {
          // A note by another manager reaches the owner privately.
          messages.push({
            key: incidentKeys.step(state.id, data.sequence, 'owner-note'),
            conversationKey: userKey(next.owner.aadObjectId),
            op: 'send',
            content: textMessage(
              `${me.name || 'A manager'} added a note on incident ${recordReference(state.id)}: ${note}`,
            ),
          });
        }
        return messages;
      },
    },
  );
  if (
    stored.author.aadObjectId !== me.aadObjectId ||
    stored.kind !== 'manager_action' ||
    stored.fields.action !== data.act
  ) {
    // Someone else's action took this place in the history first: show what is true now.
    deps.logger.info({ ...ids, record: state.id }, 'incident.action_lost_race');
    const now = await loadWithActions(deps.store, data.incidentId, viewer, INCIDENT_WITH_ACTIONS);
    return { card: escalationCard(now?.state ?? state) };
  }
  deps.logger.info({ ...ids, record: state.id, act: data.act, sequence: data.sequence }, 'incident.action');
  deps.nudgeDelivery();
  return {
    card: escalationCard(incidentState(loaded.record, [...loaded.actions, stored as ActionEntry]), {
      viewerId: me.aadObjectId,
    }),
  };
}

/** "open incidents" (managers only: the route's guard). */
export async function showOpenIncidents(
  turn: Turn,
  deps: Pick<FeatureDeps, 'logger' | 'store'>,
  now = new Date(),
): Promise<Reply> {
  const weeks = 8;
  const incidents = (await deps.store.list({ kind: 'incident_report', limit: 1000 })) as StoredEntry[];
  const oldest = incidents.length ? new Date(incidents[incidents.length - 1].createdAt) : now;
  const actions = (await deps.store.list({ kind: 'manager_action', from: oldest, limit: 1000 })) as ActionEntry[];
  const states = incidents.map((i) => incidentState(i as IncidentEntry, actions.filter(isActionOn(i.id))));
  const from = weeksBack(now, weeks);
  const recent = states.filter((s) => new Date(s.reportedAt) >= from);
  deps.logger.info({ ...turn.log, open: states.filter((s) => s.status !== 'resolved').length }, 'incident.listed_open');
  const weekOf = (iso: string) => `Week of ${ukDate(weekStartOf(iso))}`;
  return reply.card(renderCard('openIncidents', openIncidentsCardData(sortOpen(states), recent, weeks, weekOf)));
}
