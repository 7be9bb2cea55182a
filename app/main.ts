import { loadConfig } from '../src/config.js';
import { ConfigError, DataFolderInUseError, RedisNotFoundError } from '../src/ports/errors.js';
import { chooseAdapters, compose, type Composed, type ProcessRole } from './compose.js';
import { consoleToLog, createLogger } from './logger.js';

/** The process's role from its first argument: `web`, `worker`, or nothing for both. */
function roleOf(arg: string | undefined): ProcessRole {
  if (arg === 'web' || arg === 'worker') return arg;
  if (arg === undefined || arg === 'all') return 'all';
  throw new ConfigError([`unknown process role "${arg}": expected web or worker (npm run web, npm run worker), or nothing for both`]);
}

/** `npm start`, `npm run web`, `npm run worker`: reads the environment once, composes lv-bot and runs it until a signal or the end of the console's input. */
async function main(): Promise<void> {
  const config = loadConfig();
  const role = roleOf(process.argv[2]);
  const consoleMode = chooseAdapters(config).includes('console');
  const log = createLogger(config, consoleMode);
  consoleToLog(log);
  const interactive = Boolean(process.stdin.isTTY);
  const app = await compose(config, { role, log, console: { input: process.stdin, output: process.stdout, interactive } });
  onSignal(app, log);
  if (consoleMode && interactive) {
    const where = app.redisSource === 'private' ? `private server, data in ${config.LV_DATA_DIR}/redis` : 'REDIS_URL';
    process.stdout.write(`lv-bot console (Redis: ${where}). Type "help", "quit" to leave.\n`);
  }
  const { port } = await app.start();
  if (app.ended) {
    await app.ended;
    // The last commands' notices (an invitation, a staff question) are still queued: show them before leaving.
    if (app.workers && !(await app.queues.settled())) log.warn({}, 'left with messages still queued; they are sent at the next start');
    await app.stop();
    return;
  }
  const adapters = [...app.adapters.keys()];
  if (app.http)
    log.info({ port, host: config.HOST, adapters, role, redis: app.redisSource === 'private' ? 'embedded' : 'REDIS_URL' }, 'lv-bot ready');
  else log.info({ adapters, role }, 'lv-bot workers ready');
}

function onSignal(app: Composed, log: { info(o: object, m?: string): void }): void {
  const handler = (code: number) => () => {
    log.info({ code }, 'shutting down');
    void app.stop().finally(() => process.exit(code));
  };
  process.once('SIGINT', handler(130));
  process.once('SIGTERM', handler(143));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof RedisNotFoundError || e instanceof DataFolderInUseError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`lv-bot stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
