/**
 * A question a worker asked a manager, as its entries tell it: the manager_question entry, then the
 * question_action entries on it (take ownership, answer). Pure: no I/O, no Teams code.
 *
 * The rules the Teams layer relies on:
 *  - a question has at most one owner: the first take_ownership stored wins (its idempotency key is per
 *    question), and later ones are ignored here too;
 *  - only the owner can answer, and a question is answered once (the first answer stored wins).
 */
import type { StoredEntryOf } from '../records/entry';

export type QuestionEntry = StoredEntryOf<'manager_question'>;
export type QuestionActionEntry = StoredEntryOf<'question_action'>;

export type QuestionStatus = 'waiting' | 'taken' | 'answered';

export interface QuestionState {
  id: string;
  asker: { aadObjectId: string; name: string };
  askedAt: string;
  question: string;
  nearestSection: string | null;
  from: 'not_covered' | 'did_you_mean';
  status: QuestionStatus;
  owner: { aadObjectId: string; name: string; at: string } | null;
  answer: { text: string; by: string; at: string } | null;
}

export const QUESTION_STATUS_LABEL: Record<QuestionStatus, string> = {
  waiting: 'Waiting for a manager',
  taken: 'A manager is answering',
  answered: 'Answered',
};

export function isActionOnQuestion(questionId: string) {
  return (e: { kind: string; fields: unknown }): e is QuestionActionEntry =>
    e.kind === 'question_action' && (e.fields as { subjectRecordId?: string }).subjectRecordId === questionId;
}

export function questionState(question: QuestionEntry, actions: readonly QuestionActionEntry[]): QuestionState {
  const mine = actions
    .filter(isActionOnQuestion(question.id))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const taking = mine.find((a) => a.fields.action === 'take_ownership');
  const owner = taking
    ? { aadObjectId: taking.author.aadObjectId, name: taking.author.name, at: taking.createdAt }
    : null;
  const answering = owner
    ? mine.find((a) => a.fields.action === 'answer' && a.author.aadObjectId === owner.aadObjectId && a.fields.answer)
    : undefined;
  return {
    id: question.id,
    asker: question.author,
    askedAt: question.createdAt,
    question: question.fields.question,
    nearestSection: question.fields.nearestSection ?? null,
    from: question.fields.from,
    status: answering ? 'answered' : owner ? 'taken' : 'waiting',
    owner,
    answer: answering
      ? { text: answering.fields.answer as string, by: answering.author.name, at: answering.createdAt }
      : null,
  };
}
