import { pino } from 'pino';
import { ConsoleShell } from '../adapters/console/console-shell.js';
import { ConfigError, loadConfig } from './config.js';
import { WorkingDayCalendar } from './domain/calendar.js';
import { connectRedis } from './infra/redis/connect.js';
import { RedisNotFoundError } from './infra/redis/embedded-redis.js';
import { RedisStore } from './infra/redis/redis-store.js';
import { systemClock } from './ports/clock.js';
import { Bot } from './use-cases/bot.js';

/** The composition root: reads the config, wires the store, the bot and the adapter, and runs it. */
async function main(): Promise<void> {
  const config = loadConfig();
  // The console owns stdout, so logs go to stderr and only warnings and worse show there.
  const log = pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2));
  const handle = await connectRedis(config.REDIS_URL, config.LV_DATA_DIR);
  const store = new RedisStore(handle.redis, config.LV_REDIS_PREFIX);
  const bot = new Bot({ store, clock: systemClock, calendar: new WorkingDayCalendar() }, log);
  const shutdown = async () => {
    await handle.close();
  };
  process.once('SIGINT', () => void shutdown().then(() => process.exit(130)));
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(143)));
  const interactive = Boolean(process.stdin.isTTY);
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
  await shutdown();
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof RedisNotFoundError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`lv-bot stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
