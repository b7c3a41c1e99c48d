/**
 * Starts the real KeepSafe app on a free loopback port, with its own data folder and a log captured in memory,
 * for tests that talk to it over HTTP exactly as the Teams channel does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOverrides } from '../../src/app';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';

export interface RunningBot {
  app: App;
  url: string;
  dataDir: string;
  logLines: string[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  postRaw(raw: string, contentType: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startBot(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-bot-'));
  const config = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    CONTENT_DIR: path.resolve(__dirname, '../../content'),
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const app = await createApp(config, createLogger('debug', sink), overrides);
  const { url } = await app.start();
  const send = async (raw: string, headers: Record<string, string>) => {
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body: raw });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  };
  return {
    app,
    url,
    dataDir,
    logLines,
    post: (body, headers = {}) => send(JSON.stringify(body), { 'content-type': 'application/json', ...headers }),
    postRaw: (raw, contentType) => send(raw, { 'content-type': contentType }),
    async stop() {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The Adaptive Card inside a sent activity (or undefined). */
export function cardOf(activity: any): any {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every TextBlock text, fact and action title in a card, flattened to one string for assertions. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.text === 'string' && (node.type === 'TextBlock' || node.type === 'TextRun')) out.push(node.text);
    if (typeof node.title === 'string' && typeof node.type === 'string' && node.type.startsWith('Action.'))
      out.push(node.title);
    if (node.type === 'FactSet') node.facts?.forEach((f: any) => out.push(`${f.title}: ${f.value}`));
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}
