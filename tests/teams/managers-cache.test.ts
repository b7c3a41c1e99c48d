/**
 * The managers directory's cache of roster answers is bounded (issue 14's soak: nothing in memory grows with the
 * number of people who ever pressed a manager's button): expired answers are dropped, and past MANAGER_CACHE_MAX
 * people the oldest go first. A cached answer still saves the roster call.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { createLogger } from '../../src/logger';
import { MANAGER_CACHE_MAX, ManagerDirectory } from '../../src/teams/managers';

const person = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('the managers directory cache', () => {
  let rosterCalls = 0;
  let now = 1_000_000;
  let directory: ManagerDirectory;
  const context = {} as TurnContext;

  beforeEach(() => {
    rosterCalls = 0;
    jest.spyOn(TeamsInfo, 'getTeamMember').mockImplementation(async (_c, _team, id) => {
      rosterCalls++;
      return { id: `29:${id}`, name: 'x', aadObjectId: id } as never;
    });
    directory = new ManagerDirectory({
      configuredIds: [],
      adminIds: [],
      channel: async () => ({ teamId: 'team', channelId: 'channel' }),
      logger: createLogger('silent'),
      cacheMs: 60_000,
      now: () => now,
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('never holds more than MANAGER_CACHE_MAX people, however many press', async () => {
    for (let i = 0; i < MANAGER_CACHE_MAX * 3; i++)
      expect(await directory.basis(context, person(i))).toBe('team_member');
    expect(rosterCalls).toBe(MANAGER_CACHE_MAX * 3);
    expect(directory.cachedCount).toBeLessThanOrEqual(MANAGER_CACHE_MAX);
    // The most recent answers are the ones kept: asking again costs no roster call.
    await directory.basis(context, person(MANAGER_CACHE_MAX * 3 - 1));
    expect(rosterCalls).toBe(MANAGER_CACHE_MAX * 3);
  });

  it('drops expired answers rather than live ones', async () => {
    for (let i = 0; i < MANAGER_CACHE_MAX - 1; i++) await directory.basis(context, person(i));
    now += 61_000; // all of those expired
    await directory.basis(context, person(100_000));
    await directory.basis(context, person(100_001)); // the cache is full: the expired ones go
    expect(directory.cachedCount).toBe(2);
    const calls = rosterCalls;
    await directory.basis(context, person(100_000));
    expect(rosterCalls).toBe(calls); // still cached
    await directory.basis(context, person(0));
    expect(rosterCalls).toBe(calls + 1); // expired: asked again
  });
});
