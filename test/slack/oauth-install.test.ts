import { afterEach, describe, expect, it } from 'vitest';
import type { Composed } from '../../app/compose.js';
import type { OutboundMessage } from '../../src/ports/jobs.js';
import { composeOnTestRedis } from '../support/composed.js';
import { waitFor } from '../jobs/support/wait.js';
import { FakeSlackApi, type FakeTeam } from './fake-slack-api.js';
import { captureLog, SECRET } from './harness.js';
import { fixture, SlackSender } from './slack-requests.js';

const TEAM_A: FakeTeam = { id: 'TAAAA0001', name: 'Kaupunki A', botUserId: 'UBOTA', botId: 'BBOTA' };
const TEAM_B: FakeTeam = { id: 'TBBBB0002', name: 'Kunta B', botUserId: 'UBOTB', botId: 'BBOTB' };
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** lv-bot as an app distributed with Add to Slack, on the test Redis, against a fake Slack (Web API and oauth.v2.access). */
async function distributed() {
  const fake = new FakeSlackApi('xoxb-unused-single-token');
  await fake.start();
  const log = captureLog();
  const composed = await composeOnTestRedis(
    {
      LV_ADAPTERS: 'slack',
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'client-secret-of-the-app',
      SLACK_STATE_SECRET: 'a-state-secret-of-16+',
      SLACK_SIGNING_SECRET: SECRET,
      LV_ENCRYPTION_KEY: ENCRYPTION_KEY,
      SLACK_API_URL: fake.apiUrl,
    },
    { log, tune: { queues: { retry: { baseDelayMs: 20 } }, slack: { retryConfig: { retries: 0 }, responseUrl: { backoffMs: 0 } } } },
  );
  const app: Composed = composed.app;
  const { port } = await app.start();
  const base = `http://127.0.0.1:${port}`;
  return {
    fake,
    app,
    log,
    base,
    slack: new SlackSender(`${base}/slack/events`, SECRET),
    /** Add to Slack, as a person in `team` does it: the install page, Slack's consent (the fake grants a code), the redirect back. */
    async install(team: FakeTeam, o: { expiresIn?: number; org?: boolean } = {}) {
      const page = await fetch(`${base}/slack/install`, { redirect: 'manual' });
      expect(page.status).toBe(302);
      const location = new URL(page.headers.get('location')!);
      expect(location.searchParams.get('client_id')).toBe('1234567890.0987654321');
      expect(location.searchParams.get('scope')).toContain('chat:write');
      const state = location.searchParams.get('state')!;
      const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
      const code = `code-${team.id}`;
      fake.grant(code, { team, ...(o.expiresIn ? { expiresIn: o.expiresIn } : {}), ...(o.org ? { org: true } : {}) });
      const back = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
      return back.status;
    },
    /** A slash command from someone in `team` (of an Enterprise Grid org whose org-wide install serves it, with `org`). */
    command(team: FakeTeam, channel: string, text: string, org?: string) {
      const {
        enterprise_id: _e,
        enterprise_name: _n,
        ...doc
      } = fixture<{ fields: Record<string, string> }>('slack-slash-command.json').fields;
      return new SlackSender(`${base}/slack/events`, SECRET).command({
        ...doc,
        command: '/lv',
        team_id: team.id,
        channel_id: channel,
        user_id: `U${team.id.slice(1, 6)}COORD`,
        user_name: 'coord',
        text,
        response_url: fake.responseUrl(),
        trigger_id: `${Date.now()}.${Math.random()}`,
        ...(org ? { enterprise_id: org, is_enterprise_install: 'true' } : {}),
      });
    },
    async cleanup() {
      await composed.cleanup();
      await fake.stop();
    },
  };
}

/** Messages to `n` channels of a workspace, `per` each: an announcement-sized batch. */
function batch(team: FakeTeam, n: number, per: number): OutboundMessage[] {
  return Array.from({ length: n * per }, (_, i) => ({
    key: `ann|go|${team.id}|${i}`,
    target: { tenant: team.id, platform: 'slack' as const, conversation: `C${team.id.slice(1, 5)}${i % n}` },
    card: { blocks: [{ type: 'text' as const, text: `announcement ${i}` }] },
    lang: 'fi' as const,
  }));
}

