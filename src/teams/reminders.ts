/**
 * Urgent incidents nobody has acknowledged: after URGENT_ACK_MINUTES the channel thread gets a reminder; after
 * twice that, the duty manager (DUTY_MANAGER_AAD_ID) is told in their 1:1 chat. Each reminder is an outbox
 * message with a fixed key, so however many instances run this check, each is sent once.
 */
import { incidentState, isActionOn, type ActionEntry, type IncidentEntry } from '../core/incidents/state';
import { INCIDENT_TYPE_INFO } from '../core/incidents/types';
import { recordReference } from '../core/records/reference';
import type { Logger } from '../logger';
import type { OutboxMessage, RecordStore } from '../storage/types';
import { MANAGERS_CHANNEL_KEY, userKey } from './conversationKeys';
import { incidentKeys } from './handlers/incidents';

export interface ReminderOptions {
  store: RecordStore;
  logger: Logger;
  urgentAckMinutes: number;
  dutyManagerAadObjectId?: string;
}

const LOOK_BACK_MS = 7 * 86_400_000;

/** Queues the reminders that are due now; returns how many were queued (repeats are no-ops in the outbox). */
export async function queueDueReminders(options: ReminderOptions, now = new Date()): Promise<number> {
  const { store } = options;
  const since = new Date(now.getTime() - LOOK_BACK_MS);
  const incidents = (await store.list({ kind: 'incident_report', from: since, limit: 1000 })) as IncidentEntry[];
  const urgent = incidents.filter((i) => i.fields.urgency === 'high');
  if (urgent.length === 0) return 0;
  const actions = (await store.list({ kind: 'manager_action', from: since, limit: 1000 })) as ActionEntry[];
  const due: OutboxMessage[] = [];
  const wait = options.urgentAckMinutes * 60_000;
  for (const incident of urgent) {
    const state = incidentState(incident, actions.filter(isActionOn(incident.id)));
    if (state.status !== 'open') continue;
    const age = now.getTime() - new Date(state.reportedAt).getTime();
    const ref = recordReference(state.id);
    if (age >= wait) {
      due.push({
        key: `incident:${state.id}:reminder`,
        conversationKey: MANAGERS_CHANNEL_KEY,
        op: 'reply',
        threadOf: incidentKeys.post(state.id),
        activity: { type: 'message', text: `Reminder: urgent incident ${ref} (${INCIDENT_TYPE_INFO[state.type].label}) has not been acknowledged yet. Please acknowledge it or take ownership.` },
      });
    }
    if (age >= 2 * wait && options.dutyManagerAadObjectId) {
      due.push({
        key: `incident:${state.id}:duty`,
        conversationKey: userKey(options.dutyManagerAadObjectId),
        op: 'send',
        activity: {
          type: 'message',
          text: `You are the duty manager: urgent incident ${ref} (${INCIDENT_TYPE_INFO[state.type].label}) was reported ${Math.round(age / 60_000)} minutes ago and nobody has acknowledged it. It is in the managers' channel.`,
        },
      });
    }
  }
  if (due.length) {
    await store.enqueue(due);
    options.logger.info({ count: due.length }, 'reminders.queued');
  }
  return due.length;
}
