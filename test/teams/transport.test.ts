import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NextFunction, Request, Response } from 'express';
import { ConfigError } from '../../src/ports/errors.js';
import type { Composed } from '../../app/compose.js';
import {
  createTeamsAdapter,
  isLoopback,
  loopbackGuard,
  TeamsConfigError,
  type TeamsChatAdapter,
} from '../../adapters/teams/teams-adapter.js';
import { ConversationRefs } from '../../src/infra/redis/conversation-refs.js';
import { RedisPendingFiles } from '../../src/infra/redis/pending-files.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis, type ComposedOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';
import { processAuthenticated } from '../../adapters/teams/request-guards.js';
import { NO_CREDENTIALS, TENANT, fixture } from './teams-harness.js';
import { channelClaims, credentialedTeams, forgeToken } from './forged-tokens.js';

const APP_ID = '6d1f7a7e-2c3b-4f0e-9b1a-0c5d8e7f6a21';
const TENANT_ID = '50612dbb-0237-4969-b378-8d42590f9c00';

let fresh: FreshRedis | undefined;
let handle: TeamsChatAdapter | undefined;
let composed: ComposedOnTestRedis | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await composed?.cleanup();
  composed = undefined;
  await fresh?.cleanup();
  fresh = undefined;
});

/** What the composition root gives the Teams adapter (taken from a composed bot), for building one by hand with other credentials. */
async function deps() {
  fresh = freshRedis();
  composed = await composeOnTestRedis({}, { fresh, role: 'web', clock: new TestClock(new Date('2026-11-23T10:00:00Z')) });
  const app: Composed = composed.app;
  return {
    store: app.store,
    bot: app.bot,
    conversations: new ConversationRefs(fresh.redis, fresh.prefix, 'teams'),
    pendingFiles: new RedisPendingFiles(fresh.redis, fresh.prefix),
  };
}

