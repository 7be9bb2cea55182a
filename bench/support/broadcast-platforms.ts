import type { Cluster, Redis } from 'ioredis';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { createTeamsAdapter } from '../../adapters/teams/teams-adapter.js';
import type { DeliveryChatPort } from '../../jobs/delivery-chat-port.js';
import { ConversationRefs } from '../../src/infra/redis/conversation-refs.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import { FakeSlackApi } from '../../test/slack/fake-slack-api.js';
import { FakeConnector } from '../../test/teams/fake-connector.js';
import { RateGate, slackChannelOf, teamsConversationOf, type GateWindow } from './rate-gate.js';

/** A logger that drops everything but errors (a benchmark prints its own figures). */
export function quietLogger(errors: unknown[] = []): Logger {
  return { info: () => undefined, warn: () => undefined, error: (obj) => void errors.push(obj) };
}

/** Slack's documented pace for chat.postMessage: one a second per channel. */
export const SLACK_PER_CHANNEL: readonly GateWindow[] = [{ ms: 1_000, max: 1 }];

/** Teams, per bot per conversation (rate-limits.json, per_bot_per_thread, "Send to conversation"). */
export const TEAMS_PER_CONVERSATION: readonly GateWindow[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

/** One platform behind its gate, with the real ChatPort the delivery engine posts through. */
export interface GatedPlatform<F> {
  gate: RateGate;
  fake: F;
  chat: DeliveryChatPort;
  stop(): Promise<void>;
}

const SLACK_TOKEN = 'xoxb-111-222-bench';

/**
 * The fake Slack Web API behind a gate enforcing one message a second per channel and `workspacePerSecond`
 * in the workspace; the real Slack adapter's ChatPort posts through the gate.
 */
export async function gatedSlack(o: { bot: Bot; log: Logger; workspacePerSecond: number }): Promise<GatedPlatform<FakeSlackApi>> {
  const fake = new FakeSlackApi(SLACK_TOKEN);
  await fake.start();
  const gate = new RateGate({
    upstream: fake.apiUrl.replace(/\/api\/$/, ''),
    classify: slackChannelOf,
    perKey: SLACK_PER_CHANNEL,
    global: [{ ms: 1_000, max: o.workspacePerSecond }],
    limitedBody: JSON.stringify({ ok: false, error: 'ratelimited' }),
  });
  try {
    await gate.start();
  } catch (e) {
    await fake.stop();
    throw e;
  }
  const adapter = createSlackAdapter({ botToken: SLACK_TOKEN, signingSecret: 'bench-signing-secret', apiUrl: `${gate.url}/api/`, command: '/lv', bot: o.bot, log: o.log });
  return {
    gate,
    fake,
    chat: adapter.chat,
    async stop() {
      await gate.stop();
      await fake.stop();
    },
  };
}

/**
 * The fake Bot Framework connector behind a gate enforcing Teams' per-conversation limits and the per-app
 * limit (`appPerSecond`); the real Teams adapter's ChatPort sends through the gate. The bot has been added
 * to each conversation: its reference (service URL = the gate) is stored as the adapter stores it.
 */
export async function gatedTeams(o: {
  bot: Bot;
  log: Logger;
  redis: Redis | Cluster;
  prefix: string;
  tenant: string;
  conversations: readonly string[];
  appPerSecond: number;
}): Promise<GatedPlatform<FakeConnector>> {
  const fake = new FakeConnector();
  const upstream = await fake.start();
  const gate = new RateGate({
    upstream,
    classify: (method, path) => teamsConversationOf(method, path),
    perKey: TEAMS_PER_CONVERSATION,
    global: [{ ms: 1_000, max: o.appPerSecond }],
    limitedBody: JSON.stringify({ error: { code: 'Throttled', message: 'Too many requests' } }),
  });
  try {
    await gate.start();
  } catch (e) {
    await fake.stop();
    throw e;
  }
  const refs = new ConversationRefs(o.redis, o.prefix, 'teams');
  const updatedAt = new Date().toISOString();
  for (const id of o.conversations) {
    await refs.saveConversation(o.tenant, id, {
      reference: { channelId: 'msteams', serviceUrl: `${gate.url}/`, conversation: { id, conversationType: 'channel', tenantId: o.tenant, isGroup: true }, bot: { id: '28:bench-bot', name: 'lv-bot' } },
      kind: 'channel',
      updatedAt,
    });
  }
  const adapter = createTeamsAdapter({
    config: { MICROSOFT_APP_ID: undefined, MICROSOFT_APP_PASSWORD: undefined, MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: undefined, NODE_ENV: 'test' },
    bot: o.bot,
    redis: o.redis,
    prefix: o.prefix,
    log: o.log,
  });
  return {
    gate,
    fake,
    chat: adapter.chat,
    async stop() {
      await adapter.stop();
      await gate.stop();
      await fake.stop();
    },
  };
}
