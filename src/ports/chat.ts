import type { Lang, Platform } from '../domain/types.js';
import type { Attachment, Card } from '../../messages/card.js';

/** Where a proactive message goes: a channel or chat the bot knows, or one person directly. */
export interface ChatTarget {
  tenant: string;
  platform: Platform;
  /** A channel, group chat or conversation id; for a direct message to a person, their user id with `user: true`. */
  conversation: string;
  user?: boolean;
}

/** What a platform gave back for a sent message, to update it later. */
export interface SentMessage {
  messageId: string;
}

/**
 * Whether the bot can post in a conversation on its own: it is a `member`; it is not, but the conversation is
 * `public` and the platform lets it post there anyway (Slack's chat:write.public); it is `outside` (a private
 * channel it was not invited to, or one that does not exist); or the platform could not say (`unknown`).
 */
export type Membership = 'member' | 'public' | 'outside' | 'unknown';

/** Who is in a conversation: its people (bots left out), so `staff add here` can ask a whole channel. */
export interface MemberDirectory {
  /** The user ids of the conversation's human members, as the platform's actors carry them. */
  members(target: ChatTarget): Promise<string[]>;
  /** Whether the bot can post there, checked when a channel is named for announcements; absent where the platform cannot tell. */
  membership?(target: ChatTarget): Promise<Membership>;
}

/** What goes with a post besides the card: the language it was written in, and the delivery's key. */
export interface PostOptions {
  /** The language the use-case wrote the card in; a renderer writes its own words (paging, form errors) in it too. */
  lang: Lang;
  /** The delivery's idempotency key (Slack: message metadata; Teams: the id of the card's first element, read back through Graph). */
  idempotencyKey?: string;
}

/**
 * Sends messages the bot starts on its own (reminders, invitations, announcements); each adapter
 * implements it. A port that implements findSent closes the "died after posting, before recording" window.
 */
export interface ChatPort {
  readonly platform: Platform;
  post(target: ChatTarget, card: Card, options: PostOptions): Promise<SentMessage>;
  /** The message posted earlier under this key, if the platform has it (asked only after an interrupted send). */
  findSent?(target: ChatTarget, idempotencyKey: string): Promise<SentMessage | undefined>;
  /** A channel's members, on platforms that can list them. */
  members?(target: ChatTarget): Promise<string[]>;
  /** A person's language setting on the platform (a locale such as `fi-FI`), when the platform tells it. */
  localeOf?(tenant: string, userId: string): Promise<string | undefined>;
}

/** The ChatPort of each platform the bot runs on; a delivery to a platform without one fails permanently. */
export type ChatRegistry = ReadonlyMap<Platform, ChatPort>;

/**
 * Files offered to a person and kept until they accept or decline (Teams makes a bot ask before it puts a
 * file in someone's OneDrive); they expire, so an unanswered offer does not keep an export forever.
 */
export interface PendingFiles {
  put(tenant: string, id: string, file: Attachment, ttlSeconds: number): Promise<void>;
  /** The file, removed as it is read, so an accept that arrives twice uploads once; undefined when gone. */
  take(tenant: string, id: string): Promise<Attachment | undefined>;
}

/** The bytes of an attachment as an adapter sends or writes them: text as UTF-8, a binary file from its base64. */
export function attachmentBytes(file: Attachment): Buffer {
  return Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8');
}
