/**
 * "Ask a manager" when the guidance doesn't cover a question (FAQ Plus's "ask an expert", without its leak):
 *
 *  1. From the not-covered card (or "None of these" on a did-you-mean card) the worker opens a form holding their
 *     question, in their 1:1 chat. Sending runs the personal-identifier check; what it finds is shown, and the
 *     worker edits it or sends exactly that text as it is (as the incident report does).
 *  2. The question is stored (manager_question) with, in the same transaction, a minimised card for the managers'
 *     channel: that a question is waiting and its nearest topic — no question text, no name.
 *  3. A manager presses Take ownership (managers only; others are refused and audited): a question_action entry,
 *     the channel card updated in place, and the question sent privately to that manager (a 1:1 chat, opened if
 *     needed by the delivery worker), with an answer form.
 *  4. The manager answers there (identifier check again): the answer reaches the worker in their chat, their
 *     card and the channel card update in place.
 *
 * Every write carries an idempotency key (one question per form card, one owner and one answer per question), so
 * Teams' retries and double presses change nothing; every proactive message goes through the outbox.
 */
import { describeFindings, findIdentifiers } from '../../core/pii';
import { textDigest } from '../../core/incidents/report';
import {
  isActionOnQuestion,
  questionState,
  type QuestionActionEntry,
  type QuestionEntry,
  type QuestionState,
} from '../../core/questions/state';
import { recordReference } from '../../core/records/reference';
import { StoreUnavailableError } from '../../storage/errors';
import type { OutboxMessage, RecordStore, StoredEntry } from '../../storage/types';
import { managersChannel } from '../admin/managersChannel';
import { renderCard } from '../cardRender';
import { MANAGERS_CHANNEL_KEY, userKey } from '../conversationKeys';
import type { FeatureDeps } from '../deps';
import { loadWithActions, type WithActions } from '../loadWithActions';
import { CANCELLED, FIRST, GONE, NOT_YOURS, SAID } from '../messages';
import { cardMessage, textMessage } from '../outboxMessages';
import type { Actor, PressResult as Result, Turn } from '../turn';
import { questionKeys } from './keys';
import { askFormCardData, askStatusCardData, questionChannelCardData, questionOwnerCardData } from './questionViews';

type Deps = Pick<FeatureDeps, 'guidance' | 'logger' | 'store' | 'nudgeDelivery' | 'managersChannelFromConfig'>;

export interface AskManagerData {
  step: 'open' | 'submit' | 'confirm' | 'cancel';
  question?: string;
  digest?: string;
  from: 'not_covered' | 'did_you_mean';
  section?: string;
}

function nearest(deps: Pick<FeatureDeps, 'guidance'>, section: string | undefined): string | null {
  return section && deps.guidance.section(section) ? section : null;
}

// ---- The worker -------------------------------------------------------------------------------------------

