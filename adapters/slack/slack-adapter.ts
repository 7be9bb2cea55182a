/** The Slack adapter: a Bolt app over HTTP (`/slack/events`) or Socket Mode, and the ChatPort for proactive messages. */
import { App, LogLevel, type Logger as BoltLogger, webApi } from '@slack/bolt';
import { Router } from 'express';
import type { ChatAdapter, HttpRoutes } from '../../src/ports/chat-adapter.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import { SubjectCopies, type CopyStore } from './copies.js';
import { Delivery, type ResponseUrlOptions } from './deliver.js';
import { registerHome } from './home.js';
import { registerListeners } from './listeners.js';
import { slackFetch } from './slack-http.js';
import { RecentDeliveries } from './memory.js';
import { SlackPeople } from './people.js';
import { PromptReceiver, refuseFutureTimestamps } from './receiver.js';
import { slackChatPort } from './slack-chat-port.js';
import { registerUninstall } from './uninstall.js';
import { oauthWorkspaces, singleWorkspace, type OAuthOptions, type Workspaces } from './workspaces.js';

/** The one endpoint Slack posts commands, interactions and events to (the manifest's three request URLs). */
export const EVENTS_PATH = '/slack/events';

/** What the Slack adapter needs: the app's credentials, the bot, and tuning of its retries and timeouts. */
export interface SlackAdapterOptions {
  /** One workspace's bot token (SLACK_BOT_TOKEN); or `oauth` for an app installed in many workspaces. */
  botToken?: string;
  /** Installed with Add to Slack in many workspaces: each workspace's token comes from its installation. */
  oauth?: Omit<OAuthOptions, 'apiUrl' | 'log' | 'onInstalled'>;
  signingSecret: string;
  /** An app-level token (xapp-…): Socket Mode instead of HTTP. */
  appToken?: string;
  /** The Web API base URL, `https://slack.com/api/` in production. */
  apiUrl: string;
  /** The slash command, `/lv` by default. */
  command: string;
  bot: Bot;
  log: Logger;
  /** Where the copies of sign-off requests are remembered (Redis), so an answer in one updates the others; without it only the pressed one is. */
  copies?: CopyStore;
  /** Web API retries for replies (429 Retry-After is waited out and retried); the default is five retries over about a minute. Proactive posts (`chat`) never retry. */
  retryConfig?: webApi.RetryOptions;
  /** response_url retries; the default is five attempts starting at a one-second backoff. */
  responseUrl?: Partial<ResponseUrlOptions>;
  /** How long a request a listener takes may go unacknowledged before Bolt answers 404 (3,001 ms by default); a payload no listener takes is answered at once (receiver.ts). */
  unhandledRequestTimeoutMs?: number;
  /** How long a proactive post may wait for Slack (15 s by default); after it the outcome is unknown and the delivery engine looks the message up. */
  deliveryTimeoutMs?: number;
}

/** The Slack adapter: the ChatAdapter contract; over HTTP it serves `routes`, in Socket Mode it has none. */
export interface SlackChatAdapter extends ChatAdapter {
  readonly platform: 'slack';
}

/** The default Web API retry policy: 429 is retried after Retry-After, other failures back off from 1 s to 30 s. */
export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 30_000, randomize: true };

