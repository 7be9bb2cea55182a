/** An export delivered the way Teams lets bots send files: a FileConsentCard in the personal chat, the upload on accept. */
import { randomUUID } from 'node:crypto';
import { ActivityTypes, type Activity, type Attachment as BfAttachment, type FileConsentCardResponse, type TurnContext } from 'botbuilder';
import type { Attachment } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import type { Lang } from '../../src/domain/types.js';
import { attachmentBytes, type PendingFiles } from '../../src/ports/chat.js';
import type { Logger } from '../../src/ports/logger.js';
import { conversationKind, tenantOf } from './inbound.js';

/** How long an offered file waits for its accept: a working day and a night. */
export const PENDING_FILE_TTL_SECONDS = 36 * 3600;

/** The content types Teams documents for the file consent flow. */
export const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/** A FileConsentCard: Teams shows Accept / Decline and, on accept, makes an upload session in the person's OneDrive. */
export function consentAttachment(file: Attachment, id: string, description: string): BfAttachment {
  return {
    contentType: FILE_CONSENT,
    name: file.filename,
    content: {
      description,
      sizeInBytes: attachmentBytes(file).length,
      acceptContext: { fileId: id },
      declineContext: { fileId: id },
    },
  };
}

/** Where Teams lets the bot put the accepted file: the OneDrive upload session and the file it becomes. */
export type UploadInfo = NonNullable<FileConsentCardResponse['uploadInfo']>;

/** The file card that shows the uploaded file in the chat. */
export function fileInfoAttachment(info: UploadInfo): BfAttachment {
  return {
    contentType: FILE_INFO,
    contentUrl: info.contentUrl,
    name: info.name,
    content: { uniqueId: info.uniqueId, fileType: info.fileType },
  };
}

/** PUTs the whole file to the OneDrive upload session in one range, as the Teams bot file guide shows. */
export async function putToUploadUrl(uploadUrl: string, bytes: Buffer, timeoutMs = 30_000): Promise<void> {
  const res = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-length': String(bytes.length), 'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
    body: new Uint8Array(bytes),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`the upload to OneDrive answered HTTP ${res.status}`);
}

/** What the file consent flow needs from the adapter. */
export interface FileConsentDeps {
  files: PendingFiles;
  log: Pick<Logger, 'warn' | 'error'>;
  /** Sends a message to a person's personal chat with the bot (the existing one, or a new one). */
  sendPersonal(tenant: string, userId: string, message: Partial<Activity>): Promise<void>;
  /** Sends a sentence as a card in the turn's conversation. */
  say(context: TurnContext, tenant: string, text: string, lang: Lang): Promise<void>;
  /** The language of the person who sent the turn's activity. */
  langOf(context: TurnContext, tenant: string): Promise<Lang>;
}

/** The offer, accept and decline steps of the flow. */
export function fileConsent(deps: FileConsentDeps) {
  const idOf = (r: FileConsentCardResponse): string => {
    const id = (r.context as { fileId?: unknown } | undefined)?.fileId;
    return typeof id === 'string' ? id : '';
  };

  return {
    /**
     * Offers an export's file to the person who asked. In their personal chat the consent card comes as the
     * reply; from a channel or group chat it goes to their personal chat and the reply says so, or says what
     * to do when that chat cannot be reached.
     */
    async offer(context: TurnContext, tenant: string, userId: string, file: Attachment, lang: Lang): Promise<void> {
      const t = catalog(lang).exportDoc;
      const id = randomUUID();
      await deps.files.put(tenant, id, file, PENDING_FILE_TTL_SECONDS);
      const message: Partial<Activity> = {
        type: ActivityTypes.Message,
        attachments: [consentAttachment(file, id, t.consent({ file: file.filename }))],
      };
      if (conversationKind(context.activity) === 'personal') {
        await context.sendActivity(message);
        return;
      }
      try {
        await deps.sendPersonal(tenant, userId, message);
        await deps.say(context, tenant, t.sentPersonally({ file: file.filename }), lang);
      } catch (err) {
        deps.log.warn({ err, tenant }, 'teams: could not offer a file in the personal chat');
        await deps.files.take(tenant, id);
        await deps.say(context, tenant, t.needPersonal({ file: file.filename }), lang);
      }
    },

    /** Accepted: the kept bytes go to the upload URL Teams gave, then the file card is shown. Once, even if accepted twice. */
    async accept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
      const tenant = tenantOf(context.activity) ?? '';
      const lang = await deps.langOf(context, tenant);
      const t = catalog(lang).exportDoc;
      const file = await deps.files.take(tenant, idOf(response));
      if (!file) {
        await deps.say(context, tenant, t.expired, lang);
        return;
      }
      const info = response.uploadInfo;
      try {
        if (!info?.uploadUrl) throw new Error('the accept carried no upload URL');
        await putToUploadUrl(info.uploadUrl, attachmentBytes(file));
      } catch (err) {
        deps.log.error({ err, tenant }, 'teams: file upload failed');
        await deps.say(context, tenant, t.uploadFailed({ file: file.filename }), lang);
        return;
      }
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [fileInfoAttachment(info)] });
    },

    /** Declined: the kept file is dropped and the person is told nothing was saved. */
    async decline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
      const tenant = tenantOf(context.activity) ?? '';
      const lang = await deps.langOf(context, tenant);
      const file = await deps.files.take(tenant, idOf(response));
      const name = file?.filename ?? (response.context as { filename?: string } | undefined)?.filename ?? '';
      await deps.say(context, tenant, file ? catalog(lang).exportDoc.declined({ file: name }) : catalog(lang).exportDoc.expired, lang);
    },
  };
}
