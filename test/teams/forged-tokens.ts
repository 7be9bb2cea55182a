import { once } from 'node:events';
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createTeamsAdapter, type TeamsChatAdapter } from '../../adapters/teams/teams-adapter.js';
import { ConversationRefs } from '../../src/infra/redis/conversation-refs.js';
import { RedisPendingFiles } from '../../src/infra/redis/pending-files.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis, type ComposedOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';
import { NO_CREDENTIALS } from './teams-harness.js';

/** The Teams app's id and tenant in the tests of an adapter with credentials. */
export const APP_ID = '6d1f7a7e-2c3b-4f0e-9b1a-0c5d8e7f6a21';
export const APP_TENANT = '50612dbb-0237-4969-b378-8d42590f9c00';

const b64 = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** What a forged Bot Framework token is made of: its header, its claims and how (or whether) it is signed. */
export interface TokenParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: 'rs256' | 'hs256' | 'none' | 'garbage';
}

/** The claims a Bot Framework token from the Teams channel carries, valid for ten minutes from now. */
export function channelClaims(serviceUrl: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: APP_ID, exp: now + 600, nbf: now - 10, serviceurl: serviceUrl };
}

/** A JWT of those parts, signed with a key Microsoft never published (or not at all). */
export function forgeToken(t: TokenParts): string {
  const data = `${b64(t.header)}.${b64(t.claims)}`;
  switch (t.signature) {
    case 'none':
      return `${data}.`;
    case 'garbage':
      return `${data}.${b64('not a signature')}`;
    case 'hs256':
      return `${data}.${createHmac('sha256', 'guessed').update(data).digest('base64url')}`;
    case 'rs256':
      return `${data}.${createSign('RSA-SHA256').update(data).sign(privateKey).toString('base64url')}`;
  }
}

/** A Teams adapter configured with credentials (as in production), on a server of its own; `stop` takes it all down. */
export async function credentialedTeams(): Promise<{
  url: string;
  handle: TeamsChatAdapter;
  composed: ComposedOnTestRedis;
  stop(): Promise<void>;
}> {
  const fresh: FreshRedis = freshRedis();
  const composed = await composeOnTestRedis({}, { fresh, role: 'web', clock: new TestClock(new Date('2026-11-23T10:00:00Z')) });
  const handle = createTeamsAdapter({
    bot: composed.app.bot,
    conversations: new ConversationRefs(fresh.redis, fresh.prefix, 'teams'),
    pendingFiles: new RedisPendingFiles(fresh.redis, fresh.prefix),
    config: {
      ...NO_CREDENTIALS,
      NODE_ENV: 'production',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TENANT_ID: APP_TENANT,
    },
  });
  const web = express();
  web.use(handle.routes);
  const server: Server = createServer(web).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  return {
    url,
    handle,
    composed,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.stop();
      await composed.cleanup();
      await fresh.cleanup();
    },
  };
}
