/**
 * Who counts as a manager: a configured AAD object id (MANAGER_AAD_IDS), or a member of the managers' team
 * (the team whose channel is the managers' channel), checked against the Teams roster. Answers are cached
 * briefly so a busy channel does not call the roster on every button press; a roster that cannot be read
 * counts as "not a manager" (fail closed) and is not cached.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Managers } from '../features/deps';
import type { Logger } from '../logger';

export interface ManagersChannel {
  teamId: string;
  channelId: string;
}

export interface ManagerDirectoryOptions {
  configuredIds: readonly string[];
  adminIds: readonly string[];
  /** Where the managers' channel is (configuration first, else what a manager set from Teams). */
  channel: () => Promise<ManagersChannel | undefined>;
  logger: Logger;
  cacheMs?: number;
  now?: () => number;
}

export type ManagerBasis = 'configured' | 'team_member' | 'none';

/** Most people whose answer is cached at once: expired answers go first, then the oldest. */
export const MANAGER_CACHE_MAX = 1000;

export class ManagerDirectory {
  private readonly cache = new Map<string, { basis: ManagerBasis; until: number }>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ManagerDirectoryOptions) {
    this.cacheMs = options.cacheMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  isConfiguredManager(aadObjectId: string | undefined): boolean {
    return Boolean(aadObjectId) && this.options.configuredIds.includes(aadObjectId!.toLowerCase());
  }

  /** Neither MANAGER_AAD_IDS nor ADMIN_AAD_IDS is set: nobody can choose the managers' channel from Teams yet. */
  nobodyConfigured(): boolean {
    return this.options.configuredIds.length === 0 && this.options.adminIds.length === 0;
  }

  isAdmin(aadObjectId: string | undefined): boolean {
    return Boolean(aadObjectId) && this.options.adminIds.includes(aadObjectId!.toLowerCase());
  }

  /** Why this person is a manager, or 'none'. Uses the turn's connector for the roster look-up. */
  async basis(context: TurnContext, aadObjectId: string | undefined): Promise<ManagerBasis> {
    if (!aadObjectId) return 'none';
    if (this.isConfiguredManager(aadObjectId)) return 'configured';
    const key = aadObjectId.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.basis;
    if (hit) this.cache.delete(key);
    const channel = await this.options.channel();
    if (!channel) return 'none';
    const member = await this.inTeam(context, channel.teamId, aadObjectId);
    if (member === undefined) return 'none';
    const basis: ManagerBasis = member ? 'team_member' : 'none';
    this.remember(key, basis);
    return basis;
  }

  async isManager(context: TurnContext, aadObjectId: string | undefined): Promise<boolean> {
    return (await this.basis(context, aadObjectId)) !== 'none';
  }

  /** Caches an answer; the cache never holds more than MANAGER_CACHE_MAX people (everyone who ever pressed). */
  private remember(key: string, basis: ManagerBasis): void {
    const now = this.now();
    if (this.cache.size >= MANAGER_CACHE_MAX) {
      for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
      // Still full of live answers: drop the oldest (a Map keeps insertion order).
      while (this.cache.size >= MANAGER_CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, { basis, until: now + this.cacheMs });
  }

  /** Number of people whose answer is cached (for tests). */
  get cachedCount(): number {
    return this.cache.size;
  }

  /** Forget cached answers (after the managers' channel changes). */
  clear(): void {
    this.cache.clear();
  }

  /** The directory as the use cases see it, bound to this turn (whose connector reads the roster). */
  forTurn(context: TurnContext): Managers {
    return {
      isManager: (aadObjectId) => this.isManager(context, aadObjectId),
      isAdmin: (aadObjectId) => this.isAdmin(aadObjectId),
      nobodyConfigured: () => this.nobodyConfigured(),
      clear: () => this.clear(),
    };
  }

  /** true/false from the roster; undefined when the roster could not be read. */
  private async inTeam(context: TurnContext, teamId: string, aadObjectId: string): Promise<boolean | undefined> {
    try {
      const member = await TeamsInfo.getTeamMember(context, teamId, aadObjectId);
      return Boolean(member) && (member.aadObjectId ?? '').toLowerCase() === aadObjectId.toLowerCase();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404) return false;
      this.options.logger.warn({ status, code: (err as { code?: string }).code }, 'managers.roster_unavailable');
      return undefined;
    }
  }
}
