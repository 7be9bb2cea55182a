/** The Slack ChatPort for proactive messages, as the delivery engine (jobs/) needs it: one try per call, errors classified. */
import { webApi } from '@slack/bolt';
import type { Card } from '../../messages/card.js';
import type { ChatPort, ChatTarget, MemberDirectory, Membership, PostOptions, SentMessage } from '../../src/ports/chat.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports/errors.js';
import type { SubjectCopies } from './copies.js';
import type { SlackPeople } from './people.js';
import { renderBlockKit } from './render-block-kit.js';

/** Slack error codes after which a post can never succeed: the delivery is recorded as failed, not retried. */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'cannot_dm_bot',
  'invalid_auth',
  'missing_scope',
  'msg_too_long',
  'invalid_blocks',
]);

/** The metadata event type every proactive message carries its idempotency key in. */
export const DELIVERY_EVENT_TYPE = 'lv_delivery';

/** How far back findSent looks: this many pages of conversations.history, 100 messages each. */
export const FIND_SENT_PAGES = 5;

/**
 * Turns a Web API failure into what the delivery engine understands: a 429 (nothing posted) into
 * RateLimitedError (Retry-After seconds × 1000, 1000 when absent), a permanent Slack error into
 * PermanentDeliveryError; anything else (5xx, timeout, network, other codes) is returned unchanged.
 */
export function classifySlackError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === webApi.ErrorCode.RateLimitedError) {
    const seconds = (e as webApi.WebAPIRateLimitedError).retryAfter;
    return new RateLimitedError(Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000);
  }
  if (code === webApi.ErrorCode.PlatformError) {
    const reason = (e as webApi.WebAPIPlatformError).data?.error;
    if (reason === 'ratelimited') return new RateLimitedError(1000);
    if (reason && PERMANENT_SLACK_ERRORS.has(reason)) return new PermanentDeliveryError(reason);
  }
  return e;
}

/**
 * The ChatPort of the Slack adapter. Posts through its own WebClient that never retries (no 5xx retry,
 * 429 rejected at once): a hidden retry could post twice where the ledger cannot see it, and the engine
 * waits out a 429 without holding a worker. A card rendered as several pages is posted in order; each
 * page carries the key and page number in message metadata. A failure after the first page was posted
 * is not a RateLimitedError or permanent failure (something was posted): it is thrown as an unknown outcome.
 */
/** How many users.info look-ups run at once while a channel's members are sorted into people and bots. */
const LOOKUPS_AT_ONCE = 8;

/**
 * A Slack conversation's people: conversations.members, page by page, then users.info for each to leave out
 * bots (the app's own user too), Slackbot and deactivated accounts, in the order Slack listed them.
 */
export function slackMembers(client: webApi.WebClient, tokenFor?: (tenant: string) => Promise<string | undefined>): MemberDirectory {
  return {
    async members(target: ChatTarget): Promise<string[]> {
      const token = tokenFor ? await tokenFor(target.tenant) : undefined;
      const as = token ? { token } : {};
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await client.conversations.members({ ...as, channel: target.conversation, limit: 200, ...(cursor ? { cursor } : {}) });
        ids.push(...(res.members ?? []));
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
      const human: boolean[] = [];
      for (let i = 0; i < ids.length; i += LOOKUPS_AT_ONCE) {
        const batch = ids.slice(i, i + LOOKUPS_AT_ONCE);
        const users = await Promise.all(batch.map(async (user) => (await client.users.info({ ...as, user })).user));
        users.forEach((u, j) => (human[i + j] = Boolean(u) && !u?.is_bot && !u?.deleted && u?.id !== 'USLACKBOT'));
      }
      return ids.filter((_, i) => human[i]);
    },

    /**
     * conversations.info: a member, or a public channel the bot may post to without joining (chat:write.public);
     * Slack answers channel_not_found for a private channel the bot was not invited to (or none at all).
     */
    async membership(target: ChatTarget): Promise<Membership> {
      const token = tokenFor ? await tokenFor(target.tenant) : undefined;
      try {
        const { channel } = await client.conversations.info({ ...(token ? { token } : {}), channel: target.conversation });
        if (channel?.is_member || channel?.is_im) return 'member';
        return channel?.is_private === false ? 'public' : 'outside';
      } catch (e) {
        const reason = (e as webApi.WebAPIPlatformError | null)?.data?.error;
        return reason === 'channel_not_found' ? 'outside' : 'unknown';
      }
    },
  };
}

