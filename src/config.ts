import { z } from 'zod';
import { ConfigError } from './ports/errors.js';

/** An optional setting: unset and empty mean the same (a blank line in an env file). */
const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

/** A single server's `redis://`/`rediss://` URL, or `redis+cluster://[user:password@]host:port,host:port…` naming a cluster's seed nodes. */
function isRedisUrl(u: string): boolean {
  if (/^rediss?\+cluster:\/\//i.test(u))
    return /^rediss?\+cluster:\/\/([^@/]*@)?(\[[0-9a-f:.]+\]|[^:,@/[\]]+):\d{1,5}(,(\[[0-9a-f:.]+\]|[^:,@/[\]]+):\d{1,5})*\/?$/i.test(u);
  return /^rediss?:\/\//.test(u) && z.url().safeParse(u).success;
}

/** Each variable with what it expects and an example, so a mistake can be fixed from the message alone. */
const VARS = {
  REDIS_URL: {
    schema: optional(z.string().refine(isRedisUrl, 'must be redis://, rediss:// or redis+cluster://host:port,host:port')),
    expects: 'a Redis URL, or redis+cluster:// with cluster nodes',
    example: 'redis://127.0.0.1:6379',
  },
  LV_REDIS_PREFIX: {
    schema: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/i)
      .default('lv'),
    expects: 'a short key prefix (letters, digits, - or _)',
    example: 'lv',
  },
  LV_DATA_DIR: { schema: z.string().min(1).default('.data'), expects: 'a directory for the private Redis data', example: '.data' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    expects: 'a log level',
    example: 'info',
  },
  PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(3000),
    expects: 'a TCP port number (0: any free port)',
    example: '3000',
  },
  LV_CONSOLE_USER: {
    schema: z
      .string()
      .regex(/^[\p{L}\p{N}._-]{1,64}$/u)
      .default('me'),
    expects: 'the console user name (letters, digits, . _ -)',
    example: 'anna',
  },
  LV_CONSOLE_TENANT: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .default('console'),
    expects: 'the console tenant id',
    example: 'console',
  },
  LANG: { schema: optional(z.string()), expects: 'a locale', example: 'fi_FI.UTF-8' },
  LV_ADAPTERS: {
    schema: optional(z.string().regex(/^(console|slack|teams)(,(console|slack|teams))*$/)),
    expects: 'a comma-separated list of console, slack, teams (default: slack and/or teams when their credentials are set, else console)',
    example: 'slack,teams',
  },
  LV_DAILY_PLAN: {
    schema: z
      .string()
      .regex(/^(off|(\S+\s+){4}\S+)$/)
      .default('5 0 * * *'),
    expects: 'a cron pattern in Helsinki time for the daily reminder plan, or off',
    example: '5 0 * * *',
  },
  LV_DELIVERY_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(200).default(10),
    expects: 'how many deliveries one worker sends at once',
    example: '10',
  },
  LV_ADMIN_TOKEN: {
    schema: optional(z.string().min(16, 'must be at least 16 characters')),
    expects: 'a secret of at least 16 characters that opens the queue dashboard at /admin/queues (unset: no dashboard)',
    example: 'c2VjcmV0LWFkbWluLXRva2Vu',
  },
  LV_METRICS_TOKEN: {
    schema: optional(z.string().min(16, 'must be at least 16 characters')),
    expects:
      'a secret of at least 16 characters a Prometheus scraper sends as Authorization: Bearer to GET /metrics (unset: /metrics answers only this machine)',
    example: 'bWV0cmljcy1zY3JhcGUtdG9rZW4',
  },
  LV_WORKER_PORT: {
    schema: optional(z.coerce.number().int().min(0).max(65535)),
    expects: 'a TCP port on which `npm run worker` serves /healthz, /readyz and /metrics (unset: a worker serves no HTTP)',
    example: '3001',
  },
  HOST: { schema: z.string().min(1).default('127.0.0.1'), expects: 'the address the HTTP server listens on', example: '0.0.0.0' },
  NODE_ENV: {
    schema: z.enum(['production', 'development', 'test']).default('development'),
    expects: 'production, development or test',
    example: 'production',
  },
  SLACK_BOT_TOKEN: {
    schema: optional(z.string().regex(/^xoxb-/, 'must start with xoxb-')),
    expects: "the Slack app's bot token",
    example: 'xoxb-1234-5678-abcdef',
  },
  SLACK_SIGNING_SECRET: {
    // Any non-empty value, as Bolt takes it; one that does not look like Slack's 32 hex digits is warned about at start.
    schema: optional(z.string().min(1)),
    expects: "the Slack app's signing secret (Basic Information page)",
    example: '8f742231b10e8888abcd99ff0e1d85a5',
  },
  SLACK_CLIENT_ID: {
    schema: optional(z.string().regex(/^\d+\.\d+$/, 'must be digits, a dot and digits')),
    expects: "the Slack app's client id, for installing it in many workspaces (Add to Slack)",
    example: '1234567890.1234567890123',
  },
  SLACK_CLIENT_SECRET: {
    schema: optional(z.string().min(1)),
    expects: "the Slack app's client secret (Basic Information page)",
    example: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  },
  SLACK_STATE_SECRET: {
    schema: optional(z.string().min(16, 'must be at least 16 characters')),
    expects: 'a random secret of at least 16 characters that signs the OAuth state of an installation in progress',
    example: 'c3RhdGUtc2VjcmV0LWZvci1vYXV0aA',
  },
  SLACK_REDIRECT_URL: {
    schema: optional(z.url()),
    expects: "the public URL of /slack/oauth_redirect, as in the app's OAuth settings",
    example: 'https://lv-bot.example.fi/slack/oauth_redirect',
  },
  LV_ENCRYPTION_KEY: {
    schema: optional(
      z.string().refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]{43}=$/.test(v), 'must be 32 bytes in base64'),
    ),
    expects: "a 32-byte key in base64 that encrypts the installations' tokens at rest (openssl rand -base64 32)",
    example: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=',
  },
  SLACK_APP_TOKEN: {
    schema: optional(z.string().regex(/^xapp-/, 'must start with xapp-')),
    expects: 'an app-level token with connections:write, for Socket Mode',
    example: 'xapp-1-A111-222-abc',
  },
  SLACK_API_URL: {
    schema: z.url().default('https://slack.com/api/'),
    expects: 'the Slack Web API base URL',
    example: 'https://slack.com/api/',
  },
  SLACK_COMMAND: {
    schema: z
      .string()
      .regex(/^\/[a-z0-9_-]{1,31}$/)
      .default('/lv'),
    expects: 'the slash command',
    example: '/lv',
  },
  MICROSOFT_APP_ID: {
    schema: optional(z.guid()),
    expects: "the Azure bot's Microsoft App ID (a GUID)",
    example: '00000000-0000-0000-0000-000000000000',
  },
  MICROSOFT_APP_PASSWORD: { schema: optional(z.string().min(1)), expects: "the Azure bot's client secret", example: 'abc~123' },
  MICROSOFT_APP_TYPE: {
    schema: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant'),
    expects: 'SingleTenant, UserAssignedMSI or MultiTenant',
    example: 'SingleTenant',
  },
  MICROSOFT_APP_TENANT_ID: {
    schema: optional(z.guid()),
    expects: 'the Microsoft Entra tenant id of the bot (a GUID)',
    example: '00000000-0000-0000-0000-000000000000',
  },
  TEAMS_GRAPH_URL: {
    schema: z.url().default('https://graph.microsoft.com/v1.0'),
    expects: 'the Microsoft Graph base URL (public cloud, or a proxy in front of it) Teams deliveries are looked up in after a lost answer',
    example: 'https://graph.microsoft.com/v1.0',
  },
} as const;

