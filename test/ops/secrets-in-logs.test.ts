/**
 * Secrets never reach the logs. `app/main.ts` runs as a child process at LOG_LEVEL=trace with distinctive
 * fake credentials, against the fake Slack Web API and the fake Teams connector, and is driven through a
 * whole run: slash commands, a button click, a rate-limited Slack call, a forged signature, Teams
 * messages, the queue dashboard opened with its token in the query string, and shutdown. Everything it
 * writes to stdout and stderr is captured: no secret appears in it (plain, URL-encoded or base64 at any
 * alignment), and every line is a JSON log line that carries a reqId, a jobId or a runId.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/infra/redis/embedded-redis.js';
import { waitFor } from '../jobs/support/wait.js';
import { FakeSlackApi, type StoredMessage } from '../slack/fake-slack-api.js';
import { buttonOf } from '../slack/harness.js';
import { fixture as slackFixture, SlackSender } from '../slack/slack-requests.js';
import { FakeConnector } from '../teams/fake-connector.js';
import { fixture as teamsFixture } from '../teams/teams-harness.js';
import { freshRedis } from '../support/redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tag = randomBytes(6).toString('hex');
/** Fake but distinctive: each could only come from the environment the child was given. */
const SECRETS = {
  SLACK_BOT_TOKEN: `xoxb-9000-${tag}-botTokenNeverLogged`,
  SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
  MICROSOFT_APP_PASSWORD: `teamsPw~${tag}.NeverLogged_${randomBytes(8).toString('hex')}`,
  LV_ADMIN_TOKEN: `admin-${tag}-${randomBytes(12).toString('hex')}`,
};
const APP_ID = '4b1c5e0e-8c55-4d58-a3a0-5d7e2b9f0c11';
const TEAM = 'T111';
const CHANNEL = 'C0PROJ01';
const PEOPLE = { coord: { id: 'UCOORD01', name: 'kaisa', locale: 'en-GB' }, anna: { id: 'UANNA001', name: 'anna', locale: 'fi-FI' } };

/** The forms a secret could take in a line: as is, URL-encoded, and base64 (or base64url) at each of the three alignments. */
function disguises(secret: string): string[] {
  const out = [secret, encodeURIComponent(secret)];
  for (let pad = 0; pad < 3; pad++) {
    const bytes = Buffer.concat([Buffer.alloc(pad), Buffer.from(secret)]);
    for (const enc of ['base64', 'base64url'] as const) {
      // Drop the first group (it mixes in what came before) and the last two (they mix in what follows).
      const text = bytes.toString(enc).replace(/=+$/, '');
      out.push(text.slice(4, text.length - 8));
    }
  }
  return out;
}

/** Asserts that no secret appears in `output` in any of its disguises. */
function expectNoSecret(output: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const form of disguises(secret)) {
      expect(output.includes(form), `${name} appears in the output as ${JSON.stringify(form)}`).toBe(false);
    }
  }
}

