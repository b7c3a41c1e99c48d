/**
 * Raw HTTP for edge tests: any headers (a false Content-Length, Content-Encoding), a body sent in pieces or
 * trickled, and an answer awaited with a deadline — fetch cannot do these.
 */
import http from 'node:http';

export interface RawAnswer {
  status: number;
  body: any;
  ms: number;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  /** The body, sent at once; or pieces written one after another. */
  body?: string | Buffer | Array<string | Buffer>;
  /** Leave the request open after writing the body (a client that never finishes). */
  keepOpen?: boolean;
  timeoutMs?: number;
}

/** Sends one request; rejects when no answer comes within `timeoutMs` (default 10 s). */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawAnswer> {
  const started = Date.now();
  const url = new URL(req.path ?? '/api/messages', baseUrl);
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method: req.method ?? 'POST', headers: req.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started });
        r.destroy();
      });
      res.on('error', () => undefined);
    });
    const timer = setTimeout(() => {
      r.destroy();
      reject(new Error(`no answer within ${req.timeoutMs ?? 10_000} ms`));
    }, req.timeoutMs ?? 10_000);
    // The server may answer and close before the whole body is written (413 at once): that is not a failure here.
    r.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') {
        clearTimeout(timer);
        reject(err);
      }
    });
    const pieces = req.body === undefined ? [] : Array.isArray(req.body) ? req.body : [req.body];
    for (const p of pieces) r.write(p);
    if (!req.keepOpen) r.end();
  });
}
