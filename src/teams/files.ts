/**
 * Files for the person in their 1:1 chat, the way Teams does them for bots: a file consent card offers the file
 * (Teams asks where to save it, in the person's OneDrive); on accept Teams sends a `fileConsent/invoke` with an
 * upload session, the bytes go there in one PUT, and a file info card shows the saved file in the chat. Only
 * in a 1:1 chat (the use case's guard sees to that) and only with `supportsFiles` in the manifest.
 *
 * The upload is bounded like every call to the connector (CONNECTOR_TIMEOUT_SECONDS): an upload endpoint that
 * never answers ends the turn with a short message, not a hung invoke. In local mode the upload may only go back
 * to this machine (as the serviceUrl may), so a forged invoke cannot send a record elsewhere; with credentials
 * the invoke is signed by the Bot Framework and the upload must be https.
 */
import type { Attachment } from 'botbuilder';
import { z } from 'zod';
import type { FileOffer } from '../features/turn';
import { isLoopbackUrl } from './activitySchema';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** The offer as Teams' file consent card; the attachment's name is the file's name. */
export function fileConsentAttachment(file: FileOffer): Attachment {
  return {
    contentType: FILE_CONSENT_CARD,
    name: file.name,
    content: {
      description: file.description,
      sizeInBytes: file.sizeInBytes,
      acceptContext: { ...file.context },
      declineContext: { ...file.context },
    },
  };
}

const Context = z.object({ entry: z.string().min(1).max(64) });
const UploadInfo = z.looseObject({
  name: z.string().min(1).max(256),
  uploadUrl: z.string().min(1).max(4096),
  contentUrl: z.string().min(1).max(4096),
  uniqueId: z.string().min(1).max(256),
  fileType: z.string().max(32).optional(),
});

/** The value of a `fileConsent/invoke`, checked: which offer (its context) and, on accept, where to upload. */
export const FileConsentValue = z.discriminatedUnion('action', [
  z.looseObject({ action: z.literal('accept'), context: Context, uploadInfo: UploadInfo }),
  z.looseObject({ action: z.literal('decline'), context: Context }),
]);
export type FileConsent = z.infer<typeof FileConsentValue>;
export type UploadTarget = z.infer<typeof UploadInfo>;

export interface UploadOptions {
  /** The same bound as a connector call (CONNECTOR_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** Local mode: only loopback upload addresses. */
  localMode: boolean;
}

/** Where an upload may go: back to this machine in local mode, https otherwise. */
export function uploadAllowed(url: string, localMode: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (localMode) return isLoopbackUrl(url) && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
  return parsed.protocol === 'https:';
}

export class UploadFailedError extends Error {
  constructor(
    readonly code: 'UPLOAD_NOT_ALLOWED' | 'UPLOAD_TIMEOUT' | 'UPLOAD_REJECTED' | 'UPLOAD_FAILED',
    readonly status?: number,
  ) {
    super(code);
    this.name = 'UploadFailedError';
  }
}

/** PUTs the whole file to the upload session in one request (Content-Range covers every byte). */
export async function uploadFile(url: string, bytes: Buffer, options: UploadOptions): Promise<void> {
  if (!uploadAllowed(url, options.localMode)) throw new UploadFailedError('UPLOAD_NOT_ALLOWED');
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(bytes.length),
        'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}`,
      },
      body: new Uint8Array(bytes),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Read (and drop) the answer within the same bound, so the connection is finished with.
    await res.arrayBuffer();
  } catch (err) {
    const name = (err as Error)?.name;
    throw new UploadFailedError(name === 'TimeoutError' || name === 'AbortError' ? 'UPLOAD_TIMEOUT' : 'UPLOAD_FAILED');
  }
  if (!res.ok) throw new UploadFailedError('UPLOAD_REJECTED', res.status);
}

/** The saved file as Teams shows it in the chat. */
export function fileInfoAttachment(target: UploadTarget, fileType: string): Attachment {
  return {
    contentType: FILE_INFO_CARD,
    contentUrl: target.contentUrl,
    name: target.name,
    content: { uniqueId: target.uniqueId, fileType },
  };
}
