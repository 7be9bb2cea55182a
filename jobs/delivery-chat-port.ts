import type { Platform } from '../src/domain/types.js';
import type { ChatPort, ChatTarget, SentMessage } from '../src/ports/chat.js';
import type { Card } from '../messages/card.js';

/** What the delivery engine passes along with a post, so a port can tag the message and find it again. */
export interface PostOptions {
  /** The delivery's idempotency key (Slack: message metadata; Teams: the id of the card's first element, read back through Graph). */
  idempotencyKey: string;
}

/**
 * A ChatPort as the delivery engine uses it. Every ChatPort fits: the options are optional, and so is
 * findSent. A port that implements findSent closes the "died after posting, before recording" window.
 */
export interface DeliveryChatPort extends ChatPort {
  post(target: ChatTarget, card: Card, options?: PostOptions): Promise<SentMessage>;
  /** The message posted earlier under this key, if the platform has it (asked only after an interrupted send). */
  findSent?(target: ChatTarget, idempotencyKey: string): Promise<SentMessage | undefined>;
}

/** The ChatPort of each platform the bot runs on; a delivery to a platform without one fails permanently. */
export type ChatRegistry = ReadonlyMap<Platform, DeliveryChatPort>;
