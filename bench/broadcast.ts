/**
 * Benchmark 2 (issue 7, issue 15): an announcement at the platforms' limits. A recorded "go" decision announces to
 * 600 Slack channels and to 300 Teams conversations through the real delivery engine (BullMQ workers of
 * jobs/, the Slack and Teams adapters' ChatPorts) on a private Redis, to fake platforms behind a gate that
 * enforces the documented limits (Slack: 1 a second per channel, 100 a second in the workspace; Teams: 7 a
 * second, 8 in 2 s, 60 in 30 s per conversation, and the per-app limit). Then two Slack workspaces (each its
 * own team, tenant, bot token from its installation, and project of 600 channels) have their go decisions
 * recorded at the same moment, through the same one worker process; the gate limits each workspace on its
 * own. Goal: each announcement completes within 1.10 times its own minimum, none lost, none twice. The fakes
 * and their gates run in a child process of their own (bench/support/broadcast-fakes-process.ts), so that
 * this process holds only the bot; their figures are fetched from the child's GET /bench-stats at the end.
 *
 *   npx tsx bench/broadcast.ts [--quick] [--slack 600] [--teams 300] [--workspaces 2] [--workspace-channels 600]
 *                              [--langs 1] [--concurrency 10] [--workspace-rps 100] [--teams-app-rps 30]
 *
 * `--workspaces 0` leaves the part with several workspaces out (at most 4); `--slack 0` or `--teams 0` a
 * one-workspace part. `--workspace-rps` and `--teams-app-rps` set the limits the gate enforces (the
 * platform's side); the engine paces itself by its own `PLATFORM_WIDE_LIMITS` (jobs/conversation-limiter.ts).
 * The minimum is messages ÷ the platform's rate, as the issue defines it; completion is the decision to the
 * instant the gate admitted the last post. The exit code is 1 when a message was lost, sent twice or failed.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LANGS, type Platform } from '../src/domain/types.js';
import { compose } from '../app/compose.js';
import { loadConfig } from '../src/config.js';
import { EmbeddedRedis } from '../src/infra/redis/embedded-redis.js';
import { RedisInstallationVault } from '../src/infra/redis/installation-vault.js';
import {
  quietLogger,
  seedTeamsConversations,
  SLACK_TEAM,
  SLACK_TOKEN,
  SLACK_WORKSPACES,
  type PlatformStats,
} from './support/broadcast-platforms.js';
import { GOAL_RATIO, printResult, printTable, runPart, type Announcement, type PartResult } from './support/broadcast-parts.js';
import { start } from './support/children.js';
import { root } from './support/args.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

const quick = process.argv.includes('--quick');
const slackChannels = flag('slack', quick ? 200 : 600);
const opts = {
  slack: slackChannels,
  teams: flag('teams', quick ? 90 : 300),
  workspaces: Math.min(SLACK_WORKSPACES.length, flag('workspaces', 2)),
  workspaceChannels: flag('workspace-channels', slackChannels || 600),
  langs: Math.max(1, Math.min(3, flag('langs', 1))),
  concurrency: flag('concurrency', 10) || 10, // LV_DELIVERY_CONCURRENCY's default
  workspaceRps: flag('workspace-rps', 100) || 100,
  // rate-limits.json: the stored msteams-docs commit says 30 RPS per app per tenant, a later quote 50; the lower binds.
  teamsAppRps: flag('teams-app-rps', 30) || 30,
};

const SLACK_LIMITS = `1/s per channel, ${opts.workspaceRps}/s per workspace`;
const TEAMS_LIMITS = `7/1s, 8/2s, 60/30s, 1800/h per conversation, ${opts.teamsAppRps}/s per app`;

/** Where the fakes' process listens. */
interface Fakes {
  slackApiUrl: string;
  teamsServiceUrl: string;
  statsUrl: string;
}

/** What the gate saw on one platform, from the fakes' process: Teams', or one Slack workspace's. */
function statsOf(fakes: Fakes, platform: 'slack' | 'teams', team = SLACK_TEAM): () => Promise<PlatformStats> {
  return async () => {
    const res = await fetch(fakes.statsUrl);
    if (!res.ok) throw new Error(`GET ${fakes.statsUrl}: ${res.status}`);
    const all = (await res.json()) as { slack: Record<string, PlatformStats>; teams: PlatformStats };
    return platform === 'teams' ? all.teams : all.slack[team]!;
  };
}