type Vars = typeof VARS;

/** The validated settings; the composition root reads only these, never `process.env`. */
export type Config = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

/** Variables whose values are credentials: a start-up error must not print them (it ends up in logs). */
const SECRET_VARS = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MICROSOFT_APP_PASSWORD',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'LV_ENCRYPTION_KEY',
  'LV_ADMIN_TOKEN',
  'LV_METRICS_TOKEN',
]);

/** A value as a start-up error shows it: secrets only by their length, a URL without its user and password. */
function shown(name: string, value: string | undefined): string {
  if (SECRET_VARS.has(name) && value) return `(hidden, ${value.length} characters)`;
  return JSON.stringify((value ?? '').replace(/\/\/[^@/]*@/, '//[hidden]@'));
}

/** Validates the environment once at start-up; the only reader of `process.env` in the code base. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(VARS)) {
    const parsed = spec.schema.safeParse(env[name]);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name}=${shown(name, env[name])} is not valid: expected ${spec.expects}, for example ${name}=${spec.example}`);
  }
  const c = out as Config;
  if (problems.length === 0) problems.push(...crossChecks(c));
  if (problems.length > 0) throw new ConfigError(problems);
  return c;
}

/** Whether a signing secret looks like Slack's (32 hexadecimal digits); another value is accepted, and warned about at start. */
export function looksLikeSigningSecret(secret: string): boolean {
  return /^[0-9a-f]{32}$/i.test(secret);
}

/** Settings that only make sense together. */
function crossChecks(c: Config): string[] {
  const problems: string[] = [];
  const oauth = Boolean(c.SLACK_CLIENT_ID || c.SLACK_CLIENT_SECRET);
  if (oauth) {
    // Installed in many workspaces (Add to Slack): each workspace's token comes from its installation.
    const missing = (
      ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_SIGNING_SECRET', 'SLACK_STATE_SECRET', 'LV_ENCRYPTION_KEY'] as const
    ).filter((k) => !c[k]);
    if (missing.length > 0)
      problems.push(
        `Installing Slack in many workspaces needs ${missing.join(', ')}, for example ${missing.map((m) => `${m}=${VARS[m].example}`).join(' ')}`,
      );
    if (c.SLACK_BOT_TOKEN)
      problems.push(
        'SLACK_BOT_TOKEN is for one workspace; with SLACK_CLIENT_ID each workspace has its own token from its installation: unset one of them',
      );
  } else if (Boolean(c.SLACK_BOT_TOKEN) !== Boolean(c.SLACK_SIGNING_SECRET)) {
    const missing = c.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    problems.push(
      `${missing} is missing: Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, for example ${missing}=${VARS[missing].example}`,
    );
  }
  if (c.SLACK_APP_TOKEN && !c.SLACK_BOT_TOKEN) {
    problems.push(
      `SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both, for example SLACK_BOT_TOKEN=${VARS.SLACK_BOT_TOKEN.example}`,
    );
  }
  return problems;
}
