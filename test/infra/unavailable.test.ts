import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { newProject } from '../../src/domain/project.js';
import { isStoreUnavailable, StoreUnavailableError } from '../../src/ports/errors.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { storeCall, toStoreError } from '../../src/infra/redis/unavailable.js';

/** Redis being unreachable is recognised at the infra boundary and reaches the use-cases as a StoreUnavailableError. */
describe('toStoreError', () => {
  it('turns what ioredis says when Redis is down, lost, slow, failing over or loading into StoreUnavailableError', () => {
    const texts = [
      'connect ECONNREFUSED 127.0.0.1:6379',
      'read ECONNRESET',
      'connect ETIMEDOUT',
      'Connection is closed.',
      'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.',
      'Command timed out',
      "Stream isn't writeable and enableOfflineQueue options is false",
      'CLUSTERDOWN The cluster is down',
      'LOADING Redis is loading the dataset in memory',
    ];
    for (const text of texts) {
      const cause = new Error(text);
      const e = toStoreError(cause);
      expect(isStoreUnavailable(e), text).toBe(true);
      expect((e as StoreUnavailableError).cause).toBe(cause);
    }
    const named = new Error('gave up');
    named.name = 'MaxRetriesPerRequestError';
    expect(isStoreUnavailable(toStoreError(named))).toBe(true);
  });

  it('leaves every other error as it is, and a StoreUnavailableError unwrapped once', () => {
    const bug = new TypeError('x is undefined');
    expect(toStoreError(bug)).toBe(bug);
    const already = new StoreUnavailableError(new Error('ECONNREFUSED'));
    expect(toStoreError(already)).toBe(already);
  });

  it('storeCall passes results through and rethrows as toStoreError says', async () => {
    expect(await storeCall(async () => 42)).toBe(42);
    await expect(storeCall(async () => Promise.reject(new Error('Connection is closed.')))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(storeCall(async () => Promise.reject(new RangeError('bad')))).rejects.toBeInstanceOf(RangeError);
  });
});

describe('RedisStore with Redis gone', () => {
  let redis: Redis | undefined;
  afterEach(() => redis?.disconnect());

  it('every public method rejects with StoreUnavailableError', async () => {
    // Port 1: nothing listens, and with no offline queue and no retries every command fails at once.
    redis = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    const store = new RedisStore(redis, 'gone');
    const project = newProject(
      'p1',
      { tenant: 'T1', userId: 'anna', platform: 'console' },
      { platform: 'console', id: 'C1' },
      'Demo',
      '2026-11-23T10:00:00.000Z',
    );
    const event = { at: '2026-11-23T10:00:00.000Z', actor: 'anna', platform: 'console' as const, action: 'project.new' };
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['create', () => store.create(project, event)],
      ['commit', () => store.commit({ project, version: 1, head: '0'.repeat(64) }, project, event, 'idem-1')],
      ['projectIdFor', () => store.projectIdFor('T1', { platform: 'console', id: 'C1' })],
      ['load', () => store.load('T1', 'p1')],
      ['auditTrail', () => store.auditTrail('T1', 'p1')],
      ['tenants', () => store.tenants()],
      ['projectIds', () => store.projectIds('T1')],
      ['userLang', () => store.userLang('T1', 'anna')],
      ['setUserLang', () => store.setUserLang('T1', 'anna', 'fi')],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
