/**
 * What a route is (a command or a card verb, its guards, its handler) and how its guards run. The table of
 * routes is routes.ts. Guards run in this order, before the handler: where (personalOnly, channelOnly), who
 * (signedIn), then managers (managersOnly / managersOrAdmins). Every manager refusal is audited (who, what,
 * which record; never content) and logged as `route.refused`.
 */
import type { FeatureDeps } from './deps';
import { channelOnly, managersOnly, managersOrAdminsOnly, NOTICES, personalOnly, type Notice } from './messages';
import type { Reply, Turn } from './turn';

export interface ManagerGuard<D> {
  /** managers: managers only; managersOrAdmins: KeepSafe administrators too. */
  who: 'managers' | 'managersOrAdmins';
  /** What is refused, to end "Only managers can …" ("see the team's records"). */
  what: string;
  /** Said after the refusal, e.g. what the person can do instead. */
  hint?: string;
  /** The audit's short code for what was attempted ("incident.acknowledge"). */
  audit: string | ((data: D) => string);
  /** The record the attempt was on, for the audit. */
  recordId?: (data: D) => string | null;
  /** A refusal worded for the situation (e.g. first set-up, when nobody could be allowed yet). */
  refusal?: (
    turn: Turn,
    deps: Pick<FeatureDeps, 'managers' | 'store' | 'managersChannelFromConfig'>,
  ) => Promise<Notice | undefined>;
}

export interface Guards<D = unknown> {
  /** Refused in a channel or group chat; `command` is what to type in the 1:1 chat instead. */
  personalOnly?: { command?: string };
  /** Refused anywhere but a team's channel, with this explanation. */
  channelOnly?: string;
  /** Refused without an Entra object id. */
  signedIn?: true;
  managers?: ManagerGuard<D>;
}

export type Handler<D> = (turn: Turn, deps: FeatureDeps, data: D) => Promise<Reply | Reply[]>;

export interface Route<D = unknown> {
  guards?: Guards<D>;
  /** Commands only: a store that cannot be reached gets the one store-unavailable notice. */
  storeUnavailableNotice?: boolean;
  run: Handler<D>;
}

/** A route's refusal, shaped for how the turn came: a notice for a typed command, a short message for a press. */
function refuse(notice: Notice, as: 'command' | 'press'): Reply {
  return as === 'command' ? { kind: 'notice', ...notice } : { kind: 'message', text: notice.message };
}

/** Runs a route's guards; returns the refusal, or undefined when the turn may go on to the handler. */
export async function checkGuards<D>(
  name: string,
  guards: Guards<D> | undefined,
  turn: Turn,
  deps: Pick<FeatureDeps, 'managers' | 'store' | 'logger' | 'managersChannelFromConfig'>,
  data: D,
  as: 'command' | 'press',
): Promise<Reply | undefined> {
  if (!guards) return undefined;
  const refused = (guard: string) => deps.logger.info({ ...turn.log, route: name, guard }, 'route.refused');
  if (guards.personalOnly && !inPrivate(turn)) {
    refused('personalOnly');
    return refuse(personalOnly(guards.personalOnly.command), as);
  }
  if (guards.channelOnly && !turn.channel) {
    refused('channelOnly');
    return refuse(channelOnly(guards.channelOnly), as);
  }
  if (guards.signedIn && !turn.actor) {
    refused('signedIn');
    return refuse(NOTICES.signIn, as);
  }
  const m = guards.managers;
  if (m) {
    const me = turn.actor?.aadObjectId;
    const allowed = (m.who === 'managersOrAdmins' && deps.managers.isAdmin(me)) || (await deps.managers.isManager(me));
    if (!me || !allowed) {
      refused(m.who);
      const what = typeof m.audit === 'function' ? m.audit(data) : m.audit;
      await deps.store
        .auditRefusal({ actorId: me ?? 'unknown', recordId: m.recordId?.(data) ?? null, what })
        .catch((err) => {
          const code = (err as { code?: string }).code ?? 'AUDIT_FAILED';
          deps.logger.warn({ ...turn.log, code }, 'route.refusal_not_audited');
        });
      const special = m.refusal ? await m.refusal(turn, deps) : undefined;
      const worded = m.who === 'managers' ? managersOnly(m.what, m.hint) : managersOrAdminsOnly(m.what);
      return refuse(special ?? worded, as);
    }
  }
  return undefined;
}

/** Not in a channel or group chat: where details may be shown (the personalOnly guard's test). */
export function inPrivate(turn: Turn): boolean {
  return turn.place !== 'channel' && turn.place !== 'group';
}
