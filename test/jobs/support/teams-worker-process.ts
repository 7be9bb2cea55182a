/**
 * A worker process for the Teams kill tests, run as `node --import tsx teams-worker-process.ts` with
 * REDIS_URL, LV_PREFIX and TEAMS_GRAPH_URL set: lv-bot composed as `npm run worker` with the Teams adapter
 * (no credentials, as in the tests), posting through the conversation references the test's web side
 * stored, and reading the fake Microsoft Graph for findSent with the fake's token. Prints "ready".
 */
import { GRAPH_TOKEN } from '../../teams/fake-graph.js';
import { env, runWorkerProcess } from './worker-main.js';

await runWorkerProcess({
  env: { LV_ADAPTERS: 'teams', NODE_ENV: 'test' },
  tune: { teams: { retry: { baseDelayMs: 20 }, graph: { url: env('TEAMS_GRAPH_URL'), token: async () => GRAPH_TOKEN } } },
});
