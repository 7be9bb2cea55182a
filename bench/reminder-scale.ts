/**
 * Benchmark 3 (issue 7, issue 15): reminder scale. 100, 1,000, 5,000 and 10,000 projects of 31 tasks each, with owners and
 * due dates spread around the planned day, are created in a private Redis through the real store; then the
 * nightly plan of one day runs through the real planner (the `plan-day` fan-out into `plan-chunk` jobs of 25
 * projects, on the workers of jobs/). Measured against BullMQ's own `Queue.addBulk` of as many no-op
 * delayed jobs as the plan added, in the same run on the same Redis. Goal: planning at most 2× the bare
 * addBulk time, and at most 2 KB of Redis memory per task (the projects and their planned reminders).
 * Two discarded warm-up rounds of 100 projects run first, so both sides run on JIT-warm code; 100 projects
 * are then measured 15 times, 1,000 three times, 5,000 and 10,000 once each; in every other run the bare
 * addBulk goes first, so drift in the machine's load hits both sides alike, and the medians are compared.
 * The goal holds at a size when the medians' ratio is within it (each run's own ratio is printed too). After the plan, one
 * more project is stored, the largest one can be: every task noted with notes of the longest a note may be,
 * until the bot refuses for the document budget (as the heaviest user could); the largest stored document
 * and what one change to it costs (load, change, limits check, commit) are printed.
 *
 *   npx tsx bench/reminder-scale.ts [--quick] [--sizes 100,1000,5000,10000] [--runs N] [--planner-concurrency N]
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { WorkingDayCalendar, type IsoDate } from '../src/domain/calendar.js';
import { isRefusal } from '../src/domain/change.js';
import { newProject } from '../src/domain/project.js';
import { limitRefusal } from '../src/domain/project-limits.js';
import { addNote, setStatus } from '../src/domain/tasks.js';
import { MAX_PROJECT_BYTES, NOTES_PER_TASK, TEXT_LIMITS } from '../src/domain/text-limits.js';
import { grant } from '../src/domain/roles.js';
import type { Project } from '../src/domain/types.js';
import { EmbeddedRedis } from '../src/infra/redis/embedded-redis.js';
import { RedisStore } from '../src/infra/redis/redis-store.js';
import type { Clock } from '../src/ports/clock.js';
import { startWorkers } from '../jobs/job-workers.js';
import { quietLogger } from './support/broadcast-platforms.js';

const TIME_GOAL = 2;
const MEMORY_GOAL_BYTES = 2048;
const PROJECTS_PER_TENANT = 10;
const OWNERS = 6;
/** The discarded warm-up rounds, and the projects in each. */
const WARM_UP_ROUNDS = 2;
const WARM_UP_PROJECTS = 100;

const quick = process.argv.includes('--quick');
const sizesArg = process.argv[process.argv.indexOf('--sizes') + 1];
const sizes =
  process.argv.includes('--sizes') && sizesArg
    ? sizesArg
        .split(',')
        .map(Number)
        .filter((n) => n > 0)
    : quick
      ? [100, 250, 500]
      : [100, 1_000, 5_000, 10_000];

const pcArg = process.argv.includes('--planner-concurrency')
  ? Number(process.argv[process.argv.indexOf('--planner-concurrency') + 1])
  : NaN;
/** The planner worker's concurrency; by default the workers' own default, as `npm start` runs them. */
const plannerConcurrency = Number.isInteger(pcArg) && pcArg > 0 ? pcArg : undefined;

const calendar = new WorkingDayCalendar();
/** The planned day: a Wednesday with no holiday near, so every kind of task reminder occurs. */
const DAY: IsoDate = '2027-02-03';

/** The figures of one size. */
interface SizeResult {
  projects: number;
  tasks: number;
  reminderJobs: number;
  planS: number;
  addBulkS: number;
  timeRatio: number;
  storeBytesPerTask: number;
  planBytesPerTask: number;
  bytesPerTask: number;
  addBulkBytesPerJob: number;
  goalMet: boolean;
  /** How many times the size was measured (planS and addBulkS are the medians), and each run's own ratio. */
  runs: number;
  runRatios: number[];
  /** The stored document of the largest project (bytes), and the median time of one change to it (ms). */
  largestProjectBytes: number;
  largestChangeMs: number;
}

