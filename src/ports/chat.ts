import type { Platform } from '../domain/types.js';
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

/** Who is in a conversation: its people (bots left out), so `staff add here` can ask a whole channel. */
export interface MemberDirectory {
  /** The user ids of the conversation's human members, as the platform's actors carry them. */
  members(target: ChatTarget): Promise<string[]>;
}

/** Sends messages the bot starts on its own (reminders, invites, announcements); each adapter implements it. */
export interface ChatPort {
  readonly platform: Platform;
  post(target: ChatTarget, card: Card): Promise<SentMessage>;
  /** A channel's members, on platforms that can list them. */
  members?(target: ChatTarget): Promise<string[]>;
}

/**
 * Files offered to a person and kept until they accept or decline (Teams makes a bot ask before it puts a
 * file in someone's OneDrive); they expire, so an unanswered offer does not keep an export forever.
 */
export interface PendingFiles {
  put(tenant: string, id: string, file: Attachment, ttlSeconds: number): Promise<void>;
  /** The file, removed as it is read, so an accept that arrives twice uploads once; undefined when gone. */
  take(tenant: string, id: string): Promise<Attachment | undefined>;
}
