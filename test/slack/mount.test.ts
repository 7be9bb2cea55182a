import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { composeOnTestRedis } from '../support/composed.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { BOT_TOKEN, captureLog, CHANNEL, PEOPLE, SECRET, TEAM } from './harness.js';
import { SlackSender } from './slack-requests.js';

describe("the Slack adapter's routes mounted on another express app", () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.reverse()) await stop();
    stops.length = 0;
  });

  it("serves /slack/events next to the host's own routes", async () => {
    const fake = new FakeSlackApi(BOT_TOKEN);
    await fake.start();
    stops.push(() => fake.stop());
    fake.addUser(PEOPLE.coord);
    const composed = await composeOnTestRedis(
      { LV_ADAPTERS: 'slack', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
      { role: 'web', log: captureLog() },
    );
    stops.push(() => composed.cleanup());
    // The ChatAdapter contract: routes any Connect-style host can mount, beside its own.
    const adapter = composed.app.adapters.get('slack')!;
    expect(adapter.routes).toBeTypeOf('function');
    await adapter.start();
    const host = express();
    host.get('/healthz', (_req, res) => void res.json({ ok: true }));
    host.use(adapter.routes!);
    const server = createServer(host).listen(0, '127.0.0.1');
    await once(server, 'listening');
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    const slack = new SlackSender(`${base}/slack/events`, SECRET);
    const fields = {
      token: 'x',
      team_id: TEAM,
      team_domain: 'lv',
      channel_id: CHANNEL,
      channel_name: 'c',
      user_id: PEOPLE.coord.id,
      user_name: 'kaisa',
      command: '/lv',
      text: 'help',
      response_url: fake.responseUrl(),
      trigger_id: '1.2.3',
      api_app_id: 'A111',
    };
    expect((await slack.command(fields, { tamper: (b) => b.replace('help', 'status') })).status).toBe(401);
    expect((await slack.command(fields)).status).toBe(200);
    const [reply] = await fake.waitForMethod('response_url');
    expect(reply?.body.response_type).toBe('ephemeral');
  });
});