export function slackChatPort(o: {
  client: webApi.WebClient;
  /** The workspace's bot token (refreshed when it rotates); undefined when lv-bot is no longer installed there. */
  tokenFor: (tenant: string) => Promise<string | undefined>;
  localeOf: (tenant: string, userId: string) => Promise<string | undefined>;
  /** The names of the people a card shows by name (only those it notifies are mentions). */
  people: SlackPeople;
  /** Where each copy of a card with a subject is remembered, so an answer brings it up to date. */
  copies?: SubjectCopies;
}): ChatPort {
  const directory = slackMembers(o.client, o.tokenFor);
  /** The token to post with: a workspace that removed the app can never be posted to again (until it installs it anew). */
  const tokenOf = async (tenant: string): Promise<string> => {
    const token = await o.tokenFor(tenant);
    if (!token) throw new PermanentDeliveryError('app_uninstalled: lv-bot is not installed in this Slack workspace any more');
    return token;
  };
  return {
    platform: 'slack',
    members: (target) => directory.members(target),
    localeOf: o.localeOf,
    async post(target: ChatTarget, card: Card, options: PostOptions): Promise<SentMessage> {
      if (target.platform !== 'slack') throw new Error(`the Slack adapter cannot post to ${target.platform}`);
      const token = await tokenOf(target.tenant);
      const names = await o.people.namesFor(o.client, target.tenant, card, token).catch(() => ({}));
      const { pages, text } = renderBlockKit(card, options.lang, {
        mentions: 'notify',
        names,
        ...(target.user ? { viewer: target.conversation } : {}),
      });
      let channel = target.conversation;
      let ts = '';
      for (const [i, blocks] of pages.entries()) {
        const metadata = options.idempotencyKey
          ? {
              metadata: {
                event_type: DELIVERY_EVENT_TYPE,
                event_payload: { key: options.idempotencyKey, page: i + 1, pages: pages.length },
              },
            }
          : {};
        let res: webApi.ChatPostMessageResponse;
        try {
          res = await o.client.chat.postMessage({ token, channel, blocks, text, ...metadata });
        } catch (e) {
          if (i === 0) throw classifySlackError(e);
          throw new Error(`page ${i + 1} of ${pages.length} not posted (${e instanceof Error ? e.message : String(e)})`, { cause: e });
        }
        channel = res.channel ?? channel;
        ts = res.ts ?? ts;
      }
      await o.copies?.remember(target.tenant, card, channel, ts, target.user ? target.conversation : undefined);
      return { messageId: `${channel}:${ts}` };
    },

    /**
     * The message posted earlier under this key: the conversation's recent history (newest first, with
     * metadata; a person's DM channel is opened first, as chat.postMessage did with their user id), searched
     * for the key's last page. Asked only after an interrupted send, so the message, if any, is recent.
     * A failure is thrown classified (429: later, without an attempt); missing_scope answers "not found".
     */
    async findSent(target: ChatTarget, idempotencyKey: string): Promise<SentMessage | undefined> {
      if (target.platform !== 'slack') return undefined;
      let channel = target.conversation;
      try {
        const token = await tokenOf(target.tenant);
        if (target.user) {
          const opened = await o.client.conversations.open({ token, users: target.conversation, return_im: false });
          channel = opened.channel?.id ?? channel;
        }
        let cursor: string | undefined;
        for (let page = 0; page < FIND_SENT_PAGES; page++) {
          const res = await o.client.conversations.history({
            token,
            channel,
            include_all_metadata: true,
            limit: 100,
            ...(cursor ? { cursor } : {}),
          });
          for (const m of res.messages ?? []) {
            // web-api types the payload as `{}`; typescript-eslint takes the cast to a record for a no-op, tsc needs it.
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
            const meta = m.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
            const p = meta?.event_payload;
            if (meta?.event_type !== DELIVERY_EVENT_TYPE || p?.key !== idempotencyKey || !m.ts) continue;
            // A card posted as several pages counts as sent only once its last page is there.
            if (p.pages === undefined || p.page === p.pages) return { messageId: `${channel}:${m.ts}` };
          }
          cursor = res.response_metadata?.next_cursor || undefined;
          if (!res.has_more || !cursor) return undefined;
        }
        return undefined;
      } catch (e) {
        // Installed before the history scopes were granted: the port cannot look, so the engine posts again (the documented window).
        if ((e as webApi.WebAPIPlatformError | null)?.data?.error === 'missing_scope') return undefined;
        throw classifySlackError(e);
      }
    },
  };
}