describe('Teams credentials', () => {
  it('in production, refuses to start without them and names what is missing', async () => {
    const d = await deps();
    const attempt = (config: Partial<typeof NO_CREDENTIALS>) => () =>
      createTeamsAdapter({ ...d, config: { ...NO_CREDENTIALS, NODE_ENV: 'production', ...config } });
    expect(attempt({})).toThrow(TeamsConfigError);
    expect(attempt({})).toThrow(ConfigError);
    expect(attempt({})).toThrow(/MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID/);
    expect(attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TENANT_ID: TENANT_ID })).toThrow(/needs MICROSOFT_APP_PASSWORD \(/);
    expect(attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' })).toThrow(/needs MICROSOFT_APP_TENANT_ID \(/);
    expect(attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_PASSWORD: 'secret' })).not.toThrow();
  });

  it('without them (outside production) serves unauthenticated requests, from loopback only', async () => {
    handle = createTeamsAdapter({ ...(await deps()), config: NO_CREDENTIALS });
    expect(handle.authenticated).toBe(false);
    expect(handle.chat.findSent).toBeUndefined(); // no app secret: no Graph token, deliveries are not looked up
  });

  it('with an app secret, the chat port looks deliveries up in Microsoft Graph (findSent); with a managed identity it cannot', async () => {
    handle = createTeamsAdapter({
      ...(await deps()),
      config: { ...NO_CREDENTIALS, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_TENANT_ID: TENANT_ID },
    });
    expect(typeof handle.chat.findSent).toBe('function');
    await handle.stop();
    await composed?.cleanup();
    await fresh?.cleanup();
    handle = createTeamsAdapter({
      ...(await deps()),
      config: { ...NO_CREDENTIALS, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT_ID },
    });
    expect(handle.chat.findSent).toBeUndefined();
  });

  it('with them, turns away a request that carries no Bot Framework token', async () => {
    const d = await deps();
    handle = createTeamsAdapter({
      ...d,
      config: {
        ...NO_CREDENTIALS,
        NODE_ENV: 'production',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'secret',
        MICROSOFT_APP_TENANT_ID: TENANT_ID,
      },
    });
    expect(handle.authenticated).toBe(true);
    // Mounted as the composition root mounts it, on a server of its own here.
    const web = express();
    web.use(handle.routes);
    const server = createServer(web).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const activity = fixture('teams-message-channel.json');
    activity.text = '<at>ridotest</at> project new Sneaky';
    activity.serviceUrl = 'http://127.0.0.1:9/';
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(401);
    expect(await d.store.projectIds(TENANT)).toEqual([]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('the loopback guard', () => {
  function run(authenticated: boolean, remoteAddress: string | undefined, headers: Record<string, string> = {}) {
    let status = 0;
    let nextCalled = false;
    const req = { socket: { remoteAddress }, headers } as unknown as Request;
    const res = {
      status(code: number) {
        status = code;
        return this;
      },
      json() {
        return this;
      },
    } as unknown as Response;
    loopbackGuard(authenticated)(req, res, (() => (nextCalled = true)) as NextFunction);
    return { status, nextCalled };
  }

  it('without credentials lets only the machine itself in', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect(run(false, a), a).toEqual({ status: 0, nextCalled: true });
    for (const a of ['10.1.2.3', '192.168.0.5', '::ffff:10.0.0.1', '2001:db8::1', undefined])
      expect(run(false, a), String(a)).toEqual({ status: 403, nextCalled: false });
  });

  it('without credentials refuses what a proxy or tunnel relays, though it arrives from loopback', () => {
    expect(run(false, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).toEqual({ status: 403, nextCalled: false });
    expect(run(false, '::1', { forwarded: 'for=203.0.113.7' })).toEqual({ status: 403, nextCalled: false });
  });

  it('with credentials leaves the checking to the Bot Framework token', () => {
    expect(run(true, '52.112.0.1')).toEqual({ status: 0, nextCalled: true });
    expect(run(true, '127.0.0.1', { 'x-forwarded-for': '52.112.0.1' })).toEqual({ status: 0, nextCalled: true });
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('1127.0.0.1')).toBe(false);
    expect(isLoopback('127.0.0.1.evil')).toBe(false);
  });
});

describe('authentication failures with credentials configured', () => {
  const forged: Record<string, (serviceUrl: string) => string | undefined> = {
    'alg none': (s) => forgeToken({ header: { alg: 'none', typ: 'JWT' }, claims: channelClaims(s), signature: 'none' }),
    'an unknown key id': (s) =>
      forgeToken({ header: { alg: 'RS256', typ: 'JWT', kid: 'not-a-microsoft-key' }, claims: channelClaims(s), signature: 'rs256' }),
    'no key id': (s) => forgeToken({ header: { alg: 'RS256', typ: 'JWT' }, claims: channelClaims(s), signature: 'rs256' }),
    'a bad signature': (s) => forgeToken({ header: { alg: 'RS256', kid: 'x' }, claims: channelClaims(s), signature: 'garbage' }),
    'HS256 with a guessed secret': (s) => forgeToken({ header: { alg: 'HS256' }, claims: channelClaims(s), signature: 'hs256' }),
    'an expired token': (s) =>
      forgeToken({ header: { alg: 'RS256', kid: 'x' }, claims: { ...channelClaims(s), exp: 1 }, signature: 'rs256' }),
    'no JWT at all': () => 'not-a-jwt',
    'no token': () => undefined,
  };

  it('answers every forged token 401 with no details, within a second, and changes nothing', async () => {
    // Microsoft's signing keys cannot be fetched here (no network): that failure, too, is an authentication failure.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const teams = await credentialedTeams();
    try {
      for (const [what, token] of Object.entries(forged)) {
        const activity = fixture('teams-message-channel.json');
        activity.text = '<at>ridotest</at> project new Sneaky';
        activity.serviceUrl = 'https://smba.trafficmanager.net/emea/';
        const t = token(activity.serviceUrl);
        const started = performance.now();
        const res = await fetch(teams.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(t === undefined ? {} : { authorization: `Bearer ${t}` }) },
          body: JSON.stringify(activity),
        });
        expect(res.status, what).toBe(401);
        expect(await res.text(), what).toBe('');
        expect(performance.now() - started, what).toBeLessThan(1000);
      }
      expect(await teams.composed.app.store.projectIds(TENANT)).toEqual([]);
    } finally {
      errors.mockRestore();
      await teams.stop();
    }
  });

  it('keeps a failure inside the turn a 500, and passes any other answer through as botbuilder gave it', async () => {
    const answered = (process: Parameters<typeof processAuthenticated>[1]) => {
      const sent: { status?: number; body?: unknown } = {};
      const res = {
        status(code: number) {
          sent.status = code;
          return res;
        },
        header: () => res,
        send(body: unknown) {
          sent.body = body;
          return res;
        },
        end: () => res,
      } as unknown as Response;
      return processAuthenticated(res, process, async () => undefined, { warn: () => undefined }).then(() => sent);
    };
    // botbuilder's own answers: 500 when the turn it ran failed, 200 with an invoke's body, 401 with its reason.
    expect(await answered(async (r, logic) => void (await logic({}), r.status(500).send('turn failed').end()))).toEqual({
      status: 500,
      body: 'turn failed',
    });
    expect(await answered(async (r, logic) => void (await logic({}), r.status(200).send({ ok: 1 }).end()))).toEqual({
      status: 200,
      body: { ok: 1 },
    });
    expect(await answered(async (r) => void r.status(401).send('Unauthorized. Invalid signature').end())).toEqual({ status: 401 });
    // A failure before the turn (the signing keys could not be fetched) is an authentication failure.
    expect(await answered(async (r) => void r.status(500).send('request to https://login.botframework.com failed').end())).toEqual({
      status: 401,
    });
  });
});
