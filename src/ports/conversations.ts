/**
 * What a platform adapter remembers about the conversations and people it has seen, so it can post on its
 * own after a restart (Teams needs a stored conversation reference for every proactive message).
 */

/** A conversation the bot was added to or heard from: what a proactive message needs to reach it. */
export interface StoredConversation {
  /** The platform's own conversation reference, stored as plain JSON (for Teams a Bot Framework ConversationReference). */
  reference: Record<string, unknown>;
  /** personal, groupChat or channel. */
  kind?: string;
  /** The locale of the last activity seen there, for the language of messages the bot starts. */
  locale?: string;
  /** Teams channels: the team's Microsoft 365 group id (`channelData.team.aadGroupId`), which Microsoft Graph names the team by. Absent in records saved before it was kept. */
  teamAadGroupId?: string;
  /** Teams channels: the team's id (`channelData.team.id`), by which its group id is found once any activity of the team names it. */
  teamId?: string;
  /** The conversation's display name (a Teams channel's name), shown instead of its id. */
  name?: string;
  updatedAt: string;
}

/** One posted copy of a card that shows a subject (a sign-off request): where it is, and whose view it is. */
export interface PostedCopy {
  /** The conversation it was posted in, as the platform's reference. */
  reference: Record<string, unknown>;
  /** The platform's id of the message. */
  messageId: string;
  /** The person whose personal chat it is in, whose view it shows; absent for a conversation's shared copy. */
  viewer?: string;
}

/** What the bot learned about a person from their activities. */
export interface KnownUser {
  /** The platform's id for the person (Teams: the `29:` id), when it differs from the user id. */
  platformId?: string;
  name?: string;
  locale?: string;
  /** Their one-to-one conversation with the bot, if they have one. */
  personalConversation?: string;
  serviceUrl?: string;
  updatedAt?: string;
}

/** Where the platform reaches the bot for one tenant. */
export interface TenantEndpoint {
  serviceUrl: string;
  botId?: string;
}

/** The conversations, people and tenant endpoints of one platform, kept per tenant; the composition root gives each adapter its own. */
export interface ConversationDirectory {
  saveConversation(tenant: string, id: string, stored: StoredConversation): Promise<void>;
  conversation(tenant: string, id: string): Promise<StoredConversation | undefined>;
  deleteConversation(tenant: string, id: string): Promise<void>;
  /** Merges what was learned about a person; fields left undefined keep their stored value. */
  saveUser(tenant: string, userId: string, user: KnownUser): Promise<void>;
  user(tenant: string, userId: string): Promise<KnownUser | undefined>;
  /** Display names of the people the bot has seen, for mentions a card cannot name itself. */
  names(tenant: string, userIds: readonly string[]): Promise<Record<string, string>>;
  /** The platform's own ids of people (Teams `29:…`), which mentions and per-user views name them by. */
  platformIds(tenant: string, userIds: readonly string[]): Promise<Record<string, string>>;
  /** Display names of conversations (Teams channels) that have one, for cards that name a channel. */
  conversationNames(tenant: string, ids: readonly string[]): Promise<Record<string, string>>;
  /** True once per installation: whether the welcome is still to be said in a conversation (forgotten with it). */
  claimWelcome(tenant: string, conversationId: string): Promise<boolean>;
  /** Remembers a posted copy of a card about `subject`, so an answer in one copy updates the others. */
  saveCopy(tenant: string, subject: string, copy: PostedCopy): Promise<void>;
  /** The copies posted of a subject (at most the most recent ones, for a few months). */
  copies(tenant: string, subject: string): Promise<PostedCopy[]>;
  /** Teams: which Microsoft 365 group a team is, so each of its channels can be read in Graph. */
  saveTeamGroup(tenant: string, teamId: string, aadGroupId: string): Promise<void>;
  teamGroup(tenant: string, teamId: string): Promise<string | undefined>;
  /** Where the platform last reached the bot for a tenant: what a new one-to-one conversation needs. */
  saveTenant(tenant: string, info: TenantEndpoint): Promise<void>;
  tenant(tenant: string): Promise<TenantEndpoint | undefined>;
}
