/**
 * A worker process for the Slack kill test, run as `node --import tsx slack-worker-process.ts` with
 * REDIS_URL, LV_PREFIX, SLACK_API_URL and SLACK_BOT_TOKEN set: the real startWorkers with the Slack
 * adapter's own ChatPort (chat.postMessage with the key in metadata, findSent through
 * conversations.history), posting to the fake Slack API the test runs. The adapter is never started:
 * a worker only posts. Prints "ready" once its workers run.
 */
import { pino } from 'pino';
import { createSlackAdapter } from '../../../adapters/slack/slack-adapter.js';
import { systemClock } from '../../../src/ports/clock.js';
import { Bot } from '../../../src/use-cases/bot.js';
import { createQueues } from '../../../jobs/job-queues.js';
import { env, runWorkerProcess } from './worker-main.js';

await runWorkerProcess(({ redis, prefix, store, calendar }) => {
  const log = pino({ level: 'silent' });
  const queues = createQueues({ redis, prefix });
  const bot = new Bot({ store, clock: systemClock, calendar, scheduler: queues, deliveries: queues }, log);
  const slack = createSlackAdapter({ botToken: env('SLACK_BOT_TOKEN'), signingSecret: 'unused-by-a-worker', apiUrl: env('SLACK_API_URL'), command: '/lv', bot, log });
  return { chat: slack.chat, close: () => queues.close() };
});
