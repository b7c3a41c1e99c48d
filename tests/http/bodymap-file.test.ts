/**
 * The managers' printable body map over HTTP, against the real app, a loopback stand-in for the Teams connector
 * and one for the OneDrive upload session: "body map KS-…" sends a file consent card; accepting it uploads
 * exactly the PNG (signature, size, Content-Range) and then shows a file info card; declining says so; a worker
 * is refused and the refusal audited; an upload endpoint that never answers ends within the connector's timeout
 * with a message and no file card.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { recordReference } from '../../src/core/records/reference';
import type { StoredEntry } from '../../src/storage/types';
import { message, WORKER } from '../helpers/activities';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';
import { FakeConnector } from '../helpers/connector';
import { PRIYA } from '../helpers/managersTeam';
import { FakeUploadSession } from '../helpers/upload';
import { BODY_MAP_FIELDS } from '../fixtures/bodyMapFields';

const CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const INFO = 'application/vnd.microsoft.teams.card.file.info';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const TIMEOUT_SECONDS = 1;

let connector: FakeConnector;
let upload: FakeUploadSession;
let bot: RunningBot;
let map: StoredEntry;
let ref: string;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  upload = await new FakeUploadSession().start();
  bot = await startBot({ MANAGER_AAD_IDS: PRIYA.aadObjectId, CONNECTOR_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) });
  map = await bot.app.store.append({
    kind: 'body_map',
    caseRef: 'LCS-104233',
    author: { aadObjectId: WORKER.aadObjectId, name: WORKER.name },
    fields: BODY_MAP_FIELDS as never,
    guidanceVersion: '1.0',
  });
  ref = recordReference(map.id);
});
afterAll(async () => {
  await bot?.stop();
  await upload?.stop();
  await connector?.stop();
});
beforeEach(() => {
  upload.hang = false;
  upload.status = 201;
});

function audit(action: string): Array<{ actor_id: string; record_id: string | null; detail: string }> {
  const db = new Database(path.join(bot.dataDir, 'keepsafe.sqlite'), { readonly: true });
  try {
    return db
      .prepare('select actor_id, record_id, detail from audit_events where action = ? order by seq')
      .all(action) as never;
  } finally {
    db.close();
  }
}

async function say(text: string, from: typeof WORKER = PRIYA): Promise<any[]> {
  const before = connector.sent.length;
  const res = await bot.post(message(text, { serviceUrl: connector.url, from }));
  expect(res.status).toBe(200);
  return connector.sent.slice(before);
}

/** The invoke Teams sends when the consent card's Allow or Decline is pressed. */
function consentInvoke(
  action: 'accept' | 'decline',
  context: unknown,
  from: typeof WORKER = PRIYA,
  uploadPath = '/upload/session-1',
) {
  const value: Record<string, unknown> = { type: 'fileUpload', action, context };
  if (action === 'accept') {
    value.uploadInfo = {
      contentUrl: 'https://contoso-my.sharepoint.com/personal/priya/Documents/Applications/KeepSafe/body-map.png',
      name: 'body-map-from-onedrive.png',
      uploadUrl: `${upload.url}${uploadPath}`,
      uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
      fileType: 'png',
    };
  }
  return {
    ...message('', { serviceUrl: connector.url, from }),
    type: 'invoke',
    name: 'fileConsent/invoke',
    text: undefined,
    value,
    replyToId: 'consent-card-1',
  };
}

async function offer(): Promise<any> {
  const sent = await say(`body map ${ref}`);
  expect(sent).toHaveLength(1);
  const attachment = sent[0].attachments[0];
  expect(attachment.contentType).toBe(CONSENT);
  return attachment;
}

it('a manager\'s "body map KS-…" sends a file consent card carrying the reference and date only', async () => {
  const attachment = await offer();
  expect(attachment.name).toMatch(new RegExp(`^body-map-${ref}-\\d{4}-\\d{2}-\\d{2}\\.png$`));
  expect(attachment.content).toEqual({
    description: expect.stringMatching(new RegExp(`^Body map ${ref}, recorded `)),
    sizeInBytes: expect.any(Number),
    acceptContext: { entry: ref },
    declineContext: { entry: ref },
  });
  expect(attachment.content.sizeInBytes).toBeGreaterThan(20_000);
  const shown = JSON.stringify(attachment);
  for (const never of [WORKER.name, 'LCS-104233', 'banged']) expect(shown).not.toContain(never);
});

