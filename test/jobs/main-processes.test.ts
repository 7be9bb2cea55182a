/**
 * The real thing: two `app/main.ts web` and two `app/main.ts worker` processes on one Redis, talking to the
 * fake Slack API. Commands arrive signed at both web processes; the reminders they make due now reach
 * Slack once each. The processes run on the system clock, so the data is chosen relative to today
 * (tasks overdue since last week, reminder time a minute ago: the planner sends it at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/infra/redis/embedded-redis.js';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import { createQueues } from '../../jobs/job-queues.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { FakeSlackApi } from '../slack/fake-slack-api.js';
import { SlackSender } from '../slack/slack-requests.js';
import { freshRedis } from '../support/redis.js';
import { waitFor, waitForQuietQueues } from './support/wait.js';

const calendar = new WorkingDayCalendar();
const today = calendar.today(new Date());
const root = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'xoxb-test';
const SECRET = randomBytes(16).toString('hex');

/** HH:MM in Helsinki now (a minute ago, so the reminder time has passed by less than the late tolerance). */
function helsinkiTimeNow(): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Helsinki',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() - 60_000));
  return `${parts.find((p) => p.type === 'hour')!.value}:${parts.find((p) => p.type === 'minute')!.value}`;
}

describe('two web processes and two worker processes (app/main.ts) on one Redis', () => {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exit = once(c, 'exit');
        c.kill('SIGKILL');
        await exit;
      }),
    );
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  // The processes run on the system clock: on a working day the overdue reminders go out once each;
  // on a weekend or a Finnish holiday the same plan must send none at all.
  const workingDay = calendar.isWorkingDay(today);
  it(
    workingDay ? 'deliver each reminder to Slack once' : 'send no reminder on a day off',
    async () => {
      const fresh = freshRedis();
      cleanups.push(() => fresh.cleanup());
      const fake = new FakeSlackApi(TOKEN);
      await fake.start();
      cleanups.push(() => fake.stop());
      fake.rateLimitEvery('chat.postMessage', 5, 1);

      const run = async (role: 'web' | 'worker', port: number): Promise<ChildProcess> => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts', role], {
          cwd: root,
          env: {
            ...process.env,
            REDIS_URL: inject('redisUrl'),
            LV_REDIS_PREFIX: fresh.prefix,
            LV_ADAPTERS: 'slack',
            SLACK_BOT_TOKEN: TOKEN,
            SLACK_SIGNING_SECRET: SECRET,
            SLACK_API_URL: fake.apiUrl,
            HOST: '127.0.0.1',
            PORT: String(port),
            LV_DAILY_PLAN: 'off',
            LOG_LEVEL: 'info',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        let out = '';
        child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${role} not ready in 30 s: ${out}`)), 30_000);
          child.stdout?.on('data', (d: Buffer) => {
            out += d.toString();
            if (/lv-bot (workers )?ready/.test(out)) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.once('exit', (code) => reject(new Error(`${role} exited early (${code}): ${out}`)));
        });
        return child;
      };
      const ports = [await freePort(), await freePort()];
      await Promise.all([run('web', ports[0]!), run('web', ports[1]!), run('worker', 1), run('worker', 1)]);
      const webs = ports.map((p) => new SlackSender(`http://127.0.0.1:${p}/slack/events`, SECRET));

      let answered = 0;
      const slash = async (web: number, user: string, text: string): Promise<string> => {
        const res = await webs[web]!.command({
          team_id: 'T111',
          team_domain: 'lv-test',
          channel_id: 'C0PROJ01',
          channel_name: 'kayttoonotto',
          user_id: user,
          user_name: user.toLowerCase(),
          command: '/lv',
          text,
          response_url: fake.responseUrl(),
          trigger_id: `${Date.now()}.1.x`,
          api_app_id: 'A111',
        });
        expect(res.status, res.text).toBe(200);
        const replies = await waitFor(
          `the answer to "${text}"`,
          () => {
            // The answer: to response_url, privately, or (a new project) in the channel; reminders carry metadata.
            const r = fake
              .answered()
              .filter((c) => ['response_url', 'chat.postEphemeral', 'chat.postMessage'].includes(c.method) && !c.body.metadata);
            return r.length > answered ? r : undefined;
          },
          15_000,
          20,
        );
        answered = replies.length;
        return JSON.stringify(replies.at(-1)?.body ?? {});
      };
      let due = today;
      for (let i = 0; i < 5; i++) due = calendar.previousWorkingDay(due); // overdue since last week
      const ahead = calendar.addDays(today, 30);
      await slash(0, 'UCOORD', 'project new Demo');
      await slash(1, 'UCOORD', `assign process.review <@UANNA|anna> ${ahead}`);
      await slash(0, 'UCOORD', `assign comms.plan <@UBEN|ben> ${ahead}`);
      await slash(1, 'UCOORD', `assign support.adoption <@UANNA|anna> ${ahead}`);
      await slash(0, 'UCOORD', `reminders time ${helsinkiTimeNow()}`);
      // A due date in the past is refused, so the tasks are made overdue since last week straight in the store.
      const store = new RedisStore(fresh.redis, fresh.prefix);
      const pid = (await store.projectIds('T111'))[0]!;
      const loaded = (await store.load('T111', pid))!;
      const next = structuredClone(loaded.project);
      for (const t of next.tasks) if (t.due) t.due = due;
      expect(
        await store.commit(loaded, next, { at: new Date().toISOString(), actor: 'UCOORD', platform: 'slack', action: 'task.due' }),
      ).toBe('ok');
      // Both workers plan the day again at once, as the nightly plan and a late change would.
      const queues = createQueues({ redis: fresh.redis, prefix: fresh.prefix });
      cleanups.push(() => queues.close());
      await Promise.all([queues.planDay(today), queues.planDay(today)]);

      const keyOf = (body: Record<string, unknown>) =>
        String((body.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key);
      const reminders = () => fake.answered('chat.postMessage').filter((c) => keyOf(c.body).startsWith('rem|'));
      if (workingDay) {
        await waitFor(
          'the overdue reminders',
          () => {
            const overdue = reminders().filter((c) => keyOf(c.body).includes('|overdue'));
            return overdue.length >= 3;
          },
          30_000,
          50,
        );
      }
      // Then everything the plans queued has run.
      await waitForQuietQueues(queues, 5, 30_000, 50);

      const posts = reminders();
      if (!workingDay) {
        expect(posts).toEqual([]);
        return;
      }
      const keys = posts.map((c) => keyOf(c.body));
      expect(new Set(keys).size).toBe(keys.length); // each reminder once
      const overdue = posts
        .filter((c) => keyOf(c.body).includes('|overdue'))
        .map((c) => String(c.body.channel))
        .sort();
      expect(overdue).toEqual(['UANNA', 'UANNA', 'UBEN']);
      // Five working days overdue (escalate 3): the coordinator hears of each task once, on the day the bot first sees it so.
      const escalated = posts.filter((c) => keyOf(c.body).includes('|escalation|')).map((c) => String(c.body.channel));
      expect(escalated).toEqual(['UCOORD', 'UCOORD', 'UCOORD']);
      expect(keys.every((k) => k.startsWith(`rem|${today}|T111|`) || k.startsWith('rem|once|T111|'))).toBe(true);
    },
    120_000,
  );
});