/** Asserts that every line is a JSON log line with a reqId, jobId or runId; counts which. */
function expectJsonLinesWithIds(output: string): { reqId: number; jobId: number; runIdOnly: number } {
  const kinds = { reqId: 0, jobId: 0, runIdOnly: 0 };
  for (const line of output.split('\n').filter((l) => l.trim() !== '')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON log line: ${line}`);
    }
    expect(parsed.reqId ?? parsed.jobId ?? parsed.runId, `no id on ${line}`).toEqual(expect.any(String));
    if (parsed.reqId) kinds.reqId++;
    else if (parsed.jobId) kinds.jobId++;
    else kinds.runIdOnly++;
  }
  return kinds;
}

describe('secrets in logs', () => {
  const children: ChildProcess[] = [];

  /** Starts app/main.ts with the secrets and `env`; collects stdout and stderr. */
  const start = (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      cwd: root,
      env: { ...process.env, ...SECRETS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const out = { stdout: '', stderr: '' };
    child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const ready = () =>
      waitFor(
        'the bot to be ready',
        () => {
          if (child.exitCode !== null) throw new Error(`exited early: ${out.stdout}${out.stderr}`);
          return /lv-bot ready/.test(out.stdout);
        },
        30_000,
        50,
      );
    return { child, out, exited, ready };
  };
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a full run at trace level logs no secret, and every line is JSON with a request, job or run id', async () => {
    const fresh = freshRedis();
    cleanups.push(() => fresh.cleanup());
    const slack = new FakeSlackApi(SECRETS.SLACK_BOT_TOKEN);
    await slack.start();
    cleanups.push(() => slack.stop());
    for (const p of Object.values(PEOPLE)) slack.addUser(p);
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    cleanups.push(() => connector.stop());

    const port = await freePort();
    const run = start({
      REDIS_URL: inject('redisUrl'),
      LV_REDIS_PREFIX: fresh.prefix,
      LV_ADAPTERS: 'slack,teams',
      SLACK_API_URL: slack.apiUrl,
      // The app id and password without a tenant: Teams serves loopback unauthenticated, so the fake can talk to it.
      MICROSOFT_APP_ID: APP_ID,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      LV_DAILY_PLAN: 'off',
      LOG_LEVEL: 'trace',
    });
    await run.ready();
    const base = `http://127.0.0.1:${port}`;

    // Slack: commands, a rate-limited answer, a button click and a forged request.
    const sender = new SlackSender(`${base}/slack/events`, SECRETS.SLACK_SIGNING_SECRET);
    const doc = slackFixture<{ fields: Record<string, string> }>('slack-slash-command.json').fields;
    const slash = async (text: string) => {
      const p = PEOPLE.coord;
      const res = await sender.command({
        token: doc.token!,
        team_id: TEAM,
        team_domain: 'lv-test',
        channel_id: CHANNEL,
        channel_name: 'kayttoonotto',
        user_id: p.id,
        user_name: p.name,
        command: '/lv',
        text,
        response_url: slack.responseUrl(),
        trigger_id: `${Date.now()}.1.${tag}`,
        api_app_id: doc.api_app_id!,
      });
      expect(res.status, res.text).toBe(200);
    };
    await slash('project new Demo City');
    await waitFor('the project announcement', () => slack.history(CHANNEL).length > 0, 15_000, 20);
    slack.rateLimit('chat.postEphemeral', 1, 1);
    await slash('help');
    await slash(`signoff functional <@${PEOPLE.anna.id}|anna>`);
    const hasApprove = (m: StoredMessage) => {
      try {
        return Boolean(buttonOf(m, 'signoff.approve'));
      } catch {
        return false;
      }
    };
    const request = await waitFor('the sign-off request', () => slack.history(CHANNEL).find(hasApprove), 15_000, 20);
    const click = slackFixture<Record<string, unknown>>('slack-block-actions-message.json');
    const clicked = await sender.interaction({
      ...click,
      user: { id: PEOPLE.anna.id, username: 'anna', name: 'anna', team_id: TEAM },
      container: { type: 'message', message_ts: request.ts, channel_id: CHANNEL, is_ephemeral: false },
      trigger_id: `${Date.now()}.2.${tag}`,
      team: { id: TEAM, domain: 'lv-test' },
      channel: { id: CHANNEL, name: 'kayttoonotto' },
      message: {
        type: 'message',
        subtype: 'bot_message',
        text: request.text,
        ts: request.ts,
        bot_id: slack.team.botId,
        blocks: request.blocks,
      },
      response_url: slack.responseUrl(),
      actions: [buttonOf(request, 'signoff.approve')],
    });
    expect(clicked.status).toBe(200);
    await waitFor('the approved request to be updated', () => slack.answered('chat.update').length > 0, 15_000, 20);
    const forged = await sender.command(
      { command: '/lv', text: 'status', team_id: TEAM, user_id: PEOPLE.coord.id },
      { secret: 'f'.repeat(32) },
    );
    expect(forged.status).toBe(401);

    // Teams: a personal message is answered through the fake connector; a malformed activity is refused.
    const activity = teamsFixture('teams-message-personal.json');
    activity.serviceUrl = serviceUrl;
    activity.text = 'help';
    const posted = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(posted.status).toBeLessThan(300);
    await connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
    const bad = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(bad.status).toBe(400);

    // The dashboard: refused with a wrong token, opened with the right one in the query, then by cookie and bearer.
    expect((await fetch(`${base}/admin/queues?token=wrong-${tag}-token`, { redirect: 'manual' })).status).toBe(401);
    const login = await fetch(`${base}/admin/queues?token=${SECRETS.LV_ADMIN_TOKEN}`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${base}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);
    expect(
      (await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${SECRETS.LV_ADMIN_TOKEN}` } })).status,
    ).toBe(200);
    expect((await fetch(`${base}/nope?token=${SECRETS.LV_ADMIN_TOKEN}`)).status).toBe(404);

    run.child.kill('SIGTERM');
    await run.exited;

    const output = run.out.stdout + run.out.stderr;
    expect(run.out.stdout).toMatch(/lv-bot ready/);
    expectNoSecret(output);
    const kinds = expectJsonLinesWithIds(output);
    // The run logged inside requests, inside jobs and outside both (start-up, shutdown).
    expect(kinds.reqId).toBeGreaterThan(0);
    expect(kinds.jobId).toBeGreaterThan(0);
    expect(kinds.runIdOnly).toBeGreaterThan(0);
  }, 120_000);

  it('Teams with its full credentials refuses an unsigned activity without logging them', async () => {
    const fresh = freshRedis();
    cleanups.push(() => fresh.cleanup());
    const port = await freePort();
    const run = start({
      REDIS_URL: inject('redisUrl'),
      LV_REDIS_PREFIX: fresh.prefix,
      LV_ADAPTERS: 'teams',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_TYPE: 'MultiTenant',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LV_DAILY_PLAN: 'off',
      LOG_LEVEL: 'trace',
    });
    await run.ready();
    const activity = teamsFixture('teams-message-personal.json');
    activity.text = 'help';
    const refused = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(refused.status).toBe(401);
    run.child.kill('SIGTERM');
    await run.exited;
    const output = run.out.stdout + run.out.stderr;
    expectNoSecret(output);
    expect(expectJsonLinesWithIds(output).reqId).toBeGreaterThan(0);
  }, 60_000);

  it('a start-up error names the wrong settings but never prints a secret value', async () => {
    // A bot token pasted with a stray character in front and an admin token too short: both refused.
    const run = start({
      LV_ADAPTERS: 'slack',
      SLACK_BOT_TOKEN: `z${SECRETS.SLACK_BOT_TOKEN}`,
      LV_ADMIN_TOKEN: `adm${tag}`,
      REDIS_URL: 'redis://lv:redisPassw0rd@127.0.0.1:1',
    });
    const [code] = await run.exited;
    expect(code).toBe(1);
    const output = run.out.stdout + run.out.stderr;
    expect(output).toContain(`SLACK_BOT_TOKEN=(hidden, ${SECRETS.SLACK_BOT_TOKEN.length + 1} characters) is not valid`);
    expect(output).toContain('LV_ADMIN_TOKEN=(hidden, 15 characters) is not valid');
    expect(output).not.toContain(SECRETS.SLACK_BOT_TOKEN);
    expect(output).not.toContain(`adm${tag}`);
    expect(output).not.toContain('redisPassw0rd');
  }, 60_000);
});
