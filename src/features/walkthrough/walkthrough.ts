/**
 * The injury-photo walkthrough in Teams (guidance 2.3.2). The flow and its machine are pure (core/walkthrough);
 * this file keeps a walkthrough in the bot-state table of the record store (so it resumes after a restart and on
 * any instance), runs each card press through the machine, stores what the machine says to record, and talks to
 * the managers' channel.
 *
 * A press, in order: check the payload and that the walkthrough is the presser's own → the personal-identifier
 * check on the step's free text → the machine → every entry it asks for is stored (each with an idempotency key
 * built from the walkthrough, kind and revision) → the walkthrough is saved under its eTag → the new card
 * replaces the old one in place. A retried or doubled press finds the revision moved on and is shown the current
 * card; a press that loses a race to another is too. Entries are stored before the walkthrough moves, so a
 * record is never lost: if saving the walkthrough fails, the same press again finds the same entries.
 *
 * A walkthrough is created on the first press of its first card, so a card that is never used leaves nothing.
 */
import { createHash } from 'node:crypto';
import { CHECK_LIMITS, describeFindings, findIdentifiers } from '../../core/pii';
import { recordReference, ukDate } from '../../core/records/reference';
import {
  BEGIN_CHOICE,
  CONSENT_CORRECTION_REGISTRY,
  CONSENT_REGISTRY,
  createWalkthroughMachine,
  DEFAULT_REGISTRY,
  RESTART_MESSAGE,
  type Effect,
  type Flow,
  type FlowRegistry,
  type ParsedAction,
  type WalkState,
  type WalkthroughMachine,
} from '../../core/walkthrough';
import { StoreUnavailableError } from '../../storage/errors';
import { StateConflictError } from '../../storage/stateStorage';
import type { NewEntry, OutboxMessage, StoredEntry } from '../../storage/types';
import { managersChannel } from '../admin/managersChannel';
import { renderCard, type AdaptiveCard } from '../cardRender';
import { beginConsentCorrection } from '../consent/consentLog';
import { MANAGERS_CHANNEL_KEY, userKey } from '../conversationKeys';
import type { FeatureDeps } from '../deps';
import { FIRST, GONE, identifiersInNote, NOT_YOURS, NOTICES, personalOnly, SAID } from '../messages';
import { cardMessage, textMessage } from '../outboxMessages';
import { inPrivate } from '../route';
import { reply, type Actor, type PressResult as Result, type Reply, type Turn } from '../turn';
import type { Begun } from './begun';
import { walkKeys } from './keys';
import { IDENTIFIERS_OK_INPUT, renderStepCard, type StepCardOptions } from './stepCards';
import { adviceRequestCardData, bodyMapImage, DECISION_LABEL, photoSummaryCardData } from './views';

type Deps = Pick<
  FeatureDeps,
  'guidance' | 'logger' | 'store' | 'caseRefPattern' | 'nudgeDelivery' | 'managersChannelFromConfig' | 'safety'
>;

/** A kind of walkthrough: the photo decision, the stand-alone consent log, a correction of a consent decision. */
export interface WalkKit {
  kind: string;
  registry: FlowRegistry;
  machine: WalkthroughMachine;
  /** What to type to start one ("photo decision"). */
  command: string;
  /**
   * For a kit whose walkthroughs start from something stored (a correction of an entry): the first press (choice
   * BEGIN_CHOICE, on a card that names the walkthrough to create) is checked here, and the walkthrough is created
   * and stored at once with what this returns, rather than on the first press of its first step.
   */
  begin?: (turn: Turn, deps: Deps, me: Actor, inputs: Record<string, unknown>) => Promise<Begun | { message: string }>;
}

const PHOTO: WalkKit = {
  kind: 'photo',
  registry: DEFAULT_REGISTRY,
  machine: createWalkthroughMachine(DEFAULT_REGISTRY),
  command: 'photo decision',
};
const CONSENT: WalkKit = {
  kind: 'consent',
  registry: CONSENT_REGISTRY,
  machine: createWalkthroughMachine(CONSENT_REGISTRY),
  command: 'log consent',
};
const CORRECTION: WalkKit = {
  kind: 'correction',
  registry: CONSENT_CORRECTION_REGISTRY,
  machine: createWalkthroughMachine(CONSENT_CORRECTION_REGISTRY),
  command: 'my consent log',
  begin: beginConsentCorrection,
};
const KITS = new Map<string, WalkKit>([PHOTO, CONSENT, CORRECTION].map((k) => [k.kind, k]));

/** The kit whose flows include this version (versions are unique across kits). */
function kitForVersion(flowVersion: string): WalkKit | undefined {
  for (const kit of KITS.values()) if (kit.registry.flows[flowVersion]) return kit;
  return undefined;
}

/** A walkthrough as kept in the bot-state table. */
export interface WalkRecord {
  kind: string;
  owner: { aadObjectId: string; name: string };
  state: WalkState;
  /** The advice_request entry, once "Ask for advice now" was pressed (links the manager's answer back). */
  adviceRequestId?: string;
  /** The worker's card (its activity id in their chat) when they asked: a manager's answer updates it in place. */
  waitingCardId?: string;
}

