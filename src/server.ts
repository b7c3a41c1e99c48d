/**
 * The HTTP surface: POST /api/messages (Bot Framework activities, JSON only, size-limited, no mapParams) and
 * GET /healthz. No Bot Framework types here: the Teams layer is handed the parsed body and the auth header.
 */
import restify from 'restify';
import type { Logger } from './logger';

export interface HealthReport {
  ok: boolean;
  [part: string]: unknown;
}

export interface ServerDeps {
  logger: Logger;
  maxBodyBytes: number;
  handleActivity: (body: unknown, authHeader: string) => Promise<{ status: number; body?: unknown }>;
  health: () => Promise<HealthReport>;
}

/** How long a client may take to send its body once the headers are in; a trickled body gets 408. */
const BODY_READ_TIMEOUT_MS = 10_000;

/** An answer from the edge itself: a stable code, a plain sentence, and the connection closed when the body was left unread. */
function refuse(res: restify.Response, status: number, error: string, message: string, close = false): void {
  if (res.headersSent) return;
  if (close) res.setHeader('connection', 'close');
  res.send(status, { error, message });
}

/**
 * Reads a JSON body ourselves instead of restify's body parser: restify 11 unpacks gzip with no error listener
 * on its Gunzip (one bad body ends the process) and counts compressed bytes against the limit. Here only
 * identity bodies are read (the encoding check ran in pre), every real byte is counted as it arrives, and the
 * read stops at the limit with 413 or after BODY_READ_TIMEOUT_MS with 408. Parsed with JSON.parse, which makes
 * "__proto__" an ordinary own key; nothing is merged into request params.
 */
function jsonBody(maxBytes: number, logger: Logger): restify.RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const chunks: Buffer[] = [];
    let bytes = 0;
    let finished = false;
    const finish = (err?: { status: number; code: string; message: string }) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      if (err) {
        logger.warn(
          { route: req.getRoute()?.path, method: req.method, status: err.status, code: err.code },
          'http.rejected',
        );
        refuse(res, err.status, err.code, err.message, true);
        // Stop reading: the socket closes once the answer is out.
        req.pause();
        return next(false);
      }
      const raw = Buffer.concat(chunks, bytes).toString('utf8');
      if (raw.trim() === '') {
        (req as { body?: unknown }).body = undefined;
        return next();
      }
      try {
        (req as { body?: unknown }).body = JSON.parse(raw);
      } catch {
        logger.warn(
          { route: req.getRoute()?.path, method: req.method, status: 400, code: 'BAD_JSON' },
          'http.rejected',
        );
        refuse(res, 400, 'BAD_JSON', 'The request body is not valid JSON.');
        return next(false);
      }
      return next();
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes)
        return finish({
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
          message: `The request body is larger than ${maxBytes} bytes.`,
        });
      chunks.push(chunk);
    };
    const timer = setTimeout(
      () => finish({ status: 408, code: 'BODY_TIMEOUT', message: 'The request body took too long to arrive.' }),
      BODY_READ_TIMEOUT_MS,
    );
    timer.unref();
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', (err: NodeJS.ErrnoException) => {
      logger.warn({ code: err?.code ?? 'REQUEST_STREAM_ERROR' }, 'http.request_stream_error');
      finished = true;
      clearTimeout(timer);
      next(false);
    });
    req.once('aborted', () => {
      finished = true;
      clearTimeout(timer);
    });
  };
}

