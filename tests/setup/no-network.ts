/**
 * Tests never touch the internet: any socket to a host that is not loopback fails loudly.
 * Loaded by jest before every test file (see jest.config.js, setupFiles).
 */
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (first && typeof first === 'object') {
    const opts = first as { host?: string; path?: string };
    if (opts.path) return 'localhost'; // unix socket (e.g. PostgreSQL's socket)
    return opts.host ?? 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? (args[1] as string) : 'localhost';
  if (typeof first === 'string') return 'localhost'; // unix socket path
  return undefined;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const normalised = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const host = hostOf(normalised);
  if (host !== undefined && !LOOPBACK.has(host)) {
    throw new Error(`Network access to ${host} is banned in tests (loopback only)`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
