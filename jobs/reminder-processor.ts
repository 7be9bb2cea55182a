import type { Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { WorkingDayCalendar } from '../src/domain/calendar.js';
import { alertRecipients, remindersFor, sentField, trainingAlerts } from '../src/domain/reminders.js';
import type { Clock } from '../src/ports/clock.js';
import type { Logger } from '../src/ports/logger.js';
import type { ProjectStore } from '../src/ports/store.js';
import { goLiveDayDue, goLiveDayOccasion } from '../src/domain/comms.js';
import { announceOccasion } from '../src/use-cases/comms-commands.js';
import type { Deliveries } from '../src/ports/jobs.js';
import type { ProactiveMessages } from '../src/use-cases/proactive-messages.js';
import { JobKeys } from './job-keys.js';
import { sentLevels, type ReminderJobData } from './project-planner.js';

/** What happened to a reminder when its time came. */
export type ReminderResult = { sent: number } | { dropped: 'gone' | 'stale-state' | 'stale-day' | 'past' };

/** What firing reminders needs. */
export interface ReminderDeps {
  store: ProjectStore;
  clock: Clock;
  calendar: WorkingDayCalendar;
  messages: ProactiveMessages;
  deliveries: Deliveries;
  /** Where the once-levels sent are recorded (JobKeys.reminded), next to the tenant's projects. */
  redis: Redis | Cluster;
  keys: JobKeys;
  log?: Logger;
}

/** How long a project's record of once-levels sent is kept after its last reminder: longer than any due date stays open. */
const REMINDED_TTL_S = 400 * 24 * 3600;

/**
 * Fires a planned reminder: loads the project again and computes the reminder anew; only if it is still
 * called for, with the same fingerprint (due date, owner, status, snooze, time), does it become
 * deliveries, one per recipient, keyed by the reminder's job id and the recipient. So a reminder planned
 * for a state that has since changed never reaches anyone, even if removing its job failed.
 */
export class ReminderProcessor {
  constructor(private readonly deps: ReminderDeps) {}

  /** The worker's processor for the reminders queue. */
  async process(job: Job<ReminderJobData>): Promise<ReminderResult> {
    const d = job.data;
    const { store, clock, calendar, messages, deliveries } = this.deps;
    const loaded = await store.load(d.tenant, d.projectId);
    if (!loaded) return { dropped: 'gone' };
    const project = loaded.project;
    const batch = job.id ?? `${d.type}|${d.projectId}`;
    if (d.type === 'task-reminder') {
      // Yesterday's reminder that fires late today would repeat what today's plan says: drop it.
      if (calendar.today(clock.now()) !== d.date) return this.drop(job, 'stale-day');
      const reminded = this.deps.keys.reminded(d.tenant, d.projectId);
      const sent = await sentLevels(this.deps.redis, reminded);
      const current = remindersFor(project, d.date, calendar, sent).find((r) => r.kind === d.kind && r.task === d.task);
      if (!current || current.fingerprint !== d.fingerprint) return this.drop(job, 'stale-state');
      if (!current.cycle || !current.task) {
        const out = await messages.reminder(project, current, batch);
        await deliveries.send(d.tenant, batch, out);
        return { sent: out.length };
      }
      // A once-level: one batch per task, level and cycle (not per day), recorded as sent once it is queued. A run
      // that stops in between is planned again and queues the same batch, which the delivery ledger sends once.
      const once = JobKeys.onceBatch(d.tenant, d.projectId, current.task, current.kind, current.cycle);
      const out = await messages.reminder(project, current, once);
      await deliveries.send(d.tenant, once, out);
      await this.deps.redis.hset(reminded, sentField(current.task, current.kind), current.cycle);
      await this.deps.redis.expire(reminded, REMINDED_TTL_S);
      return { sent: out.length };
    }
    if (d.type === 'golive-day') {
      const due = goLiveDayDue(project, d.date);
      if (!due || due.fingerprint !== d.fingerprint) return this.drop(job, 'stale-state');
      const decision = project.decisions.find((x) => x.id === due.decisionId);
      return { sent: (await announceOccasion(deliveries, project, 'golive-day', goLiveDayOccasion(d.date), decision)) ?? 0 };
    }
    const alert = trainingAlerts(project, calendar).find((a) => a.training === d.training && a.kind === d.kind);
    if (!alert || alert.fingerprint !== d.fingerprint || alert.start !== d.start) return this.drop(job, 'stale-state');
    if (Date.parse(alert.start) <= clock.now().getTime()) return this.drop(job, 'past');
    const out = await messages.trainingAlert(project, alert, alertRecipients(project, alert.training), batch);
    await deliveries.send(d.tenant, batch, out);
    return { sent: out.length };
  }

  private drop(job: Job<ReminderJobData>, why: 'stale-state' | 'stale-day' | 'past'): ReminderResult {
    this.deps.log?.info({ job: job.id, why }, 'reminder dropped: the state it was planned for has changed');
    return { dropped: why };
  }
}
