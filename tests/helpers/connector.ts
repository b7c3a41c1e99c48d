/**
 * A loopback stand-in for the Teams connector service (the activity's serviceUrl). It records every call the
 * bot makes and answers like the real service, so tests see exactly what a worker or a channel would receive.
 */
import { LoopbackServer } from './loopbackServer';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: any;
  authorization?: string;
  /** The stand-in held this call open and never answered it (the bot's timeout ended it). */
  hung?: boolean;
  /** The status the stand-in answered with. */
  status?: number;
}

/** Answer with a status (after `delayMs`, if given), or `{ hang: true }` to hold the call open without ever answering. */
export type ConnectorReply =
  { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number } | { hang: true };
type Responder = (call: ConnectorCall) => ConnectorReply | undefined;

export class FakeConnector extends LoopbackServer {
  readonly calls: ConnectorCall[] = [];
  private waiters: Array<() => void> = [];
  private nextId = 1;
  /** Optional override: return a response to answer a call differently (e.g. 429, 502). */
  responder?: Responder;
  url = '';

  /** Listens on a free loopback port, or on `port` (to come back where a stopped connector was). */
  async start(port = 0): Promise<this> {
    const listening = await this.listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = undefined;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          body = raw;
        }
        const path = (req.url ?? '').split('?')[0];
        const m = /^\/v3\/conversations\/([^/]+)(?:\/activities(?:\/([^/]+))?)?/.exec(path);
        const call: ConnectorCall = {
          method: req.method ?? 'GET',
          path,
          conversationId: m ? decodeURIComponent(m[1]) : undefined,
          activityId: m?.[2] ? decodeURIComponent(m[2]) : undefined,
          body,
          authorization: req.headers.authorization,
        };
        this.calls.push(call);
        const custom = this.responder?.(call);
        const reply = custom ?? this.defaultReply(call);
        if ('hang' in reply) {
          call.hung = true;
          this.notify();
          return;
        }
        const answer = () => {
          call.status = reply.status;
          res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
          this.notify();
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs);
        else answer();
      });
    }, port);
    this.url = `http://127.0.0.1:${listening}/`;
    return this;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  private defaultReply(call: ConnectorCall): {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    delayMs?: number;
  } {
    if (call.method === 'POST' && call.path === '/v3/conversations') {
      return { status: 201, body: { id: `conv-${this.nextId++}`, activityId: `act-${this.nextId++}` } };
    }
    return { status: 200, body: { id: `act-${this.nextId++}` } };
  }

  /** Activities the bot sent (new messages and replies), in order. */
  get sent(): any[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path.includes('/activities')).map((c) => c.body);
  }

  /** Activities the connector answered with a success (not held open, not refused), in order. */
  get delivered(): any[] {
    return this.calls
      .filter(
        (c) =>
          c.method === 'POST' && c.path.includes('/activities') && !c.hung && c.status !== undefined && c.status < 300,
      )
      .map((c) => c.body);
  }

  /** Waits until at least `count` calls satisfy `predicate` (default: any sent activity). */
  async waitFor(
    count: number,
    predicate: (c: ConnectorCall) => boolean = (c) => c.method === 'POST',
    timeoutMs = 5000,
  ): Promise<ConnectorCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matched = this.calls.filter(predicate);
      if (matched.length >= count) return matched;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${count} connector call(s); saw ${matched.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  reset(): void {
    this.calls.length = 0;
  }
}
