import type { Lang, Platform } from '../../../src/domain/types.js';
import type { ChatPort, ChatTarget, PostOptions, SentMessage } from '../../../src/ports/chat.js';
import type { Card } from '../../../messages/card.js';
import type { ChatAdapter } from '../../../src/ports/chat-adapter.js';
import { RateLimitedError } from '../../../src/ports/errors.js';
import { renderText } from '../../../adapters/console/render-text.js';

/** One message the fake platform accepted. */
export interface Recorded {
  target: ChatTarget;
  card: Card;
  /** The language the delivery said the card is written in. */
  lang: Lang;
  key: string | undefined;
  messageId: string;
  at: number;
}

/** How the fake platform misbehaves. */
export interface FakeOptions {
  /** Answer 429 (RateLimitedError) to every n-th call. */
  rateLimitEvery?: number;
  retryAfterMs?: number;
  /** Answer the first call for these idempotency keys with this error (once each). */
  failOnce?: Map<string, Error>;
  /** Implement findSent (as a Slack port can, by searching message metadata). */
  findSent?: boolean;
  /** People's language settings on the platform (user id → locale), which localeOf tells. */
  locales?: Record<string, string>;
}

/** A recording fake ChatPort: what reached "the platform", in order, per key and per recipient. */
export class RecordingChatPort implements ChatPort {
  readonly posts: Recorded[] = [];
  calls = 0;
  rateLimited = 0;
  readonly findSent?: (target: ChatTarget, key: string) => Promise<SentMessage | undefined>;

  constructor(
    readonly platform: Platform,
    private readonly opts: FakeOptions = {},
  ) {
    if (opts.findSent) {
      this.findSent = async (_target, key) => {
        const found = this.posts.find((p) => p.key === key);
        return found ? { messageId: found.messageId } : undefined;
      };
    }
  }

  /** A person's platform locale, when the test gave one. */
  async localeOf(_tenant: string, userId: string): Promise<string | undefined> {
    return this.opts.locales?.[userId];
  }

  async post(target: ChatTarget, card: Card, options: PostOptions): Promise<SentMessage> {
    this.calls += 1;
    const every = this.opts.rateLimitEvery;
    if (every && this.calls % every === 0) {
      this.rateLimited += 1;
      throw new RateLimitedError(this.opts.retryAfterMs ?? 200);
    }
    const key = options.idempotencyKey;
    const failure = key ? this.opts.failOnce?.get(key) : undefined;
    if (failure && key) {
      this.opts.failOnce?.delete(key);
      throw failure;
    }
    const messageId = `${this.platform}-m${this.posts.length + 1}`;
    this.posts.push({ target, card, lang: options.lang, key, messageId, at: Date.now() });
    return { messageId };
  }

  /** Messages sent directly to a person. */
  to(person: string): Recorded[] {
    return this.posts.filter((p) => p.target.user && p.target.conversation === person);
  }

  /** How many times each idempotency key reached the platform. */
  perKey(): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of this.posts) out.set(p.key ?? '', (out.get(p.key ?? '') ?? 0) + 1);
    return out;
  }
}

/** A card as the console would print it, for assertions on what a person reads. */
export function text(card: Card): string {
  return renderText(card, () => 0);
}

/** A ChatAdapter around a fake chat port: a platform whose far side is the test's, for composing lv-bot without Slack or Teams. */
export function adapterFor(chat: ChatPort): ChatAdapter {
  return { platform: chat.platform, chat, start: async () => undefined, stop: async () => undefined, idle: async () => undefined };
}