/** The worker's "Ask a manager" card: open, check and send, or cancel. Returns the card to show in its place. */
/** In the worker's 1:1 chat, signed in (the route's guards). */
export async function askManager(turn: Turn, deps: Deps, data: AskManagerData): Promise<Result> {
  const ids = turn.log;
  const doc = deps.guidance.document;
  const section = nearest(deps, data.section);
  const question = (data.question ?? '').replace(/\s+/g, ' ').trim().slice(0, 1000);
  const form = (opts: Parameters<typeof askFormCardData>[2] = {}) => ({
    card: renderCard('askManager', askFormCardData(doc, { question, from: data.from, section }, opts)),
  });

  if (data.step === 'cancel') {
    deps.logger.info(ids, 'ask.cancelled');
    return { card: renderCard('notice', CANCELLED.question) };
  }
  if (data.step === 'open') {
    deps.logger.info({ ...ids, from: data.from }, 'ask.opened');
    return form();
  }
  const author = turn.actor!;
  if (!question) return form({ problem: 'Type your question first, then press Send to a manager.' });

  const findings = findIdentifiers(question);
  const digest = textDigest(question);
  if (findings.length > 0 && !(data.step === 'confirm' && data.digest === digest)) {
    deps.logger.info({ ...ids, identifiers: findings.map((f) => f.type) }, 'ask.identifiers_found');
    return form({ pii: { found: describeFindings(findings), digest } });
  }
  if (!(await managersChannel(deps, deps.managersChannelFromConfig))) {
    deps.logger.info(ids, 'ask.no_channel');
    return form({
      problem:
        "KeepSafe can't pass questions on yet: your managers haven't set up their channel. Please ask your line manager directly.",
    });
  }

  // One question per form card: the card's activity id is the key, so a retried or repeated press sends once.
  const cardId = turn.ids.replyToId || turn.ids.activityId;
  const conversationId = turn.ids.conversationId;
  let stored: StoredEntry;
  try {
    stored = await deps.store.append(
      {
        kind: 'manager_question',
        author,
        fields: {
          question,
          ...(section ? { nearestSection: section } : {}),
          from: data.from,
          identifiersConfirmed: findings.length > 0,
          engineVersion: deps.guidance.engineVersion,
        },
        guidanceVersion: doc.version,
      },
      {
        idempotencyKey: questionKeys.ask(conversationId, cardId),
        outbox: (entry) => {
          const state = questionState(entry as QuestionEntry, []);
          const messages: OutboxMessage[] = [
            {
              key: questionKeys.post(entry.id),
              conversationKey: MANAGERS_CHANNEL_KEY,
              op: 'send',
              content: cardMessage(
                renderCard('questionChannel', questionChannelCardData(doc, state)),
                `Question ${recordReference(entry.id)} for a manager`,
              ),
            },
          ];
          // The worker's status card is this form, replaced in place: later changes update it.
          if (cardId)
            messages.push({
              key: questionKeys.worker(entry.id),
              conversationKey: userKey(author.aadObjectId),
              op: 'record',
              activityId: cardId,
            });
          return messages;
        },
      },
    );
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    deps.logger.warn({ ...ids, code: 'STORE_UNAVAILABLE' }, 'ask.not_saved');
    return form({
      problem:
        "Your question couldn't be saved just now, so it has not been sent. It is still here: please press Send to a manager again in a minute.",
    });
  }
  if (stored.kind !== 'manager_question') return { message: SAID.cardAlreadyUsed };
  deps.logger.info({ ...ids, record: stored.id, from: data.from, section: section ?? undefined }, 'ask.sent');
  deps.nudgeDelivery();
  const now = await loadWithActions(
    deps.store,
    stored.id,
    { aadObjectId: author.aadObjectId, isManager: false },
    QUESTION_WITH_ACTIONS,
  );
  return { card: renderCard('askManager', askStatusCardData(doc, now?.state ?? questionState(stored, []))) };
}

// ---- Reminders ----------------------------------------------------------------------------------------------

/** A question nobody has taken gets a reminder in its channel thread after this long, and its asker a note after QUESTION_GIVE_UP_MS. */
export const QUESTION_REMINDER_MS = 4 * 3600_000;
export const QUESTION_GIVE_UP_MS = 24 * 3600_000;

/**
 * Reminders due for questions nobody has taken (called by src/features/reminders.ts every minute): a line in the
 * question's channel thread, then a note to the worker to ask their line manager directly. Fixed keys: each once.
 */
export async function questionReminders(
  store: Pick<RecordStore, 'list'>,
  since: Date,
  now: Date,
): Promise<OutboxMessage[]> {
  const asked = (await store.list({ kind: 'manager_question', from: since, limit: 1000 })) as QuestionEntry[];
  if (asked.length === 0) return [];
  const actions = (await store.list({ kind: 'question_action', from: since, limit: 5000 })) as QuestionActionEntry[];
  const due: OutboxMessage[] = [];
  for (const q of asked) {
    const state = questionState(q, actions);
    if (state.status !== 'waiting') continue;
    const age = now.getTime() - new Date(state.askedAt).getTime();
    const ref = recordReference(state.id);
    if (age >= QUESTION_REMINDER_MS) {
      due.push({
        key: `${questionKeys.post(state.id)}:reminder`,
        conversationKey: MANAGERS_CHANNEL_KEY,
        op: 'reply',
        threadOf: questionKeys.post(state.id),
        content: textMessage(
          `Reminder: a worker's question (${ref}) has been waiting ${Math.round(age / 3600_000)} hours. Please take ownership on the card above.`,
        ),
      });
    }
    if (age >= QUESTION_GIVE_UP_MS) {
      due.push({
        key: `${questionKeys.post(state.id)}:worker-nudge`,
        conversationKey: userKey(state.asker.aadObjectId),
        op: 'send',
        content: textMessage(
          `No manager has picked up your question ${ref} yet. If it can't wait, please ask your line manager directly. It stays with your managers, and the answer will still come here.`,
        ),
      });
    }
  }
  return due;
}

