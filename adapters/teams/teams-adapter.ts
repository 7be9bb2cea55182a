import express, { Router, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import { Application, TeamsAdapter, type TurnState, type AdaptiveCard as TeamsAiAdaptiveCard } from '@microsoft/teams-ai';
import {
  ActivityTypes,
  INVOKE_RESPONSE_KEY,
  TeamsInfo,
  TurnContext,
  type ConversationReference,
  type Response as BotResponse,
} from 'botbuilder';
import { ConfigError } from '../../src/ports/errors.js';
import type { Lang } from '../../src/domain/types.js';
import type { ChatAdapter, HttpRoutes } from '../../src/ports/chat-adapter.js';
import type { ConversationDirectory } from '../../src/ports/conversations.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import type { Card } from '../../messages/card.js';
import type { PendingFiles } from '../../src/ports/chat.js';
import { pickLang } from '../../messages/i18n.js';
import { fileConsent } from './file-consent.js';
import { activityProblem, loopbackGuard, processAuthenticated } from './request-guards.js';
import { messageWith, proactiveMessages } from './proactive.js';
import { addressedToBot, conversationMemory } from './conversation-memory.js';
import { cardActions } from './card-actions.js';
import { welcomer } from './welcome.js';
import { DEFAULT_GRAPH_URL, graphFindSent, type GraphTokenSource } from './graph-find-sent.js';
import { configuredGraphToken } from './graph-token.js';
import { actorOf, commandText, conversationKind, inboundOf, tenantOf, type MentionEntity } from './inbound.js';
import { addressedIds, mentionedChannels, mentionedIds, renderAdaptiveCards, summaryOf } from './render-adaptive-card.js';
import {
  DEFAULT_RETRY,
  GovernedHttpClient,
  SlidingWindowLimiter,
  TEAMS_CONVERSATION_LIMITS,
  type RateWindow,
  type RetryOptions,
} from './send-governor.js';

/** The settings the Teams adapter needs, named as the config module names them (the composition root passes its config). */
export interface TeamsConfig {
  MICROSOFT_APP_ID?: string | undefined;
  MICROSOFT_APP_PASSWORD?: string | undefined;
  MICROSOFT_APP_TYPE: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';
  MICROSOFT_APP_TENANT_ID?: string | undefined;
  NODE_ENV: string;
  TEAMS_GRAPH_URL?: string | undefined;
}

/** Which Teams credentials are missing for the chosen app type: the adapter refuses production without them. */
export function teamsCredentialsMissing(c: TeamsConfig): Array<'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID'> {
  const missing: Array<'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID'> = [];
  if (!c.MICROSOFT_APP_ID) missing.push('MICROSOFT_APP_ID');
  if (c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !c.MICROSOFT_APP_PASSWORD) missing.push('MICROSOFT_APP_PASSWORD');
  if (c.MICROSOFT_APP_TYPE !== 'MultiTenant' && !c.MICROSOFT_APP_TENANT_ID) missing.push('MICROSOFT_APP_TENANT_ID');
  return missing;
}

/** What the Teams adapter is given: the bot, and the stores it keeps conversations and offered files in. */
export interface TeamsAdapterOptions {
  config: TeamsConfig;
  bot: Bot;
  /** Conversation references, people and tenant endpoints, kept beside the projects per tenant. */
  conversations: ConversationDirectory;
  /** Exports offered with a file consent card, until they are accepted or declined. */
  pendingFiles: PendingFiles;
  log?: Logger;
  /** Per-conversation send limits; Teams' documented ones by default. */
  limits?: readonly RateWindow[];
  /** Retry of throttled or failed sends (429, 412, 502, 504). */
  retry?: Partial<RetryOptions>;
  /**
   * Microsoft Graph, where a delivery whose answer was lost is looked for (the chat port's findSent). By
   * default `TEAMS_GRAPH_URL` and MSAL tokens from the app's id and secret; without a secret and without
   * `token` the port has no findSent. Tests give the fake Graph's URL and a fixed token.
   */
  graph?: { url?: string; token?: GraphTokenSource; timeoutMs?: number };
}

/** The Teams adapter: the ChatAdapter contract, and whether requests are checked by their Bot Framework token. */
export interface TeamsChatAdapter extends ChatAdapter {
  readonly platform: 'teams';
  /** Serves POST /api/messages. */
  readonly routes: HttpRoutes;
  /** False in development without credentials: then only loopback requests are served. */
  readonly authenticated: boolean;
}

/** Raised when Teams cannot run as configured: a ConfigError whose message names the missing settings. */
export class TeamsConfigError extends ConfigError {
  constructor(readonly missing: string[]) {
    super([
      `The Teams adapter in production needs ${missing.join(', ')} (see the README, "Microsoft Teams"); without them it would accept unauthenticated requests.`,
    ]);
  }
}

export { isLoopback, loopbackGuard } from './request-guards.js';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;
const silent: Log = { info() {}, warn() {}, error() {} };

/**
 * The Microsoft Teams adapter: the teams-ai Application and its TeamsAdapter behind POST /api/messages.
 * Messages become the core's commands, Action.Execute invokes its button presses; replies are Adaptive
 * Cards. Conversation references are kept in Redis so `chat.post` works after a restart.
 */
export function createTeamsAdapter(opts: TeamsAdapterOptions): TeamsChatAdapter {
  const log: Log = opts.log ?? silent;
  const { config, bot } = opts;
  const missing = teamsCredentialsMissing(config);
  if (missing.length > 0 && config.NODE_ENV === 'production') throw new TeamsConfigError(missing);
  const authenticated = missing.length === 0;
  if (!authenticated && config.MICROSOFT_APP_ID) {
    log.warn({ missing }, 'Teams credentials incomplete: serving unauthenticated requests from loopback only');
  }
  const botAppId = authenticated ? (config.MICROSOFT_APP_ID ?? '') : '';

  const limiter = new SlidingWindowLimiter(opts.limits ?? TEAMS_CONVERSATION_LIMITS);
  const httpClient = new GovernedHttpClient(limiter, { ...DEFAULT_RETRY, ...(opts.retry ?? {}) }, log);
  type ClientOptions = NonNullable<ConstructorParameters<typeof TeamsAdapter>[3]>;
  const adapter = new TeamsAdapter(
    authenticated
      ? {
          MicrosoftAppId: config.MICROSOFT_APP_ID,
          MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
          MicrosoftAppType: config.MICROSOFT_APP_TYPE,
          MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
        }
      : {},
    undefined,
    undefined,
    { httpClient } as unknown as ClientOptions,
  );
  const app = new Application<TurnState>({
    adapter,
    botAppId,
    removeRecipientMention: false,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const refs = opts.conversations;

  /** Card updates and posts that run after an invoke was answered; stop() waits for them. */
  const pending = new Set<Promise<void>>();
  const background = (what: string, task: () => Promise<void>) => {
    const p = task()
      .catch((err: unknown) => log.error({ err }, `teams: ${what} failed`))
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const settled = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  // ---------------------------------------------------------------- rendering

  /** Neutral cards as one Adaptive Card and its notification line, with the names, Teams ids and channel names they need. */
  async function render(tenant: string, cards: readonly Card[], lang: Lang, viewer?: string) {
    const [names, teamsIds, channels] = await Promise.all([
      refs.names(tenant, mentionedIds(cards)).catch(() => ({})),
      refs.platformIds(tenant, addressedIds(cards)).catch(() => ({})),
      refs.conversationNames(tenant, mentionedChannels(cards)).catch(() => ({})),
    ]);
    const options = {
      lang,
      names,
      teamsIds,
      channels,
      ...(viewer ? { viewer } : {}),
      onShortened: (bytes: number) => log.warn({ tenant, bytes }, 'teams: a card too big for a Teams message was shortened'),
    };
    const card = renderAdaptiveCards(cards, options);
    return { card, summary: summaryOf(cards, options) };
  }

  const graphUrl = opts.graph?.url ?? config.TEAMS_GRAPH_URL ?? DEFAULT_GRAPH_URL;
  const graphToken = opts.graph?.token ?? (authenticated ? configuredGraphToken(config) : undefined);
  const findSent = graphToken
    ? graphFindSent({
        url: graphUrl,
        token: graphToken,
        refs,
        log,
        ...(config.MICROSOFT_APP_ID ? { botAppId: config.MICROSOFT_APP_ID } : {}),
        ...(opts.graph?.timeoutMs ? { timeoutMs: opts.graph.timeoutMs } : {}),
      })
    : undefined;
  const { continueWith, sendTo, createPersonal, channelMembers, chat } = proactiveMessages({
    adapter,
    botAppId,
    refs,
    render,
    ...(findSent ? { findSent } : {}),
  });

  // ---------------------------------------------------------------- remembering conversations, and the welcome

  const remember = conversationMemory({ refs, log });
  app.turn('beforeTurn', async (context) => {
    // In channels and group chats only messages that mention the bot are its business: the rest are not even remembered.
    if (!addressedToBot(context.activity)) return false;
    try {
      await remember(context);
    } catch (err) {
      log.error({ err }, 'teams: could not store the conversation reference');
    }
    return true;
  });

  const welcome = welcomer({
    refs,
    log,
    async send(context, tenant, card, lang) {
      const { card: rendered, summary } = await render(tenant, [card], lang);
      await context.sendActivity(messageWith(rendered, summary));
    },
  });
  app.conversationUpdate('membersAdded', welcome);
  app.activity(ActivityTypes.InstallationUpdate, welcome);

  // ---------------------------------------------------------------- messages

  const actions = cardActions({ bot, refs, render, continueWith, background, log });

  /** A mentioned person's aadObjectId: from the entity, else the member look-up, else their Teams id. */
  async function resolveMention(context: TurnContext, tenant: string, m: MentionEntity): Promise<string> {
    if (m.aadObjectId) {
      await refs.saveUser(tenant, m.aadObjectId, { platformId: m.id, ...(m.name ? { name: m.name } : {}) }).catch(() => undefined);
      return m.aadObjectId;
    }
    try {
      const member = await TeamsInfo.getMember(context, m.id);
      if (member?.aadObjectId) {
        await refs.saveUser(tenant, member.aadObjectId, {
          platformId: m.id,
          ...(member.name || m.name ? { name: member.name || m.name } : {}),
        });
        return member.aadObjectId;
      }
    } catch (err) {
      log.warn({ err, member: m.id }, 'teams: could not look up a mentioned member; using their Teams id');
    }
    if (m.name) await refs.saveUser(tenant, m.id, { name: m.name, platformId: m.id }).catch(() => undefined);
    return m.id;
  }

  app.activity(ActivityTypes.Message, async (context) => {
    const a = context.activity;
    const tenant = tenantOf(a);
    if (!tenant) {
      log.warn({ conversation: a.conversation?.id }, 'teams: message without a tenant ignored');
      return;
    }
    if (!a.text) return; // card submits (Action.Submit) and attachments without text carry no command
    const text = await commandText(a, (m) => resolveMention(context, tenant, m));
    const inbound = inboundOf(a, tenant, { kind: 'text', text });
    const reply = await bot.handle({ ...inbound, members: { members: channelMembers } });
    try {
      // Teams has no ephemeral messages: a private reply is a reply in the thread (or the 1:1 chat).
      const personal = conversationKind(a) === 'personal';
      const { card, summary } = await render(tenant, reply.cards, reply.lang, personal ? inbound.actor.userId : undefined);
      const sent = await context.sendActivity(messageWith(card, summary));
      const subject = reply.cards.find((c) => c.subject)?.subject;
      if (subject && sent?.id) {
        const reference = TurnContext.getConversationReference(a) as Partial<ConversationReference> & Record<string, unknown>;
        delete reference.activityId;
        await refs.saveCopy(tenant, subject.key, {
          reference,
          messageId: sent.id,
          ...(personal ? { viewer: inbound.actor.userId } : {}),
        });
        // A typed answer changed the request: its other copies show the new state too.
        if (reply.visibility === 'channel') actions.copiesChanged(tenant, reply, sent.id);
      }
      if (reply.attachment) await files.offer(context, tenant, inbound.actor.userId, reply.attachment, reply.lang);
    } catch (err) {
      log.error({ err, tenant, conversation: a.conversation?.id }, 'teams: reply could not be sent');
    }
  });

  // An export's file: offered with a FileConsentCard, uploaded to the person's OneDrive when they accept.
  const files = fileConsent({
    files: opts.pendingFiles,
    log,
    async sendPersonal(tenant, userId, message) {
      const user = await refs.user(tenant, userId);
      const stored = user?.personalConversation ? await refs.conversation(tenant, user.personalConversation) : undefined;
      await (stored ? sendTo(stored, message) : createPersonal(tenant, userId, message));
    },
    async say(context, tenant, text, lang) {
      const { card, summary } = await render(tenant, [{ blocks: [{ type: 'text', text }] }], lang);
      await context.sendActivity(messageWith(card, summary));
    },
    langOf(context, tenant) {
      const actor = actorOf(context.activity, tenant);
      return bot.langOf(tenant, actor.userId, actor.locale).catch(() => pickLang(undefined, actor.locale));
    },
  });
  app.fileConsentAccept((context, _state, response) => files.accept(context, response));
  app.fileConsentDecline((context, _state, response) => files.decline(context, response));

  // ---------------------------------------------------------------- card actions (Universal Actions)

  const isCardAction = async (context: TurnContext) =>
    context.activity.type === ActivityTypes.Invoke &&
    context.activity.name === 'adaptiveCard/action' &&
    (context.activity.value as { action?: { type?: unknown } } | undefined)?.action?.type === 'Action.Execute';

  app.adaptiveCards.actionExecute(isCardAction, async (context): Promise<TeamsAiAdaptiveCard | string> => {
    // Answered here, with an invoke response of its own (see card-actions.ts): teams-ai sends nothing more.
    await actions.onCardAction(context);
    return '';
  });

  app.error(async (_context, err) => {
    log.error({ err }, 'teams: turn failed');
  });

  // ---------------------------------------------------------------- HTTP

  const router = Router();
  router.post(
    '/api/messages',
    loopbackGuard(authenticated),
    express.json({ limit: '1mb' }),
    async (req: ExpressRequest, res: ExpressResponse) => {
      const problem = activityProblem(req.body);
      if (problem) {
        res.status(400).json({ error: `not a Bot Framework activity: ${problem}` });
        return;
      }
      await processAuthenticated<TurnContext>(
        res,
        (response, logic) => adapter.process(req, response as unknown as BotResponse, logic),
        async (context) => {
          await app.run(context);
          // An invoke no route takes (another name, a card action that is not Action.Execute) is the sender's error: 400, not botbuilder's 501.
          if (context.activity.type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
            await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 400 } });
          }
        },
        log,
      );
    },
  );

  return {
    platform: 'teams',
    routes: router as unknown as HttpRoutes,
    chat,
    authenticated,
    // Nothing to connect: Teams posts to the routes, and proactive sends open their own connections.
    async start() {},
    async stop() {
      await settled();
    },
    idle: settled,
  };
}
