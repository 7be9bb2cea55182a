/**
 * A worker process for the Slack kill test, run as `node --import tsx slack-worker-process.ts` with
 * REDIS_URL, LV_PREFIX, SLACK_API_URL and SLACK_BOT_TOKEN set: the real startWorkers with the Slack
 * adapter's own ChatPort (chat.postMessage with the key in metadata, findSent through
 * conversations.history), posting to the fake Slack API the test runs. The adapter is never started:
 * a worker only posts. Prints "ready" once its workers run.
 */
import { pino } from 'pino';
import { createSlackAdapter } from '../../../adapters/slack/slack-adapter.js';
import { WorkingDayCalendar } from '../../../src/domain/calendar.js';
import { createRedisClient } from '../../../src/infra/redis/redis-client.js';
import { RedisStore } from '../../../src/infra/redis/redis-store.js';
import { systemClock } from '../../../src/ports/clock.js';
import { Bot } from '../../../src/use-cases/bot.js';
import { createQueues } from '../../../jobs/job-queues.js';
import { startWorkers } from '../../../jobs/job-workers.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const redis = createRedisClient(env('REDIS_URL'));
const prefix = env('LV_PREFIX');
const log = pino({ level: 'silent' });
const store = new RedisStore(redis, prefix);
const calendar = new WorkingDayCalendar();
const queues = createQueues({ redis, prefix });
const bot = new Bot({ store, clock: systemClock, calendar, scheduler: queues, deliveries: queues }, log);
const slack = createSlackAdapter({ botToken: env('SLACK_BOT_TOKEN'), signingSecret: 'unused-by-a-worker', apiUrl: env('SLACK_API_URL'), command: '/lv', bot, log });
const workers = await startWorkers({
  redis,
  prefix,
  store,
  clock: systemClock,
  calendar,
  chats: new Map([['slack', slack.chat]]),
  dailyPlan: false,
  lockDurationMs: 1_500,
  stalledIntervalMs: 500,
  retry: { baseDelayMs: 50 },
});
process.once('SIGTERM', () => {
  void workers.close().then(async () => {
    await queues.close();
    await redis.quit();
    process.exit(0);
  });
});
process.stdout.write('ready\n');
