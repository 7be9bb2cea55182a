import type { RedisClient } from '../../../src/infra/redis/redis-client.js';
import type { Platform } from '../../../src/domain/types.js';
import type { ChatPort, ChatTarget, PostOptions, SentMessage } from '../../../src/ports/chat.js';
import type { Card } from '../../../messages/card.js';
import { RateLimitedError } from '../../../src/ports/errors.js';

/**
 * A fake Slack Web API whose state lives in Redis, so worker processes (and the test that kills them)
 * share it: every accepted post is appended to a log atomically with its key's message id; calls are
 * counted across processes, and every fifth one answers 429. findSent searches by key, as the Slack
 * adapter can search the channel's recent messages for the metadata it posted the key in.
 */
export class RedisChatPort implements ChatPort {
  private readonly ns: string;

  constructor(
    private readonly redis: RedisClient,
    ns: string,
    readonly platform: Platform = 'slack',
    private readonly opts: { rateLimitEvery?: number; retryAfterMs?: number; latencyMs?: number } = {},
  ) {
    // One hash tag for every key of the fake, so its MULTI works on Redis Cluster too.
    this.ns = `{${ns}}`;
  }

  async post(target: ChatTarget, _card: Card, options?: PostOptions): Promise<SentMessage> {
    const call = await this.redis.incr(`${this.ns}:calls`);
    if (this.opts.rateLimitEvery && call % this.opts.rateLimitEvery === 0) {
      await this.redis.incr(`${this.ns}:429`);
      throw new RateLimitedError(this.opts.retryAfterMs ?? 200);
    }
    const key = options?.idempotencyKey ?? '';
    const messageId = `ts-${call}`;
    await this.redis
      .multi()
      .rpush(`${this.ns}:log`, JSON.stringify({ key, conversation: target.conversation, at: Date.now() }))
      .hset(`${this.ns}:bykey`, key, messageId)
      .exec();
    // The platform has the message; the answer is still on its way (a kill now is the hard case).
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    return { messageId };
  }

  async findSent(_target: ChatTarget, key: string): Promise<SentMessage | undefined> {
    const messageId = await this.redis.hget(`${this.ns}:bykey`, key);
    return messageId ? { messageId } : undefined;
  }

  /** Every accepted post, in order. */
  async log(): Promise<Array<{ key: string; conversation: string; at: number }>> {
    return (await this.redis.lrange(`${this.ns}:log`, 0, -1)).map(
      (l) => JSON.parse(l) as { key: string; conversation: string; at: number },
    );
  }
}