/** Bolt's logger interface on top of ours (Bolt's debug chatter is dropped). */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = 'slack';
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  return {
    debug: () => undefined,
    info: (...m: unknown[]) => log.info({ component: name }, text(m)),
    warn: (...m: unknown[]) => log.warn({ component: name }, text(m)),
    error: (...m: unknown[]) => log.error({ component: name }, text(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}

/** Builds the Slack adapter: Bolt with signature verification, ack-first listeners and the Slack ChatPort. */
export function createSlackAdapter(opts: SlackAdapterOptions): SlackChatAdapter {
  const logger = boltLogger(opts.log);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: opts.apiUrl,
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: false,
    timeout: 15_000,
    fetch: slackFetch,
  };
  const socketMode = Boolean(opts.appToken);
  if (!opts.botToken && !opts.oauth) throw new Error('the Slack adapter needs a bot token or OAuth settings');
  if (opts.oauth && socketMode) throw new Error('installing in many workspaces needs the HTTP endpoint, not Socket Mode');
  const workspaces: Workspaces = opts.oauth
    ? oauthWorkspaces({ ...opts.oauth, apiUrl: opts.apiUrl, log: opts.log, onInstalled: (tenant) => opts.bot.tenantInstalled(tenant) })
    : singleWorkspace(opts.botToken!);
  // Over HTTP the routes go on the composition root's server (with /healthz, Teams' endpoint and the dashboard).
  const router = socketMode ? undefined : Router();
  // Before Bolt's own route on the same path: Bolt refuses old timestamps, this refuses future ones.
  router?.post(EVENTS_PATH, refuseFutureTimestamps(opts.log));
  const receiver = socketMode
    ? undefined
    : new PromptReceiver({
        command: opts.command,
        log: opts.log,
        signingSecret: opts.signingSecret,
        endpoints: EVENTS_PATH,
        processBeforeResponse: false,
        signatureVerification: true,
        logger,
        // A signed body Bolt cannot read as a Slack payload (JSON `null`, an `event` that is not an object) is the sender's error: 400, not 500.
        processEventErrorHandler: async ({ error, response }) => {
          opts.log.warn({ err: error }, 'slack request could not be processed');
          if (response.headersSent) return false;
          response.writeHead(400);
          response.end();
          return true;
        },
        ...(opts.unhandledRequestTimeoutMs !== undefined ? { unhandledRequestTimeoutMillis: opts.unhandledRequestTimeoutMs } : {}),
        ...(router ? { router } : {}),
        ...(workspaces.oauth?.receiverOptions ?? {}),
      });
  if (workspaces.oauth && receiver?.installer) workspaces.oauth.bind(receiver.installer);
  const app = new App({
    // One workspace: its token; many: Bolt's authorize from the receiver's InstallProvider (the right token per request).
    ...(opts.botToken ? { token: opts.botToken } : {}),
    logger,
    clientOptions,
    // Bolt's conversation store (a per-event lookup in a memory map) is unused: every state lives in Redis.
    convoStore: false,
    deferInitialization: true,
    ...(receiver ? { receiver } : { socketMode: true, appToken: opts.appToken }),
  });

  const inflight = new Set<Promise<void>>();
  const track = (work: () => Promise<void>): Promise<void> => {
    const p = work().catch((e: unknown) => opts.log.error({ err: e }, 'slack work after ack failed'));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return p;
  };
  const idle = async (): Promise<void> => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };

  const people = new SlackPeople();
  const copies = opts.copies ? new SubjectCopies(opts.copies, opts.bot, people, opts.log) : undefined;
  const delivery = new Delivery(opts.log, { attempts: 5, backoffMs: 1_000, timeoutMs: 10_000, ...opts.responseUrl }, people, copies);
  registerListeners(app, { bot: opts.bot, log: opts.log, command: opts.command, delivery, people, recent: new RecentDeliveries(), track });
  registerHome(app, { bot: opts.bot, log: opts.log, people, track });
  if (workspaces.oauth) registerUninstall(app, { bot: opts.bot, log: opts.log, remove: workspaces.oauth.remove });
  app.error(async (e) => {
    opts.log.error({ err: e }, 'slack listener failed');
  });

  /** A person's Slack locale, for the language of what the bot sends them unasked (cached an hour; unknown when Slack cannot say). */
  const localeOf = async (tenant: string, userId: string): Promise<string | undefined> => {
    const token = await workspaces.tokenFor(tenant).catch(() => undefined);
    if (!token) return undefined;
    return (await people.person(app.client, tenant, userId, token).catch(() => undefined))?.locale;
  };

  // Proactive posts go through a client of their own that never retries: the delivery engine retries.
  const deliveryClient = new webApi.WebClient(undefined, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.deliveryTimeoutMs ?? 15_000,
    fetch: slackFetch,
    logger,
  });
  const chat = slackChatPort({
    client: deliveryClient,
    tokenFor: (tenant) => workspaces.tokenFor(tenant),
    localeOf,
    people,
    ...(copies ? { copies } : {}),
  });

  let connected = false;
  return {
    platform: 'slack',
    chat,
    ...(router ? { routes: router as unknown as HttpRoutes } : {}),
    idle,
    /** Verifies the token (auth.test; with many workspaces there is none to verify); in Socket Mode also connects to Slack. */
    async start() {
      await app.init();
      if (!receiver) {
        await app.start();
        connected = true;
      }
    },
    async stop() {
      if (connected) {
        connected = false;
        await app.stop();
      }
      await idle();
    },
  };
}
