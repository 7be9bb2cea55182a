/** Sends a neutral reply back to Slack the right way: ephemeral, in channel, or replacing the clicked message. */
import type { types, webApi } from '@slack/bolt';
import type { Attachment, Reply } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import type { Lang } from '../../src/domain/types.js';
import { attachmentBytes } from '../../src/ports/chat.js';
import type { Logger } from '../../src/ports/logger.js';
import type { SubjectCopies } from './copies.js';
import type { SlackPeople } from './people.js';
import { renderBlockKit } from './render-block-kit.js';
import { slackFetch } from './slack-http.js';

type KnownBlock = types.KnownBlock;

/** Where an inbound came from, so its reply goes back the same way. */
export interface Origin {
  /** `dm`: a message typed in the person's direct messages with the bot. */
  kind: 'command' | 'click' | 'submit' | 'mention' | 'dm';
  /** The workspace (for the names of the people a card shows). */
  tenant: string;
  channel: string;
  user: string;
  /** The person's direct messages with the bot: a private answer there is an ordinary message. */
  direct?: boolean;
  /** The clicked message (clicks and modal submissions). */
  ts?: string;
  ephemeral?: boolean;
  responseUrl?: string;
  threadTs?: string;
}

/** How often and how patiently to retry a response_url post. */
export interface ResponseUrlOptions {
  attempts: number;
  /** First backoff after a 5xx or network error, in ms; doubles each time. A 429 waits its Retry-After instead. */
  backoffMs: number;
  timeoutMs: number;
}

/** A response_url accepts at most five posts. */
const RESPONSE_URL_USES = 5;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Posts to a response_url, waiting out 429 Retry-After and retrying 5xx/network errors; true when Slack took it. */
export async function postResponseUrl(url: string, body: object, o: ResponseUrlOptions, log: Logger): Promise<boolean> {
  let backoff = o.backoffMs;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      const res = await slackFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      const status = res.status;
      const text = await res.text();
      if (res.ok) return true;
      if (status === 429) {
        const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
        log.warn({ url: redact(url), retryAfter }, 'slack response_url rate limited; waiting Retry-After');
        await wait(Number.isFinite(retryAfter) ? retryAfter * 1000 : backoff);
        continue;
      }
      if (status < 500) {
        log.warn({ url: redact(url), status, body: text.slice(0, 200) }, 'slack response_url refused the reply');
        return false;
      }
    } catch (e) {
      log.warn({ url: redact(url), err: e }, 'slack response_url post failed');
    }
    if (attempt < o.attempts) await wait(backoff);
    backoff *= 2;
  }
  return false;
}

function redact(url: string): string {
  return url.replace(/\/[^/]+$/, '/…');
}

function errorCode(e: unknown): string {
  const data = (e as { data?: { error?: string } }).data;
  return data?.error ?? (e instanceof Error ? e.message : String(e));
}

/** Turns neutral replies into Web API calls or response_url posts for one origin. */
export class Delivery {
  constructor(
    private readonly log: Logger,
    private readonly responseUrl: ResponseUrlOptions,
    private readonly people: SlackPeople,
    private readonly copies?: SubjectCopies,
  ) {}

  /**
   * Renders every card of the reply in the language it says and sends it. A reply that replaces the pressed message
   * (a sign-off answered, the next page of a list) replaces it with one message: in place with chat.update, or for
   * an ephemeral one through its response_url. In a message others see, only the people a card notifies are
   * mentions; the others are shown by name.
   */
  async deliver(client: webApi.WebClient, reply: Reply, origin: Origin): Promise<void> {
    const { lang } = reply;
    const uses = { n: 0 };
    const personal = reply.visibility === 'private';
    let first = true;
    // An answer for everyone to a press on a message only the presser sees (a decision from the private `decide`
    // card) is posted to the channel; the private message, whose work is done, goes away.
    const publicFromPrivate = reply.replaceOriginal === true && !personal && origin.ephemeral === true;
    for (const card of reply.cards) {
      const replacing = reply.replaceOriginal === true && !publicFromPrivate && first && Boolean(origin.ts || origin.responseUrl);
      first = false;
      // An answer to a subject (a sign-off request) brings its other copies up to date; one already in this channel
      // is the channel's message about it, so the answer is not posted again beside it.
      const copies = !personal && card.subject ? this.copies : undefined;
      const pressed = replacing && !origin.ephemeral && origin.ts ? `${origin.channel}:${origin.ts}` : undefined;
      const updated = copies ? await copies.refresh(client, origin.tenant, card, origin.user, pressed) : undefined;
      if (!replacing && updated?.has(origin.channel)) continue;
      const names = personal ? {} : await this.people.namesFor(client, origin.tenant, card);
      const viewer = origin.direct ? origin.user : undefined;
      const { pages, text } = renderBlockKit(card, lang, {
        mentions: personal ? 'all' : 'notify',
        names,
        single: replacing,
        ...(viewer ? { viewer } : {}),
      });
      for (const blocks of pages) {
        if (replacing) {
          if ((await this.replace(client, origin, blocks, text, uses, personal)) && origin.ts)
            await copies?.remember(origin.tenant, card, origin.channel, origin.ts, viewer);
        } else if (personal) await this.privately(client, origin, blocks, text, uses);
        else {
          const ts = await this.inChannel(client, origin, blocks, text, uses);
          if (ts) await copies?.remember(origin.tenant, card, origin.channel, ts, viewer);
        }
      }
    }
    if (publicFromPrivate) await this.respond(origin, { delete_original: true }, uses);
    if (reply.attachment) await this.attach(client, reply.attachment, reply.visibility === 'private', origin, lang, uses);
  }