describe('Slack distribution: Add to Slack in many workspaces', () => {
  let h: Awaited<ReturnType<typeof distributed>> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('installs in two workspaces side by side, keeps their tokens encrypted, and answers each with its own token', async () => {
    h = await distributed();
    expect(await h.install(TEAM_A)).toBe(200);
    expect(await h.install(TEAM_B)).toBe(200);

    // At rest the installation is ciphertext: no token, no team name in Redis.
    const keys = await h.app.redis.keys(`${h.app.config.LV_REDIS_PREFIX}:*install*`);
    expect(keys.length).toBe(2);
    for (const key of keys) {
      const raw = (await h.app.redis.get(key))!;
      expect(raw).toMatch(/^v1\./);
      expect(raw).not.toContain('xoxb-');
      expect(raw).not.toContain('Kaupunki');
    }
    // Nor in the logs.
    expect(JSON.stringify(h.log)).not.toMatch(/xoxb-T/);

    expect((await h.command(TEAM_A, 'CAAA1', 'project new Kaupunki A')).status).toBe(200);
    expect((await h.command(TEAM_B, 'CBBB1', 'project new Kunta B')).status).toBe(200);
    await h.app.adapters.get('slack')!.idle();
    expect(await h.app.store.projectIds(TEAM_A.id)).toHaveLength(1);
    expect(await h.app.store.projectIds(TEAM_B.id)).toHaveLength(1);
    // Each command's look-ups (the person's locale) went out with that workspace's token.
    const lookups = h.fake.answered('users.info');
    expect(new Set(lookups.map((c) => `${c.body.user as string}@${h!.fake.teamOfCall.get(c)}`))).toEqual(
      new Set([`U${TEAM_A.id.slice(1, 6)}COORD@${TEAM_A.id}`, `U${TEAM_B.id.slice(1, 6)}COORD@${TEAM_B.id}`]),
    );

    // A proactive message to each workspace is posted with that workspace's token.
    const chat = h.app.chats.get('slack')!;
    await chat.post(
      { tenant: TEAM_A.id, platform: 'slack', conversation: 'CAAA1' },
      { blocks: [{ type: 'text', text: 'A' }] },
      { lang: 'fi' },
    );
    await chat.post(
      { tenant: TEAM_B.id, platform: 'slack', conversation: 'CBBB1' },
      { blocks: [{ type: 'text', text: 'B' }] },
      { lang: 'fi' },
    );
    const posts = h.fake.answered('chat.postMessage').slice(-2);
    expect(posts.map((c) => [c.body.channel, h!.fake.teamOfCall.get(c)])).toEqual([
      ['CAAA1', TEAM_A.id],
      ['CBBB1', TEAM_B.id],
    ]);
    // A workspace that never installed the app is not posted to with anyone's token.
    await expect(chat.post({ tenant: 'TNEVER001', platform: 'slack', conversation: 'CX' }, { blocks: [] }, { lang: 'fi' })).rejects.toThrow(
      /not installed/,
    );
  });

  it('an org-wide Enterprise Grid install serves each of its workspaces with the org’s token, each workspace a tenant of its own', async () => {
    h = await distributed();
    const first: FakeTeam = { id: 'TGRID0001', name: 'Grid first', botUserId: 'UBOTG', botId: 'BBOTG', enterpriseId: 'EGRID0001' };
    expect(await h.install(first, { org: true })).toBe(200);
    const keys = await h.app.redis.keys(`${h.app.config.LV_REDIS_PREFIX}:*install*`);
    expect(keys.map((k) => k.includes('EGRID0001'))).toEqual([true]);
    expect((await h.command(first, 'CGRID1', 'project new Grid one', 'EGRID0001')).status).toBe(200);
    const second = { ...first, id: 'TGRID0002' };
    expect((await h.command(second, 'CGRID2', 'project new Grid two', 'EGRID0001')).status).toBe(200);
    await h.app.adapters.get('slack')!.idle();
    expect(await h.app.store.projectIds('TGRID0001')).toHaveLength(1);
    expect(await h.app.store.projectIds('TGRID0002')).toHaveLength(1);
    // A reminder to the second workspace finds the org's installation through the workspace.
    const chat = h.app.chats.get('slack')!;
    await chat.post(
      { tenant: 'TGRID0002', platform: 'slack', conversation: 'CGRID2' },
      { blocks: [{ type: 'text', text: 'g' }] },
      { lang: 'fi' },
    );
    expect(h.fake.teamOfCall.get(h.fake.answered('chat.postMessage').at(-1)!)).toBe('TGRID0001');
  });

  it('refreshes a rotating token before it expires, and keeps the new one', async () => {
    h = await distributed();
    // Token rotation on: the token lives an hour, so it is within Slack's two-hour refresh window at once.
    expect(await h.install(TEAM_B, { expiresIn: 3600 })).toBe(200);
    const chat = h.app.chats.get('slack')!;
    await chat.post(
      { tenant: TEAM_B.id, platform: 'slack', conversation: 'CBBB1' },
      { blocks: [{ type: 'text', text: 'x' }] },
      { lang: 'fi' },
    );
    const refreshes = h.fake.calls.filter((c) => c.method === 'oauth.v2.access' && c.body.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    const [post] = h.fake.answered('chat.postMessage');
    expect(h.fake.teamOfCall.get(post!)).toBe(TEAM_B.id);
    // The refreshed token was stored: the next post needs no refresh of the token it got.
    await chat.post(
      { tenant: TEAM_B.id, platform: 'slack', conversation: 'CBBB1' },
      { blocks: [{ type: 'text', text: 'y' }] },
      { lang: 'fi' },
    );
    expect(h.fake.answered('chat.postMessage')).toHaveLength(2);
  });

  it('an uninstall mid-broadcast stops that workspace’s deliveries and suspends it, and the other workspace’s broadcast completes', async () => {
    h = await distributed();
    await h.install(TEAM_A);
    await h.install(TEAM_B);
    // One message a second per channel: three messages to each of four channels take over two seconds.
    await h.app.queues.send(TEAM_A.id, 'go-a', batch(TEAM_A, 4, 3));
    await h.app.queues.send(TEAM_B.id, 'go-b', batch(TEAM_B, 4, 3));
    await waitFor(
      'the first posts to A',
      () => h!.fake.answered('chat.postMessage').some((c) => h!.fake.teamOfCall.get(c) === TEAM_A.id),
      10_000,
      10,
    );

    const uninstall = {
      token: 'x',
      team_id: TEAM_A.id,
      api_app_id: 'A111',
      type: 'event_callback',
      event_id: 'EvUNINSTALL',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_uninstalled' },
    };
    // As Slack does it: the tokens are revoked, then the event says so.
    h.fake.revoke(TEAM_A.id);
    const uninstalledAt = Date.now();
    expect((await h.slack.event(uninstall)).status).toBe(200);
    await h.app.adapters.get('slack')!.idle();

    const settled = async (batchId: string, tenant: string, n: number) =>
      waitFor(
        `batch ${batchId}`,
        async () => {
          const l = await h!.app.queues.ledger(tenant, batchId);
          return l.length === n && l.every((e) => e.state === 'sent' || e.state === 'failed') ? l : undefined;
        },
        20_000,
        50,
      );
    const a = await settled('go-a', TEAM_A.id, 12);
    const b = await settled('go-b', TEAM_B.id, 12);
    expect(b.every((e) => e.state === 'sent')).toBe(true);
    const failedA = a.filter((e) => e.state === 'failed');
    expect(failedA.length).toBeGreaterThan(0);
    // Refused by Slack (the token is revoked) or not even tried (the installation is gone): failed for good either way.
    for (const e of failedA) expect(e.reason).toMatch(/app_uninstalled|invalid_auth/);
    expect(failedA.some((e) => /app_uninstalled/.test(e.reason ?? ''))).toBe(true);
    // Nothing reached A after the uninstall, and its failures were not retried.
    const lateA = h.fake.answered('chat.postMessage').filter((c) => h!.fake.teamOfCall.get(c) === TEAM_A.id && c.at > uninstalledAt + 50);
    expect(lateA).toEqual([]);
    for (const e of failedA) expect(e.attempts).toBeLessThanOrEqual(1);
    expect((await h.app.store.suspendedTenants()).has(TEAM_A.id)).toBe(true);
    expect((await h.app.store.suspendedTenants()).has(TEAM_B.id)).toBe(false);

    // Installing again lifts the suspension.
    await h.install(TEAM_A);
    expect((await h.app.store.suspendedTenants()).has(TEAM_A.id)).toBe(false);
  }, 40_000);
});
