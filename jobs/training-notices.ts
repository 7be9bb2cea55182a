import type { Cluster, Redis } from 'ioredis';
import type { WorkingDayCalendar } from '../src/domain/calendar.js';
import { invitees, trainingSlot } from '../src/domain/trainings.js';
import type { Project, Training } from '../src/domain/types.js';
import type { Deliveries, OutboundMessage } from '../src/ports/jobs.js';
import type { ProactiveMessages } from '../src/use-cases/proactive-messages.js';
import type { TrainingNoticeKind } from '../src/views/training-cards.js';
import type { JobKeys } from './job-keys.js';

/** What each invitee was last told of a training: the revision of the notice and the start it named. */
interface Told {
  rev: number;
  start: string;
}

const CANCELLED = 'cancelled';

/**
 * Invitations and notices of a new time or a cancellation, sent at once (not on a schedule). Derived from
 * the project by comparison with what each invitee was last told (a hash per training), so any re-plan,
 * after any change or crash, sends exactly what is missing: each invitee learns of each new start once.
 */
export class TrainingNotices {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: JobKeys,
    private readonly calendar: WorkingDayCalendar,
    private readonly messages: ProactiveMessages,
    private readonly deliveries: Deliveries,
  ) {}

  /** The delivery batch of one training's invitations and notices. */
  static batch(project: Project, trainingId: string): string {
    return `trn|${project.id}|${trainingId}`;
  }

  /** Sends what the invitees of every training have not been told yet; returns how many messages were queued. */
  async reconcile(project: Project, now: Date): Promise<number> {
    let queued = 0;
    for (const training of project.trainings) queued += await this.reconcileOne(project, training, now);
    return queued;
  }

  private async reconcileOne(project: Project, training: Training, now: Date): Promise<number> {
    const slot = trainingSlot(project, training, this.calendar);
    if (!slot || slot.start.getTime() <= now.getTime()) return 0; // nothing to say about a session that is over
    const key = this.keys.told(project.tenant, project.id, training.id);
    const told = parse(await this.redis.hgetall(key));
    const start = slot.start.toISOString();
    const out: OutboundMessage[] = [];
    // Keyed by person id, which may be any name (`__proto__` too): a Map, which ioredis writes as field/value pairs.
    const update = new Map<string, string>();
    const notice = async (kind: TrainingNoticeKind, person: string, rev: number, state: string) => {
      const idem = `${kind === 'invite' ? 'trn-invite' : kind === 'moved' ? 'trn-moved' : 'trn-cancel'}|${project.tenant}|${project.id}|${training.id}|${rev}|${person}`;
      const m = await this.messages.trainingNotice(project, training, kind, person, idem);
      if (m) out.push(m);
      update.set(person, `${rev}|${state}`);
    };
    if (training.cancelled) {
      for (const [person, t] of told) if (t.start !== CANCELLED) await notice('cancelled', person, t.rev + 1, CANCELLED);
    } else {
      for (const person of invitees(project, training)) {
        const t = told.get(person);
        if (!t) await notice('invite', person, 0, start);
        // Everyone invited hears of a new time, those who declined too: the new time may suit them.
        else if (t.start !== start) await notice(t.start === CANCELLED ? 'invite' : 'moved', person, t.rev + 1, start);
      }
    }
    if (out.length === 0 && update.size === 0) return 0;
    // Queue first, then remember: a crash in between queues the same keys again, which adds nothing.
    await this.deliveries.send(project.tenant, TrainingNotices.batch(project, training.id), out);
    await this.redis.hset(key, update);
    return out.length;
  }
}

function parse(hash: Record<string, string>): Map<string, Told> {
  const out = new Map<string, Told>();
  for (const [person, v] of Object.entries(hash)) {
    const i = v.indexOf('|');
    out.set(person, { rev: Number(v.slice(0, i)) || 0, start: v.slice(i + 1) });
  }
  return out;
}
