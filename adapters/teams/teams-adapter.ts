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
import type { Card, Reply } from '../../messages/card.js';
import type { PendingFiles } from '../../src/ports/chat.js';
import { pickLang } from '../../messages/i18n.js';
import { fileConsent } from './file-consent.js';
import { activityProblem, loopbackGuard, processAuthenticated } from './request-guards.js';
import { messageWith, proactiveMessages, withoutReplyTo } from './proactive.js';
import { DEFAULT_GRAPH_URL, graphFindSent, type GraphTokenSource } from './graph-find-sent.js';
import { configuredGraphToken } from './graph-token.js';
import { teamGroups } from './team-groups.js';
import {
  actionInputOf,
  actorOf,
  baseConversationId,
  commandText,
  conversationKind,
  inboundOf,
  localeOf,
  teamIdOf,
  tenantOf,
  type MentionEntity,
} from './inbound.js';
import { mentionedIds, renderAdaptiveCards, type AdaptiveCard } from './render-adaptive-card.js';
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
  /** The last card each message was updated to, so concurrent identical clicks update it once. */
  const lastUpdate = new Map<string, string>();

  // ---------------------------------------------------------------- rendering

  async function cardFor(tenant: string, cards: readonly Card[], lang: Lang): Promise<AdaptiveCard> {
    const names = await refs.names(tenant, mentionedIds(cards)).catch(() => ({}));
    return renderAdaptiveCards(cards, { lang, names });
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
    cardFor,
    ...(findSent ? { findSent } : {}),
  });

  // ---------------------------------------------------------------- remembering conversations

  const teamGroupOf = teamGroups({ refs, log });

  async function remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    const tenant = tenantOf(a);
    const conversationId = a.conversation?.id;
    if (!tenant || !conversationId) return;
    const baseId = baseConversationId(conversationId);
    const botRemoved =
      (a.type === ActivityTypes.ConversationUpdate && (a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id)) ||
      (a.type === ActivityTypes.InstallationUpdate && a.action === 'remove');
    if (botRemoved) {
      await refs.deleteConversation(tenant, baseId);
      log.info({ tenant, conversation: baseId }, 'teams: bot removed; conversation forgotten');
      return;
    }
    const reference = TurnContext.getConversationReference(a) as Partial<ConversationReference> & Record<string, unknown>;
    delete reference.activityId;
    reference.conversation = { ...(reference.conversation ?? {}), id: baseId } as ConversationReference['conversation'];
    const kind = conversationKind(a);
    const locale = localeOf(a);
    const now = new Date().toISOString();
    // An invoke may name no team: the channel keeps the team it was stored with.
    const stored = kind === 'channel' ? await refs.conversation(tenant, baseId) : undefined;
    const teamId = kind === 'channel' ? (teamIdOf(a) ?? stored?.teamId) : undefined;
    const teamAadGroupId = kind === 'channel' ? await teamGroupOf(context, tenant, teamId, stored?.teamAadGroupId) : undefined;
    await refs.saveConversation(tenant, baseId, {
      reference,
      kind,
      ...(locale ? { locale } : {}),
      ...(teamAadGroupId ? { teamAadGroupId } : {}),
      ...(teamId ? { teamId } : {}),
      updatedAt: now,
    });
    if (a.serviceUrl) await refs.saveTenant(tenant, { serviceUrl: a.serviceUrl, ...(a.recipient?.id ? { botId: a.recipient.id } : {}) });
    const aad = a.from?.aadObjectId;
    if (aad && a.type !== ActivityTypes.ConversationUpdate) {
      await refs.saveUser(tenant, aad, {
        ...(a.from?.id ? { platformId: a.from.id } : {}),
        ...(a.from?.name ? { name: a.from.name } : {}),
        ...(locale ? { locale } : {}),
        ...(kind === 'personal' ? { personalConversation: baseId } : {}),
        ...(a.serviceUrl ? { serviceUrl: a.serviceUrl } : {}),
        updatedAt: now,
      });
    }
  }

  app.turn('beforeTurn', async (context) => {
    try {
      await remember(context);
    } catch (err) {
      log.error({ err }, 'teams: could not store the conversation reference');
    }
    return true;
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const a = context.activity;
    if ((a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) {
      log.info({ tenant: tenantOf(a), conversation: a.conversation?.id, kind: conversationKind(a) }, 'teams: bot added');
    }
  });

  // ---------------------------------------------------------------- messages

  /** A mentioned person's aadObjectId: from the entity, else the member look-up, else their Teams id. */
  async function resolveMention(context: TurnContext, tenant: string, m: MentionEntity): Promise<string> {
    if (m.aadObjectId) return m.aadObjectId;
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
    if (m.name) await refs.saveUser(tenant, m.id, { name: m.name }).catch(() => undefined);
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
      await context.sendActivity(messageWith(await cardFor(tenant, reply.cards, reply.lang)));
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
      await context.sendActivity(messageWith(await cardFor(tenant, [{ blocks: [{ type: 'text', text }] }], lang)));
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
    const a = context.activity;
    const tenant = tenantOf(a);
    if (!tenant) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: {
            statusCode: 400,
            type: 'application/vnd.microsoft.error',
            value: { code: 'BadRequest', message: 'The activity names no tenant.' },
          },
        },
      });
      return '';
    }
    const { action, value, fields } = actionInputOf(a);
    const inbound = inboundOf(a, tenant, { kind: 'action', action, value, ...(Object.keys(fields).length > 0 ? { fields } : {}) });
    const reply: Reply = await bot.handle(inbound);
    const card = await cardFor(tenant, reply.cards, reply.lang);
    if (reply.visibility === 'channel') {
      const reference = TurnContext.getConversationReference(a);
      if (reply.replaceOriginal && a.replyToId) {
        const messageId = a.replyToId;
        const key = `${tenant}|${a.conversation?.id ?? ''}|${messageId}`;
        const json = JSON.stringify(card);
        if (lastUpdate.get(key) !== json) {
          lastUpdate.set(key, json);
          if (lastUpdate.size > 1000) lastUpdate.delete(lastUpdate.keys().next().value as string);
          // Everyone's copy of the message shows the new state; the clicker's is replaced by the invoke response at once.
          background('card update', () =>
            continueWith(reference, async (ctx) => {
              await ctx.updateActivity({ ...messageWith(card), id: messageId });
            }),
          );
        }
      } else {
        background('card post', () =>
          continueWith(reference, async (ctx) => {
            withoutReplyTo(ctx);
            await ctx.sendActivity(messageWith(card));
          }),
        );
      }
    }
    // A private reply (a refusal) goes to the clicker alone, as the invoke response: nothing else changes.
    return card;
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
