import { format } from 'node:util';
import { pino, type Logger as Pino } from 'pino';
import { ConsoleChatPort } from '../adapters/console/console-chat-port.js';
import { ConsoleShell } from '../adapters/console/console-shell.js';
import { createQueues, startWorkers, type RunningWorkers } from '../jobs/index.js';
import type { ChatPort } from './ports/chat.js';
import { queueDashboard } from '../jobs/queue-dashboard.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError, RedisNotFoundError } from './ports/errors.js';
import { WorkingDayCalendar } from './domain/calendar.js';
import type { Platform } from './domain/types.js';
import { HttpServer } from './http/http-server.js';
import { connectRedis } from './infra/redis/connect.js';
import { RedisStore } from './infra/redis/redis-store.js';
import { logIdsMixin, newRequestId, withLogIds } from './infra/log-context.js';
import { systemClock } from './ports/clock.js';
import { Bot } from './use-cases/bot.js';

type AdapterName = 'console' | 'slack' | 'teams';
/** `npm start` runs web and workers in one process; `npm run web` and `npm run worker` run one side each. */
type ProcessRole = 'all' | 'web' | 'worker';

function chooseAdapters(config: Config): AdapterName[] {
  if (config.LV_ADAPTERS) return [...new Set(config.LV_ADAPTERS.split(',') as AdapterName[])];
  const chosen: AdapterName[] = [];
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) chosen.push('slack');
  if (config.MICROSOFT_APP_ID) chosen.push('teams');
  return chosen.length > 0 ? chosen : ['console'];
}

function roleOf(arg: string | undefined): ProcessRole {
  if (arg === 'web' || arg === 'worker') return arg;
  if (arg === undefined || arg === 'all') return 'all';
  throw new ConfigError([`unknown process role "${arg}": expected web or worker (npm run web, npm run worker), or nothing for both`]);
}

/** The composition root: reads the config, wires store, queues, bot, adapters and workers, and runs them. */
async function main(): Promise<void> {
  const config = loadConfig();
  const role = roleOf(process.argv[2]);
  const adapters = chooseAdapters(config);
  const consoleMode = adapters.includes('console');
  if (role !== 'all' && !config.REDIS_URL) {
    throw new ConfigError([`npm run ${role} shares Redis with other processes, so REDIS_URL must be set, for example REDIS_URL=redis://127.0.0.1:6379`]);
  }
  // The console owns stdout, so its logs go to stderr and only warnings and worse show there.
  // Secrets never reach a log line, whatever object a caller logs.
  const redact = { paths: ['*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.password', '*.clientSecret', '*.authorization', '*.headers.authorization', '*.headers.cookie', 'config'], censor: '[redacted]' };
  // Every line carries the process's runId and, inside a request, command or job, its reqId or jobId.
  const log = consoleMode
    ? pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, redact, mixin: logIdsMixin }, pino.destination(2))
    : pino({ level: config.LOG_LEVEL, redact, mixin: logIdsMixin });
  consoleToLog(log);
  const handle = await connectRedis(config.REDIS_URL, config.LV_DATA_DIR, log);
  const store = new RedisStore(handle.redis, config.LV_REDIS_PREFIX);
  const calendar = new WorkingDayCalendar();
  const queues = createQueues({ redis: handle.redis, prefix: config.LV_REDIS_PREFIX, log });
  const bot = new Bot({ store, clock: systemClock, calendar, scheduler: queues, deliveries: queues }, log);
  const web = role !== 'worker';
  const http = web && !consoleMode ? new HttpServer({ redis: async () => void (await handle.redis.ping()), queues: async () => void (await queues.deliveries.count()) }, log) : undefined;

  const chats = new Map<Platform, ChatPort>();
  const stops: Array<() => Promise<void>> = [];
  if (consoleMode) chats.set('console', new ConsoleChatPort(process.stdout));
  if (adapters.includes('slack')) {
    if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) {
      throw new ConfigError(['LV_ADAPTERS names slack, but SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set, for example SLACK_BOT_TOKEN=xoxb-1234-5678-abcdef']);
    }
    // Loaded only when chosen: the platform SDKs take seconds to import and the console needs neither.
    const { createSlackAdapter } = await import('../adapters/slack/slack-adapter.js');
    const slack = createSlackAdapter({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      apiUrl: config.SLACK_API_URL,
      command: config.SLACK_COMMAND,
      bot,
      log,
      ...(http ? { app: http.app } : {}),
    });
    chats.set('slack', slack.chat);
    if (http) {
      await slack.start();
      stops.push(() => slack.stop());
    }
  }
  if (adapters.includes('teams')) {
    const { createTeamsAdapter } = await import('../adapters/teams/teams-adapter.js');
    const teams = createTeamsAdapter({ config, bot, redis: handle.redis, prefix: config.LV_REDIS_PREFIX, log });
    chats.set('teams', teams.chat);
    if (http) http.app.use(teams.router);
    stops.push(() => teams.stop());
  }

  const workers: RunningWorkers | undefined =
    role === 'web'
      ? undefined
      : await startWorkers({
          redis: handle.redis,
          prefix: config.LV_REDIS_PREFIX,
          store,
          clock: systemClock,
          calendar,
          log,
          chats,
          dailyPlan: config.LV_DAILY_PLAN === 'off' ? false : config.LV_DAILY_PLAN,
          concurrency: { deliveries: config.LV_DELIVERY_CONCURRENCY },
        });

  // Workers first (they finish or hand back their active jobs), then the adapters, queues and Redis.
  const shutdown = async () => {
    await http?.close();
    await workers?.close();
    for (const stop of stops) await stop();
    await queues.close();
    await handle.close();
  };
  onSignal(shutdown, log);

  if (consoleMode) {
    await runConsole(config, bot, handle.embedded, log);
    await shutdown();
    return;
  }
  if (http) {
    if (config.LV_ADMIN_TOKEN) http.app.use(queueDashboard(queues, config.LV_ADMIN_TOKEN));
    http.finish(log);
    const port = await http.listen(config.PORT, config.HOST);
    log.info({ port, host: config.HOST, adapters, role, redis: handle.embedded ? 'embedded' : 'REDIS_URL' }, 'lv-bot ready');
  } else {
    log.info({ adapters, role }, 'lv-bot workers ready');
  }
}

