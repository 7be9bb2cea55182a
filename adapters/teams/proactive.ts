import type { TeamsAdapter } from '@microsoft/teams-ai';
import {
  ActivityTypes,
  CardFactory,
  TurnContext,
  type Activity,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { Lang } from '../../src/domain/types.js';
import type { ConversationDirectory, StoredConversation } from '../../src/ports/conversations.js';
import type { ChatPort, ChatTarget, PostOptions, SentMessage } from '../../src/ports/chat.js';
import type { Card } from '../../messages/card.js';
import { PermanentDeliveryError } from '../../src/ports/errors.js';
import { markDelivery } from './delivery-marker.js';
import { baseConversationId } from './inbound.js';
import { pagedMemberIds } from './members.js';
import type { AdaptiveCard } from './render-adaptive-card.js';
import { classifyTeamsError, withoutRetries } from './send-governor.js';

/** The audience of outbound Bot Framework calls in the public cloud. */
const TO_CHANNEL_FROM_BOT_SCOPE = 'https://api.botframework.com';

/** A message activity that carries one Adaptive Card, as every message the bot sends does, and its notification line. */
export function messageWith(card: AdaptiveCard, summary?: string): Partial<Activity> {
  return { type: ActivityTypes.Message, ...(summary ? { summary } : {}), attachments: [CardFactory.adaptiveCard(card)] };
}

/** Makes a proactive turn's sends new messages, not replies to the activity the reference was taken from. */
export function withoutReplyTo(ctx: TurnContext): void {
  ctx.onSendActivities(async (_c, activities, next) => {
    for (const x of activities) delete x.replyToId;
    return next();
  });
}

/** What the proactive side needs from the adapter that owns it. */
export interface ProactiveDeps {
  adapter: TeamsAdapter;
  /** The bot's Microsoft App ID ('' without credentials). */
  botAppId: string;
  refs: ConversationDirectory;
  /** Renders neutral cards in a language, with the names of the people they mention; for one reader, or for all without `viewer`. */
  render(tenant: string, cards: readonly Card[], lang: Lang, viewer?: string): Promise<{ card: AdaptiveCard; summary: string }>;
  /** Finds a delivery posted earlier by its key (Microsoft Graph); without it the engine posts again after a lost answer. */
  findSent?: ChatPort['findSent'];
}

/** Messages the bot starts on its own, and the conversation look-ups they need. */
export interface Proactive {
  /** Runs `logic` in a proactive turn; the turn's error is thrown to the caller. */
  continueWith: (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) => Promise<void>;
  /** Posts a message into a stored conversation; resolves with the new message's id. */
  sendTo: (stored: StoredConversation, message: Partial<Activity>) => Promise<string>;
  /** Opens a one-to-one chat with a person the bot has no chat with yet, and posts the message there. */
  createPersonal: (tenant: string, userId: string, message: Partial<Activity>) => Promise<string>;
  /** A conversation's people, through its stored reference; each is remembered so the bot can message them. */
  channelMembers: (target: ChatTarget) => Promise<string[]>;
  /** The ChatPort reminders, invitations and announcements go through. */
  readonly chat: ChatPort;
}

/**
 * Proactive sending for the Teams adapter: turns on stored conversation references, new personal chats,
 * member lists, and the ChatPort the delivery engine posts through.
 */
export function proactiveMessages(deps: ProactiveDeps): Proactive {
  const { adapter, botAppId, refs } = deps;

  /**
   * Runs `logic` in a proactive turn. The adapter hands a turn's errors to its error handler, which only
   * logs; here they are given back to the caller, so a send that failed is not reported as sent.
   */
  async function continueWith(reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await adapter.continueConversationAsync(botAppId, reference, async (ctx) => {
      try {
        await logic(ctx);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  async function sendTo(stored: StoredConversation, message: Partial<Activity>): Promise<string> {
    let messageId = '';
    await continueWith(stored.reference, async (ctx) => {
      withoutReplyTo(ctx);
      const res = await ctx.sendActivity(message);
      messageId = res?.id ?? '';
    });
    return messageId;
  }

  /** Opens a one-to-one chat with a person the bot has no chat with yet, and posts the message there. */
  async function createPersonal(tenant: string, userId: string, message: Partial<Activity>): Promise<string> {
    const user = await refs.user(tenant, userId);
    const endpoint = await refs.tenant(tenant);
    const serviceUrl = user?.serviceUrl ?? endpoint?.serviceUrl;
    if (!serviceUrl)
      throw new PermanentDeliveryError(`Teams: the bot has not heard from tenant ${tenant} yet, so it cannot open a chat with ${userId}`);
    const botId = endpoint?.botId ?? (botAppId ? `28:${botAppId}` : '');
    const params = {
      isGroup: false,
      bot: { id: botId, name: 'lv-bot' },
      members: [{ id: user?.platformId ?? userId, name: user?.name ?? '' }],
      tenantId: tenant,
      channelData: { tenant: { id: tenant } },
    } as unknown as ConversationParameters;
    let messageId = '';
    let failure: { error: unknown } | undefined;
    await adapter.createConversationAsync(botAppId, 'msteams', serviceUrl, TO_CHANNEL_FROM_BOT_SCOPE, params, async (ctx) => {
      try {
        const reference = TurnContext.getConversationReference(ctx.activity) as Partial<ConversationReference> & Record<string, unknown>;
        delete reference.activityId;
        const conversationId = ctx.activity.conversation.id;
        await refs.saveConversation(tenant, conversationId, {
          reference,
          kind: 'personal',
          ...(user?.locale ? { locale: user.locale } : {}),
          updatedAt: new Date().toISOString(),
        });
        await refs.saveUser(tenant, userId, { personalConversation: conversationId });
        withoutReplyTo(ctx);
        const res = await ctx.sendActivity(message);
        messageId = res?.id ?? '';
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
    return messageId;
  }

  /** A conversation's people, through its stored reference; each is remembered so the bot can message them. */
  async function channelMembers(target: ChatTarget): Promise<string[]> {
    const stored = await refs.conversation(target.tenant, baseConversationId(target.conversation));
    if (!stored) throw new PermanentDeliveryError(`Teams: no conversation reference for ${target.conversation} in tenant ${target.tenant}`);
    let ids: string[] = [];
    await continueWith(stored.reference, async (ctx) => {
      ids = await pagedMemberIds(ctx, (m) =>
        refs.saveUser(target.tenant, m.aadObjectId ?? m.id, { platformId: m.id, ...(m.name ? { name: m.name } : {}) }),
      );
    });
    return ids;
  }

  /** Posts a card proactively; the delivery engine's sends (they carry its key) are tried once, the engine retries. */
  const chat: ChatPort = {
    platform: 'teams',
    ...(deps.findSent ? { findSent: deps.findSent } : {}),
    members: (target) => channelMembers(target),
    // The locale of the person's last activity the bot saw (Teams sends it with every activity).
    localeOf: async (tenant, userId) => (await refs.user(tenant, userId))?.locale,
    post(target: ChatTarget, card: Card, options: PostOptions): Promise<SentMessage> {
      const key = options.idempotencyKey;
      if (!key) return postCard(target, card, options.lang);
      return withoutRetries(() => postCard(target, card, options.lang, key)).catch((e: unknown) => {
        throw classifyTeamsError(e);
      });
    },
  };

  /**
   * Renders and posts a card; one the delivery engine sends carries its key (see delivery-marker.ts). A
   * personal message shows its reader's own view, and a card about a subject (a sign-off request) is
   * remembered where it was posted, so answering any copy brings this one up to date.
   */
  async function postCard(target: ChatTarget, card: Card, lang: Lang, key?: string): Promise<SentMessage> {
    if (target.platform !== 'teams') throw new Error(`The Teams adapter cannot post to ${target.platform}`);
    const { tenant } = target;
    const message = async (viewer?: string) => {
      const { card: rendered, summary } = await deps.render(tenant, [card], lang, viewer);
      return messageWith(key ? markDelivery(rendered, key) : rendered, summary);
    };
    const remember = async (stored: StoredConversation | undefined, messageId: string, viewer?: string) => {
      if (card.subject && stored && messageId)
        await refs.saveCopy(tenant, card.subject.key, { reference: stored.reference, messageId, ...(viewer ? { viewer } : {}) });
    };
    if (target.user) {
      const person = target.conversation;
      const personal = async () => {
        const user = await refs.user(tenant, person);
        return user?.personalConversation ? await refs.conversation(tenant, user.personalConversation) : undefined;
      };
      const stored = await personal();
      const messageId = stored ? await sendTo(stored, await message(person)) : await createPersonal(tenant, person, await message(person));
      await remember(stored ?? (await personal()), messageId, person);
      return { messageId };
    }
    const stored = await refs.conversation(tenant, baseConversationId(target.conversation));
    if (!stored)
      throw new PermanentDeliveryError(
        `Teams: no conversation reference for ${target.conversation} in tenant ${tenant}; add the bot there first`,
      );
    const messageId = await sendTo(stored, await message());
    await remember(stored, messageId);
    return { messageId };
  }

  return { continueWith, sendTo, createPersonal, channelMembers, chat };
}
