import type { Cluster, Redis } from 'ioredis';
import { ConversationRefs } from '../../src/infra/redis/conversation-refs.js';
import type { Logger } from '../../src/ports/logger.js';
import { FakeSlackApi } from '../../test/slack/fake-slack-api.js';
import { FakeConnector } from '../../test/teams/fake-connector.js';
import { emptyStats, RateGate, slackChannelOf, teamsConversationOf, type GateWindow } from './rate-gate.js';

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

/** The bot token the benchmark's fake Slack knows (both processes must agree on it). */
export const SLACK_TOKEN = 'xoxb-111-222-bench';

/** The fake Slack's own workspace: the one SLACK_TOKEN is for (FakeSlackApi's default team). */
export const SLACK_TEAM = 'T111';

/** A Slack workspace of the benchmark: its team id (the bot's tenant there) and its own bot token. */
export interface BenchWorkspace {
  team: string;
  token: string;
}

/** The workspaces of the part with several at once, each installed with its own token (Add to Slack). */
export const SLACK_WORKSPACES: readonly BenchWorkspace[] = ['A', 'B', 'C', 'D'].map((x) => ({
  team: `TBENCH${x}`,
  token: `xoxb-bench-${x.toLowerCase()}-workspace`,
}));

/** What a fake platform and its gate saw, as plain JSON: sent from the fakes' process to the benchmark. */
export interface PlatformStats {
  /** Posts the fake accepted through the gate, per channel/conversation (the gate's count). */
  accepted: Record<string, number>;
  /** Instants (Date.now(), same machine clock) the gate admitted the accepted posts at. */
  acceptedAt: number[];
  limitedPerKey: number;
  limitedGlobal: number;
  upstreamErrors: number;
  /** The most posts admitted in any second. */
  peakPerSecond: number;
  /** Posts the fake itself stored per channel/conversation (a repeated idempotency key counts twice). */
  posted: Record<string, number>;
}

/** A fake platform behind its gate, living in the fakes' process (bench/support/broadcast-fakes-process.ts). */
export interface GatedFake<S = PlatformStats> {
  /** Where the bot's adapter should send: Slack's API URL (ends in /api/) or Teams' service URL (ends in /). */
  url: string;
  stats(): S;
  stop(): Promise<void>;
}

function statsOf(gate: RateGate, posted: Map<string, number>, scope?: string): PlatformStats {
  const s = scope === undefined ? gate.stats : (gate.scopes.get(scope) ?? emptyStats());
  return {
    accepted: Object.fromEntries(s.accepted),
    acceptedAt: s.acceptedAt,
    limitedPerKey: s.limitedPerKey,
    limitedGlobal: s.limitedGlobal,
    upstreamErrors: s.upstreamErrors,
    peakPerSecond: gate.peak(1_000, scope),
    posted: Object.fromEntries(posted),
  };
}

async function startGate(gate: RateGate, stopFake: () => Promise<void>): Promise<void> {
  try {
    await gate.start();
  } catch (e) {
    await stopFake();
    throw e;
  }
}

/**
 * The fake Slack Web API behind a gate enforcing, in each workspace on its own (known by the request's bot
 * token, as Slack limits each workspace apart), one message a second per channel and `workspacePerSecond`
 * in the workspace. It knows SLACK_TOKEN's workspace and every one of SLACK_WORKSPACES. Its stats are per
 * workspace (team id); `posted` counts every workspace's channels (the benchmark uses distinct channel ids).
 */
export async function gatedSlackFake(workspacePerSecond: number): Promise<GatedFake<Record<string, PlatformStats>>> {
  const fake = new FakeSlackApi(SLACK_TOKEN);
  const teamOfToken = new Map([[SLACK_TOKEN, SLACK_TEAM]]);
  for (const w of SLACK_WORKSPACES) {
    fake.install(w.token, { id: w.team, name: `Bench ${w.team}`, botUserId: `U${w.team}`, botId: `B${w.team}` });
    teamOfToken.set(w.token, w.team);
  }
  await fake.start();
  const gate = new RateGate({
    upstream: fake.apiUrl.replace(/\/api\/$/, ''),
    classify: slackChannelOf,
    perKey: SLACK_PER_CHANNEL,
    global: [{ ms: 1_000, max: workspacePerSecond }],
    scopeOf: (headers) => teamOfToken.get(/^Bearer (.*)$/.exec(headers.authorization ?? '')?.[1] ?? '') ?? '?',
    limitedBody: JSON.stringify({ ok: false, error: 'ratelimited' }),
  });
  await startGate(gate, () => fake.stop());
  // The calls are not needed: forget them so the fake's memory does not grow with the run.
  const forget = setInterval(() => void fake.calls.splice(0), 1_000);
  forget.unref();
  return {
    url: `${gate.url}/api/`,
    stats() {
      const perChannel = new Map<string, number>();
      const keys = new Set<string>();
      for (const m of fake.messages.values()) {
        const key = (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '';
        perChannel.set(m.channel, (perChannel.get(m.channel) ?? 0) + (keys.has(key) ? 2 : 1)); // a key seen twice counts as a duplicate
        keys.add(key);
      }
      return Object.fromEntries([...teamOfToken.values()].map((team) => [team, statsOf(gate, perChannel, team)]));
    },
    async stop() {
      clearInterval(forget);
      await gate.stop();
      await fake.stop();
    },
  };
}

/** The fake Bot Framework connector behind a gate enforcing Teams' per-conversation limits and the per-app limit. */
export async function gatedTeamsFake(appPerSecond: number): Promise<GatedFake> {
  const fake = new FakeConnector();
  const upstream = await fake.start();
  const gate = new RateGate({
    upstream,
    classify: (method, path) => teamsConversationOf(method, path),
    perKey: TEAMS_PER_CONVERSATION,
    global: [{ ms: 1_000, max: appPerSecond }],
    limitedBody: JSON.stringify({ error: { code: 'Throttled', message: 'Too many requests' } }),
  });
  await startGate(gate, () => fake.stop());
  return {
    url: `${gate.url}/`,
    stats() {
      const perConversation = new Map<string, number>();
      for (const c of fake.delivered('send'))
        if (c.conversationId) perConversation.set(c.conversationId, (perConversation.get(c.conversationId) ?? 0) + 1);
      return statsOf(gate, perConversation);
    },
    async stop() {
      await gate.stop();
      await fake.stop();
    },
  };
}

/**
 * The bot has been added to each Teams conversation: its reference (service URL = the gate, in another
 * process) is stored as the Teams adapter stores it, so the adapter's ChatPort can send there.
 */
export async function seedTeamsConversations(o: {
  redis: Redis | Cluster;
  prefix: string;
  tenant: string;
  conversations: readonly string[];
  serviceUrl: string;
}): Promise<void> {
  const refs = new ConversationRefs(o.redis, o.prefix, 'teams');
  const updatedAt = new Date().toISOString();
  for (const id of o.conversations) {
    await refs.saveConversation(o.tenant, id, {
      reference: {
        channelId: 'msteams',
        serviceUrl: o.serviceUrl,
        conversation: { id, conversationType: 'channel', tenantId: o.tenant, isGroup: true },
        bot: { id: '28:bench-bot', name: 'lv-bot' },
      },
      kind: 'channel',
      updatedAt,
    });
  }
}
