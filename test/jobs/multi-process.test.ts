import { afterEach, describe, expect, it } from 'vitest';
import { remindersFor } from '../../src/domain/reminders.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { JobKeys } from '../../jobs/job-keys.js';
import type { RunningWorkers } from '../../jobs/job-workers.js';
import type { ReminderJobData } from '../../jobs/project-planner.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis, testRedisClient } from '../support/redis.js';
import { calendar } from './support/jobs-harness.js';
import { adapterFor, RecordingChatPort } from './support/recording-chat.js';
import { waitForQuietQueues } from './support/wait.js';

const PEOPLE = ['anna', 'ben', 'cecilia', 'dan'];

describe('two web processes and two worker processes on one Redis', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('deliver each reminder once, and converge on the latest state when changes race', async () => {
    const fresh = freshRedis();
    cleanups.push(() => fresh.cleanup());
    const connect = () => {
      const r = testRedisClient();
      cleanups.push(async () => void (await r.quit()));
      return r;
    };
    const start = new Date('2027-11-29T05:00:00Z'); // 07:00 in Helsinki, before the day's reminders
    // Composed as `npm run web` and `npm run worker` compose them, each on a connection of its own.
    const composeAs = async (role: 'web' | 'worker', clock: TestClock, chat?: RecordingChatPort) => {
      const { app, cleanup } = await composeOnTestRedis(
        {},
        { fresh: { ...fresh, redis: connect() }, role, clock, adapters: chat ? [adapterFor(chat)] : [] },
      );
      cleanups.push(cleanup);
      await app.start();
      return app;
    };
    // Two web processes: each its own queues and bot.
    const webs: Array<{ clock: TestClock; bot: Awaited<ReturnType<typeof composeAs>>['bot'] }> = [];
    for (let i = 0; i < 2; i++) {
      const clock = new TestClock(start);
      webs.push({ clock, bot: (await composeAs('web', clock)).bot });
    }
    // Two worker processes: each its own clock and chat port.
    const workers: Array<{ clock: TestClock; chat: RecordingChatPort; running: RunningWorkers }> = [];
    for (let i = 0; i < 2; i++) {
      const clock = new TestClock(start);
      const chat = new RecordingChatPort('console');
      workers.push({ clock, chat, running: (await composeAs('worker', clock, chat)).workers! });
    }
    const setClock = (d: Date) => [...webs, ...workers].forEach((x) => (x.clock.current = d));
    const say = (web: number, user: string, text: string) =>
      webs[web]!.bot.handle({
        actor: { tenant: 'T1', userId: user, platform: 'console' },
        channel: { platform: 'console', id: 'C1' },
        input: { kind: 'text', text },
      });
    const queues = workers[0]!.running.queues;
    const idle = () => waitForQuietQueues(queues);

    await say(0, 'coord', 'project new Demo');
    await say(1, 'coord', 'role boss coordinator');
    // Due dates around Friday 3 December 2027 and the Independence Day weekend; two web processes in turn.
    const dues = ['2027-12-01', '2027-12-02', '2027-12-03', '2027-12-07', '2027-12-09', '2027-12-13'];
    const tasks = [
      'process.review',
      'process.instructions',
      'process.system-changes',
      'comms.plan',
      'comms.content',
      'support.adoption',
      'guidance.channels',
      'joining.login-method',
    ];
    await Promise.all(
      tasks.map((t, i) => say(i % 2, 'coord', `assign ${t} ${PEOPLE[i % PEOPLE.length]} ${dues[i % dues.length]} confirm`)),
    );
    await idle();

    // Both worker processes plan Tuesday 7 December at once: by the cron job's fan-out, and directly.
    const date = '2027-12-07';
    const store = new RedisStore(fresh.redis, fresh.prefix);
    const id = (await store.projectIdFor('T1', { platform: 'console', id: 'C1' }))!;
    setClock(calendar.at(date, '00:05'));
    const direct = await Promise.all([
      workers[0]!.running.queues.planDay(date),
      workers[1]!.running.queues.planDay(date),
      workers[0]!.running.planner.plan('T1', id, date),
      workers[1]!.running.planner.plan('T1', id, date),
    ]);
    expect(direct.slice(2)).toContain('busy'); // the project lock let one planner in at a time
    await idle();
    const jobsNow = async () =>
      ((await queues.reminders.getDelayed()) as Array<{ id?: string; data: ReminderJobData }>)
        .map((j) => `${j.id} ${j.data.fingerprint}`)
        .sort();
    const wanted = (p: Parameters<typeof remindersFor>[0]) =>
      remindersFor(p, date, calendar)
        .map((r) => `${JobKeys.reminderJobId(date, 'T1', id, r.task, r.kind)} ${r.fingerprint}`)
        .sort();
    let project = (await store.load('T1', id))!.project;
    expect(new Set(remindersFor(project, date, calendar).map((r) => r.kind))).toEqual(
      new Set(['due-soon', 'overdue', 'escalation', 'digest']),
    );
    expect(await jobsNow()).toEqual(wanted(project)); // yesterday's planned reminders are gone, today's are each there once

    // Changes race through both web processes; the queue converges on what the final state calls for.
    setClock(calendar.at(date, '07:00'));
    await Promise.all([
      say(0, 'coord', 'due process.review 2027-12-20'),
      say(1, 'coord', 'assign comms.plan dan 2027-12-09 confirm'),
      say(0, 'coord', 'done process.instructions'),
      say(1, 'coord', 'reminders time 10:30'),
      say(0, 'coord', 'assign joining.login-method ben confirm'),
    ]);
    await idle();
    project = (await store.load('T1', id))!.project;
    expect(await jobsNow()).toEqual(wanted(project));

    // 10:30: the reminders fire with both worker processes running; each reaches its recipients once.
    setClock(calendar.at(date, '10:30'));
    for (const job of await queues.reminders.getDelayed()) await job.promote();
    await idle();
    const posts = workers.flatMap((w) => w.chat.posts);
    const recipients = remindersFor(project, date, calendar).flatMap((r) => (r.to === 'channel' ? ['C1'] : r.to));
    expect(posts.map((p) => p.target.conversation).sort()).toEqual(recipients.sort());
    expect(new Set(posts.map((p) => p.key)).size).toBe(posts.length);
    // A due-soon or escalation is one batch per task and due date, whatever day it goes out; the rest are the day's.
    expect(posts.every((p) => p.key?.startsWith(`rem|${date}|`) || p.key?.startsWith('rem|once|T1|'))).toBe(true);
  }, 60_000);
});