/** Channel ids of one Slack workspace: distinct across workspaces, as Slack's are. */
const channelIds = (tag: string, n: number): string[] => Array.from({ length: n }, (_, i) => `C${tag}${String(i).padStart(6, '0')}`);

/** A Slack announcement of `channels` channels at the gate's workspace rate. */
function slackAnnouncement(label: string, tenant: string, ids: string[], stats: Announcement['stats']): Announcement {
  const messages = ids.length * opts.langs;
  return {
    label,
    platform: 'slack',
    tenant,
    ids,
    stats,
    minimumS: Math.max(messages / opts.workspaceRps, opts.langs),
    earliestLastPostS: Math.max(Math.ceil(messages / opts.workspaceRps) - 1, opts.langs - 1),
  };
}

/**
 * lv-bot as `npm run worker` composes it (the ChatPorts post to the fakes), on its own key prefix: `env` adds the
 * platforms' settings (one Slack token and Teams, or Add to Slack with installations in the vault).
 */
async function worker(url: string, redis: Redis, prefix: string, env: Record<string, string>, cleanups: Array<() => Promise<unknown>>) {
  const errors: unknown[] = [];
  const config = loadConfig({
    REDIS_URL: url,
    LV_REDIS_PREFIX: prefix,
    LV_DAILY_PLAN: 'off',
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    LV_DELIVERY_CONCURRENCY: String(opts.concurrency),
    NODE_ENV: 'test',
    ...env,
  });
  const app = await compose(config, { role: 'worker', redis, log: quietLogger(errors) });
  cleanups.push(() => app.stop());
  await app.start();
  return { app, errors };
}

/** The one-workspace parts: Slack (one token) and Teams, one after the other, on one worker process. */
async function oneWorkspaceParts(url: string, redis: Redis, fakes: Fakes, cleanups: Array<() => Promise<unknown>>) {
  const prefix = 'bench';
  const teamsTenant = 'bench-teams-tenant';
  const teamsIds = Array.from({ length: opts.teams }, (_, i) => `19:bench${String(i).padStart(5, '0')}@thread.tacv2`);
  await seedTeamsConversations({ redis, prefix, tenant: teamsTenant, conversations: teamsIds, serviceUrl: fakes.teamsServiceUrl });
  const { app, errors } = await worker(
    url,
    redis,
    prefix,
    {
      LV_ADAPTERS: 'slack,teams',
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: fakes.slackApiUrl,
    },
    cleanups,
  );
  const langs = LANGS.slice(0, opts.langs);
  let slack: PartResult | undefined;
  let teams: PartResult | undefined;
  if (opts.slack > 0) {
    [slack] = await runPart(app, langs, [
      slackAnnouncement('slack', 'bench-slack-tenant', channelIds('', opts.slack), statsOf(fakes, 'slack')),
    ]);
    printResult(slack!, SLACK_LIMITS);
  }
  if (opts.teams > 0) {
    const messages = opts.teams * opts.langs;
    [teams] = await runPart(app, langs, [
      {
        label: 'teams',
        platform: 'teams',
        tenant: teamsTenant,
        ids: teamsIds,
        stats: statsOf(fakes, 'teams'),
        minimumS: Math.max(messages / opts.teamsAppRps, opts.langs / 7),
        earliestLastPostS: Math.ceil(messages / opts.teamsAppRps) - 1,
      },
    ]);
    printResult(teams!, TEAMS_LIMITS);
  }
  await app.stop();
  return { slack, teams, errors };
}

/**
 * Several Slack workspaces at once: the app installed with Add to Slack in each (its installation, with its own
 * bot token, in the encrypted vault as an install stores it), and every workspace's go decision recorded at the
 * same moment, through one worker process.
 */