export function createServer(deps: ServerDeps): restify.Server {
  const { logger } = deps;
  const server = restify.createServer({ name: 'keepsafe', handleUncaughtExceptions: false });
  // Node's own guards against slow clients: the headers within 15 s, the whole request within 30 s.
  server.server.headersTimeout = 15_000;
  server.server.requestTimeout = 30_000;
  // A socket error (a client resetting mid-body) is that connection's problem, never the process's.
  server.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    logger.debug({ code: err?.code ?? 'CLIENT_ERROR' }, 'http.client_error');
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  // Before any parsing: the media type, the encoding and the declared length. Each refusal is immediate.
  server.pre((req, res, next) => {
    if (req.method !== 'POST') return next();
    const encoding = String(req.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      logger.warn({ method: req.method, status: 415, code: 'UNSUPPORTED_ENCODING' }, 'http.rejected');
      refuse(res, 415, 'UNSUPPORTED_ENCODING', 'Send the body uncompressed (Content-Encoding: identity).', true);
      return next(false);
    }
    const declared = req.headers['content-length'];
    if (
      declared !== undefined &&
      (!/^\d{1,15}$/.test(String(declared).trim()) || Number(declared) > deps.maxBodyBytes)
    ) {
      logger.warn({ method: req.method, status: 413, code: 'PAYLOAD_TOO_LARGE' }, 'http.rejected');
      refuse(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${deps.maxBodyBytes} bytes.`, true);
      return next(false);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      logger.warn({ method: req.method, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, 'http.rejected');
      refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json.', true);
      return next(false);
    }
    return next();
  });
  server.use(jsonBody(deps.maxBodyBytes, logger));

  server.post('/api/messages', async (req, res) => {
    const header = req.headers.authorization;
    try {
      const result = await deps.handleActivity(req.body, typeof header === 'string' ? header : '');
      if (result.body === undefined) res.send(result.status);
      else res.send(result.status, result.body);
    } catch (err) {
      // handleActivity answers every failure itself; this is the last line, so a bug never leaves a request hanging.
      logger.error(
        { code: (err as { code?: string })?.code ?? 'INTERNAL', err: { type: (err as Error)?.name } },
        'http.handler_failed',
      );
      if (!res.headersSent) res.send(500, { error: 'INTERNAL' });
    }
  });

  server.get('/healthz', async (_req, res) => {
    try {
      const report = await deps.health();
      res.send(report.ok ? 200 : 503, report);
    } catch {
      res.send(503, { ok: false });
    }
  });

  // restify's own errors (bad JSON, body too large, unknown route): answer plainly, log the code only.
  server.on('restifyError', (req, res, err, callback) => {
    logger.warn(
      { route: req.getRoute()?.path, method: req.method, status: err.statusCode, code: err.code ?? err.name },
      'http.rejected',
    );
    err.toJSON = () => ({
      error: err.code ?? err.name,
      message: err.statusCode === 400 ? 'The request body is not valid JSON.' : err.message,
    });
    return callback();
  });

  return server;
}

export function listen(server: restify.Server, port: number, host: string): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const address = server.address() as { port: number };
      resolve({ url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`, port: address.port });
    });
  });
}

/**
 * Stops accepting at once, lets requests in flight finish for up to `deadlineMs`, then closes every connection
 * that is left (a turn waiting on a connector that never answers). True when everything finished in time.
 */
export async function closeServer(server: restify.Server, deadlineMs = 10_000): Promise<boolean> {
  const http = server.server;
  const closed = new Promise<true>((resolve) => server.close(() => resolve(true)));
  http.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const inTime = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (!inTime) {
    http.closeAllConnections();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 1000).unref())]);
  }
  return inTime;
}

/** Error codes a single request's stream can raise (zlib, sockets, Node's stream and HTTP layers). */
const STREAM_ERROR =
  /^(Z_|ERR_STREAM_|ERR_HTTP_|HPE_|ECONNRESET$|EPIPE$|ECONNABORTED$|ETIMEDOUT$|ERR_ZLIB|ERR_INVALID_CHAR)/;

export function isRequestStreamError(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; stack?: unknown } | undefined;
  if (typeof e?.code === 'string' && STREAM_ERROR.test(e.code)) return true;
  return (
    typeof e?.stack === 'string' &&
    /\bnode:(zlib|_http_|net|internal\/streams)/.test(e.stack) &&
    !/\/src\//.test(e.stack)
  );
}

/**
 * The process-level guard: an error that escapes from one request's stream (a zlib or socket error with no
 * listener) is logged by code and the process carries on serving everyone else. Anything else is a bug in an
 * unknown state: logged, then the process exits 1 for the supervisor to restart it.
 */
export function installProcessGuard(logger: Logger, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const onException = processGuard(logger, exit);
  process.on('uncaughtException', onException);
  return () => process.removeListener('uncaughtException', onException);
}

/** The guard's decision for one uncaught error (exported for tests). */
export function processGuard(logger: Logger, exit: (code: number) => void): (err: unknown) => void {
  return (err: unknown) => {
    const code = (err as { code?: string })?.code ?? (err as Error)?.name ?? 'UNKNOWN';
    if (isRequestStreamError(err)) {
      logger.error({ code, err: { type: (err as Error)?.name } }, 'process.stream_error_survived');
      return;
    }
    logger.fatal(
      { code, err: { type: (err as Error)?.name, stack: (err as Error)?.stack } },
      'process.uncaught_exception',
    );
    exit(1);
  };
}
