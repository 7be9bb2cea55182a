import { pino, type Logger as Pino } from 'pino';
import { ConsoleShell } from '../adapters/console/console-shell.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { createTeamsAdapter } from '../adapters/teams/teams-adapter.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { WorkingDayCalendar } from './domain/calendar.js';
import { HttpServer } from './http/http-server.js';
import { connectRedis, type RedisHandle } from './infra/redis/connect.js';
import { RedisNotFoundError } from './infra/redis/embedded-redis.js';
import { RedisStore } from './infra/redis/redis-store.js';
import { systemClock } from './ports/clock.js';
import { Bot } from './use-cases/bot.js';

type AdapterName = 'console' | 'slack' | 'teams';

/** Which adapters to run: LV_ADAPTERS when given, else each platform whose credentials are set, else the console. */
function chooseAdapters(config: Config): AdapterName[] {
  if (config.LV_ADAPTERS) return [...new Set(config.LV_ADAPTERS.split(',') as AdapterName[])];
  const chosen: AdapterName[] = [];
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) chosen.push('slack');
  if (config.MICROSOFT_APP_ID) chosen.push('teams');
  return chosen.length > 0 ? chosen : ['console'];
}

/** The composition root: reads the config, wires the store, the bot and the adapters, and runs them. */
async function main(): Promise<void> {
  const config = loadConfig();
  const adapters = chooseAdapters(config);
  const consoleMode = adapters.includes('console');
  // The console owns stdout, so its logs go to stderr and only warnings and worse show there.
  const log = consoleMode
    ? pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2))
    : pino({ level: config.LOG_LEVEL });
  const handle = await connectRedis(config.REDIS_URL, config.LV_DATA_DIR);
  const store = new RedisStore(handle.redis, config.LV_REDIS_PREFIX);
  const bot = new Bot({ store, clock: systemClock, calendar: new WorkingDayCalendar() }, log);
  if (consoleMode) {
    await runConsole(config, bot, handle);
    return;
  }
  await runHttp(config, adapters, bot, handle, log);
}

async function runConsole(config: Config, bot: Bot, handle: RedisHandle): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY);
  onSignal(() => handle.close());
  if (interactive) {
    process.stdout.write(`lv-bot console (Redis: ${handle.embedded ? `private server, data in ${config.LV_DATA_DIR}/redis` : 'REDIS_URL'}). Type "help", "quit" to leave.\n`);
  }
  const shell = new ConsoleShell(bot, {
    tenant: config.LV_CONSOLE_TENANT,
    user: config.LV_CONSOLE_USER,
    ...(config.LANG ? { locale: config.LANG } : {}),
    input: process.stdin,
    output: process.stdout,
    interactive,
  });
  await shell.run();
  await handle.close();
}

async function runHttp(config: Config, adapters: AdapterName[], bot: Bot, handle: RedisHandle, log: Pino): Promise<void> {
  const http = new HttpServer({ redis: async () => void (await handle.redis.ping()) });
  const stops: Array<() => Promise<void>> = [];
  if (adapters.includes('slack')) {
    if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) {
      throw new ConfigError(['LV_ADAPTERS names slack, but SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set, for example SLACK_BOT_TOKEN=xoxb-1234-5678-abcdef']);
    }
    const slack = createSlackAdapter({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      apiUrl: config.SLACK_API_URL,
      command: config.SLACK_COMMAND,
      bot,
      log,
      app: http.app,
    });
    await slack.start();
    stops.push(() => slack.stop());
  }
  if (adapters.includes('teams')) {
    const teams = createTeamsAdapter({ config, bot, redis: handle.redis, prefix: config.LV_REDIS_PREFIX, log });
    http.app.use(teams.router);
    stops.push(() => teams.stop());
  }
  http.finish(log);
  const port = await http.listen(config.PORT, config.HOST);
  log.info({ port, host: config.HOST, adapters, redis: handle.embedded ? 'embedded' : 'REDIS_URL' }, 'lv-bot ready');
  onSignal(async () => {
    log.info({}, 'shutting down');
    await http.close();
    for (const stop of stops) await stop();
    await handle.close();
  });
}

function onSignal(stop: () => Promise<void>): void {
  const handler = (code: number) => () => void stop().finally(() => process.exit(code));
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
