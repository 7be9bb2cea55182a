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

/**
 * The planner queue: `plan-day` (the nightly cron job, or a manual one) fans out to one `plan-project`
 * job per project, with ids per date so two planners add each once; `plan-project` plans one project,
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
      const jobs: Array<{ name: string; data: PlannerJobData; opts: { jobId: string } }> = [];
      for (const tenant of await store.tenants()) {
        for (const projectId of await store.projectIds(tenant)) {
          jobs.push({ name: 'plan-project', data: { kind: 'plan-project', tenant, projectId, date }, opts: { jobId: JobKeys.planProjectJobId(tenant, projectId, date) } });
        }
      }
      for (let i = 0; i < jobs.length; i += 500) await queues.planner.addBulk(jobs.slice(i, i + 500));
      return { projects: jobs.length };
    }
    const outcome = await planner.plan(d.tenant, d.projectId, d.date);
    if (outcome !== 'busy') return outcome;
    await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
    throw new DelayedError();
  }
}
