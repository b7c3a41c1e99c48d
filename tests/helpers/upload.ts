/**
 * A loopback stand-in for the upload session Teams gives a bot when a file consent card is accepted (the
 * uploadUrl in OneDrive): it keeps each PUT's headers and raw bytes, and answers 201 as an upload session does
 * for a file's last range, or holds the call open (`hang`) so the bot's timeout has to end it.
 */
import type http from 'node:http';
import { LoopbackServer } from './loopbackServer';

export interface UploadCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
}

export class FakeUploadSession extends LoopbackServer {
  readonly calls: UploadCall[] = [];
  /** Hold every upload open without answering. */
  hang = false;
  /** Answer with this status instead of 201. */
  status = 201;
  url = '';

  async start(): Promise<this> {
    const port = await this.listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.calls.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          bytes: Buffer.concat(chunks),
        });
        if (this.hang) return;
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'drive-item-1', name: 'uploaded.png' }));
      });
    });
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }
}
