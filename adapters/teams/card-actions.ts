import { ActivityTypes, TurnContext, type ConversationReference } from 'botbuilder';
import type { Lang } from '../../src/domain/types.js';
import type { PostedCopy, ConversationDirectory } from '../../src/ports/conversations.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import type { Card, Reply } from '../../messages/card.js';
import { actionInputOf, baseConversationId, conversationKind, inboundOf, tenantOf } from './inbound.js';
import { messageWith, withoutReplyTo } from './proactive.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './render-adaptive-card.js';

/** How a message is rendered: the card and its notification line, for one reader or (without `viewer`) for all. */
export type Render = (
  tenant: string,
  cards: readonly Card[],
  lang: Lang,
  viewer?: string,
) => Promise<{ card: AdaptiveCard; summary: string }>;

/** What the card actions need from the adapter that owns them. */
export interface CardActionDeps {
  bot: Bot;
  refs: ConversationDirectory;
  render: Render;
  continueWith: (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) => Promise<void>;
  /** Runs work after the invoke was answered; the adapter's stop() waits for it. */
  background: (what: string, task: () => Promise<void>) => void;
  log: Pick<Logger, 'warn'>;
}

/** The body of an invoke response: a card for the clicker, a message shown to them, or an error. */
type InvokeBody =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 400; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

async function answer(context: TurnContext, body: InvokeBody): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

/** The conversation a copy was posted in. */
function conversationIdOf(copy: PostedCopy): string {
  const id = (copy.reference.conversation as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

/** A rendered card's words as one plain line (the text of a message invoke response, which shows no Markdown). */
function cardWords(card: AdaptiveCard): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (Array.isArray(o.items)) walk(o.items);
  };
  walk(card.body);
  return out
    .join(' ')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/<\/?at>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 1000);
}

/**
 * `adaptiveCard/action` invokes (Universal Actions). The invoke is always answered here, never by teams-ai
 * (which, for a card with `refresh`, would replace the message for everyone with the clicker's own view):
 * - a view a Teams client asks for on its own (`trigger: automatic`, a sign-off request opened by an
 *   approver) is answered with that person's view of the card;
 * - an answer that changes what a card shows updates the message for everyone (and every other copy of the
 *   same subject: the channel's, each approver's personal one), and the clicker gets their own view;
 * - a card shared with the channel is posted to the channel itself (a new post, never into the thread the
 *   button was in);
 * - anything else for the clicker alone (a refusal, a form error, a thank-you) is a message shown to them,
 *   and the card they clicked stays as it was.
 */
export function cardActions(deps: CardActionDeps) {
  const { bot, refs, render, continueWith, background } = deps;
  /** The last card each message was updated to, so concurrent identical clicks update it once. */
  const lastUpdate = new Map<string, string>();

  /** Updates one message unless it already shows exactly this card. */
  function update(tenant: string, reference: Partial<ConversationReference>, messageId: string, message: Awaited<ReturnType<Render>>) {
    const key = `${tenant}|${reference.conversation?.id ?? ''}|${messageId}`;
    const json = JSON.stringify(message.card);
    if (lastUpdate.get(key) === json) return;
    lastUpdate.set(key, json);
    if (lastUpdate.size > 1000) lastUpdate.delete(lastUpdate.keys().next().value as string);
    background('card update', () =>
      continueWith(reference, async (ctx) => {
        await ctx.updateActivity({ ...messageWith(message.card, message.summary), id: messageId });
      }),
    );
  }

  /** The other copies of a card's subject, each in its reader's view (a personal copy is re-created for its owner, in their language). */
  async function updateCopies(tenant: string, reply: Reply, clicked: string): Promise<void> {
    const subject = reply.cards.find((c) => c.subject)?.subject;
    if (!subject) return;
    const copies = await refs.copies(tenant, subject.key);
    const shared = copies.some((c) => !c.viewer && c.messageId !== clicked) ? await render(tenant, reply.cards, reply.lang) : undefined;
    for (const copy of copies) {
      if (copy.messageId === clicked) continue;
      const message = copy.viewer ? await viewFor(tenant, copy, subject.view) : shared;
      if (message) update(tenant, copy.reference, copy.messageId, message);
    }
  }

  async function viewFor(tenant: string, copy: PostedCopy, view: { action: string; value: string }) {
    const viewer = copy.viewer!;
    const user = await refs.user(tenant, viewer);
    const reply = await bot.handle({
      actor: { tenant, userId: viewer, platform: 'teams', ...(user?.locale ? { locale: user.locale } : {}) },
      channel: { platform: 'teams', id: conversationIdOf(copy) },
      // A copy with a viewer is in that person's personal chat with the bot.
      direct: true,
      input: { kind: 'action', action: view.action, value: view.value },
    });
    return reply.visibility === 'private' && reply.cards.some((c) => c.subject)
      ? render(tenant, reply.cards, reply.lang, viewer)
      : undefined;
  }

  async function onCardAction(context: TurnContext): Promise<void> {
    const a = context.activity;
    const tenant = tenantOf(a);
    if (!tenant) {
      await answer(context, {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'The activity names no tenant.' },
      });
      return;
    }
    const { action, value, fields } = actionInputOf(a);
    const inbound = inboundOf(a, tenant, { kind: 'action', action, value, ...(Object.keys(fields).length > 0 ? { fields } : {}) });
    const viewer = inbound.actor.userId;
    const reply = await bot.handle(inbound);
    const automatic = (a.value as { trigger?: unknown } | undefined)?.trigger === 'automatic';
    const own = await render(tenant, reply.cards, reply.lang, viewer);
    if (reply.replaceOriginal && a.replyToId) {
      const reference = TurnContext.getConversationReference(a);
      // A personal chat has one reader, whose view the message shows; anywhere else the message is everyone's.
      const personal = conversationKind(a) === 'personal';
      update(tenant, reference, a.replyToId, personal ? own : await render(tenant, reply.cards, reply.lang));
      background('copies update', () => updateCopies(tenant, reply, a.replyToId!));
      await answer(context, { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: own.card });
      return;
    }
    if (reply.visibility === 'channel') {
      const reference = TurnContext.getConversationReference(a);
      // Shared with the channel: a new post in the channel itself, not another reply in the thread it was asked in.
      const root: Partial<ConversationReference> = {
        ...reference,
        conversation: {
          ...reference.conversation,
          id: baseConversationId(reference.conversation?.id ?? ''),
        } as ConversationReference['conversation'],
      };
      const shared = await render(tenant, reply.cards, reply.lang);
      background('card post', () =>
        continueWith(root, async (ctx) => {
          withoutReplyTo(ctx);
          await ctx.sendActivity(messageWith(shared.card, shared.summary));
        }),
      );
      await answer(context, { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: own.card });
      return;
    }
    if (automatic || reply.cards.some((c) => c.subject)) {
      // The reader's own view of a card (asked for by their client, or a refresh they pressed).
      await answer(context, { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: own.card });
      return;
    }
    // For the clicker alone: shown to them, and the card they clicked is left as it was for them too.
    await answer(context, {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: cardWords(own.card) || own.summary,
    });
  }

  return {
    onCardAction,
    /** After a typed answer (`approve functional`) posted a new copy: the older copies show the new state too. */
    copiesChanged(tenant: string, reply: Reply, posted: string): void {
      background('copies update', () => updateCopies(tenant, reply, posted));
    },
  };
}
