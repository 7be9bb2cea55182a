/**
 * The server side of the interaction-latency benchmark, run as a child process so the load generator does
 * not share its event loop: `bot` is lv-bot composed as `npm run web` (the Slack adapter over Bolt's HTTP
 * receiver, the real Bot on a real Redis), its Web API calls going to the fake Slack API in this process;
 * `bare` is a bare Bolt app that only acks. Prints one line `READY {json}` once it takes clicks, and stops
 * cleanly on SIGTERM.
 *
 *   tsx bench/support/latency-target.ts bot <signing-secret> <redis-url> <slack-api-url>
 *   tsx bench/support/latency-target.ts bare <signing-secret>
 */
import { Redis } from 'ioredis';
import { compose } from '../../app/compose.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/ports/logger.js';
import { startBareBoltApp } from '../../test/slack/bare-bolt-app.js';
import type { StoredMessage } from '../../test/slack/fake-slack-api.js';
import { SlackSender } from '../../test/slack/slack-requests.js';
import { BOT_TOKEN, requestSignoff } from './slack-clicks.js';

/** What the target tells the benchmark once it is ready. */
export interface TargetReady {
  port: number;
  /** bot only: the sign-off request message to click on. */
  message?: StoredMessage;
}

/** Counts errors instead of printing them all: the summary goes to stderr at the end. */
function countingLog(): Logger & { errors: number; warnings: number; last?: string } {
  const log: Logger & { errors: number; warnings: number; last?: string } = {
    errors: 0,
    warnings: 0,
    info: () => undefined,
    warn: () => void log.warnings++,
    error: (obj, msg) => {
      log.errors++;
      log.last = `${msg} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.message : v))}`;
    },
  };
  return log;
}

async function main(): Promise<void> {
  const [mode, secret, redisUrl, apiUrl] = process.argv.slice(2);
  if (!secret || (mode !== 'bot' && mode !== 'bare') || (mode === 'bot' && !apiUrl))
    throw new Error('usage: latency-target.ts bot <signing-secret> <redis-url> <slack-api-url> | bare <signing-secret>');
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));

  if (mode === 'bare') {
    const bare = await startBareBoltApp(secret);
    stops.push(bare.stop);
    process.stdout.write(`READY ${JSON.stringify({ port: bare.port } satisfies TargetReady)}\n`);
    return;
  }

  const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 3 });
  stops.push(async () => void (await redis.quit()));
  const prefix = `bench${Date.now()}`;
  const log = countingLog();
  // lv-bot as `npm run web` composes it: the Slack adapter's routes on the one HTTP server.
  const config = loadConfig({
    REDIS_URL: redisUrl,
    LV_REDIS_PREFIX: prefix,
    LV_ADAPTERS: 'slack',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: apiUrl,
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const app = await compose(config, { role: 'web', redis, log });
  const adapter = app.adapters.get('slack')!;
  const { port } = await app.start();
  stops.push(async () => {
    await app.stop();
    process.stderr.write(`bot log: ${log.errors} errors, ${log.warnings} warnings${log.last ? `; last error: ${log.last}` : ''}\n`);
  });
  const sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, secret);
  const message = await requestSignoff({ sender, apiUrl: apiUrl!, token: BOT_TOKEN, settle: () => adapter.idle() });
  process.stdout.write(`READY ${JSON.stringify({ port: port!, message } satisfies TargetReady)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`latency target failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
