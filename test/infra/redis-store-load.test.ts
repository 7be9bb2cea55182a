import { afterEach, describe, expect, it } from 'vitest';
import { botHarness, type BotHarness } from '../support/bot-harness.js';

/** The store's load path: each caller gets its own project, and what is stored is what is read, validated. */
describe('RedisStore.load', () => {
  let h: BotHarness;
  afterEach(async () => h.cleanup());

  it('hands out loaded projects that cannot be written into: a write throws and changes neither the store nor the next load', async () => {
    h = await botHarness();
    await h.say('anna', 'project new Demo City');
    const id = await h.projectId();
    const first = await h.store.load('T1', id);
    expect(() => (first!.project.name = 'scribbled')).toThrow(TypeError);
    expect(() => first!.project.tasks.pop()).toThrow(TypeError);
    expect(() => (first!.project.tasks[0]!.status = 'done')).toThrow(TypeError);
    const second = await h.store.load('T1', id);
    expect(second!.project.name).toBe('Demo City');
    expect(second!.project.tasks.length).toBeGreaterThan(0);
    expect(second!.project.tasks.every((t) => t.status === 'todo')).toBe(true);
  });

  it('reads a committed change, and a document rewritten behind its back at the same version', async () => {
    h = await botHarness();
    await h.say('anna', 'project new Demo City');
    const id = await h.projectId();
    await h.store.load('T1', id);
    await h.say('anna', 'project name Renamed City');
    expect((await h.store.load('T1', id))!.project.name).toBe('Renamed City');

    const key = h.store.keys.project('T1', id);
    const doc = JSON.parse((await h.redis.hget(key, 'doc'))!) as { name: string };
    await h.redis.hset(key, 'doc', JSON.stringify({ ...doc, name: 'Edited by hand' }));
    expect((await h.store.load('T1', id))!.project.name).toBe('Edited by hand');
  });

  it('still refuses a stored document that is not a valid project, even after a valid one of the same version was read', async () => {
    h = await botHarness();
    await h.say('anna', 'project new Demo City');
    const id = await h.projectId();
    await h.store.load('T1', id);
    const key = h.store.keys.project('T1', id);
    const doc = JSON.parse((await h.redis.hget(key, 'doc'))!) as Record<string, unknown>;
    await h.redis.hset(key, 'doc', JSON.stringify({ ...doc, tasks: 'not a list' }));
    await expect(h.store.load('T1', id)).rejects.toThrow();
    expect(await h.say('anna', 'status')).toMatchObject({ visibility: 'private' });
  });
});
