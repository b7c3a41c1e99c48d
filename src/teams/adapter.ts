/**
 * The Bot Framework seam. Every botbuilder import in KeepSafe lives under src/teams/, so a later move to the
 * Microsoft 365 Agents SDK touches only this folder.
 */
import {
  type Activity,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  ConfigurationServiceClientCredentialFactory,
  INVOKE_RESPONSE_KEY,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../config';
import { ErrorCodes, errorCodeOf, newErrorReference } from '../errors';
import type { Logger } from '../logger';
import { activityIds } from './ids';
import { checkActivity, isLoopbackUrl } from './activitySchema';

export interface AdapterOptions {
  /** Tests only: stand-in credentials so no token is fetched from the internet. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** Called when a turn fails, after the worker has been told; the error boundary's reply is built here. */
  onTurnFailure?: (context: TurnContext, reference: string) => Promise<void>;
}

/** CloudAdapter with its request step exposed, so our HTTP layer decides what goes back on the wire. */
export class KeepSafeAdapter extends CloudAdapter {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger, options: AdapterOptions = {}): KeepSafeAdapter {
  // Local mode: an empty app id is botbuilder's "authentication disabled" (its app-type checks need an id).
  const authConfig: ConfigurationBotFrameworkAuthenticationOptions = config.localMode
    ? { MicrosoftAppId: '', MicrosoftAppPassword: '' }
    : {
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppPassword: config.bot.appPassword,
        MicrosoftAppType: config.bot.appType,
        MicrosoftAppTenantId: config.bot.tenantId,
      };
  if (config.bot.openIdMetadataUrl) {
    // Overriding one endpoint switches botbuilder to its "parameterised" mode, which needs every endpoint.
    Object.assign(authConfig, {
      ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ValidateAuthority: true,
    });
  }
  // Outbound calls need an Entra token first; MSAL's token request has no timeout of its own, so the credentials
  // are wrapped: a token that does not come within the connector timeout fails that call (TOKEN_TIMEOUT).
  const credentials = withTokenDeadline(
    options.credentialsFactory ?? new ConfigurationServiceClientCredentialFactory(authConfig as never),
    config.connectorTimeoutMs,
  );
  const auth = new ConfigurationBotFrameworkAuthentication(authConfig, credentials);
  // Checking an inbound token may fetch the channel's OpenID metadata and keys (cached afterwards), also
  // without a timeout in botbuilder: bounded the same way, so a hung metadata endpoint answers 503, not never.
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = (activity, authHeader) =>
    withDeadline(
      authenticate(activity, authHeader),
      config.connectorTimeoutMs,
      () => new OutboundTimeoutError('AUTH_TIMEOUT', config.connectorTimeoutMs),
    );
  const adapter = new KeepSafeAdapter(auth);
  // Every call to the Bot Connector (replies in a turn, proactive messages) carries a timeout, so a connector
  // that never answers fails that call instead of holding a turn or the delivery worker for ever. botbuilder
  // replaces any request policies given in its options, so the policy goes on each turn's client here
  // (middleware runs for proactive turns too).
  adapter.use(async (context, next) => {
    withConnectorTimeout(context.turnState.get(adapter.ConnectorClientKey), config.connectorTimeoutMs);
    await next();
  });

  // The error boundary around every turn: a calm message and a reference for the worker, the ids for the log.
  adapter.onTurnError = async (context, error) => {
    const reference = newErrorReference();
    logger.error(
      {
        ...activityIds(context.activity),
        reference,
        code: (error as Error)?.name === 'AbortError' ? 'CONNECTOR_TIMEOUT' : errorCodeOf(error),
        err: { type: (error as Error)?.name, stack: (error as Error)?.stack },
      },
      'turn.failed',
    );
    if (context.activity.type === ActivityTypes.Invoke) {
      // An invoke that failed anywhere in KeepSafe still gets an answer Teams can show (never a bare 501): the
      // invoke error shape, with the reference from the log line above. The card pressed stays as it was.
      try {
        if (!context.turnState.get(INVOKE_RESPONSE_KEY)) {
          await context.sendActivity({
            type: ActivityTypes.InvokeResponse,
            value: { status: 200, body: invokeErrorResponse(reference) },
          });
        }
      } catch (replyError) {
        logger.error(
          { ...activityIds(context.activity), reference, code: errorCodeOf(replyError) },
          'turn.failure_reply_failed',
        );
      }
      return;
    }
    try {
      if (options.onTurnFailure) await options.onTurnFailure(context, reference);
    } catch (replyError) {
      logger.error(
        { ...activityIds(context.activity), reference, code: errorCodeOf(replyError) },
        'turn.failure_reply_failed',
      );
    }
  };
  return adapter;
}

/**
 * The answer to an invoke that failed inside KeepSafe: Universal Actions' error response (HTTP 200, Teams shows
 * the message and keeps the card), quoting the reference that is in the log.
 */
export function invokeErrorResponse(reference: string): {
  statusCode: number;
  type: string;
  value: { code: string; message: string };
} {
  return {
    statusCode: 500,
    type: 'application/vnd.microsoft.error',
    value: { code: 'INTERNAL', message: `${ErrorCodes.INTERNAL} Reference: ${reference}` },
  };
}

type PipelineLike = {
  addPolicy(p: {
    name: string;
    sendRequest(
      req: { timeout?: number; abortSignal?: AbortSignal },
      next: (req: unknown) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
  removePolicy?(o: { name: string }): unknown;
  getOrderedPolicies?(): Array<{ name: string }>;
};

/**
 * Puts a per-request timeout on a connector client's HTTP pipeline (once; `replace` swaps an earlier one, as
 * the delivery worker does for its longer late-answer window). A timed-out call rejects with AbortError.
 * `abortSignal`: also ends the call when it fires (the worker's shutdown ends calls left open for a late answer).
 */
export function withConnectorTimeout(
  client: unknown,
  timeoutMs: number,
  options: { replace?: boolean; abortSignal?: AbortSignal } = {},
): void {
  const pipeline = (client as { client?: { pipeline?: PipelineLike } } | undefined)?.client?.pipeline;
  if (!pipeline) return;
  if (pipeline.getOrderedPolicies?.().some((p) => p.name === 'keepsafe-connector-timeout')) {
    if (!options.replace || !pipeline.removePolicy) return;
    pipeline.removePolicy({ name: 'keepsafe-connector-timeout' });
  }
  pipeline.addPolicy({
    name: 'keepsafe-connector-timeout',
    sendRequest(request, next) {
      request.timeout = request.timeout ? Math.min(request.timeout, timeoutMs) : timeoutMs;
      if (options.abortSignal && !request.abortSignal) request.abortSignal = options.abortSignal;
      return next(request);
    },
  });
}

/** An outbound call made for a turn (a token, the channel's keys) that did not answer in time. */
export class OutboundTimeoutError extends Error {
  override readonly name = 'OutboundTimeoutError';
  constructor(
    readonly code: 'TOKEN_TIMEOUT' | 'AUTH_TIMEOUT',
    ms: number,
  ) {
    super(`${code === 'TOKEN_TIMEOUT' ? 'No token' : 'No OpenID metadata'} within ${ms} ms`);
  }
}

/** Settles as `promise` does, or rejects with `timeoutError()` after `ms`; the timer never keeps the process alive. */
export function withDeadline<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
    timer.unref();
  });
  // A late rejection of the abandoned call must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

type SigningCredentials = {
  signRequest?: (request: unknown) => Promise<unknown>;
  getToken?: (forceRefresh?: boolean) => Promise<string>;
};

/**
 * Credentials whose token acquisition (getToken, and signRequest, which fetches one) gives up after `timeoutMs`
 * with TOKEN_TIMEOUT. Everything else is the wrapped factory's and credentials' own.
 */
export function withTokenDeadline(
  inner: ServiceClientCredentialsFactory,
  timeoutMs: number,
): ServiceClientCredentialsFactory {
  const bound = (credentials: SigningCredentials) =>
    new Proxy(credentials, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if ((property === 'signRequest' || property === 'getToken') && typeof value === 'function') {
          return (...args: unknown[]) =>
            withDeadline(
              Promise.resolve((value as (...a: unknown[]) => Promise<unknown>).apply(target, args)),
              timeoutMs,
              () => new OutboundTimeoutError('TOKEN_TIMEOUT', timeoutMs),
            );
        }
        return value;
      },
    });
  return new (class extends ServiceClientCredentialsFactory {
    isValidAppId(appId: string) {
      return inner.isValidAppId(appId);
    }
    isAuthenticationDisabled() {
      return inner.isAuthenticationDisabled();
    }
    async createCredentials(
      appId: string,
      audience: string | undefined,
      loginEndpoint: string,
      validateAuthority: boolean,
    ) {
      const credentials = await inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
      return credentials ? (bound(credentials as SigningCredentials) as typeof credentials) : credentials;
    }
  })();
}