async function runConsole(config: Config, bot: Bot, embedded: boolean, log: Pino): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) {
    process.stdout.write(`lv-bot console (Redis: ${embedded ? `private server, data in ${config.LV_DATA_DIR}/redis` : 'REDIS_URL'}). Type "help", "quit" to leave.\n`);
  }
  // Each typed command is a unit of work of its own: its log lines share one reqId (at debug, one line per command).
  const handler = {
    handle: (inbound: Parameters<Bot['handle']>[0]) =>
      withLogIds({ reqId: newRequestId() }, async () => {
        const started = performance.now();
        const reply = await bot.handle(inbound);
        log.debug({ input: inbound.input.kind, ms: Math.round(performance.now() - started) }, 'console command');
        return reply;
      }),
  };
  const shell = new ConsoleShell(handler, {
    tenant: config.LV_CONSOLE_TENANT,
    user: config.LV_CONSOLE_USER,
    ...(config.LANG ? { locale: config.LANG } : {}),
    input: process.stdin,
    output: process.stdout,
    interactive,
  });
  await shell.run();
}

/**
 * The SDKs write some failures straight to the console (botbuilder prints a refused request's error);
 * routed through pino they become JSON lines with the request's id and the same redaction as ours.
 */
function consoleToLog(log: Pino): void {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) log[level]({ component: 'console', err: first }, rest.length > 0 ? format(...rest) : first.message);
    else log[level]({ component: 'console' }, format(...args));
  };
  console.debug = line('debug');
  console.log = line('info');
  console.info = line('info');
  console.warn = line('warn');
  console.error = line('error');
}

function onSignal(stop: () => Promise<void>, log: Pino): void {
  const handler = (code: number) => () => {
    log.info({ code }, 'shutting down');
    void stop().finally(() => process.exit(code));
  };
  process.once('SIGINT', handler(130));
  process.once('SIGTERM', handler(143));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof RedisNotFoundError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`lv-bot stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