  /**
   * Uploads an export with files.uploadV2 (getUploadURLExternal, the bytes to upload_url, completeUploadExternal):
   * a private reply's file to the asker's direct messages, a channel reply's to the channel. If Slack refuses,
   * the asker is told privately, in their language, what to do.
   */
  private async attach(
    client: webApi.WebClient,
    file: Attachment,
    personal: boolean,
    origin: Origin,
    lang: Lang,
    uses: { n: number },
  ): Promise<void> {
    try {
      const channel = personal ? (await client.conversations.open({ users: origin.user })).channel?.id : origin.channel;
      if (!channel) throw new Error('conversations.open gave no channel');
      const upload = { channel_id: channel, file: attachmentBytes(file), filename: file.filename, title: file.filename };
      await client.filesUploadV2(!personal && origin.threadTs ? { ...upload, thread_ts: origin.threadTs } : upload);
    } catch (e) {
      this.log.warn({ channel: origin.channel, file: file.filename, error: errorCode(e) }, 'slack file upload failed');
      const { pages, text } = renderBlockKit(
        { blocks: [{ type: 'text', text: catalog(lang).exportDoc.uploadFailed({ file: file.filename }) }] },
        lang,
        { mentions: 'all' },
      );
      for (const blocks of pages) await this.privately(client, origin, blocks, text, uses);
    }
  }

  private async respond(origin: Origin, body: Record<string, unknown>, uses: { n: number }): Promise<boolean> {
    if (!origin.responseUrl || uses.n >= RESPONSE_URL_USES) return false;
    uses.n++;
    return postResponseUrl(origin.responseUrl, body, this.responseUrl, this.log);
  }

  private async privately(
    client: webApi.WebClient,
    origin: Origin,
    blocks: KnownBlock[],
    text: string,
    uses: { n: number },
  ): Promise<void> {
    // In the person's direct messages with the bot a private answer is an ordinary message, which stays.
    if (origin.direct) {
      await this.inChannel(client, origin, blocks, text, uses);
      return;
    }
    // A command's or a click's own response_url takes an ephemeral answer: one POST, no Web API call (its client's
    // queue, retries and token). Inside a thread the Web API is used, so the answer stays in the thread.
    if (
      (origin.kind === 'command' || (origin.kind === 'click' && !origin.threadTs)) &&
      (await this.respond(origin, { response_type: 'ephemeral', replace_original: false, blocks, text }, uses))
    )
      return;
    try {
      await client.chat.postEphemeral({
        channel: origin.channel,
        user: origin.user,
        blocks,
        text,
        ...(origin.threadTs ? { thread_ts: origin.threadTs } : {}),
      });
    } catch (e) {
      this.log.warn({ channel: origin.channel, error: errorCode(e) }, 'slack chat.postEphemeral failed; trying response_url');
      if (!(await this.respond(origin, { response_type: 'ephemeral', replace_original: false, blocks, text }, uses))) {
        this.log.error({ channel: origin.channel, user: origin.user }, 'slack private reply could not be delivered');
      }
    }
  }

  /** Posts to the conversation; resolves with the message's ts when chat.postMessage took it (a response_url post has none). */
  private async inChannel(
    client: webApi.WebClient,
    origin: Origin,
    blocks: KnownBlock[],
    text: string,
    uses: { n: number },
  ): Promise<string | undefined> {
    try {
      const res = await client.chat.postMessage({
        channel: origin.channel,
        blocks,
        text,
        ...(origin.threadTs ? { thread_ts: origin.threadTs } : {}),
      });
      return res.ts;
    } catch (e) {
      this.log.warn({ channel: origin.channel, error: errorCode(e) }, 'slack chat.postMessage failed; trying response_url');
      if (!(await this.respond(origin, { response_type: 'in_channel', replace_original: false, blocks, text }, uses))) {
        this.log.error({ channel: origin.channel }, 'slack channel reply could not be delivered');
      }
      return undefined;
    }
  }

  /**
   * Replaces the pressed message; if that cannot be done, the answer is sent as a new message, privately if it is
   * private. Resolves true when the message was replaced in place (chat.update).
   */
  private async replace(
    client: webApi.WebClient,
    origin: Origin,
    blocks: KnownBlock[],
    text: string,
    uses: { n: number },
    personal: boolean,
  ): Promise<boolean> {
    if (!origin.ephemeral && origin.ts) {
      try {
        await client.chat.update({ channel: origin.channel, ts: origin.ts, blocks, text });
        return true;
      } catch (e) {
        this.log.warn({ channel: origin.channel, ts: origin.ts, error: errorCode(e) }, 'slack chat.update failed; trying response_url');
      }
    }
    if (await this.respond(origin, { replace_original: true, blocks, text }, uses)) return false;
    if (personal) await this.privately(client, origin, blocks, text, uses);
    else await this.inChannel(client, origin, blocks, text, uses);
    return false;
  }
}