/** botbuilder reports most auth failures as AuthenticationError, but a bad signature surfaces as jsonwebtoken's own error. */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);
function isAuthFailure(err: unknown): boolean {
  if (err instanceof AuthenticationError) return true;
  const e = err as { statusCode?: number; name?: string } | undefined;
  return e?.statusCode === 401 || (typeof e?.name === 'string' && JWT_ERRORS.has(e.name));
}

export interface HttpResult {
  status: number;
  body?: unknown;
}

/**
 * Handles one POST /api/messages body. Replaces CloudAdapter.process so that bad input gets a 400, auth
 * failures a bare 401 (internal reasons stay in our log, off the wire), and nothing is printed to the console.
 */
export async function processActivityRequest(
  adapter: KeepSafeAdapter,
  logger: Logger,
  body: unknown,
  authHeader: string,
  logic: (context: TurnContext) => Promise<void>,
  edge: { localMode: boolean } = { localMode: false },
): Promise<HttpResult> {
  const checked = checkActivity(body);
  if (!checked.ok) {
    const b = body as Partial<Activity> | undefined;
    logger.warn(
      {
        code: checked.code,
        problems: checked.problems,
        activityType: typeof b?.type === 'string' ? b.type.slice(0, 64) : undefined,
      },
      'request.invalid',
    );
    return {
      status: 400,
      body: { error: checked.code, message: 'The request is not a valid Bot Framework activity.' },
    };
  }
  const activity = checked.activity as unknown as Partial<Activity>;
  // Local mode has no token to vouch for the serviceUrl: replies (and stored conversation references) may only
  // point back at this machine, so a forged activity cannot make the bot post elsewhere or redirect anyone's
  // later notifications. With credentials botbuilder checks the token's serviceUrl claim instead.
  if (edge.localMode && !isLoopbackUrl(activity.serviceUrl as string)) {
    logger.warn({ ...activityIds(activity), code: 'SERVICE_URL_NOT_LOOPBACK' }, 'request.dropped.service_url');
    return {
      status: 403,
      body: { error: 'SERVICE_URL_NOT_ALLOWED', message: 'In local mode only loopback serviceUrls are accepted.' },
    };
  }
  try {
    const invokeResponse = await adapter.handle(authHeader, activity as Activity, logic);
    return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
  } catch (err) {
    if (err instanceof OutboundTimeoutError && err.code === 'AUTH_TIMEOUT') {
      // The channel's keys could not be fetched in time: the request cannot be checked now; Teams retries.
      logger.warn({ ...activityIds(activity), code: err.code }, 'request.auth_unavailable');
      return {
        status: 503,
        body: { error: 'AUTH_UNAVAILABLE', message: 'The request could not be authenticated just now.' },
      };
    }
    if (isAuthFailure(err)) {
      logger.warn({ ...activityIds(activity), reason: (err as Error).message }, 'request.unauthorized');
      return { status: 401, body: { error: 'UNAUTHORIZED' } };
    }
    const reference = newErrorReference();
    logger.error(
      {
        ...activityIds(activity),
        reference,
        code: errorCodeOf(err),
        err: { type: (err as Error)?.name, stack: (err as Error)?.stack },
      },
      'request.failed',
    );
    return { status: 500, body: { error: 'INTERNAL', reference } };
  }
}
