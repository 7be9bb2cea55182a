import { DelayedError, type Job } from 'bullmq';
import type { WorkingDayCalendar } from '../src/domain/calendar.js';
import type { Clock } from '../src/ports/clock.js';
import type { ProjectStore } from '../src/ports/store.js';
import { JobKeys } from './job-keys.js';
import type { JobQueues, PlannerJobData } from './job-queues.js';
import type { PlanOutcome, ProjectPlanner } from './project-planner.js';

/** What the planner queue's jobs need. */
export interface PlannerProcessorDeps {
  store: ProjectStore;
  clock: Clock;
  calendar: WorkingDayCalendar;
  queues: JobQueues;
  planner: ProjectPlanner;
}

/** Projects per `plan-chunk` job, and how many of them are planned at once. */
const CHUNK = 25;
const IN_CHUNK = 5;

/**
 * The planner queue: `plan-day` (the nightly cron job, or a manual one) fans out to `plan-chunk` jobs of
 * 25 projects, with ids per date so two planners add each once; `plan-project` plans one project,
 * and waits a moment (without using an attempt) while another process plans the same project.
 */
export class PlannerProcessor {
  constructor(private readonly deps: PlannerProcessorDeps) {}

  /** The worker's processor for the planner queue. */
  async process(job: Job<PlannerJobData>, token?: string): Promise<PlanOutcome | { projects: number }> {
    const d = job.data;
    const { store, clock, calendar, queues, planner } = this.deps;
    if (d.kind === 'plan-day') {
      const date = d.date ?? calendar.today(clock.now());
      // Every tenant's projects asked for at once: one round trip's wait, not one per tenant.
      // A tenant whose platform removed the bot (the Slack app uninstalled) gets nothing planned.
      const [known, suspended] = await Promise.all([store.tenants(), store.suspendedTenants()]);
      const tenants = known.filter((t) => !suspended.has(t));
      const ids = await Promise.all(tenants.map((tenant) => store.projectIds(tenant)));
      const all: Array<[string, string]> = tenants.flatMap((tenant, i) =>
        ids[i]!.map((projectId): [string, string] => [tenant, projectId]),
      );
      const jobs: Array<{ name: string; data: PlannerJobData; opts: { jobId: string } }> = [];
      for (let i = 0; i < all.length; i += CHUNK) {
        const projects = all.slice(i, i + CHUNK);
        jobs.push({
          name: 'plan-chunk',
          data: { kind: 'plan-chunk', date, projects },
          opts: { jobId: JobKeys.planChunkJobId(date, projects[0]!) },
        });
      }
      for (let i = 0; i < jobs.length; i += 500) await queues.planner.addBulk(jobs.slice(i, i + 500));
      return { projects: all.length };
    }
    if (d.kind === 'plan-chunk') {
      // A few projects at a time: one queue job per chunk rather than per project spares the queue's own
      // bookkeeping, which at thousands of projects costs more than the planning. A busy project gets a job of its own.
      // IN_CHUNK lanes, each taking the next project as soon as its last is planned: rounds of five in
      // lockstep waited for the slowest of each round, and a chunk took five of its slowest plans.
      let planned = 0;
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < d.projects.length) {
          const [tenant, projectId] = d.projects[next++]!;
          if ((await planner.plan(tenant, projectId, d.date)) !== 'busy') {
            planned++;
            continue;
          }
          await queues.planner.add(
            'plan-project',
            { kind: 'plan-project', tenant, projectId, date: d.date },
            { jobId: JobKeys.planProjectJobId(tenant, projectId, `${d.date}-busy`), delay: 200 + Math.floor(Math.random() * 300) },
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(IN_CHUNK, d.projects.length) }, lane));
      return { projects: planned };
    }
    const outcome = await planner.plan(d.tenant, d.projectId, d.date, { checkSuspended: true });
    if (outcome !== 'busy') return outcome;
    await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
    throw new DelayedError();
  }
}
