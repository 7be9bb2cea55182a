import type { Readable, Writable } from 'node:stream';
import { looksLikeSigningSecret, type Config } from '../src/config.js';
import { WorkingDayCalendar } from '../src/domain/calendar.js';
import type { Platform } from '../src/domain/types.js';
import { connectRedis } from '../src/infra/redis/connect.js';
import { ConversationRefs } from '../src/infra/redis/conversation-refs.js';
import { RedisInstallationVault } from '../src/infra/redis/installation-vault.js';
import { RedisPendingFiles } from '../src/infra/redis/pending-files.js';
import type { RedisClient } from '../src/infra/redis/redis-client.js';
import { RedisStore } from '../src/infra/redis/redis-store.js';
import { newRequestId, withLogIds } from '../src/infra/log-context.js';
import { PdfkitRenderer } from '../src/infra/pdf/pdfkit-renderer.js';
import type { ChatAdapter } from '../src/ports/chat-adapter.js';
import type { ChatPort, ChatRegistry } from '../src/ports/chat.js';
import { systemClock, type Clock } from '../src/ports/clock.js';
import { ConfigError } from '../src/ports/errors.js';
import type { Logger } from '../src/ports/logger.js';
import type { ProjectStore } from '../src/ports/store.js';
import { Bot } from '../src/use-cases/bot.js';
import { createQueues, type JobQueues, type QueueDeps, type RunningWorkers, type WorkerDeps } from '../jobs/index.js';
import type { SlackAdapterOptions } from '../adapters/slack/slack-adapter.js';
import type { TeamsAdapterOptions } from '../adapters/teams/teams-adapter.js';
import { HttpServer } from './http-server.js';
import { PromMetrics } from './metrics.js';

/** `npm start` runs web and workers in one process; `npm run web` and `npm run worker` run one side each. */
export type ProcessRole = 'all' | 'web' | 'worker';

/** Settings of the parts that production leaves at their defaults; tests and benchmarks make retries fast or limits loose. */
export interface Tuning {
  queues?: Pick<QueueDeps, 'retry'>;
  workers?: Omit<Partial<WorkerDeps>, 'redis' | 'prefix' | 'store' | 'clock' | 'calendar' | 'chats' | 'log'>;
  slack?: Pick<SlackAdapterOptions, 'retryConfig' | 'responseUrl' | 'unhandledRequestTimeoutMs' | 'deliveryTimeoutMs'>;
  /** Where Slack's OAuth consent page is (a test's fake). */
  slackAuthorizationUrl?: string;
  teams?: Pick<TeamsAdapterOptions, 'retry' | 'limits' | 'graph'>;
  /** Wraps the store the bot uses (a test that injects faults); the workers keep the real one. */
  store?: (store: RedisStore) => ProjectStore;
}

/** What the composition takes besides the config: the process's role and what the process owns (streams, a clock). */
export interface ComposeOptions {
  role?: ProcessRole;
  /** An open Redis to use (and leave open) instead of REDIS_URL or a private server: tests give their throwaway one. */
  redis?: RedisClient;
  clock?: Clock;
  log?: Logger;
  /** The console's terminal; the process's standard input and output by default. */
  console?: { input: Readable; output: Writable; interactive: boolean; exportDir?: string };
  tune?: Tuning;
  /** Adapters built by the caller instead of those the config names (a test's recording platform); same contract. */
  adapters?: readonly ChatAdapter[];
}

/** A composed lv-bot: every part wired once, started and stopped as one. */
export interface Composed {
  readonly config: Config;
  readonly role: ProcessRole;
  readonly log: Logger;
  readonly redis: RedisClient;
  /** Where the Redis came from: a private server of this process, REDIS_URL, or the caller. */
  readonly redisSource: 'private' | 'url' | 'given';
  readonly store: RedisStore;
  readonly clock: Clock;
  readonly calendar: WorkingDayCalendar;
  readonly queues: JobQueues;
  readonly bot: Bot;
  readonly adapters: ReadonlyMap<Platform, ChatAdapter>;
  readonly chats: ChatRegistry;
  /** What an operator scrapes at /metrics. */
  readonly metrics: PromMetrics;
  /** The one HTTP server (adapters' routes, /healthz, /readyz, the dashboard); none in a worker or console-only process. */
  readonly http: HttpServer | undefined;
  /** The running workers, once started (none in a web process). */
  readonly workers: RunningWorkers | undefined;
  /** Resolves when an adapter ends by itself (the console at the end of its input). */
  readonly ended: Promise<void> | undefined;
  /** Starts the workers, the adapters and the HTTP server; resolves with the port it listens on. */
  start(): Promise<{ port?: number }>;
  /** Stops in order: HTTP, workers (they finish their jobs), adapters, queues, Redis. Safe to call twice. */
  stop(): Promise<void>;
}