const runsArg = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : NaN;

/**
 * Runs per size: bare addBulk of a couple of thousand jobs takes 0.11 to 0.19 s from one run to the next
 * on this machine, so a small size is measured many times and the medians compared; the large sizes take
 * tens of seconds a run and vary less, so once (`--runs N` sets every size's count).
 */
function runsFor(projects: number): number {
  if (Number.isInteger(runsArg) && runsArg > 0) return runsArg;
  return projects <= 100 ? 15 : projects <= 1_000 ? 3 : 1;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One size measured `runs` times: the median plan and median addBulk times, and their ratio. */
async function measureRepeated(redis: Redis, projects: number, runs: number): Promise<SizeResult> {
  const all: SizeResult[] = [];
  // Every other run times the bare addBulk first (of as many jobs as the first run's plan added: the same
  // projects plan the same jobs), so that the machine's drift within a pair falls on both sides alike.
  for (let i = 0; i < runs; i++) all.push(await measure(redis, projects, i % 2 === 1 ? all[0]!.reminderJobs : undefined));
  const planS = round(median(all.map((r) => r.planS)));
  const addBulkS = round(median(all.map((r) => r.addBulkS)));
  const timeRatio = round(planS / addBulkS, 2);
  const first = all[0]!;
  return {
    ...first,
    planS,
    addBulkS,
    timeRatio,
    goalMet: timeRatio <= TIME_GOAL && first.bytesPerTask <= MEMORY_GOAL_BYTES,
    runs,
    runRatios: all.map((r) => r.timeRatio),
  };
}

/**
 * Notes of the longest kind on every task in turn, each through the domain as the bot adds one, until the
 * document budget refuses the next (or every task keeps all the notes it may): the heaviest project.
 */
function notedToTheLimits(p: Project, at: string): Project {
  for (let round = 0; round < NOTES_PER_TASK; round++) {
    for (const task of p.tasks) {
      const change = addNote(p, 'coord', task.id, 'n'.repeat(TEXT_LIMITS.note), at);
      if (isRefusal(change) || change.unchanged) continue;
      if (limitRefusal(change.project, p)) return p;
      p = change.project;
    }
  }
  return p;
}

/** A project of the template's 31 tasks, every one with an owner and a due date within ±20 working days of DAY. */
function projectFor(tenant: string, n: number, at: string): Project {
  const p = newProject(
    `p${n}`,
    { tenant, userId: 'coord', name: 'Coordinator', platform: 'slack' },
    { platform: 'slack', id: `C${n}` },
    `Scale project ${n}`,
    at,
  );
  for (let o = 0; o < OWNERS; o++) p.people = grant(p.people, `owner${o}`, 'owner', `Owner ${o}`);
  p.tasks.forEach((task, i) => {
    task.owner = `owner${(n + i) % OWNERS}`;
    task.due = calendar.addWorkingDays(DAY, ((n * 7 + i * 13) % 41) - 20);
  });
  return p;
}

/**
 * Stores the heaviest project the limits allow beside the others, then the largest stored document of all,
 * and the median of 20 changes to it as the bot makes one (load, change, limits check, commit).
 */
async function largestProject(redis: Redis, store: RedisStore, projects: number, at: string): Promise<{ bytes: number; changeMs: number }> {
  const heavy = { tenant: 'tenant-heavy', id: `p${projects}` };
  await store.create(notedToTheLimits(projectFor(heavy.tenant, projects, at), at), {
    at,
    actor: 'coord',
    platform: 'slack',
    action: 'project.create',
  });
  const where = [
    ...Array.from({ length: projects }, (_, n) => ({ tenant: `tenant${Math.floor(n / PROJECTS_PER_TENANT)}`, id: `p${n}` })),
    heavy,
  ];
  const pipeline = redis.pipeline();
  for (const w of where) pipeline.hstrlen(store.keys.project(w.tenant, w.id), 'doc');
  const sizes = ((await pipeline.exec()) ?? []).map(([, n]) => Number(n));
  const largest = where[sizes.indexOf(Math.max(...sizes))]!;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const loaded = (await store.load(largest.tenant, largest.id))!;
    const task = loaded.project.tasks[i % loaded.project.tasks.length]!;
    const change = setStatus(loaded.project, 'coord', task.id, i % 2 === 0 ? 'done' : 'todo');
    if (!isRefusal(change) && !change.unchanged && !limitRefusal(change.project, loaded.project)) {
      await store.commit(loaded, change.project, { at, actor: 'coord', platform: 'slack', action: 'task.status', target: task.id });
    }
    times.push(performance.now() - start);
  }
  return { bytes: Math.max(...sizes), changeMs: round(median(times), 2) };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;

/** BullMQ alone: as many delayed no-op jobs, with ids, added with addBulk in chunks of 500, on the same Redis; ms and bytes. */
async function bareAddBulk(redis: Redis, jobs: number, delay: number): Promise<{ ms: number; bytes: number }> {
  const bare = new Queue('bare', { connection: redis, prefix: '{bare}' });
  await bare.waitUntilReady();
  const before = await usedMemory(redis);
  const start = performance.now();
  for (let i = 0; i < jobs; i += 500) {
    await bare.addBulk(
      Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({
        name: 'noop',
        data: {},
        opts: { jobId: `noop-${i + k}`, delay },
      })),
    );
  }
  const ms = performance.now() - start;
  const bytes = (await usedMemory(redis)) - before;
  await bare.close();
  return { ms, bytes };
}

