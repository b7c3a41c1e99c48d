/**
 * A record managers act on, read with the actions recorded on it and folded into its current state: an incident
 * report and its manager_action entries, a question for managers and its question_action entries. One read for
 * both, so the two cannot drift. The record is read as the viewer may see it; actions are those made since the
 * record was, at most 1000 (the store's largest page).
 */
import type { StoredEntry } from '../core/records/entry';
import type { RecordStore, Viewer } from '../storage/types';

/** Which kind of record, which kind of action on it, and how they fold into a state. */
export interface ActedOnKinds<R extends StoredEntry, A extends StoredEntry, S> {
  kind: R['kind'];
  actionKind: A['kind'];
  /** Whether an entry is an action on the record with this id. */
  isActionOn: (recordId: string) => (e: StoredEntry) => e is A;
  fold: (record: R, actions: readonly A[]) => S;
}

export interface WithActions<R extends StoredEntry, A extends StoredEntry, S> {
  record: R;
  actions: A[];
  state: S;
}

/** The record with this id and its actions, or undefined when there is none of that kind (or not for this viewer). */
export async function loadWithActions<R extends StoredEntry, A extends StoredEntry, S>(
  store: Pick<RecordStore, 'get' | 'list'>,
  id: string,
  viewer: Viewer,
  kinds: ActedOnKinds<R, A, S>,
): Promise<WithActions<R, A, S> | undefined> {
  const entry = await store.get(id, viewer);
  if (!entry || entry.kind !== kinds.kind) return undefined;
  const record = entry as R;
  const actions = (await store.list({ kind: kinds.actionKind, from: new Date(record.createdAt), limit: 1000 })).filter(
    kinds.isActionOn(record.id),
  );
  return { record, actions, state: kinds.fold(record, actions) };
}