const silent: Logger = { info() {}, warn() {}, error() {} };

/** Which adapters run: LV_ADAPTERS, else Slack and/or Teams when their credentials are set, else the console. */
export function chooseAdapters(config: Config): Platform[] {
  if (config.LV_ADAPTERS) return [...new Set(config.LV_ADAPTERS.split(',') as Platform[])];
  const chosen: Platform[] = [];
  if ((config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID) && config.SLACK_SIGNING_SECRET) chosen.push('slack');
  if (config.MICROSOFT_APP_ID) chosen.push('teams');
  return chosen.length > 0 ? chosen : ['console'];
}

/**
 * The composition root: reads nothing but the config it is given, and wires store, queues, bot, adapters,
 * workers and the HTTP server. `app/main.ts` runs it for `npm start`; every test harness composes the same way.
 */
export async function compose(config: Config, options: ComposeOptions = {}): Promise<Composed> {
  const role = options.role ?? 'all';
  const log = options.log ?? silent;
  const names = options.adapters ? [] : chooseAdapters(config);
  if (role !== 'all' && !config.REDIS_URL && !options.redis) {
    throw new ConfigError([
      `npm run ${role} shares Redis with other processes, so REDIS_URL must be set, for example REDIS_URL=redis://127.0.0.1:6379`,
    ]);
  }
  if (names.includes('slack') && (!(config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID) || !config.SLACK_SIGNING_SECRET)) {
    throw new ConfigError([
      'LV_ADAPTERS names slack, but neither SLACK_BOT_TOKEN (one workspace) nor SLACK_CLIENT_ID (Add to Slack) is set with SLACK_SIGNING_SECRET, for example SLACK_BOT_TOKEN=xoxb-1234-5678-abcdef',
    ]);
  }
  if (names.includes('slack') && config.SLACK_SIGNING_SECRET && !looksLikeSigningSecret(config.SLACK_SIGNING_SECRET)) {
    log.warn(
      {},
      "SLACK_SIGNING_SECRET does not look like a Slack signing secret (32 hexadecimal digits): check it on the app's Basic Information page",
    );
  }
  const handle = options.redis ? undefined : await connectRedis(config.REDIS_URL, config.LV_DATA_DIR, log);
  const redis = options.redis ?? handle!.redis;
  const prefix = config.LV_REDIS_PREFIX;
  const clock = options.clock ?? systemClock;
  const calendar = new WorkingDayCalendar();
  const store = new RedisStore(redis, prefix);
  const queues = createQueues({ redis, prefix, log, ...(options.tune?.queues ?? {}) });
  const metrics = new PromMetrics(queues);
  // Filled once the adapters are built (they need the bot): the bot asks them for people's language settings.
  const chats = new Map<Platform, ChatPort>();
  const bot = new Bot(
    {
      store: options.tune?.store ? options.tune.store(store) : store,
      clock,
      calendar,
      scheduler: queues,
      deliveries: queues,
      chats,
      metrics,
      documents: new PdfkitRenderer(),
    },
    log,
  );
  const web = role !== 'worker';

  const adapters = new Map<Platform, ChatAdapter>();
  try {
    for (const a of options.adapters ?? []) adapters.set(a.platform, a);
    for (const name of names) adapters.set(name, await buildAdapter(name, { config, bot, redis, log, options }));
  } catch (e) {
    await queues.close();
    await handle?.close();
    throw e;
  }
  for (const [platform, adapter] of adapters) chats.set(platform, adapter.chat);
  const serving = [...adapters.values()].filter((a) => a.platform !== 'console');
  // A web process serves the platforms; a worker serves only its probes and metrics, and only on LV_WORKER_PORT.
  const listenOn = web ? (serving.length > 0 ? config.PORT : undefined) : config.LV_WORKER_PORT;
  const checks = { redis: async () => void (await redis.ping()), queues: async () => void (await queues.deliveries.count()) };
  const http = listenOn !== undefined ? new HttpServer(checks, log, [metrics.timing()]) : undefined;
  if (http) {
    http.app.use(metrics.handler(config.LV_METRICS_TOKEN));
    if (web) for (const a of serving) if (a.routes) http.app.use(a.routes);
    // Loaded only where it is used: Bull Board and its Express views take a fifth of a second to load.
    if (web && config.LV_ADMIN_TOKEN) {
      const { queueDashboard } = await import('../jobs/queue-dashboard.js');
      http.app.use(queueDashboard(queues, config.LV_ADMIN_TOKEN));
    }
    http.finish(log);
  }

  let workers: RunningWorkers | undefined;
  let started = false;
  let stopping: Promise<void> | undefined;
  const ended = adapters.get('console')?.ended;
  return {
    config,
    role,
    log,
    redis,
    redisSource: options.redis ? 'given' : handle?.embedded ? 'private' : 'url',
    store,
    clock,
    calendar,
    queues,
    bot,
    adapters,
    chats,
    metrics,
    http,
    get workers() {
      return workers;
    },
    ended,
    async start() {
      if (started) throw new Error('already started');
      started = true;
      if (role !== 'web') {
        const tune = options.tune?.workers ?? {};
        // The workers' code (processors, planner, limiter) is loaded by the processes that run them, not by `web`.
        const { startWorkers } = await import('../jobs/job-workers.js');
        workers = await startWorkers({
          redis,
          prefix,
          store,
          clock,
          calendar,
          log,
          chats,
          metrics,
          dailyPlan: config.LV_DAILY_PLAN === 'off' ? false : config.LV_DAILY_PLAN,
          ...(options.tune?.queues ?? {}),
          ...tune,
          concurrency: { deliveries: config.LV_DELIVERY_CONCURRENCY, ...(tune.concurrency ?? {}) },
        });
      }
      // A worker process builds the adapters for their chat ports only: it takes no requests.
      if (web) for (const a of adapters.values()) await a.start();
      if (!http || listenOn === undefined) return {};
      return { port: await http.listen(listenOn, config.HOST) };
    },
    stop() {
      stopping ??= (async () => {
        await http?.close();
        await workers?.close();
        for (const a of adapters.values()) await a.stop();
        await queues.close();
        await handle?.close();
      })();
      return stopping;
    },
  };
}