/** One size once: projects made, then the plan and the bare addBulk timed; `bareFirst` (its job count) times the addBulk before the plan. */
async function measure(redis: Redis, projects: number, bareFirst?: number): Promise<SizeResult> {
  await redis.flushall();
  const prefix = 'scale';
  const store = new RedisStore(redis, prefix);
  const at = calendar.at(calendar.addDays(DAY, -60), '10:00').toISOString();
  // The workers run (idle) while the projects are made, as they do in production before the nightly plan.
  const clock: Clock = { now: () => calendar.at(DAY, '00:05') };
  const workers = await startWorkers({
    redis,
    prefix,
    store,
    clock,
    calendar,
    chats: new Map(),
    dailyPlan: false,
    log: quietLogger(),
    ...(plannerConcurrency ? { concurrency: { planner: plannerConcurrency } } : {}),
  });
  const empty = await usedMemory(redis);
  for (let i = 0; i < projects; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, projects - i) }, (_, k) => {
        const n = i + k;
        const p = projectFor(`tenant${Math.floor(n / PROJECTS_PER_TENANT)}`, n, at);
        return store.create(p, { at, actor: 'coord', platform: 'slack', action: 'project.create' });
      }),
    );
  }
  const tasks = projects * 31;
  const delay = calendar.at(DAY, '09:00').getTime() - clock.now().getTime();
  const early = bareFirst !== undefined ? await bareAddBulk(redis, bareFirst, delay) : undefined;
  const stored = (await usedMemory(redis)) - (early?.bytes ?? 0);

  // The nightly plan, as the cron job runs it at 00:05 Helsinki time: fan-out, then one plan per project.
  let planMs: number;
  let reminderJobs: number;
  try {
    const start = performance.now();
    await workers.queues.planDay(DAY);
    await waitUntil(
      'the plan to finish',
      async () => {
        const c = await workers.queues.planner.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
        if ((c.failed ?? 0) > 0) throw new Error(`${c.failed} plan jobs failed`);
        // Quiet once the fan-out is done (it adds every chunk before it completes) and no chunk is left.
        return (c.completed ?? 0) >= 1 && c.waiting === 0 && c.active === 0 && c.delayed === 0 && c.prioritized === 0;
      },
      600_000,
    );
    planMs = performance.now() - start;
    reminderJobs = (await workers.queues.reminders.getJobCounts('delayed', 'waiting')).delayed ?? 0;
  } finally {
    await workers.close();
  }
  const planned = (await usedMemory(redis)) - (early?.bytes ?? 0);
  // Not in the memory figures above: the heaviest project, stored once the plan is measured.
  const largest = await largestProject(redis, store, projects, at);

  const bare = early ?? (await bareAddBulk(redis, reminderJobs, delay));
  if (early && bareFirst !== reminderJobs) throw new Error(`the plan added ${reminderJobs} jobs, the first run ${bareFirst}`);
  const addBulkMs = bare.ms;

  const timeRatio = planMs / addBulkMs;
  const bytesPerTask = (planned - empty) / tasks;
  return {
    projects,
    tasks,
    reminderJobs,
    planS: round(planMs / 1000),
    addBulkS: round(addBulkMs / 1000),
    timeRatio: round(timeRatio, 2),
    storeBytesPerTask: Math.round((stored - empty) / tasks),
    planBytesPerTask: Math.round((planned - stored) / tasks),
    bytesPerTask: Math.round(bytesPerTask),
    addBulkBytesPerJob: Math.round(bare.bytes / Math.max(1, reminderJobs)),
    goalMet: timeRatio <= TIME_GOAL && bytesPerTask <= MEMORY_GOAL_BYTES,
    runs: 1,
    runRatios: [round(timeRatio, 2)],
    largestProjectBytes: largest.bytes,
    largestChangeMs: largest.changeMs,
  };
}

