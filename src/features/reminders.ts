/**
 * Urgent incidents nobody has acknowledged, and requests for advice about photographs nobody has answered (a
 * worker is waiting, often on a visit): after URGENT_ACK_MINUTES the channel thread gets a reminder; after twice
 * that, the duty manager (DUTY_MANAGER_AAD_ID) is told in their 1:1 chat, and a waiting worker is told to phone
 * their manager. A question for a manager nobody has taken gets a line in its thread after 4 hours, and its asker a
 * note after a day (guidance/askManager.ts). Each reminder is an outbox message with a fixed key, so however many instances run this check,
 * each is sent once.
 */
import { incidentState, isActionOn, type ActionEntry, type IncidentEntry } from '../core/incidents/state';
import { INCIDENT_TYPE_INFO } from '../core/incidents/types';
import { recordReference } from '../core/records/reference';
import type { Logger } from '../logger';
import type { OutboxMessage, RecordStore } from '../storage/types';
import { MANAGERS_CHANNEL_KEY, userKey } from './conversationKeys';
import { textMessage } from './outboxMessages';
import { incidentKeys } from './incidents/keys';
import { walkKeys } from './walkthrough/keys';
import { questionReminders } from './guidance/askManager';

export interface ReminderOptions {
  store: RecordStore;
  logger: Logger;
  urgentAckMinutes: number;
  dutyManagerAadObjectId?: string;
}

const LOOK_BACK_MS = 7 * 86_400_000;

/** These reminders have always gone without a text format, so Teams reads them as Markdown: kept so. */
const reminderText = (text: string) => textMessage(text, 'markdown');

/** Queues the reminders that are due now; returns how many were queued (repeats are no-ops in the outbox). */
export async function queueDueReminders(options: ReminderOptions, now = new Date()): Promise<number> {
  const { store } = options;
  const since = new Date(now.getTime() - LOOK_BACK_MS);
  const due: OutboxMessage[] = [
    ...(await adviceReminders(options, since, now)),
    ...(await questionReminders(store, since, now)),
  ];
  const incidents = (await store.list({ kind: 'incident_report', from: since, limit: 1000 })) as IncidentEntry[];
  const urgent = incidents.filter((i) => i.fields.urgency === 'high');
  const actions = urgent.length
    ? ((await store.list({ kind: 'manager_action', from: since, limit: 1000 })) as ActionEntry[])
    : [];
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
        content: reminderText(
          `Reminder: urgent incident ${ref} (${INCIDENT_TYPE_INFO[state.type].label}) has not been acknowledged yet. Please acknowledge it or take ownership.`,
        ),
      });
    }
    if (age >= 2 * wait && options.dutyManagerAadObjectId) {
      due.push({
        key: `incident:${state.id}:duty`,
        conversationKey: userKey(options.dutyManagerAadObjectId),
        op: 'send',
        content: reminderText(
          `You are the duty manager: urgent incident ${ref} (${INCIDENT_TYPE_INFO[state.type].label}) was reported ${Math.round(age / 60_000)} minutes ago and nobody has acknowledged it. It is in the managers' channel.`,
        ),
      });
    }
  }
  if (due.length) {
    await store.enqueue(due);
    options.logger.info({ count: due.length }, 'reminders.queued');
  }
  return due.length;
}

/** Requests for advice with no advice recorded against them yet (by a manager's answer or the worker's own record). */
async function adviceReminders(options: ReminderOptions, since: Date, now: Date): Promise<OutboxMessage[]> {
  const { store } = options;
  const requests = await store.list({ kind: 'advice_request', from: since, limit: 1000 });
  if (requests.length === 0) return [];
  const answered = new Set(
    (await store.list({ kind: 'advice_given', from: since, limit: 5000 }))
      .map((e) => (e.kind === 'advice_given' ? e.fields.adviceRequestId : undefined))
      .filter(Boolean),
  );
  const wait = options.urgentAckMinutes * 60_000;
  const due: OutboxMessage[] = [];
  for (const r of requests) {
    if (r.kind !== 'advice_request' || answered.has(r.id)) continue;
    const age = now.getTime() - new Date(r.createdAt).getTime();
    const ref = recordReference(r.id);
    const minutes = Math.round(age / 60_000);
    if (age >= wait) {
      due.push({
        key: `advice:${r.id}:reminder`,
        conversationKey: MANAGERS_CHANNEL_KEY,
        op: 'reply',
        threadOf: walkKeys.advicePost(r.id),
        content: reminderText(
          `Reminder: a worker has been waiting ${minutes} minutes for advice about photographs (case ${r.caseRef}, ${ref}). Please answer on the card above.`,
        ),
      });
    }
    if (age >= 2 * wait) {
      due.push({
        key: `advice:${r.id}:worker-nudge`,
        conversationKey: userKey(r.author.aadObjectId),
        op: 'send',
        content: reminderText(
          `No manager has answered your request for advice about case ${r.caseRef} yet. Do not take photographs: phone your manager or designated safeguarding manager, then record their advice with "I've had advice".`,
        ),
      });
      if (options.dutyManagerAadObjectId) {
        due.push({
          key: `advice:${r.id}:duty`,
          conversationKey: userKey(options.dutyManagerAadObjectId),
          op: 'send',
          content: reminderText(
            `You are the duty manager: a worker asked for advice about photographing injuries (case ${r.caseRef}, ${ref}) ${minutes} minutes ago and nobody has answered. The request is in the managers' channel.`,
          ),
        });
      }
    }
  }
  return due;
}
