import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { JobState } from 'bullmq';
import type { IsoDate, WorkingDayCalendar } from '../src/domain/calendar.js';
import { goLiveDayDue } from '../src/domain/comms.js';
import { ONCE_KINDS, remindersFor, trainingAlerts, type ReminderKind, type TrainingAlertKind } from '../src/domain/reminders.js';
import type { Clock } from '../src/ports/clock.js';
import { loadLua } from '../src/infra/redis/lua-scripts.js';
import type { Logger } from '../src/ports/logger.js';
import type { ProjectStore } from '../src/ports/store.js';
import { recoverAnnouncement } from './announcement-recovery.js';
import { JobKeys } from './job-keys.js';
import type { JobQueues } from './job-queues.js';
import type { TrainingNotices } from './training-notices.js';

/** A scheduled reminder job: what was planned, and the fingerprint of the state it was planned for. */
export type ReminderJobData =
  | {
      type: 'task-reminder';
      tenant: string;
      projectId: string;
      date: IsoDate;
      kind: ReminderKind;
      task?: string;
      at: string;
      fingerprint: string;
    }
  | {
      type: 'training-alert';
      tenant: string;
      projectId: string;
      training: string;
      kind: TrainingAlertKind;
      start: string;
      at: string;
      fingerprint: string;
    }
  | { type: 'golive-day'; tenant: string; projectId: string; date: IsoDate; at: string; fingerprint: string };

/** The once-levels already sent for a project (JobKeys.reminded), as remindersFor reads them. */
export async function sentLevels(redis: Redis | Cluster, key: string): Promise<Map<string, string>> {
  return new Map(Object.entries(await redis.hgetall(key)));
}

/** What one plan of a project did. */
export interface PlanOutcome {
  added: number;
  replaced: number;
  removed: number;
  notices: number;
  /** Announcement messages queued again because a crash had left a recent decision's broadcast unqueued. */
  recovered?: number;
}

/** What the planner needs. */
export interface PlannerDeps {
  redis: Redis | Cluster;
  store: ProjectStore;
  clock: Clock;
  calendar: WorkingDayCalendar;
  queues: JobQueues;
  notices: TrainingNotices;
  log?: Logger;
  /** A reminder whose time passed less than this long ago is still sent (a plan that ran late); older ones are skipped. */
  lateToleranceMs?: number;
}

const LOCK_MS = 60_000;
/** The states of a job not yet taken by a worker (BullMQ 6 has no `paused` state: a paused queue's jobs stay `waiting`). */
const PENDING: ReadonlySet<string> = new Set(['delayed', 'waiting', 'prioritized', 'waiting-children'] satisfies JobState[]);
/** Deletes the plan lock only while this planner's token holds it (lua/release-lock.lua). */
const RELEASE = loadLua(import.meta.url, 'lua/release-lock.lua');
/** The fingerprint each job was planned with, in one step over the job hashes (lua/fingerprints.lua). */
const FINGERPRINTS = loadLua(import.meta.url, 'lua/fingerprints.lua');

/** The planner's scripts, as ioredis defines them on the client. */
interface PlannerScripts {
  lvReleaseLock(key: string, token: string): Promise<number>;
  lvFingerprints(numKeys: number, ...keys: string[]): Promise<Array<string | number>>;
}

/**
 * Plans one project: makes the reminders queue hold exactly the jobs the project's current state calls
 * for (today's task reminders and digest, every future training reminder), and sends the training
 * notices that are due. Idempotent and convergent: run it after any change, twice, or from two processes
 * (a lock per project serialises them), and the queue ends up the same. Job ids are deterministic, so an
 * existing job is never added twice; a job whose fingerprint no longer matches is replaced; a pending job
 * the state no longer calls for is removed.
 */
export class ProjectPlanner {
  private readonly tolerance: number;
  constructor(private readonly deps: PlannerDeps) {
    this.tolerance = deps.lateToleranceMs ?? 2 * 3600_000;
    deps.redis.defineCommand('lvReleaseLock', { numberOfKeys: 1, lua: RELEASE });
    deps.redis.defineCommand('lvFingerprints', { lua: FINGERPRINTS });
  }