async function main(): Promise<number> {
  const server = new EmbeddedRedis({ persistence: 'none' });
  const { url } = await server.start();
  const redis = new Redis(url);
  try {
    console.log(
      `reminder scale benchmark${quick ? ' (--quick)' : ''}: plan of ${DAY}, 31 tasks per project, ${PROJECTS_PER_TENANT} projects per tenant, planner concurrency ${plannerConcurrency ?? 'default'}`,
    );
    // A worker plans a project after every change all day, so the nightly plan runs on warm code; rounds
    // first (planning and bare addBulk alike, figures discarded) measure that, not the JIT's first passes.
    for (let i = 0; i < WARM_UP_ROUNDS; i++) await measure(redis, WARM_UP_PROJECTS);
    const results: SizeResult[] = [];
    for (const n of sizes) {
      const r = await measureRepeated(redis, n, runsFor(n));
      results.push(r);
      console.log(
        `\n${r.projects} projects (${r.tasks} tasks, ${r.reminderJobs} reminder jobs planned)\n` +
          `  plan of the day      ${r.planS.toFixed(3)} s   (${r.timeRatio.toFixed(2)}× addBulk; goal ≤ ${TIME_GOAL}×)${r.runs > 1 ? `   medians of ${r.runs} runs; ratios per run ${r.runRatios.map((x) => x.toFixed(2)).join(', ')}` : ''}\n` +
          `  bare addBulk         ${r.addBulkS.toFixed(3)} s   (${r.addBulkBytesPerJob} bytes per no-op job)\n` +
          `  Redis memory / task  ${r.bytesPerTask} bytes   (projects ${r.storeBytesPerTask}, planned reminders ${r.planBytesPerTask}; goal ≤ ${MEMORY_GOAL_BYTES})\n` +
          `  largest project      ${r.largestProjectBytes} bytes stored (notes to the limits; budget ${MAX_PROJECT_BYTES}), one change ${r.largestChangeMs.toFixed(2)} ms\n` +
          `  → goal ${r.goalMet ? 'MET' : 'MISSED'}`,
      );
    }
    console.log('\ngrowth (each size against the first):');
    const [first] = results;
    for (const r of results) {
      const scale = r.projects / first!.projects;
      console.log(
        `  ×${scale.toString().padEnd(4)} projects: plan ×${(r.planS / first!.planS).toFixed(2)}, addBulk ×${(r.addBulkS / first!.addBulkS).toFixed(2)}, memory per task ${r.bytesPerTask} bytes`,
      );
    }
    const goalMet = results.every((r) => r.goalMet);
    console.log(
      `\ngoal (plan ≤ ${TIME_GOAL}× addBulk, ≤ ${MEMORY_GOAL_BYTES} bytes per task, at every size): ${goalMet ? 'MET' : 'MISSED'}`,
    );
    const summary = `${results.map((r) => `${r.timeRatio.toFixed(2)}×`).join(' / ')} addBulk at ${results.map((r) => r.projects.toLocaleString('en')).join(' / ')} projects, ≤ ${Math.max(...results.map((r) => r.bytesPerTask))} bytes a task (goal ≤ ${TIME_GOAL}×, ≤ ${MEMORY_GOAL_BYTES} bytes)`;
    console.log(JSON.stringify({ bench: 'reminder-scale', quick, day: DAY, results, goalMet, summary }));
    return 0;
  } finally {
    await redis.quit().catch(() => undefined);
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
