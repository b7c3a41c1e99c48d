/**
 * What the HTTP stand-ins for Teams' services share (the connector in connector.ts, the upload session in
 * upload.ts): listening on a loopback port, and stopping without waiting for kept-alive connections.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class LoopbackServer {
  private server?: http.Server;

  /** Listens on 127.0.0.1 at `port` (0: any free port) with this handler; returns the port. */
  protected async listen(handler: http.RequestListener, port = 0): Promise<number> {
    const server = http.createServer(handler);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Stops listening and ends every connection; stopping twice (or before starting) does nothing. */
  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // kept-alive connections would otherwise hold close() open
    });
  }
}