interface Loaded {
  record: WalkRecord;
  /** Undefined for a walkthrough not stored yet. */
  eTag?: string;
}

const OPEN_LIMIT = 10;

function isOpen(state: WalkState): boolean {
  return state.status === 'active' || state.status === 'awaiting_advice';
}

// ---- storage --------------------------------------------------------------------------------------------

function isWalkRecord(v: unknown): v is WalkRecord {
  const r = v as WalkRecord;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.kind === 'string' &&
    typeof r.owner?.aadObjectId === 'string' &&
    typeof r.state?.id === 'string' &&
    typeof r.state?.step === 'string'
  );
}

async function load(deps: Pick<FeatureDeps, 'store'>, walkId: string): Promise<Loaded | undefined> {
  const key = walkKeys.walk(walkId);
  const items = await deps.store.state.read([key]);
  const item = items[key];
  if (!item) return undefined;
  const { eTag, ...record } = item as WalkRecord & { eTag?: string };
  return isWalkRecord(record) ? { record, eTag } : undefined;
}

/** Saves the walkthrough under the eTag it was read with (StateConflictError if another press got there first). */
async function save(deps: Pick<FeatureDeps, 'store' | 'logger'>, loaded: Loaded, record: WalkRecord): Promise<void> {
  const was = isOpen(loaded.record.state) && loaded.eTag !== undefined;
  const now = isOpen(record.state);
  // A new walkthrough is written with an eTag no stored item has: it is created, unless another press created it
  // first, which is then a conflict like any other (never a silent overwrite).
  await deps.store.state.write({ [walkKeys.walk(record.state.id)]: { ...record, eTag: loaded.eTag ?? 'new' } });
  if (was !== now || loaded.eTag === undefined)
    await updateOpenList(deps, record.owner.aadObjectId, record.state.id, now);
}

/** The list of open walkthroughs is a convenience (the walkthroughs themselves are the truth): last writer wins. */
async function updateOpenList(
  deps: Pick<FeatureDeps, 'store' | 'logger'>,
  aadObjectId: string,
  walkId: string,
  open: boolean,
): Promise<void> {
  const key = walkKeys.open(aadObjectId);
  try {
    const current = ((await deps.store.state.read([key]))[key]?.ids ?? []) as string[];
    const ids = current.filter((id) => id !== walkId);
    if (open) ids.unshift(walkId);
    await deps.store.state.write({ [key]: { ids: ids.slice(0, OPEN_LIMIT), eTag: '*' } });
  } catch (err) {
    deps.logger.warn({ code: (err as { code?: string }).code ?? 'OPEN_LIST_FAILED' }, 'walkthrough.open_list_failed');
  }
}

export async function openWalkthroughs(deps: Pick<FeatureDeps, 'store'>, aadObjectId: string): Promise<WalkRecord[]> {
  const key = walkKeys.open(aadObjectId);
  const ids = ((await deps.store.state.read([key]))[key]?.ids ?? []) as string[];
  if (!ids.length) return [];
  const items = await deps.store.state.read(ids.map(walkKeys.walk));
  const out: WalkRecord[] = [];
  for (const id of ids) {
    const item = items[walkKeys.walk(id)];
    if (!item) continue;
    const { eTag: _e, ...record } = item as WalkRecord & { eTag?: string };
    if (
      isWalkRecord(record) &&
      isOpen(record.state) &&
      record.owner.aadObjectId.toLowerCase() === aadObjectId.toLowerCase()
    )
      out.push(record);
  }
  return out;
}

// ---- cards ----------------------------------------------------------------------------------------------

function flowsOf(record: WalkRecord): Readonly<Record<string, Flow>> {
  return (KITS.get(record.kind) ?? PHOTO).registry.flows;
}

/** The card for where a walkthrough is now, with its reference and, at the summary, the body-map picture. */
function stepCard(
  deps: Pick<FeatureDeps, 'safety'>,
  record: WalkRecord,
  opts: StepCardOptions = {},
  state: WalkState = record.state,
): AdaptiveCard {
  const atSummary = state.step === 'summary' || state.status === 'finished';
  return renderStepCard(state, {
    ...opts,
    contacts: deps.safety,
    flows: flowsOf(record),
    reference: recordReference(state.id),
    ...(atSummary ? { bodyMapImage: bodyMapImage(state) } : {}),
  }) as AdaptiveCard;
}

/** The first card of a new walkthrough: nothing is stored until it is used. */
export function newWalkthroughCard(
  deps: Pick<FeatureDeps, 'guidance' | 'caseRefPattern' | 'safety'>,
  kind = PHOTO.kind,
  prefill?: Record<string, string>,
): AdaptiveCard {
  const kit = KITS.get(kind) ?? PHOTO;
  const state = kit.machine.startWalkthrough({
    now: new Date(),
    guidanceVersion: deps.guidance.document.version,
    caseRefPattern: deps.caseRefPattern.source,
    prefill,
  });
  return renderStepCard(state, {
    flows: kit.registry.flows,
    reference: recordReference(state.id),
    contacts: deps.safety,
  }) as AdaptiveCard;
}