it('accepting uploads exactly the PNG with the right Content-Range, then shows the file in the chat; audited as an export', async () => {
  const attachment = await offer();
  const exportsBefore = audit('export').length;
  const sentBefore = connector.sent.length;
  upload.calls.length = 0;
  const res = await bot.post(consentInvoke('accept', attachment.content.acceptContext));
  expect(res.status).toBe(200);
  expect(upload.calls).toHaveLength(1);
  const put = upload.calls[0];
  expect(put.method).toBe('PUT');
  expect(put.path).toBe('/upload/session-1');
  expect(put.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(put.bytes.readUInt32BE(16)).toBe(1700); // IHDR width: the printable page
  const n = put.bytes.length;
  expect(put.headers['content-length']).toBe(String(n));
  expect(put.headers['content-range']).toBe(`bytes 0-${n - 1}/${n}`);
  // The size offered is the size made (the same entry, drawn the same way) within a few bytes of the printed time.
  expect(Math.abs(n - attachment.content.sizeInBytes)).toBeLessThan(2_000);

  const sent = connector.sent.slice(sentBefore);
  expect(sent).toHaveLength(1);
  expect(sent[0].attachments).toEqual([
    {
      contentType: INFO,
      contentUrl: 'https://contoso-my.sharepoint.com/personal/priya/Documents/Applications/KeepSafe/body-map.png',
      name: 'body-map-from-onedrive.png',
      content: { uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: 'png' },
    },
  ]);
  expect(audit('export').slice(exportsBefore)).toEqual([
    { actor_id: PRIYA.aadObjectId, record_id: map.id, detail: JSON.stringify({ count: 1, format: 'png' }) },
  ]);
  expect(bot.logLines.some((l) => l.includes('"event":"file.uploaded"'))).toBe(true);
});

it('declining says nothing was saved, uploads nothing and exports nothing', async () => {
  const attachment = await offer();
  const before = { sent: connector.sent.length, uploads: upload.calls.length, exports: audit('export').length };
  const res = await bot.post(consentInvoke('decline', attachment.content.declineContext));
  expect(res.status).toBe(200);
  const sent = connector.sent.slice(before.sent);
  expect(sent).toHaveLength(1);
  expect(cardText(cardOf(sent[0]))).toContain(`I haven't saved body map ${ref}`);
  expect(upload.calls.length).toBe(before.uploads);
  expect(audit('export').length).toBe(before.exports);
});

it('a worker is refused (audited), and an accept from them uploads nothing', async () => {
  const refusedBefore = audit('refused').length;
  const sent = await say(`body map ${ref}`, WORKER);
  expect(sent).toHaveLength(1);
  expect(sent[0].attachments[0].contentType).not.toBe(CONSENT);
  expect(cardText(cardOf(sent[0]))).toMatch(/Only managers can print a body map for the case file/);
  const uploadsBefore = upload.calls.length;
  const res = await bot.post(consentInvoke('accept', { entry: ref }, WORKER));
  expect(res.status).toBe(200);
  expect(upload.calls.length).toBe(uploadsBefore);
  const refusals = audit('refused').slice(refusedBefore);
  expect(refusals).toEqual([
    { actor_id: WORKER.aadObjectId, record_id: null, detail: JSON.stringify({ what: 'bodymap.print' }) },
    { actor_id: WORKER.aadObjectId, record_id: null, detail: JSON.stringify({ what: 'bodymap.print' }) },
  ]);
});

it('in a channel, the command says it works in the 1:1 chat', async () => {
  const before = connector.sent.length;
  const activity = message(`body map ${ref}`, {
    serviceUrl: connector.url,
    from: PRIYA,
    conversationId: '19:managers@thread.tacv2',
  });
  const channel = {
    ...activity,
    conversation: { ...activity.conversation, conversationType: 'channel' },
    channelData: { ...activity.channelData, team: { id: '19:team' }, channel: { id: '19:managers@thread.tacv2' } },
  };
  expect((await bot.post(channel)).status).toBe(200);
  const sent = connector.sent.slice(before);
  expect(sent).toHaveLength(1);
  expect(cardText(cardOf(sent[0]))).toMatch(/1:1 chat with KeepSafe/);
});

it('an upload endpoint that never answers ends within the timeout: a message that it was not saved, no file card', async () => {
  const attachment = await offer();
  upload.hang = true;
  const sentBefore = connector.sent.length;
  const started = Date.now();
  const res = await bot.post(consentInvoke('accept', attachment.content.acceptContext, PRIYA, '/upload/hangs'));
  const took = Date.now() - started;
  expect(res.status).toBe(200);
  expect(took).toBeLessThan(TIMEOUT_SECONDS * 1000 + 3000);
  expect(upload.calls.some((c) => c.path === '/upload/hangs')).toBe(true);
  const sent = connector.sent.slice(sentBefore);
  expect(sent).toHaveLength(1);
  expect(sent[0].attachments[0].contentType).not.toBe(INFO);
  expect(cardText(cardOf(sent[0]))).toContain(`Body map ${ref} was not saved`);
  expect(bot.logLines.some((l) => l.includes('"code":"UPLOAD_TIMEOUT"'))).toBe(true);
});

it('an upload the session refuses is not saved either, and an upload address off this machine is never called', async () => {
  const attachment = await offer();
  upload.status = 500;
  let sentBefore = connector.sent.length;
  expect((await bot.post(consentInvoke('accept', attachment.content.acceptContext))).status).toBe(200);
  expect(cardText(cardOf(connector.sent.slice(sentBefore)[0]))).toContain('was not saved');

  const elsewhere = consentInvoke('accept', attachment.content.acceptContext);
  (elsewhere.value as any).uploadInfo.uploadUrl = 'https://upload.example.com/session';
  sentBefore = connector.sent.length;
  expect((await bot.post(elsewhere)).status).toBe(200);
  expect(cardText(cardOf(connector.sent.slice(sentBefore)[0]))).toContain('was not saved');
  expect(bot.logLines.some((l) => l.includes('"code":"UPLOAD_NOT_ALLOWED"'))).toBe(true);
  // Nothing of the record reached a log line.
  expect(bot.logLines.join('\n')).not.toMatch(/Sam Carter|LCS-104233|banged/);
});
