import { Worker } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../src/infra/redis/redis-client.js';
import { JobQueues } from '../../jobs/job-queues.js';
import { QUEUE_NAMES } from '../../jobs/job-keys.js';
import type { PlannerJobData } from '../../jobs/job-queues.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';

/** A project changed many times in a row is re-planned once per burst, and the last change is never left unplanned. */
describe('re-planning a changed project', () => {
  let fresh: FreshRedis;
  let queues: JobQueues;
  let worker: Worker | undefined;
  let blocking: RedisClient | undefined;
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await blocking?.quit();
    blocking = undefined;
    await queues.close();
    await fresh.cleanup();
  });

  it('queues one re-plan for changes made while one is waiting, and exactly one more for changes made while it runs', async () => {
    fresh = freshRedis();
    queues = new JobQueues({ redis: fresh.redis, prefix: fresh.prefix });
    for (let v = 2; v <= 6; v++) await queues.projectChanged('T1', 'p0001', v);
    await queues.projectChanged('T1', 'p0002', 2); // another project has its own
    expect(await queues.planner.getJobCounts('waiting')).toMatchObject({ waiting: 2 });

    // A planner that holds the first job of p0001 until told, so changes land while it runs.
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    blocking = createRedisClient(inject('redisUrl'), { maxRetriesPerRequest: null });
    const connection = blocking;
    const done = new Promise<void>((resolve) => {
      worker = new Worker<PlannerJobData>(
        QUEUE_NAMES.planner,
        async (job) => {
          if (job.data.kind !== 'plan-project') return;
          ran.push(job.data.projectId);
          if (ran.filter((p) => p === 'p0001').length === 1 && job.data.projectId === 'p0001') {
            started();
            await held;
          }
          if (ran.length === 3) resolve();
        },
        { connection, prefix: queues.keys.bullPrefix, concurrency: 1 },
      );
    });
    await running;
    for (let v = 7; v <= 9; v++) await queues.projectChanged('T1', 'p0001', v);
    release();
    await done;
    await worker!.close(); // lets the job in hand finish
    expect(ran.sort()).toEqual(['p0001', 'p0001', 'p0002']);
    expect(await queues.planner.getJobCounts('waiting', 'delayed', 'active')).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
  });
});
