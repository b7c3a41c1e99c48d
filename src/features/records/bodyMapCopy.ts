/**
 * The managers' printable body map for the case file, in Teams. "body map KS-…" in a manager's 1:1 chat offers
 * the file (Teams asks where to save it); when the manager accepts, the copy is made again and audited as an
 * export of that entry through the same store call as `npm run export -- --body-map` (exportBodyMapPng, which
 * the CLI uses too), and the Teams layer uploads the bytes where Teams said. The file's name and the offer's
 * words carry the entry's reference and date only, never a name.
 *
 * Who may ask: managers, in the 1:1 chat (the guards below, for the command and again for the accept; every
 * refusal is audited by the guard). Making the offer reads the entry to know the file's size: a manager's read
 * of someone else's entry, which the store audits as a view, as it does everywhere.
 */
import { printableBodyMapPng } from '../../core/bodymap/print';
import type { StoredEntryOf } from '../../core/records/entry';
import { RecordInputError } from '../../core/records/errors';
import { ukDate } from '../../core/records/reference';
import { londonParts } from '../../core/time';
import { StoreUnavailableError } from '../../storage/errors';
import type { RecordStore } from '../../storage/types';
import type { FeatureDeps, StoreOf } from '../deps';
import { BODY_MAP_COPY, NOTICES } from '../messages';
import { checkGuards, type Guards } from '../route';
import { reply, type FileToSave, type Reply, type Turn } from '../turn';

/** The audit's format for the printable copy (the CLI's too). */
export const BODY_MAP_FORMAT = 'png';
const REFERENCE = /^KS-[0-9A-F]{8}$/;

/** The command's guards, which the accept runs again (a consent card can be pressed later, by then not a manager). */
export const BODY_MAP_COPY_GUARDS: Guards<{ entryRef?: string }> = {
  personalOnly: { command: 'body map KS-…' },
  managers: {
    who: 'managers',
    what: 'print a body map for the case file',
    hint: "You can see your own entries: type 'my records'.",
    audit: 'bodymap.print',
  },
};

/**
 * The printable copy of one body map, audited as an export of that entry by `actor` (who, which entry, the
 * format) in the same transaction as the read: the one path for the CLI and for Teams. Undefined when there is
 * no body map by that id or reference.
 */
export async function exportBodyMapPng(
  store: Pick<RecordStore, 'exportOne'>,
  idOrReference: string,
  actor: string,
  now: Date,
): Promise<{ entry: StoredEntryOf<'body_map'>; png: Buffer } | undefined> {
  const found = await store.exportOne({ idOrReference, kind: 'body_map', format: BODY_MAP_FORMAT }, actor);
  if (!found || found.kind !== 'body_map') return undefined;
  const entry = found as StoredEntryOf<'body_map'>;
  return { entry, png: printableBodyMapPng(entry, now) };
}

/** "body-map-KS-7Q2M4X1A-2026-11-24.png": the reference and the day it was recorded (UK time). */
export function bodyMapFileName(reference: string, createdAt: string): string {
  return `body-map-${reference}-${londonParts(new Date(createdAt)).date}.png`;
}

type OfferDeps = Pick<FeatureDeps, 'logger'> & { store: StoreOf<'lookup' | 'get'> };

/** Managers, in the 1:1 chat (the route's guards): offers the printable copy of one body map as a file. */
export async function offerBodyMapCopy(
  turn: Turn,
  deps: OfferDeps,
  entryRef: string | undefined,
  now = new Date(),
): Promise<Reply> {
  if (!entryRef) return reply.notice(BODY_MAP_COPY.noReference);
  if (!REFERENCE.test(entryRef)) return reply.notice(BODY_MAP_COPY.badReference(entryRef));
  let found: Awaited<ReturnType<RecordStore['lookup']>>;
  try {
    found = await deps.store.lookup(entryRef);
  } catch (err) {
    if (err instanceof RecordInputError) return reply.notice(BODY_MAP_COPY.ambiguous(entryRef));
    throw err;
  }
  if (!found) return reply.notice(BODY_MAP_COPY.unknown(entryRef));
  if (found.kind !== 'body_map') return reply.notice(BODY_MAP_COPY.notBodyMap(entryRef));
  const entry = await deps.store.get(found.id, { aadObjectId: turn.actor!.aadObjectId, isManager: true });
  if (!entry || entry.kind !== 'body_map') return reply.notice(BODY_MAP_COPY.unknown(entryRef));
  const png = printableBodyMapPng(entry, now);
  deps.logger.info({ ...turn.log, bytes: png.length }, 'bodymap.copy_offered');
  return reply.fileOffer({
    name: bodyMapFileName(entryRef, entry.createdAt),
    description: BODY_MAP_COPY.description(entryRef, ukDate(entry.createdAt)),
    sizeInBytes: png.length,
    context: { entry: entryRef },
  });
}

/**
 * The manager accepted the offer: the guards again, then the copy made and audited as an export (the CLI's
 * path). Anything else is a short message and no file.
 */
export async function bodyMapCopyFile(
  turn: Turn,
  deps: FeatureDeps,
  entryRef: string,
  now = new Date(),
): Promise<FileToSave> {
  const refused = await checkGuards('print_body_map', BODY_MAP_COPY_GUARDS, turn, deps, { entryRef }, 'press');
  if (refused) return { ok: false, replies: [refused] };
  if (!REFERENCE.test(entryRef))
    return { ok: false, replies: [reply.message(BODY_MAP_COPY.badReference(entryRef).message)] };
  try {
    const made = await exportBodyMapPng(deps.store, entryRef, turn.actor!.aadObjectId, now);
    if (!made) return { ok: false, replies: [reply.message(BODY_MAP_COPY.unknown(entryRef).message)] };
    deps.logger.info({ ...turn.log, bytes: made.png.length }, 'bodymap.copy_exported');
    return { ok: true, name: bodyMapFileName(entryRef, made.entry.createdAt), fileType: 'png', bytes: made.png };
  } catch (err) {
    if (err instanceof RecordInputError)
      return { ok: false, replies: [reply.message(BODY_MAP_COPY.ambiguous(entryRef).message)] };
    if (err instanceof StoreUnavailableError) {
      deps.logger.warn({ ...turn.log, code: 'STORE_UNAVAILABLE' }, 'bodymap.copy_store_unavailable');
      return {
        ok: false,
        replies: [reply.message(`${NOTICES.storeUnavailable.title}. ${NOTICES.storeUnavailable.message}`)],
      };
    }
    throw err;
  }
}
