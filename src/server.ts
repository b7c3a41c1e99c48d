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

export function createServer(deps: ServerDeps): restify.Server {
  const { logger } = deps;
  const server = restify.createServer({ name: 'keepsafe', handleUncaughtExceptions: false });

  server.pre((req, res, next) => {
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        res.send(415, { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send application/json.' });
        return next(false);
      }
    }
    return next();
  });
  // JSON only, no mapParams (the body is never merged into route params), and a hard size limit.
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, overrideParams: false, maxBodySize: deps.maxBodyBytes } as restify.plugins.JsonBodyParserOptions));

  server.post('/api/messages', async (req, res) => {
    const header = req.headers.authorization;
    const result = await deps.handleActivity(req.body, typeof header === 'string' ? header : '');
    if (result.body === undefined) res.send(result.status);
    else res.send(result.status, result.body);
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
    logger.warn({ route: req.getRoute()?.path, method: req.method, status: err.statusCode, code: err.code ?? err.name }, 'http.rejected');
    err.toJSON = () => ({ error: err.code ?? err.name, message: err.statusCode === 400 ? 'The request body is not valid JSON.' : err.message });
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

export function closeServer(server: restify.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