  /** Plans a project for a date (default: today in Helsinki); 'busy' when another planner holds the project. */
  async plan(tenant: string, projectId: string, date?: IsoDate, opts: { checkSuspended?: boolean } = {}): Promise<PlanOutcome | 'busy'> {
    const { redis, queues } = this.deps;
    const lock = queues.keys.planLock(tenant, projectId);
    const token = randomUUID();
    if ((await redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return 'busy';
    try {
      return await this.planLocked(tenant, projectId, date, opts.checkSuspended === true);
    } finally {
      await (redis as unknown as PlannerScripts).lvReleaseLock(lock, token);
    }
  }

  /** Plans what the project's state calls for; a suspended tenant's project calls for nothing, so its planned reminders go. */
  private async planLocked(tenant: string, projectId: string, date: IsoDate | undefined, checkSuspended: boolean): Promise<PlanOutcome> {
    const { redis, store, clock, calendar, queues, notices } = this.deps;
    const now = clock.now();
    const day = date ?? calendar.today(now);
    const index = queues.keys.planIndex(tenant, projectId);
    const suspended = checkSuspended && (await store.suspendedTenants()).has(tenant);
    const loaded = suspended ? undefined : await store.load(tenant, projectId);
    const sent = loaded ? await sentLevels(redis, queues.keys.reminded(tenant, projectId)) : new Map<string, string>();
    const wanted = new Map<string, { at: string; data: ReminderJobData }>();
    if (loaded) {
      const p = loaded.project;
      for (const r of remindersFor(p, day, calendar, sent)) {
        const id = JobKeys.reminderJobId(day, tenant, projectId, r.task, r.kind);
        wanted.set(id, {
          at: r.at,
          data: {
            type: 'task-reminder',
            tenant,
            projectId,
            date: day,
            kind: r.kind,
            ...(r.task ? { task: r.task } : {}),
            at: r.at,
            fingerprint: r.fingerprint,
          },
        });
      }
      const goLive = goLiveDayDue(p, day);
      if (goLive) {
        const at = calendar.at(day, p.reminders.time).toISOString();
        wanted.set(JobKeys.goLiveDayJobId(tenant, projectId, day), {
          at,
          data: { type: 'golive-day', tenant, projectId, date: day, at, fingerprint: goLive.fingerprint },
        });
      }
      for (const a of trainingAlerts(p, calendar)) {
        const id = JobKeys.trainingJobId(tenant, projectId, a.training, a.kind, a.start);
        wanted.set(id, {
          at: a.at,
          data: {
            type: 'training-alert',
            tenant,
            projectId,
            training: a.training,
            kind: a.kind,
            start: a.start,
            at: a.at,
            fingerprint: a.fingerprint,
          },
        });
      }
    }
    const outcome: PlanOutcome = { added: 0, replaced: 0, removed: 0, notices: 0 };
    const { indexed, planned } = await this.plannedNow(index, [...wanted.keys()]);
    for (const id of indexed) {
      if (wanted.has(id)) continue;
      if (await this.removePending(id)) outcome.removed++;
      await redis.srem(index, id);
    }
    const add: Array<{ id: string; at: string; data: ReminderJobData }> = [];
    for (const [id, w] of wanted) {
      const fingerprint = planned.get(id);
      if (fingerprint !== undefined) {
        if (fingerprint === w.data.fingerprint) continue;
        // A job already sent (or being sent) stays as it is; only a pending one is replaced.
        if (!(await this.removePending(id))) continue;
        outcome.replaced++;
      } else if (Date.parse(w.at) < now.getTime() - this.lateness(w.data)) {
        // Long past: never planned in time, and too late to send. A training reminder is never sent late
        // ("starts in an hour" half an hour before, or right after the invitation, only confuses).
        continue;
      } else {
        outcome.added++;
      }
      add.push({ id, ...w });
    }
    if (add.length > 0) {
      // Indexed before added: a crash in between leaves an id the next plan adds or forgets, never a lost job.
      await redis.sadd(index, ...add.map((a) => a.id));
      await queues.reminders.addBulk(
        add.map((a) => ({ name: a.data.type, data: a.data, opts: { jobId: a.id, delay: Math.max(0, Date.parse(a.at) - now.getTime()) } })),
      );
    }
    if (loaded) {
      outcome.notices = await notices.reconcile(loaded.project, now);
      outcome.recovered = await recoverAnnouncement(queues, loaded.project, now);
    }
    return outcome;
  }

  /**
   * How late a job may still be added: a training reminder never, a due-soon or escalation whenever that day
   * (it is sent once, so a late one today beats waiting for tomorrow), any other reminder within the tolerance.
   */
  private lateness(data: ReminderJobData): number {
    if (data.type === 'training-alert') return 0;
    if (data.type === 'task-reminder' && ONCE_KINDS.has(data.kind)) return Number.POSITIVE_INFINITY;
    return this.tolerance;
  }

  /**
   * The project's indexed job ids, and the fingerprint each wanted job was planned with (for those that
   * exist), in one script over the jobs' hashes instead of a read per job (a project has a job per overdue
   * task each day) and with the JSON read inside Redis. The index (tenant's hash tag) and the jobs
   * ({<prefix>-jobs}) live in different cluster slots, so the index is read beside the script, at the same time.
   */
  private async plannedNow(index: string, ids: readonly string[]): Promise<{ indexed: string[]; planned: Map<string, string | null> }> {
    const { redis, queues } = this.deps;
    const keys = ids.map((id) => queues.reminders.toKey(id));
    const [indexed, fingerprints] = await Promise.all([
      redis.smembers(index),
      keys.length > 0 ? (redis as unknown as PlannerScripts).lvFingerprints(keys.length, ...keys) : Promise.resolve([]),
    ]);
    const planned = new Map<string, string | null>();
    ids.forEach((id, i) => {
      const f = fingerprints[i];
      // Unreadable data ('') is replaced like a changed job; a gone job (0) is planned afresh.
      if (typeof f === 'string') planned.set(id, f === '' ? null : f);
    });
    return { indexed, planned };
  }

  /** Removes a job that has not run yet; false when it is running, done or gone. */
  private async removePending(id: string): Promise<boolean> {
    const job = await this.deps.queues.reminders.getJob(id);
    if (!job) return false;
    const state = await job.getState();
    if (!PENDING.has(state)) return false;
    try {
      return (await this.deps.queues.reminders.remove(id)) === 1;
    } catch (err) {
      this.deps.log?.warn({ err, id }, 'could not remove a stale reminder job; it is dropped when it fires');
      return false;
    }
  }
}
