/**
 * Every outbound call a turn makes is bounded by CONNECTOR_TIMEOUT_SECONDS, not only the connector call: the
 * Entra token fetched before it, and the channel's OpenID metadata fetched to check an inbound token.
 *
 * MSAL only accepts an https authority, so its token endpoint cannot be pointed at a loopback stand-in. The
 * bot is given credentials built on botbuilder's own AppCredentials (its token cache, signRequest and
 * getToken), whose token request goes to a loopback endpoint that accepts the connection and never answers,
 * as a hung login endpoint would. What is tested is KeepSafe's deadline around them.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppCredentials, PasswordServiceClientCredentialFactory } from 'botframework-connector';
import { FakeConnector } from '../helpers/connector';
import { execute, message, TENANT } from '../helpers/activities';
import { startBot, type RunningBot } from '../helpers/bot';
import { ChannelKeyServer, channelToken, newSigningKey } from '../helpers/channelKeys';
import { OutboundTimeoutError, withDeadline, withTokenDeadline } from '../../src/teams/adapter';
import { classify } from '../../src/teams/delivery';

const APP_ID = '1b2c3d4e-5f60-4a6b-8c7d-9e0f1a2b3c4d';

/** A loopback endpoint that takes every request and never answers it. */
class SilentEndpoint {
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  requests = 0;
  url = '';
  async start(): Promise<this> {
    this.server = http.createServer(() => {
      this.requests++;
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }
  async stop(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** botbuilder's AppCredentials with its token request sent to `tokenUrl` (with no timeout, as MSAL's has none). */
class StandInCredentials extends AppCredentials {
  constructor(private readonly tokenUrl: string) {
    super(APP_ID, TENANT, 'https://api.botframework.com');
  }
  protected async refreshToken() {
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + body.expires_in * 1000) };
  }
}

class StandInFactory extends PasswordServiceClientCredentialFactory {
  constructor(private readonly tokenUrl: string) {
    super(APP_ID, 'unused', TENANT);
  }
  override async createCredentials(): Promise<any> {
    return new StandInCredentials(this.tokenUrl);
  }
}

const channelKey = newSigningKey('channel-key-timeouts');
const bearer = (serviceUrl: string) => ({
  authorization: `Bearer ${channelToken(channelKey, { audience: APP_ID, serviceUrl })}`,
});
const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = Date.now();
  const r = await f();
  return [r, Date.now() - t];
};

describe('a token endpoint that never answers', () => {
  let tokens: SilentEndpoint;
  let keys: ChannelKeyServer;
  let connector: FakeConnector;
  let bot: RunningBot;
  beforeAll(async () => {
    tokens = await new SilentEndpoint().start();
    keys = await new ChannelKeyServer([channelKey]).start();
    connector = await new FakeConnector().start();
    bot = await startBot(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'test-secret',
        MicrosoftAppTenantId: TENANT,
        BOT_OPENID_METADATA_URL: keys.metadataUrl,
        HOST: '127.0.0.1',
        CONNECTOR_TIMEOUT_SECONDS: '0.5',
      },
      { credentialsFactory: new StandInFactory(`${tokens.url}/oauth2/v2.0/token`) },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await tokens?.stop();
    await keys?.stop();
    await connector?.stop();
  });

  it('fails a chat turn cleanly: answered, logged as TOKEN_TIMEOUT, nothing half-sent', async () => {
    const before = tokens.requests;
    const [res, ms] = await timed(() =>
      bot.post(
        message('how do i make my facebook private', { serviceUrl: connector.url, tenantId: TENANT }),
        bearer(connector.url),
      ),
    );
    // The turn's reply and then its error card each waited for a token for at most the 0.5 s deadline.
    expect(res.status).toBeLessThan(500);
    expect(ms).toBeLessThan(8000);
    expect(tokens.requests).toBeGreaterThan(before); // the wait really was the token request
    expect(connector.calls).toHaveLength(0); // no token, no call
    const failed = bot.logLines.filter((l) => l.includes('"turn.failed"'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.at(-1)).toContain('"code":"TOKEN_TIMEOUT"');
  });

  it('keeps answering other turns while token requests hang', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        bot.post(
          execute(
            'walkthrough',
            { step: 'start' },
            { serviceUrl: connector.url, tenantId: TENANT, replyToId: `card-t-${i}` },
          ),
          bearer(connector.url),
        ),
      ),
    );
    for (const r of results) expect(r.status).toBeLessThan(500);
  });
});

describe('OpenID metadata that never comes', () => {
  let silent: SilentEndpoint;
  let connector: FakeConnector;
  let bot: RunningBot;
  beforeAll(async () => {
    silent = await new SilentEndpoint().start();
    connector = await new FakeConnector().start();
    bot = await startBot(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'test-secret',
        MicrosoftAppTenantId: TENANT,
        BOT_OPENID_METADATA_URL: `${silent.url}/v1/.well-known/openidconfiguration`,
        HOST: '127.0.0.1',
        CONNECTOR_TIMEOUT_SECONDS: '0.5',
      },
      { credentialsFactory: new StandInFactory(`${silent.url}/token`) },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await silent?.stop();
    await connector?.stop();
  });

  it('answers 503 AUTH_UNAVAILABLE instead of holding the request, and runs no turn', async () => {
    const [res, ms] = await timed(() =>
      bot.post(message('hello', { serviceUrl: connector.url, tenantId: TENANT }), bearer(connector.url)),
    );
    expect(res.status).toBe(503);
    expect(res.body).toEqual(expect.objectContaining({ error: 'AUTH_UNAVAILABLE' }));
    expect(ms).toBeLessThan(8000);
    expect(silent.requests).toBeGreaterThan(0);
    expect(bot.logLines.join('\n')).not.toContain('"activity.received"');
    expect(connector.calls).toHaveLength(0);
  });
});

describe('the deadline helpers', () => {
  it('withTokenDeadline bounds getToken and signRequest and passes the rest through', async () => {
    const never = new Promise<never>(() => undefined);
    const inner = new (class extends PasswordServiceClientCredentialFactory {
      override async createCredentials(): Promise<any> {
        return { appId: APP_ID, signRequest: () => never, getToken: () => never, oAuthScope: 'scope' };
      }
    })(APP_ID, 'x', TENANT);
    const factory = withTokenDeadline(inner, 50);
    expect(await factory.isValidAppId(APP_ID)).toBe(true);
    expect(await factory.isValidAppId('other')).toBe(false);
    const credentials: any = await factory.createCredentials(
      APP_ID,
      undefined,
      'https://login.microsoftonline.com',
      true,
    );
    expect(credentials.appId).toBe(APP_ID);
    expect(credentials.oAuthScope).toBe('scope');
    await expect(credentials.getToken()).rejects.toMatchObject({ code: 'TOKEN_TIMEOUT' });
    await expect(credentials.signRequest({})).rejects.toBeInstanceOf(OutboundTimeoutError);
  });

  it('withDeadline settles with the call when it is in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('own')), 1000, () => new Error('late'))).rejects.toThrow('own');
  });

  it('a token timeout in the delivery worker is a failed attempt to retry with backoff', () => {
    expect(classify(new OutboundTimeoutError('TOKEN_TIMEOUT', 5000))).toMatchObject({
      code: 'TOKEN_TIMEOUT',
      retryable: true,
      unreachable: false,
    });
  });
});
