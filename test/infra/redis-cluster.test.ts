import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/ports/errors.js';
import { connectRedis, type RedisHandle } from '../../src/infra/redis/connect.js';
import { parseRedisTarget, scanNodes } from '../../src/infra/redis/redis-client.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { newProject } from '../../src/domain/project.js';
import { ConversationLimiter } from '../../jobs/conversation-limiter.js';
import { DeliveryLedger } from '../../jobs/delivery-ledger.js';
import { JobKeys } from '../../jobs/job-keys.js';
import { startTestCluster } from '../support/redis-server.js';

const event = (action: string) => ({ at: '2026-11-23T10:00:00Z', actor: 'anna', platform: 'console' as const, action });

describe('REDIS_URL naming a Redis Cluster', () => {
  it('accepts redis+cluster:// with several nodes (and credentials), and refuses one without ports, naming the variable', () => {
    expect(loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.1:6379,10.0.0.2:6380' }).REDIS_URL).toBe(
      'redis+cluster://10.0.0.1:6379,10.0.0.2:6380',
    );
    expect(parseRedisTarget('rediss+cluster://lv:s%40cret@a.example:6379,b.example:6379')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a.example', port: 6379 },
        { host: 'b.example', port: 6379 },
      ],
      username: 'lv',
      password: 's@cret',
      tls: true,
    });
    expect(parseRedisTarget('redis://127.0.0.1:6379')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(() => loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.1' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.1' })).toThrow(/REDIS_URL=.*redis\+cluster:\/\/10\.0\.0\.1/);
  });
});

describe('the store, ledger and limiter on a three-node Redis Cluster', () => {
  let stop: (() => Promise<void>) | undefined;
  let handle: RedisHandle;

  beforeAll(async () => {
    const cluster = await startTestCluster();
    stop = cluster.stop;
    handle = await connectRedis(cluster.url, 'unused-without-a-private-redis');
  }, 40_000);

  afterAll(async () => {
    await handle?.close();
    await stop?.();
  });

  it('spreads tenants over the masters, keeps each tenant on one, and runs every atomic step there', async () => {
    expect(handle.redis).toBeInstanceOf(Cluster);
    const store = new RedisStore(handle.redis, 'lv');
    const keys = new JobKeys('lv');
    const ledger = new DeliveryLedger(handle.redis, keys);
    const limiter = new ConversationLimiter(handle.redis, keys, { slack: [{ ms: 60_000, max: 1 }] });
    const tenants = Array.from({ length: 12 }, (_, i) => `T${i}`);
    for (const tenant of tenants) {
      const project = newProject(
        `p-${tenant}`,
        { tenant, userId: 'anna', platform: 'console' },
        { platform: 'console', id: 'C1' },
        'Demo',
        '2026-11-23T10:00:00Z',
      );
      expect(await store.create(project, event('project.new'))).toEqual({ created: true });
      const loaded = await store.load(tenant, project.id);
      expect(loaded?.version).toBe(1);
      const renamed = { ...project, name: 'Renamed' };
      expect(await store.commit(loaded!, renamed, event('project.name'), 'click-1')).toBe('ok');
      expect(await store.commit(loaded!, renamed, event('project.name'), 'click-1')).toBe('duplicate');
      expect(await store.commit(loaded!, renamed, event('project.name'))).toBe('conflict');
      await ledger.register(tenant, 'go', [{ key: 'k1', target: { tenant, platform: 'slack', conversation: 'C1' } }]);
      expect(await ledger.begin(tenant, 'go', 'k1', { tenant, platform: 'slack', conversation: 'C1' })).toBe('pending');
      expect(await ledger.sent(tenant, 'go', 'k1', 'ts-1')).toBe('sending');
      expect(await limiter.acquire(tenant, 'slack', 'C1', 'm1')).toBe(0);
      expect(await limiter.acquire(tenant, 'slack', 'C1', 'm2')).toBeGreaterThan(0);
      expect(await limiter.reserve(tenant, 'slack', 'C2', 'm3')).toEqual({ inMs: expect.any(Number) });
      expect(await limiter.admit(tenant, 'slack', 'm3')).toBe(0);
    }
    expect((await store.auditTrail('T3', 'p-T3')).map((e) => e.action)).toEqual(['project.new', 'project.name']);
    expect(await store.tenants(true)).toEqual([...tenants].sort());

    // Where each tenant's keys live: all on one master per tenant, and more than one master in use.
    const nodeOf = new Map<string, Set<string>>();
    for (const node of scanNodes(handle.redis)) {
      const at = `${node.options.host}:${node.options.port}`;
      for (const key of await node.keys('lv:{*}:*')) {
        const tenant = /^lv:\{([^}]*)\}/.exec(key)![1]!;
        nodeOf.set(tenant, (nodeOf.get(tenant) ?? new Set()).add(at));
      }
    }
    expect([...nodeOf.keys()].sort()).toEqual([...tenants].sort());
    for (const nodes of nodeOf.values()) expect(nodes.size).toBe(1);
    expect(new Set([...nodeOf.values()].flatMap((s) => [...s])).size).toBeGreaterThan(1);
  });
});