// ---- the personal-identifier check ------------------------------------------------------------------------

function digestOf(texts: Record<string, string>): string {
  const canonical = Object.keys(texts)
    .sort()
    .map((k) => `${k}\u0000${texts[k].trim()}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Possible identifiers in the free text a press sends, by field; undefined when none or already confirmed. */
function identifiersToConfirm(
  kit: WalkKit,
  state: WalkState,
  inputs: Record<string, unknown>,
): { found: Record<string, string>; digest: string } | undefined {
  const texts = kit.machine.freeTextInputs(state, inputs);
  const found: Record<string, string> = {};
  for (const [field, value] of Object.entries(texts)) {
    const findings = findIdentifiers(value);
    if (findings.length) found[field] = describeFindings(findings);
  }
  if (!Object.keys(found).length) return undefined;
  const digest = digestOf(texts);
  return inputs[IDENTIFIERS_OK_INPUT] === digest ? undefined : { found, digest };
}

// ---- advice from a manager, reconciled -------------------------------------------------------------------

/**
 * A walkthrough still waiting although a manager has answered (the answer was stored but the walkthrough could
 * not be moved on at that moment): apply the stored answer now.
 */
async function reconcileAdvice(deps: Deps, kit: WalkKit, loaded: Loaded): Promise<Loaded> {
  try {
    return await applyStoredAdvice(deps, kit, loaded);
  } catch (err) {
    // Best effort: the press goes on as it is; the next one tries again.
    if (!(err instanceof StoreUnavailableError) && !(err instanceof StateConflictError)) throw err;
    deps.logger.warn(
      { walkthrough: loaded.record.state.id, code: (err as { code?: string }).code ?? 'RECONCILE_FAILED' },
      'walkthrough.advice_reconcile_failed',
    );
    return loaded;
  }
}

async function applyStoredAdvice(deps: Deps, kit: WalkKit, loaded: Loaded): Promise<Loaded> {
  const { record } = loaded;
  if (record.state.status !== 'awaiting_advice' || !record.adviceRequestId) return loaded;
  const caseRef = record.state.answers.seen?.caseRef?.trim().toUpperCase();
  if (!caseRef) return loaded;
  const answers = await deps.store.list({ kind: 'advice_given', caseRef, limit: 100 });
  const answer = answers.find(
    (e) =>
      e.kind === 'advice_given' &&
      e.fields.adviceRequestId === record.adviceRequestId &&
      e.author.aadObjectId !== record.owner.aadObjectId,
  );
  if (!answer || answer.kind !== 'advice_given') return loaded;
  const applied = kit.machine.applyAdvice(
    record.state,
    {
      decision: answer.fields.decision,
      adviserName: answer.fields.adviserName,
      adviserRole: answer.fields.adviserRole,
      givenAt: answer.fields.givenAt,
      note: answer.fields.conditions,
      via: 'keepsafe',
      adviceRequestId: record.adviceRequestId,
    },
    new Date(),
  );
  if (applied.stale) return loaded;
  const next = { ...record, state: applied.state };
  await save(deps, loaded, next);
  deps.logger.info({ walkthrough: record.state.id }, 'walkthrough.advice_reconciled');
  return (await load(deps, record.state.id)) ?? loaded;
}

/**
 * A walkthrough on a flow version this KeepSafe no longer has: it is closed (entries already stored stay) and a
 * new one starts on the current version with the first step's answers kept.
 */
async function restart(deps: Deps, kit: WalkKit, loaded: Loaded, now: Date): Promise<WalkRecord> {
  const { record } = loaded;
  const restarted = kit.machine.restartWalkthrough(record.state, {
    now,
    guidanceVersion: deps.guidance.document.version,
  });
  await save(deps, loaded, {
    ...record,
    state: { ...record.state, status: 'cancelled', rev: record.state.rev + 1, updatedAt: now.toISOString() },
  });
  const fresh: WalkRecord = { kind: kit.kind, owner: record.owner, state: restarted };
  await save(deps, { record: fresh }, fresh);
  return fresh;
}

// ---- a press on a walkthrough card ---------------------------------------------------------------------

const NOT_SAVED =
  "This couldn't be saved just now, so nothing has moved on. What you typed is still here: please press the button again in a minute.";

/**
 * A walkthrough button, signed in (the route's guard). The payload was parsed once at the edge (ParsedAction:
 * the checked button data and the step's inputs); a payload the machine's schema refused arrives as not ok.
 */
export async function walkthroughAction(turn: Turn, deps: Deps, parsed: ParsedAction): Promise<Result> {
  const ids = turn.log;
  const me = turn.actor!;
  if (!parsed.ok) {
    deps.logger.warn({ ...ids, code: 'WALKTHROUGH_PAYLOAD_INVALID' }, 'walkthrough.rejected');
    return { message: SAID.buttonUnreadable };
  }
  const { action, inputs } = parsed;
  const kit = kitForVersion(action.flowVersion) ?? PHOTO;
  const now = new Date();
  const log = { ...ids, walkthrough: action.walkId, step: action.step, choice: action.choice };

  let loaded: Loaded | undefined;
  try {
    loaded = await load(deps, action.walkId);
    if (!loaded && kit.begin && action.choice === BEGIN_CHOICE)
      return await beginStored(turn, deps, kit, me, action.walkId, inputs, now);
    if (!loaded) {
      const flow = kit.registry.flows[action.flowVersion];
      if (!flow || flow.corrects || action.step !== flow.first || action.rev !== 0) {
        deps.logger.info(log, 'walkthrough.not_found');
        return { message: GONE.walkthroughToContinue(kit.command) };
      }
      const state = kit.machine.startWalkthrough({
        now,
        id: action.walkId,
        guidanceVersion: deps.guidance.document.version,
        caseRefPattern: deps.caseRefPattern.source,
      });
      loaded = { record: { kind: kit.kind, owner: me, state } };
      if (action.choice === 'cancel')
        return { card: stepCard(deps, loaded.record, {}, kit.machine.cancel(state, undefined, now).state) };
    }
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    deps.logger.warn({ ...log, code: 'STORE_UNAVAILABLE' }, 'walkthrough.not_loaded');
    return { message: SAID.walkthroughNotLoaded };
  }

  if (loaded.record.owner.aadObjectId.toLowerCase() !== me.aadObjectId.toLowerCase()) {
    deps.logger.info(log, 'walkthrough.refused_not_owner');
    await deps.store.auditRefusal({ actorId: me.aadObjectId, recordId: null, what: 'walkthrough.not_owner' });
    return { message: NOT_YOURS.walkthrough(kit.command) };
  }

  if (kit.begin && action.choice === BEGIN_CHOICE) {
    // The start button pressed again (a double tap, a retry): the walkthrough it made, as it is now.
    return {
      card: stepCard(deps, loaded.record, { notice: 'You have already started this. Here is where you are now.' }),
    };
  }

  loaded = await reconcileAdvice(deps, kit, loaded);
  let { record } = loaded;

  if (kit.machine.checkVersion(record.state) === 'restart') {
    const fresh = await restart(deps, kit, loaded, now);
    deps.logger.info({ ...log, from: record.state.flowVersion, to: fresh.state.flowVersion }, 'walkthrough.restarted');
    return { card: stepCard(deps, fresh, { notice: RESTART_MESSAGE }) };
  }

  const current =
    action.step === record.state.step &&
    action.rev === record.state.rev &&
    action.flowVersion === record.state.flowVersion &&
    isOpen(record.state);
  const forward = current && action.choice !== 'back' && action.choice !== 'cancel';
  if (forward) {
    const identifiers = identifiersToConfirm(kit, record.state, inputs);
    if (identifiers) {
      deps.logger.info({ ...log, fields: Object.keys(identifiers.found) }, 'walkthrough.identifiers_found');
      return { card: stepCard(deps, record, { identifiers }, kit.machine.withTyped(record.state, inputs)) };
    }
    if (
      record.state.step === 'get_advice' &&
      action.choice === 'ask' &&
      !(await managersChannel(deps, deps.managersChannelFromConfig))
    ) {
      deps.logger.warn({ ...log, code: 'NO_MANAGERS_CHANNEL' }, 'walkthrough.advice_request_not_sent');
      return {
        card: stepCard(deps, record, {
          problem:
            "KeepSafe can't send requests for advice yet: no managers' channel has been set up. Phone your manager or designated safeguarding manager now, then press \"I've had advice\".",
        }),
      };
    }
  }

  const result = kit.machine.handleParsed(record.state, parsed, now);
  if (result.stale) {
    deps.logger.info({ ...log, reason: result.stale.reason }, 'walkthrough.stale');
    return { card: stepCard(deps, record, { notice: result.stale.message }) };
  }

  let state = result.state;
  let queued = false;
  try {
    const applied = await applyEffects(deps, kit, state, result.effects, me);
    state = applied.state;
    const cardId = turn.ids.replyToId;
    record = {
      ...record,
      state,
      ...(applied.adviceRequestId
        ? { adviceRequestId: applied.adviceRequestId, ...(cardId ? { waitingCardId: cardId } : {}) }
        : {}),
    };
    queued = applied.queued;
    await save(deps, loaded, record);
  } catch (err) {
    if (err instanceof StateConflictError) {
      // Another press (a second tap, another device) moved it on first: show what is true now.
      deps.logger.info(log, 'walkthrough.conflict');
      const now2 = await load(deps, action.walkId);
      return {
        card: now2
          ? stepCard(deps, now2.record, { notice: 'That button was already used. Here is where you are now.' })
          : stepCard(deps, record),
      };
    }
    if (err instanceof StoreUnavailableError) {
      deps.logger.warn({ ...log, code: 'STORE_UNAVAILABLE' }, 'walkthrough.not_saved');
      return {
        card: stepCard(deps, loaded.record, { problem: NOT_SAVED }, kit.machine.withTyped(loaded.record.state, inputs)),
      };
    }
    throw err;
  }
  if (
    record.adviceRequestId &&
    ((state.status !== 'active' && state.status !== 'awaiting_advice') ||
      result.effects.some((e) => e.type === 'append' && e.entry.kind === 'advice_given'))
  ) {
    // The urgent card in the managers' channel is updated in place once nobody needs to answer it.
    const how = adviceDealtWith(state);
    if (how) {
      try {
        if (await closeAdviceRequest(deps, record, how, now)) queued = true;
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        deps.logger.warn({ ...log, code: 'STORE_UNAVAILABLE' }, 'advice.close_not_queued');
      }
    }
  }
  if (queued) deps.nudgeDelivery();
  deps.logger.info(
    {
      ...log,
      to: state.step,
      status: state.status,
      errors: result.errors ? Object.keys(result.errors) : undefined,
      stored: result.effects.filter((e) => e.type === 'append').map((e) => (e.type === 'append' ? e.entry.kind : '')),
    },
    'walkthrough.step',
  );
  // The finished card already says "Finished <time>. The record is saved." under its reference.
  let notice = state.status === 'finished' ? undefined : result.notice;
  if (state.status === 'finished' && result.effects.some((e) => e.type === 'incident_summary')) {
    notice = queued
      ? "A summary without names or free text has gone to the managers' channel."
      : "No managers' channel is set up, so no summary was posted there: tell your manager about this record.";
  }
  return { card: stepCard(deps, record, { errors: result.errors, notice }) };
}

/** A kit's `begin` press: checked by the kit, then the walkthrough is created and stored at once. */
async function beginStored(
  turn: Turn,
  deps: Deps,
  kit: WalkKit,
  me: Actor,
  walkId: string,
  inputs: Record<string, unknown>,
  now: Date,
): Promise<Result> {
  const begun = await kit.begin!(turn, deps, me, inputs);
  if ('message' in begun) return begun;
  const state = kit.machine.startWalkthrough({
    now,
    id: walkId,
    guidanceVersion: deps.guidance.document.version,
    caseRefPattern: deps.caseRefPattern.source,
    prefill: begun.prefill,
    ...(begun.corrects ? { corrects: begun.corrects } : {}),
    ...(begun.recorded ? { recorded: begun.recorded } : {}),
  });
  // Two presses at the very same moment both write this same starting point: nothing is stored before the first step.
  const fresh: Loaded = { record: { kind: kit.kind, owner: me, state } };
  await save(deps, fresh, fresh.record);
  deps.logger.info({ ...turn.log, walkthrough: walkId, kind: kit.kind }, 'walkthrough.begun');
  return { card: stepCard(deps, fresh.record, { notice: begun.notice }) };
}

/** Stores what the machine asked for, in order, and queues the channel posts that go with them. */
async function applyEffects(
  deps: Deps,
  kit: WalkKit,
  start: WalkState,
  effects: Effect[],
  me: Actor,
): Promise<{ state: WalkState; adviceRequestId?: string; queued: boolean }> {
  let state = start;
  let adviceRequestId: string | undefined;
  let queued = false;
  for (const e of effects) {
    if (e.type === 'append') {
      const entry = { ...e.entry, author: me } as NewEntry;
      const request = e.entry.kind === 'advice_request' ? effects.find((x) => x.type === 'request_advice') : undefined;
      const outbox =
        request && request.type === 'request_advice'
          ? (stored: StoredEntry): OutboxMessage[] => [
              {
                key: walkKeys.advicePost(stored.id),
                conversationKey: MANAGERS_CHANNEL_KEY,
                op: 'send',
                content: cardMessage(
                  renderCard('adviceRequest', adviceRequestCardData(stored, request)),
                  `Urgent: advice needed, case ${request.caseRef}`,
                ),
              },
            ]
          : undefined;
      const options = { idempotencyKey: e.idempotencyKey, ...(outbox ? { outbox } : {}) };
      const stored = e.corrects
        ? await deps.store.correct(e.corrects, entry, e.reason ?? 'Changed in the walkthrough.', options)
        : await deps.store.append(entry, options);
      state = kit.machine.noteRecorded(state, e.entry.kind, stored.id);
      if (e.entry.kind === 'advice_request') {
        adviceRequestId = stored.id;
        queued = true;
      }
    } else if (e.type === 'incident_summary') {
      if (!(await managersChannel(deps, deps.managersChannelFromConfig))) {
        deps.logger.warn({ walkthrough: e.walkId, code: 'NO_MANAGERS_CHANNEL' }, 'walkthrough.summary_not_posted');
        continue;
      }
      const data = photoSummaryCardData({ ...e, entryIds: { ...state.recorded } }, state);
      await deps.store.enqueue([
        {
          key: walkKeys.summaryPost(e.walkId),
          conversationKey: MANAGERS_CHANNEL_KEY,
          op: 'send',
          content: cardMessage(
            renderCard('photoSummary', data),
            `Photo decision ${data.reference}, case ${data.caseRef}`,
          ),
        },
      ]);
      queued = true;
    }
  }
  return { state, adviceRequestId, queued };
}

// ---- starting and resuming ----------------------------------------------------------------------------

export interface StartOptions {
  kind?: string;
  /** Answers for the first step guessed from the question that started it (the worker can change them). */
  prefill?: Record<string, string>;
  /** Skip the list of open walkthroughs and start a new one. */
  fresh?: boolean;
}

/** "photo decision" (or the 2.3.2 button, or a question about photographing injuries) in the worker's 1:1 chat. */
/** The command a kind of walkthrough starts with ("photo decision"), for the routes' refusals. */
export function walkthroughCommand(kind?: string): string {
  return (KITS.get(kind ?? PHOTO.kind) ?? PHOTO).command;
}

/**
 * "photo decision" (or the 2.3.2 button, or a question about photographing injuries) in the worker's 1:1 chat:
 * the walkthroughs they have open, or a new one's first card. Checks the place and the presser itself, as it is
 * also reached from a question (the routes declare the same guards).
 */
export async function startWalkthroughChat(turn: Turn, deps: Deps, opts: StartOptions = {}): Promise<Reply[]> {
  const kit = KITS.get(opts.kind ?? PHOTO.kind) ?? PHOTO;
  if (!inPrivate(turn)) return [reply.notice(personalOnly(kit.command))];
  const me = turn.actor;
  if (!me) return [reply.notice(NOTICES.signIn)];
  const open = opts.fresh ? [] : (await openWalkthroughs(deps, me.aadObjectId)).filter((r) => r.kind === kit.kind);
  deps.logger.info({ ...turn.log, kind: kit.kind, open: open.length }, 'walkthrough.start');
  if (open.length) return [reply.card(renderCard('walkthroughsOpen', openListData(kit, open)))];
  return [reply.card(newWalkthroughCard(deps, kit.kind, opts.prefill))];
}

function openListData(kit: WalkKit, open: WalkRecord[]) {
  return {
    heading: open.length === 1 ? 'You have a walkthrough open' : `You have ${open.length} walkthroughs open`,
    intro: 'Carry on with one, or start a new one. Nothing you saved is lost either way.',
    items: open.map((r) => {
      const flow = kit.registry.flows[r.state.flowVersion];
      const step = flow?.steps[r.state.step]?.title ?? 'In progress';
      const caseRef = r.state.answers.seen?.caseRef?.trim().toUpperCase() || 'no case reference yet';
      return {
        walkId: r.state.id,
        title: `${caseRef}: ${step}`,
        detail: `${r.state.status === 'awaiting_advice' ? 'Waiting for a manager’s advice. ' : ''}Started ${ukDate(r.state.startedAt)}, reference ${recordReference(r.state.id)}.`,
        // Short for a phone: the case and step are in the line above it.
        button: caseRef.length <= 15 && /\d/.test(caseRef) ? `Continue ${caseRef}` : 'Continue',
      };
    }),
    kind: kit.kind,
  };
}

/** The "Continue" and "Start a new one" buttons of the open-walkthroughs card. */
export async function resumeWalkthrough(
  turn: Turn,
  deps: Deps,
  data: { walkId?: string; kind?: string },
): Promise<Result> {
  const me = turn.actor!;
  const kit = KITS.get(data.kind ?? PHOTO.kind) ?? PHOTO;
  if (!data.walkId) return { card: newWalkthroughCard(deps, kit.kind) };
  let loaded = await load(deps, data.walkId);
  if (!loaded || loaded.record.owner.aadObjectId.toLowerCase() !== me.aadObjectId.toLowerCase()) {
    return { message: GONE.walkthrough(kit.command) };
  }
  loaded = await reconcileAdvice(deps, kitForVersion(loaded.record.state.flowVersion) ?? kit, loaded);
  const { record } = loaded;
  const machine = (kitForVersion(record.state.flowVersion) ?? kit).machine;
  if (machine.checkVersion(record.state) === 'restart') {
    const fresh = await restart(deps, kitForVersion(record.state.flowVersion) ?? kit, loaded, new Date());
    return { card: stepCard(deps, fresh, { notice: RESTART_MESSAGE }) };
  }
  deps.logger.info({ ...turn.log, walkthrough: record.state.id, step: record.state.step }, 'walkthrough.resumed');
  return { card: stepCard(deps, record, { notice: 'Here is where you were. Nothing you entered is lost.' }) };
}

// ---- a request for advice dealt with otherwise --------------------------------------------------------------

/** Why a request for advice nobody answered needs no answer now (undefined while it still does). */
export function adviceDealtWith(state: WalkState): string | undefined {
  if (state.status === 'cancelled') return 'the worker cancelled the walkthrough';
  if (state.status === 'finished') return 'the walkthrough was finished';
  if (state.recorded.advice_given) {
    const via = state.answers.record_advice?.via;
    return via === 'phone'
      ? 'advice recorded by phone'
      : via === 'in_person'
        ? 'advice recorded, given in person'
        : 'advice recorded';
  }
  return undefined;
}

function requestViewOf(request: StoredEntry) {
  if (request.kind !== 'advice_request') throw new Error('not an advice request');
  return {
    walkId: request.fields.walkthroughId ?? '',
    caseRef: request.caseRef ?? '',
    concern: request.fields.concern,
    personType: request.fields.personType,
    immediateDanger: request.fields.immediateDanger,
  };
}

/**
 * The worker recorded advice they had by phone or in person, or ended the walkthrough, while their request for
 * advice was unanswered: the urgent card in the managers' channel is updated in place ("Dealt with: …", no form)
 * and its thread gets a line. Queued once (the outbox keys are fixed); nothing if a manager answered first.
 */
async function closeAdviceRequest(deps: Deps, record: WalkRecord, how: string, now: Date): Promise<boolean> {
  const id = record.adviceRequestId!;
  const caseRef = record.state.answers.seen?.caseRef?.trim().toUpperCase();
  const request = (await deps.store.list({ kind: 'advice_request', ...(caseRef ? { caseRef } : {}), limit: 200 })).find(
    (e) => e.id === id,
  );
  if (!request || request.kind !== 'advice_request') return false;
  if (await existingAnswer(deps, request)) return false;
  const closedCard = renderCard(
    'adviceRequest',
    adviceRequestCardData(request, requestViewOf(request), null, { how, at: now }),
  );
  await deps.store.enqueue([
    {
      key: `${walkKeys.advicePost(id)}:closed`,
      conversationKey: MANAGERS_CHANNEL_KEY,
      op: 'update',
      updates: walkKeys.advicePost(id),
      content: cardMessage(closedCard, `Dealt with: request for advice, case ${request.caseRef}`),
    },
    {
      key: `${walkKeys.advicePost(id)}:closed:thread`,
      conversationKey: MANAGERS_CHANNEL_KEY,
      op: 'reply',
      threadOf: walkKeys.advicePost(id),
      content: textMessage(`Dealt with: ${how}. No answer is needed now.`),
    },
  ]);
  deps.logger.info({ walkthrough: record.state.id, request: id }, 'advice.request_closed');
  return true;
}

// ---- a manager answers a request for advice --------------------------------------------------------------

export interface AdviceAnswerData {
  requestId: string;
  walkId: string;
  adviceDecision?: string;
  adviceNote?: string;
}

/** A manager's answer on the urgent card in the managers' channel (managers only: the route's guard). */
export async function answerAdvice(turn: Turn, deps: Deps, data: AdviceAnswerData): Promise<Result> {
  const ids = turn.log;
  const me = turn.actor!;
  const request = await deps.store.get(data.requestId, { aadObjectId: me.aadObjectId, isManager: true });
  if (!request || request.kind !== 'advice_request' || request.fields.walkthroughId !== data.walkId) {
    return { message: GONE.adviceRequest };
  }
  const decision: 'photograph' | 'do_not_photograph' | undefined =
    data.adviceDecision === 'photograph' || data.adviceDecision === 'do_not_photograph'
      ? data.adviceDecision
      : undefined;
  const requestView = {
    walkId: data.walkId,
    caseRef: request.caseRef ?? '',
    concern: request.fields.concern,
    personType: request.fields.personType,
    immediateDanger: request.fields.immediateDanger,
  };

  const previous = await existingAnswer(deps, request);
  if (previous) return { card: renderCard('adviceRequest', adviceRequestCardData(request, requestView, previous)) };
  if (!decision) return { message: FIRST.advice };
  const note = data.adviceNote?.trim() ? data.adviceNote.trim().slice(0, 2000) : undefined;
  if (note) {
    const found = findIdentifiers(note);
    if (found.length) {
      return { message: identifiersInNote(describeFindings(found), CHECK_LIMITS, 'send') };
    }
  }

  const now = new Date();
  const loaded = await load(deps, data.walkId);
  const dealt =
    loaded && loaded.record.adviceRequestId === request.id ? adviceDealtWith(loaded.record.state) : undefined;
  if (loaded && dealt) {
    // The worker had advice otherwise, or ended the walkthrough: an answer now would reach nobody.
    deps.logger.info({ ...ids, request: request.id }, 'advice.answer_after_dealt_with');
    return {
      card: renderCard(
        'adviceRequest',
        adviceRequestCardData(request, requestView, null, { how: dealt, at: loaded.record.state.updatedAt }),
      ),
    };
  }
  const kit = loaded ? (kitForVersion(loaded.record.state.flowVersion) ?? PHOTO) : PHOTO;
  const advice = {
    decision,
    adviserName: (me.name || 'A manager').slice(0, 120),
    adviserRole: 'Manager',
    givenAt: now,
    note,
    via: 'keepsafe' as const,
    adviceRequestId: request.id,
  };
  const applied = loaded ? kit.machine.applyAdvice(loaded.record.state, advice, now) : undefined;
  const moved = applied && !applied.stale ? applied : undefined;
  const worker = request.author.aadObjectId;
  const said = decision === 'photograph' ? 'take photographs' : 'do not take photographs';
  const tell = `${me.name || 'A manager'} answered your request for advice about case ${request.caseRef}: ${said}.${note ? ` Their note: "${note}"` : ''}${
    moved
      ? ' The walkthrough carries on below: check the details and save them.'
      : ' Their answer is kept in the record.'
  }`;

  const stored = await deps.store.append(
    {
      kind: 'advice_given',
      caseRef: request.caseRef,
      author: me,
      fields: {
        adviceRequestId: request.id,
        adviserName: advice.adviserName,
        adviserRole: advice.adviserRole,
        givenAt: now.toISOString(),
        decision,
        ...(note ? { conditions: note } : {}),
        via: 'keepsafe',
        ...(request.fields.flowVersion ? { flowVersion: request.fields.flowVersion } : {}),
        walkthroughId: data.walkId,
      },
      guidanceVersion: deps.guidance.document.version,
    },
    {
      // One answer per request, whoever presses first.
      idempotencyKey: walkKeys.adviceAnswer(request.id),
      outbox: () => {
        const answered = renderCard(
          'adviceRequest',
          adviceRequestCardData(request, requestView, { decision, by: me.name, at: now }),
        );
        const workerCard =
          moved && loaded
            ? cardMessage(
                stepCard(deps, loaded.record, { notice: moved.notice }, moved.state),
                `Advice about case ${request.caseRef}`,
                tell,
              )
            : undefined;
        // The worker's "waiting for advice" card moves on in place (no live copy left above a new one), with a
        // short message so that they are notified; a walkthrough without a known card gets the card as a message.
        const inPlace = workerCard && loaded?.record.waitingCardId;
        const workerMessages: OutboxMessage[] = inPlace
          ? [
              {
                key: `${walkKeys.adviceAnswer(request.id)}:worker-card`,
                conversationKey: userKey(worker),
                op: 'update',
                activityId: loaded!.record.waitingCardId,
                content: workerCard,
              },
              {
                key: `${walkKeys.adviceAnswer(request.id)}:worker`,
                conversationKey: userKey(worker),
                op: 'send',
                content: textMessage(
                  tell.replace(
                    ' The walkthrough carries on below: check the details and save them.',
                    " Your walkthrough card above has moved on: check the details and save them (if it still says you are waiting, press any button on it, or type 'photo decision').",
                  ),
                ),
              },
            ]
          : [
              {
                key: `${walkKeys.adviceAnswer(request.id)}:worker`,
                conversationKey: userKey(worker),
                op: 'send',
                content: workerCard ?? textMessage(tell),
              },
            ];
        return [
          {
            key: `${walkKeys.adviceAnswer(request.id)}:card`,
            conversationKey: MANAGERS_CHANNEL_KEY,
            op: 'update',
            updates: walkKeys.advicePost(request.id),
            content: cardMessage(answered, `Advice given, case ${request.caseRef}`),
          },
          {
            key: `${walkKeys.adviceAnswer(request.id)}:thread`,
            conversationKey: MANAGERS_CHANNEL_KEY,
            op: 'reply',
            threadOf: walkKeys.advicePost(request.id),
            content: textMessage(
              `${me.name || 'A manager'} answered: ${DECISION_LABEL[decision].toLowerCase()}. The worker has been told.`,
            ),
          },
          ...workerMessages,
        ];
      },
    },
  );
  if (stored.author.aadObjectId !== me.aadObjectId || stored.kind !== 'advice_given') {
    deps.logger.info({ ...ids, request: request.id }, 'advice.answer_lost_race');
    const first = await existingAnswer(deps, request);
    return { card: renderCard('adviceRequest', adviceRequestCardData(request, requestView, first ?? null)) };
  }
  if (loaded && moved) {
    try {
      await save(deps, loaded, { ...loaded.record, state: moved.state });
    } catch (err) {
      // The worker moved it on at the same moment (or the store blinked): their next press or "photo decision"
      // applies the stored answer (reconcileAdvice), so nothing is lost.
      deps.logger.warn(
        { ...ids, walkthrough: data.walkId, code: (err as { code?: string }).code ?? 'SAVE_FAILED' },
        'advice.walkthrough_not_moved',
      );
    }
  }
  deps.nudgeDelivery();
  deps.logger.info({ ...ids, request: request.id, decision, moved: !!moved }, 'advice.answered');
  return {
    card: renderCard('adviceRequest', adviceRequestCardData(request, requestView, { decision, by: me.name, at: now })),
  };
}

async function existingAnswer(
  deps: Pick<FeatureDeps, 'store'>,
  request: StoredEntry,
): Promise<{ decision: 'photograph' | 'do_not_photograph'; by: string; at: string } | undefined> {
  const answers = await deps.store.list({
    kind: 'advice_given',
    caseRef: request.caseRef ?? undefined,
    from: new Date(request.createdAt),
    limit: 200,
  });
  const found = answers
    .filter(
      (e) =>
        e.kind === 'advice_given' &&
        e.fields.adviceRequestId === request.id &&
        e.author.aadObjectId !== request.author.aadObjectId,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  if (!found || found.kind !== 'advice_given') return undefined;
  return {
    decision: found.fields.decision,
    by: found.author.name || found.fields.adviserName,
    at: found.fields.givenAt,
  };
}
