/** The Slack ChatPort for proactive messages, as the delivery engine (jobs/) needs it: one try per call, errors classified. */
import { webApi } from '@slack/bolt';
import type { Card } from '../../messages/card.js';
import type { Lang } from '../../src/domain/types.js';
import type { ChatTarget, SentMessage } from '../../src/ports/chat.js';
import type { DeliveryChatPort, PostOptions } from '../../jobs/delivery-chat-port.js';
import { PermanentDeliveryError, RateLimitedError } from '../../jobs/delivery-errors.js';
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
export function slackChatPort(o: { client: webApi.WebClient; langFor: (target: ChatTarget) => Promise<Lang> }): DeliveryChatPort {
  return {
    platform: 'slack',
    async post(target: ChatTarget, card: Card, options?: PostOptions): Promise<SentMessage> {
      if (target.platform !== 'slack') throw new Error(`the Slack adapter cannot post to ${target.platform}`);
      const { pages, text } = renderBlockKit(card, await o.langFor(target));
      let channel = target.conversation;
      let ts = '';
      for (const [i, blocks] of pages.entries()) {
        const metadata = options?.idempotencyKey ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: options.idempotencyKey, page: i + 1, pages: pages.length } } } : {};
        let res: webApi.ChatPostMessageResponse;
        try {
          res = await o.client.chat.postMessage({ channel, blocks, text, ...metadata });
        } catch (e) {
          if (i === 0) throw classifySlackError(e);
          throw new Error(`page ${i + 1} of ${pages.length} not posted (${e instanceof Error ? e.message : String(e)})`, { cause: e });
        }
        channel = res.channel ?? channel;
        ts = res.ts ?? ts;
      }
      return { messageId: `${channel}:${ts}` };
    },
  };
}
