/**
 * With credentials configured, every request must carry a valid Bot Framework token. These tests sign real
 * RS256 tokens and serve the channel's keys from a loopback OpenID endpoint, so botbuilder verifies them
 * exactly as in production. Each test is named after the attack it blocks.
 */
import { PasswordServiceClientCredentialFactory } from 'botframework-connector';
import { FakeConnector } from '../helpers/connector';
import { message, TENANT } from '../helpers/activities';
import { startBot, type RunningBot } from '../helpers/bot';
import { ChannelKeyServer, channelToken, newSigningKey } from '../helpers/channelKeys';

const APP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OTHER_TENANT = '99999999-8888-4777-8666-555555555555';

/** Outbound calls would need an Entra token from the internet; in tests the bot is given a local stand-in. */
class LocalCredentials extends PasswordServiceClientCredentialFactory {
  constructor() {
    super(APP_ID, 'unused', TENANT);
  }
  override async createCredentials(): Promise<any> {
    return { signRequest: async (r: any) => r, getToken: async () => 'local-test-token' };
  }
}

const channelKey = newSigningKey('channel-key-1');
const attackerKey = newSigningKey('attacker-key');
let keys: ChannelKeyServer;
let connector: FakeConnector;
let bot: RunningBot;

beforeAll(async () => {
  keys = await new ChannelKeyServer([channelKey]).start();
  connector = await new FakeConnector().start();
  bot = await startBot(
    {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'test-secret',
      MicrosoftAppTenantId: TENANT,
      BOT_OPENID_METADATA_URL: keys.metadataUrl,
      HOST: '127.0.0.1',
    },
    { credentialsFactory: new LocalCredentials() },
  );
});
afterAll(async () => {
  await bot?.stop();
  await keys?.stop();
  await connector?.stop();
});
beforeEach(() => connector.reset());

const question = (tenantId = TENANT) =>
  message('how do i make my facebook private', { serviceUrl: connector.url, tenantId });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
async function nothingReachedTheBot() {
  await new Promise((r) => setTimeout(r, 150));
  expect(connector.calls).toHaveLength(0);
  expect(bot.logLines.join('\n')).not.toMatch(/"event":"activity.received"[^\n]*"activityId":"ATTACK/);
}

describe('Bot Framework authentication', () => {
  it('accepts a token the channel signed for this bot (control case)', async () => {
    const res = await bot.post(
      question(),
      bearer(channelToken(channelKey, { audience: APP_ID, serviceUrl: connector.url })),
    );
    expect(res.status).toBe(200);
    const [call] = await connector.waitFor(1);
    expect(call.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('rejects a request with no token (401) before any handler runs', async () => {
    const res = await bot.post({ ...question(), id: 'ATTACK-1' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'UNAUTHORIZED' }); // no internal reason on the wire
    await nothingReachedTheBot();
  });

  it("rejects a token signed by a key that is not the channel's", async () => {
    const forged = channelToken(attackerKey, { audience: APP_ID, serviceUrl: connector.url });
    const res = await bot.post({ ...question(), id: 'ATTACK-2' }, bearer(forged));
    expect(res.status).toBe(401);
    await nothingReachedTheBot();
  });

  it("rejects a forged token that borrows the channel key's id", async () => {
    const forged = channelToken(attackerKey, { audience: APP_ID, serviceUrl: connector.url, kid: channelKey.kid });
    const res = await bot.post({ ...question(), id: 'ATTACK-3' }, bearer(forged));
    expect(res.status).toBe(401);
    await nothingReachedTheBot();
  });

  it('rejects a genuine channel token issued for a different bot', async () => {
    const token = channelToken(channelKey, {
      audience: '11111111-2222-4333-8444-555555555555',
      serviceUrl: connector.url,
    });
    const res = await bot.post({ ...question(), id: 'ATTACK-4' }, bearer(token));
    expect(res.status).toBe(401);
    await nothingReachedTheBot();
  });

  it('rejects a token whose serviceUrl claim differs from the activity (reply hijack)', async () => {
    const token = channelToken(channelKey, { audience: APP_ID, serviceUrl: 'http://127.0.0.1:1/evil/' });
    const res = await bot.post({ ...question(), id: 'ATTACK-5' }, bearer(token));
    expect(res.status).toBe(401);
    await nothingReachedTheBot();
  });

  it('rejects an expired token', async () => {
    const token = channelToken(channelKey, { audience: APP_ID, serviceUrl: connector.url, expiresInSec: -3600 });
    const res = await bot.post({ ...question(), id: 'ATTACK-6' }, bearer(token));
    expect(res.status).toBe(401);
  });

  it('drops a signature-valid activity from an unrelated tenant', async () => {
    const token = channelToken(channelKey, { audience: APP_ID, serviceUrl: connector.url });
    const res = await bot.post({ ...question(OTHER_TENANT), id: 'ATTACK-7' }, bearer(token));
    expect(res.status).toBe(200);
    await nothingReachedTheBot();
    const line = bot.logLines.find((l) => l.includes('"activityId":"ATTACK-7"'));
    expect(line).toContain('activity.dropped.tenant_not_allowed');
    expect(line).not.toContain('facebook');
  });
});