// ---- Managers ---------------------------------------------------------------------------------------------

export interface QuestionActData {
  questionId: string;
  act: 'take' | 'answer';
  step?: 'submit' | 'confirm';
  answer?: string;
  digest?: string;
}

/** A question for managers with the managers' actions on it (taking it, answering it). */
const QUESTION_WITH_ACTIONS = {
  kind: 'manager_question',
  actionKind: 'question_action',
  isActionOn: isActionOnQuestion,
  fold: questionState,
} as const;
type Loaded = WithActions<QuestionEntry, QuestionActionEntry, QuestionState>;

const channelCard = (deps: Pick<FeatureDeps, 'guidance'>, state: QuestionState) =>
  renderCard('questionChannel', questionChannelCardData(deps.guidance.document, state));
const workerCard = (deps: Pick<FeatureDeps, 'guidance'>, state: QuestionState) =>
  renderCard('askManager', askStatusCardData(deps.guidance.document, state));

/** A manager's press (the route's guard): Take ownership on the channel card, or Send answer on their private card. */
export async function actOnQuestion(turn: Turn, deps: Deps, data: QuestionActData): Promise<Result> {
  const me = turn.actor!;
  const loaded = await loadWithActions(
    deps.store,
    data.questionId,
    { aadObjectId: me.aadObjectId, isManager: true },
    QUESTION_WITH_ACTIONS,
  );
  if (!loaded) return { message: GONE.entry('question') };
  return data.act === 'take' ? take(turn, deps, me, loaded) : answer(turn, deps, me, loaded, data);
}

async function take(turn: Turn, deps: Deps, me: Actor, loaded: Loaded): Promise<Result> {
  const ids = turn.log;
  const { state, record: question } = loaded;
  if (state.owner) {
    // Taken already (by this manager on another device, or by someone else first): show what is true now.
    deps.logger.info({ ...ids, record: state.id }, 'question.already_taken');
    return { card: channelCard(deps, state) };
  }
  const doc = deps.guidance.document;
  const stored = await deps.store.append(
    {
      kind: 'question_action',
      author: me,
      fields: { subjectRecordId: state.id, action: 'take_ownership' },
      guidanceVersion: doc.version,
    },
    {
      // One owner per question, whoever presses first.
      idempotencyKey: questionKeys.take(state.id),
      outbox: (entry) => {
        const next = questionState(question, [...loaded.actions, entry as QuestionActionEntry]);
        const ref = recordReference(state.id);
        return [
          {
            key: `${questionKeys.take(state.id)}:card`,
            conversationKey: MANAGERS_CHANNEL_KEY,
            op: 'update',
            updates: questionKeys.post(state.id),
            content: cardMessage(channelCard(deps, next), `Question ${ref}: taken by ${me.name || 'a manager'}`),
          },
          // The question itself, privately, to the manager who took it (never to the channel).
          {
            key: `${questionKeys.take(state.id)}:owner`,
            conversationKey: userKey(me.aadObjectId),
            op: 'send',
            content: cardMessage(
              renderCard('questionOwner', questionOwnerCardData(doc, next)),
              `Question ${ref} for you to answer`,
            ),
          },
          {
            key: `${questionKeys.take(state.id)}:worker-card`,
            conversationKey: userKey(state.asker.aadObjectId),
            op: 'update',
            updates: questionKeys.worker(state.id),
            content: cardMessage(workerCard(deps, next), `Question ${ref}: taken`),
          },
          {
            key: `${questionKeys.take(state.id)}:worker-note`,
            conversationKey: userKey(state.asker.aadObjectId),
            op: 'send',
            content: textMessage(`${me.name || 'A manager'} has taken your question ${ref} and will answer here.`),
          },
        ];
      },
    },
  );
  if (stored.author.aadObjectId !== me.aadObjectId)
    deps.logger.info({ ...ids, record: state.id }, 'question.take_lost_race');
  else deps.logger.info({ ...ids, record: state.id }, 'question.taken');
  deps.nudgeDelivery();
  return {
    card: channelCard(
      deps,
      questionState(question, [...loaded.actions.filter((a) => a.id !== stored.id), stored as QuestionActionEntry]),
    ),
  };
}