async function workspacesPart(url: string, redis: Redis, fakes: Fakes, cleanups: Array<() => Promise<unknown>>) {
  const prefix = 'bench-workspaces';
  const key = randomBytes(32);
  const vault = new RedisInstallationVault(redis, prefix, key);
  const workspaces = SLACK_WORKSPACES.slice(0, opts.workspaces);
  for (const w of workspaces) {
    // As @slack/oauth's Installation (v2, one workspace) stores it; the type stays in adapters/slack/.
    const installation = {
      team: { id: w.team, name: `Bench ${w.team}` },
      enterprise: undefined,
      user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
      bot: { token: w.token, scopes: ['chat:write'], id: `B${w.team}`, userId: `U${w.team}` },
      isEnterpriseInstall: false,
      authVersion: 'v2',
    };
    await vault.put(w.team, 'slack', JSON.stringify(installation));
  }
  const { app, errors } = await worker(
    url,
    redis,
    prefix,
    {
      LV_ADAPTERS: 'slack',
      SLACK_CLIENT_ID: '111.222',
      SLACK_CLIENT_SECRET: 'bench-client-secret',
      SLACK_STATE_SECRET: 'bench-state-secret-0123456789',
      LV_ENCRYPTION_KEY: key.toString('base64'),
      SLACK_API_URL: fakes.slackApiUrl,
    },
    cleanups,
  );
  const results = await runPart(
    app,
    LANGS.slice(0, opts.langs),
    workspaces.map((w) =>
      slackAnnouncement(w.team, w.team, channelIds(w.team.slice(-1), opts.workspaceChannels), statsOf(fakes, 'slack', w.team)),
    ),
  );
  console.log(`
${workspaces.length} Slack workspaces at once, decisions recorded at the same moment, one worker process (${SLACK_LIMITS}):`);
  printTable(results);
  const met = results.every((r) => r.goalMet);
  console.log(`  each within ${GOAL_RATIO}× its own minimum, none lost, none twice → goal ${met ? 'MET' : 'MISSED'}`);
  await app.stop();
  return { results, errors };
}

async function main(): Promise<number> {
  const server = new EmbeddedRedis({ persistence: 'none' });
  const cleanups: Array<() => Promise<unknown>> = [];
  const { url } = await server.start();
  cleanups.push(() => server.stop());
  try {
    const redis = new Redis(url);
    cleanups.push(() => redis.quit());
    const child = start(
      process.execPath,
      ['--import', 'tsx', 'bench/support/broadcast-fakes-process.ts', String(opts.workspaceRps), String(opts.teamsAppRps)],
      { cwd: root },
    );
    cleanups.push(() => child.stop());
    const fakes = JSON.parse(/^READY (.*)$/m.exec(await child.waitFor(/^READY .*$/m, 90_000))![1]!) as Fakes;
    console.log(
      `broadcast benchmark${quick ? ' (--quick)' : ''}: ${opts.langs} language(s) per channel, delivery concurrency ${opts.concurrency}, one worker process (the fakes and gates in a child process)`,
    );
    const one = await oneWorkspaceParts(url, redis, fakes, cleanups);
    const many = opts.workspaces > 0 ? await workspacesPart(url, redis, fakes, cleanups) : undefined;
    const errors = [...one.errors, ...(many?.errors ?? [])];
    if (errors.length > 0)
      console.log(`\n${errors.length} error(s) logged by the bot; the first: ${JSON.stringify(errors[0]).slice(0, 300)}`);

    const all = [one.slack, one.teams, ...(many?.results ?? [])].filter((r): r is PartResult => r !== undefined);
    const goalMet = all.every((r) => r.goalMet);
    const ratios = (platform: Platform, several: boolean) =>
      (several ? (many?.results ?? []) : all.filter((r) => r.platform === platform && r.label === platform)).map(
        (r) => `${r.ratio.toFixed(2)}×`,
      );
    const summary = [
      one.slack ? `Slack ${ratios('slack', false).join('')}` : '',
      one.teams ? `Teams ${ratios('teams', false).join('')}` : '',
      many ? `${many.results.length} workspaces at once ${ratios('slack', true).join(' / ')}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const lost = all.reduce((n, r) => n + r.lost, 0);
    const twice = all.reduce((n, r) => n + r.twice, 0);
    const line = `${summary}; ${lost} lost, ${twice} twice (goal ≤ ${GOAL_RATIO}× each, none lost or twice)`;
    console.log(`\ngoal (each ≤ ${GOAL_RATIO}× its own minimum, none lost, none twice): ${goalMet ? 'MET' : 'MISSED'}: ${line}`);
    console.log(
      JSON.stringify({
        bench: 'broadcast',
        quick,
        options: opts,
        slack: one.slack,
        teams: one.teams,
        workspaces: many?.results,
        goalMet,
        summary: line,
      }),
    );
    const broken = all.some((r) => r.lost > 0 || r.twice > 0 || r.failed > 0);
    return broken ? 1 : 0;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