interface BuildContext {
  config: Config;
  bot: Bot;
  redis: RedisClient;
  log: Logger;
  options: ComposeOptions;
}

/** One platform's adapter; the SDKs are loaded only when chosen (they take seconds to import, and the console needs neither). */
async function buildAdapter(name: Platform, c: BuildContext): Promise<ChatAdapter> {
  const { config, bot, log, options } = c;
  switch (name) {
    case 'console': {
      const { createConsoleAdapter } = await import('../adapters/console/console-adapter.js');
      const io = options.console ?? { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) };
      return createConsoleAdapter({
        bot,
        tenant: config.LV_CONSOLE_TENANT,
        user: config.LV_CONSOLE_USER,
        ...(config.LANG ? { locale: config.LANG } : {}),
        ...io,
        // Each typed command is a unit of work of its own: its log lines share one reqId (at debug, one line per command).
        around: (run) =>
          withLogIds({ reqId: newRequestId() }, async () => {
            const began = performance.now();
            const reply = await run();
            log.debug?.({ ms: Math.round(performance.now() - began) }, 'console command');
            return reply;
          }),
      });
    }
    case 'slack': {
      const { createSlackAdapter } = await import('../adapters/slack/slack-adapter.js');
      const oauth = config.SLACK_CLIENT_ID
        ? {
            clientId: config.SLACK_CLIENT_ID,
            clientSecret: config.SLACK_CLIENT_SECRET!,
            stateSecret: config.SLACK_STATE_SECRET!,
            ...(config.SLACK_REDIRECT_URL ? { redirectUrl: config.SLACK_REDIRECT_URL } : {}),
            vault: new RedisInstallationVault(c.redis, config.LV_REDIS_PREFIX, Buffer.from(config.LV_ENCRYPTION_KEY!, 'base64'), (tenant) =>
              log.warn(
                { tenant },
                'a Slack installation cannot be decrypted with LV_ENCRYPTION_KEY: that workspace must install the app again',
              ),
            ),
            ...(options.tune?.slackAuthorizationUrl ? { authorizationUrl: options.tune.slackAuthorizationUrl } : {}),
          }
        : undefined;
      return createSlackAdapter({
        ...(oauth ? { oauth } : { botToken: config.SLACK_BOT_TOKEN! }),
        signingSecret: config.SLACK_SIGNING_SECRET!,
        ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
        apiUrl: config.SLACK_API_URL,
        command: config.SLACK_COMMAND,
        bot,
        log,
        copies: new ConversationRefs(c.redis, config.LV_REDIS_PREFIX, 'slack'),
        ...(options.tune?.slack ?? {}),
      });
    }
    case 'teams': {
      const { createTeamsAdapter } = await import('../adapters/teams/teams-adapter.js');
      return createTeamsAdapter({
        config,
        bot,
        conversations: new ConversationRefs(c.redis, config.LV_REDIS_PREFIX, 'teams'),
        pendingFiles: new RedisPendingFiles(c.redis, config.LV_REDIS_PREFIX),
        log,
        ...(options.tune?.teams ?? {}),
      });
    }
  }
}
