import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedRedis } from '../../src/infra/redis/embedded-redis.js';
import { RedisNotFoundError } from '../../src/ports/errors.js';
import { freshRedis } from '../support/redis.js';

const running: EmbeddedRedis[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function started(server: EmbeddedRedis): Promise<string> {
  running.push(server);
  return (await server.start()).url;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('EmbeddedRedis', () => {
  it('keeps a confirmed write across stop/start on the same AOF dir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'embedded-redis-'));
    dirs.push(dataDir);

    const first = new EmbeddedRedis({ persistence: 'aof', dataDir });
    const c1 = new Redis(await started(first));
    expect(await c1.set('survivor', 'yes')).toBe('OK');
    await c1.quit();
    await first.stop();

    const second = new EmbeddedRedis({ persistence: 'aof', dataDir });
    const c2 = new Redis(await started(second));
    expect(await c2.get('survivor')).toBe('yes');
    await c2.quit();
  });

  it('stop() ends the child so the port no longer accepts connections', async () => {
    const server = new EmbeddedRedis({ persistence: 'none' });
    running.push(server);
    const { port } = await server.start();
    expect(await accepts(port)).toBe(true);
    await server.stop();
    expect(await accepts(port)).toBe(false);
  });

  it('rejects with an actionable RedisNotFoundError when the binary is missing', async () => {
    const server = new EmbeddedRedis({ persistence: 'none', redisServerPath: '/nonexistent/redis-server' });
    const err = await server.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedisNotFoundError);
    expect((err as Error).message).toContain('apt-get install redis-server');
    expect((err as Error).message).toContain('REDIS_URL');
  });
});

describe('freshRedis', () => {
  it('cleanup() removes only keys under its own prefix', async () => {
    const mine = freshRedis();
    const other = freshRedis();
    await mine.redis.set(`${mine.prefix}:a`, '1');
    await mine.redis.set(`bull:${mine.prefix}:b`, '2');
    await other.redis.set(`${other.prefix}:keep`, '3');

    await mine.cleanup();

    expect(await other.redis.exists(`${mine.prefix}:a`, `bull:${mine.prefix}:b`)).toBe(0);
    expect(await other.redis.get(`${other.prefix}:keep`)).toBe('3');
    await other.cleanup();
  });
});
