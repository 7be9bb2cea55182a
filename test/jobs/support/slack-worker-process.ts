/**
 * A worker process for the Slack kill test, run as `node --import tsx slack-worker-process.ts` with
 * REDIS_URL, LV_PREFIX, SLACK_API_URL and SLACK_BOT_TOKEN set: lv-bot composed as `npm run worker` with
 * the Slack adapter, whose ChatPort posts (chat.postMessage with the key in metadata, findSent through
 * conversations.history) to the fake Slack API the test runs. Prints "ready" once its workers run.
 */
import { env, runWorkerProcess } from './worker-main.js';

await runWorkerProcess({
  env: {
    LV_ADAPTERS: 'slack',
    SLACK_BOT_TOKEN: env('SLACK_BOT_TOKEN'),
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_API_URL: env('SLACK_API_URL'),
  },
});
