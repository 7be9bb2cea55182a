import { createHash } from 'node:crypto';
import type { Platform } from '../src/domain/types.js';
import { RedisKeys } from '../src/infra/redis/keys.js';

/**
 * One part of a job id: BullMQ refuses `:` in custom ids, and `|` separates the parts. Not keys.ts's
 * encodeKeyPart: job ids, and the keys below already stored with parts in this form (UTF-8 percent-encoding,
 * which escapes `%` and so is one to one too; it throws on a lone surrogate), keep their names.
 */
function part(s: string): string {
  return encodeURIComponent(s).replace(/\|/g, '%7C');
}

/** The queue names; all three live under one BullMQ prefix. */
export const QUEUE_NAMES = { planner: 'planner', reminders: 'reminders', deliveries: 'deliveries' } as const;

/**
 * Keys and job ids of the jobs layer. BullMQ's keys share the hash tag `{<prefix>-jobs}` (one cluster
 * slot, as BullMQ's Lua scripts need); the jobs layer's own state (ledgers, limiter windows, plan
 * indexes, training notices) lives under each tenant's tag, next to the tenant's projects.
 */
export class JobKeys {
  private readonly store: RedisKeys;
  constructor(readonly prefix: string) {
    this.store = new RedisKeys(prefix);
  }

  /** BullMQ's prefix: one hash tag for every queue, so the queues work on Redis Cluster. */
  get bullPrefix(): string {
    return `{${this.prefix}-jobs}`;
  }

  /** A delivery batch's ledger (hash: idempotency key → entry). */
  ledger(tenant: string, batch: string): string {
    return `${this.store.tag(tenant)}:ledger:${hashed(batch)}`;
  }
  /** Ids of the reminder jobs planned for a project (a set), so a re-plan can remove the ones no longer wanted. */
  planIndex(tenant: string, projectId: string): string {
    return `${this.store.tag(tenant)}:jobs:${part(projectId)}`;
  }
  /**
   * The once-levels of task reminders already sent for a project (hash: `<task>|<kind>` → the due date and
   * owner they were sent for), so a due-soon or escalation goes out once per task and due date, however many days its condition holds.
   */
  reminded(tenant: string, projectId: string): string {
    return `${this.store.tag(tenant)}:reminded:${part(projectId)}`;
  }
  /** A project's re-plan lock, so two planners never interleave on one project. */
  planLock(tenant: string, projectId: string): string {
    return `${this.store.tag(tenant)}:jobs:${part(projectId)}:lock`;
  }
  /** Which start of a training each invitee was last told of (hash: person → "revision|start"). */
  told(tenant: string, projectId: string, trainingId: string): string {
    return `${this.store.tag(tenant)}:told:${part(projectId)}:${part(trainingId)}`;
  }
  /** Send times in one conversation (sorted set), for the shared per-conversation limiter. */
  rate(tenant: string, platform: Platform, conversation: string): string {
    return `${this.store.tag(tenant)}:rl:${platform}:${part(conversation)}`;
  }
  /** Until when a 429 holds a conversation, or (without one) the whole workspace, back. */
  rateBlock(tenant: string, platform: Platform, conversation?: string): string {
    return `${this.store.tag(tenant)}:rl:${platform}:${conversation === undefined ? '*' : part(conversation)}:until`;
  }

  /** `rem|<date>|<tenant>|<project>|<task>|<kind>`: one id per reminder and day, so planning twice adds once. */
  static reminderJobId(date: string, tenant: string, projectId: string, task: string | undefined, kind: string): string {
    return ['rem', date, tenant, projectId, task ?? '-', kind].map(part).join('|');
  }
  /**
   * `rem|once|<tenant>|<project>|<task>|<kind>|<due>|<owner>`: the delivery batch of a once-level, the same on every day
   * it may be planned, so a level planned again after a crash between sending and recording it still reaches each person once.
   */
  static onceBatch(tenant: string, projectId: string, task: string, kind: string, cycle: string): string {
    return ['rem', 'once', tenant, projectId, task, kind, ...cycle.split('|')].map(part).join('|');
  }
  /** `trn|<tenant>|<project>|<training>|<kind>|<start>`: a moved training gets new ids, so its old ones can be told apart. */
  static trainingJobId(tenant: string, projectId: string, trainingId: string, kind: string, start: string): string {
    return ['trn', tenant, projectId, trainingId, kind, start.replace(/[-:]|\.\d+/g, '')].map(part).join('|');
  }
  /** `gld|<tenant>|<project>|<date>`: one go-live-day announcement per project and date. */
  static goLiveDayJobId(tenant: string, projectId: string, date: string): string {
    return ['gld', tenant, projectId, date].map(part).join('|');
  }
  /** The daily plan of one date (the fan-out job). */
  static planDayJobId(date: string): string {
    return ['plan-day', date].map(part).join('|');
  }
  /** A chunk of the daily plan, named by its first project: the same chunk of the same date is added once. */
  static planChunkJobId(date: string, first: [string, string]): string {
    return ['plan-chunk', date, ...first].map(part).join('|');
  }
  /** One project's plan: per date for the daily plan, per version for a change. */
  static planProjectJobId(tenant: string, projectId: string, occasion: string): string {
    return ['plan', occasion, tenant, projectId].map(part).join('|');
  }
  /** A delivery's job id, derived from its idempotency key: enqueueing the same message twice adds it once. */
  static deliveryJobId(tenant: string, key: string): string {
    return `dlv|${createHash('sha256').update(`${tenant}\n${key}`).digest('hex').slice(0, 40)}`;
  }
}

/** A batch id of any length as a short, key-safe string. */
function hashed(batch: string): string {
  return batch.length <= 80 && /^[A-Za-z0-9_.@|-]+$/.test(batch) ? batch : createHash('sha256').update(batch).digest('hex').slice(0, 40);
}