async function answer(turn: Turn, deps: Deps, me: Actor, loaded: Loaded, data: QuestionActData): Promise<Result> {
  const ids = turn.log;
  const doc = deps.guidance.document;
  const { state, record: question } = loaded;
  const ownerCard = (s: QuestionState, opts: Parameters<typeof questionOwnerCardData>[2] = {}) => ({
    card: renderCard('questionOwner', questionOwnerCardData(doc, s, opts)),
  });
  if (!state.owner) return { message: FIRST.takeQuestion };
  if (state.owner.aadObjectId.toLowerCase() !== me.aadObjectId.toLowerCase()) {
    deps.logger.info({ ...ids, record: state.id }, 'question.answer_not_owner');
    await deps.store.auditRefusal({ actorId: me.aadObjectId, recordId: state.id, what: 'question.answer_not_owner' });
    return { message: NOT_YOURS.question(state.owner.name || 'Another manager') };
  }
  if (state.answer) return ownerCard(state); // answered already: a retry or a second press changes nothing
  const text = (data.answer ?? '').trim().slice(0, 2000);
  if (!text) return ownerCard(state, { problem: 'Write your answer first, then press Send answer.' });
  const findings = findIdentifiers(text);
  const digest = textDigest(text);
  if (findings.length > 0 && !(data.step === 'confirm' && data.digest === digest)) {
    deps.logger.info({ ...ids, identifiers: findings.map((f) => f.type) }, 'question.answer_identifiers_found');
    return ownerCard(state, { answer: text, pii: { found: describeFindings(findings), digest } });
  }
  let stored: StoredEntry;
  try {
    stored = await deps.store.append(
      {
        kind: 'question_action',
        author: me,
        fields: {
          subjectRecordId: state.id,
          action: 'answer',
          answer: text,
          ...(findings.length ? { identifiersConfirmed: true } : {}),
        },
        guidanceVersion: doc.version,
      },
      {
        // One answer per question.
        idempotencyKey: questionKeys.answer(state.id),
        outbox: (entry) => {
          const next = questionState(question, [...loaded.actions, entry as QuestionActionEntry]);
          const ref = recordReference(state.id);
          return [
            {
              key: `${questionKeys.answer(state.id)}:card`,
              conversationKey: MANAGERS_CHANNEL_KEY,
              op: 'update',
              updates: questionKeys.post(state.id),
              content: cardMessage(channelCard(deps, next), `Question ${ref}: answered`),
            },
            {
              key: `${questionKeys.answer(state.id)}:worker-card`,
              conversationKey: userKey(state.asker.aadObjectId),
              op: 'update',
              updates: questionKeys.worker(state.id),
              content: cardMessage(workerCard(deps, next), `Question ${ref}: answered`),
            },
            {
              key: `${questionKeys.answer(state.id)}:worker`,
              conversationKey: userKey(state.asker.aadObjectId),
              op: 'send',
              content: cardMessage(
                workerCard(deps, next),
                `${me.name || 'Your manager'} answered your question`,
                `${me.name || 'Your manager'} answered your question ${ref}.`,
              ),
            },
          ];
        },
      },
    );
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    deps.logger.warn({ ...ids, code: 'STORE_UNAVAILABLE' }, 'question.answer_not_saved');
    return ownerCard(state, {
      answer: text,
      problem:
        "Your answer couldn't be saved just now, so it has not been sent. It is still here: please press Send answer again in a minute.",
    });
  }
  deps.logger.info({ ...ids, record: state.id }, 'question.answered');
  deps.nudgeDelivery();
  return ownerCard(questionState(question, [...loaded.actions, stored as QuestionActionEntry]));
}
