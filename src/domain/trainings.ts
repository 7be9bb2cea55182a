import type { IsoDate, WorkingDayCalendar } from './calendar.js';
import { accept, draft, refuse, unchanged, type Change, type Refusal } from './change.js';
import { own, put } from './dict.js';
import { requireRole } from './roles.js';
import type { Audience, Project, Training, TrainingWhen } from './types.js';

/** What a coordinator gives to plan a training. */
export interface TrainingInput {
  name: string;
  when: TrainingWhen;
  time: string;
  minutes: number;
  audience: Audience;
}

/** Where a training sits in time: its working day and its start and end instants. */
export interface TrainingSlot {
  date: IsoDate;
  start: Date;
  end: Date;
}

/** An attendee's answer to an invitation. */
export type TrainingAnswer = 'yes' | 'no';

/**
 * The training's working day and instants, derived from the go-live date for a relative training, so
 * it moves whenever go-live moves. Undefined while a relative training has no go-live date to hang on.
 */
export function trainingSlot(
  project: Pick<Project, 'goLive'>,
  training: Pick<Training, 'when' | 'time' | 'minutes'>,
  calendar: WorkingDayCalendar,
): TrainingSlot | undefined {
  let date: IsoDate;
  if (training.when.kind === 'fixed') date = training.when.date;
  else if (!project.goLive) return undefined;
  else date = calendar.addWorkingDays(project.goLive, training.when.offset); // offset 0: go-live day or the next working day
  const start = calendar.at(date, training.time);
  return { date, start, end: new Date(start.getTime() + training.minutes * 60_000) };
}

/** The people a training is for, in a stable order. */
export function invitees(project: Project, training: Pick<Training, 'audience'>): string[] {
  return Object.values(project.people)
    .filter((p) => p.roles.length > 0 && (training.audience === 'all' || p.roles.includes(training.audience)))
    .map((p) => p.id)
    .sort();
}

/** Invitees who have not declined: they get the reminders and the notices of a new time. */
export function expected(project: Project, training: Training): string[] {
  return invitees(project, training).filter((id) => own(training.attendance, id) !== 'no');
}

/** Finds a training by id (`t3`), by its whole name, or by a unique start of its name (a cancelled one last). */
export function findTraining(project: Project, ref: string): Training | Refusal {
  const key = ref.trim().toLowerCase();
  const byId = project.trainings.find((t) => t.id === key);
  if (byId) return byId;
  const unique = (found: Training[]): Training | undefined => {
    const live = found.filter((t) => !t.cancelled);
    return found.length === 1 ? found[0] : live.length === 1 ? live[0] : undefined;
  };
  // `Perehdytys` is the training of that name, even when `Perehdytys2` starts with it.
  const exact = project.trainings.filter((t) => t.name.trim().toLowerCase() === key);
  const byName = project.trainings.filter((t) => t.name.toLowerCase().startsWith(key));
  const found = unique(exact) ?? (exact.length === 0 ? unique(byName) : undefined);
  if (found) return found;
  const candidates = exact.length > 0 ? exact : byName;
  if (candidates.length > 1)
    return refuse('training.ambiguous', { training: ref, candidates: candidates.map((t) => `${t.id} (${t.name})`) });
  return refuse('training.unknown', { training: ref });
}

/** Refuses a slot that cannot be held: no go-live date for a relative one, a day off, or the past. */
function checkSlot(
  project: Project,
  t: Pick<Training, 'when' | 'time' | 'minutes'>,
  calendar: WorkingDayCalendar,
  now: Date,
): Refusal | undefined {
  const slot = trainingSlot(project, t, calendar);
  if (!slot) return refuse('training.golive-required');
  if (!calendar.isWorkingDay(slot.date)) return refuse('training.not-working-day', { date: slot.date });
  if (slot.start.getTime() <= now.getTime()) return refuse('training.past', { date: slot.date });
  return undefined;
}

/** Plans a training on a working day (relative to go-live or on a fixed date); coordinators only. */
export function addTraining(project: Project, userId: string, input: TrainingInput, now: Date, calendar: WorkingDayCalendar): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const bad = checkSlot(project, input, calendar, now);
  if (bad) return bad;
  const next = draft(project);
  next.seq += 1;
  const training: Training = {
    id: `t${next.seq}`,
    name: input.name.trim(),
    when: input.when,
    time: input.time,
    minutes: input.minutes,
    audience: input.audience,
    attendance: {},
    cancelled: false,
    createdBy: userId,
    createdAt: now.toISOString(),
  };
  next.trainings.push(training);
  return accept(next, {
    action: 'training.add',
    target: training.id,
    after: { name: training.name, when: training.when, time: training.time, minutes: training.minutes, audience: training.audience },
  });
}

/** Moves one training to another offset or date (and optionally time); coordinators only. */
export function moveTraining(
  project: Project,
  userId: string,
  ref: string,
  when: TrainingWhen,
  time: string | undefined,
  now: Date,
  calendar: WorkingDayCalendar,
): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const found = findTraining(project, ref);
  if ('refused' in found) return found;
  if (found.cancelled) return refuse('training.cancelled', { training: found.id });
  const moved = { ...found, when, time: time ?? found.time };
  if (JSON.stringify(moved.when) === JSON.stringify(found.when) && moved.time === found.time) return unchanged(project);
  const bad = checkSlot(project, moved, calendar, now);
  if (bad) return bad;
  const next = draft(project);
  const t = next.trainings.find((x) => x.id === found.id) as Training;
  t.when = moved.when;
  t.time = moved.time;
  return accept(next, {
    action: 'training.move',
    target: t.id,
    before: { when: found.when, time: found.time },
    after: { when: t.when, time: t.time },
  });
}

/** Cancels a training (kept on record, with its answers); coordinators only. */
export function cancelTraining(project: Project, userId: string, ref: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const found = findTraining(project, ref);
  if ('refused' in found) return found;
  if (found.cancelled) return unchanged(project);
  const next = draft(project);
  (next.trainings.find((x) => x.id === found.id) as Training).cancelled = true;
  return accept(next, { action: 'training.cancel', target: found.id });
}

/** Records an invitee's own answer to an invitation; a person the training is not for cannot answer it. */
export function answerTraining(project: Project, userId: string, ref: string, answer: TrainingAnswer): Change {
  const found = findTraining(project, ref);
  if ('refused' in found) return found;
  if (!own(project.people, userId)?.roles.length) return refuse('person.unknown', { person: userId });
  if (found.audience !== 'all' && !invitees(project, found).includes(userId))
    return refuse('role.required', { role: found.audience, who: invitees(project, found) });
  if (found.cancelled) return refuse('training.cancelled', { training: found.id });
  if (own(found.attendance, userId) === answer) return unchanged(project);
  const next = draft(project);
  const t = next.trainings.find((x) => x.id === found.id) as Training;
  const before = { answer: own(t.attendance, userId) };
  put(t.attendance, userId, answer);
  return accept(next, { action: `training.${answer === 'yes' ? 'attend' : 'decline'}`, target: t.id, before, after: { answer } });
}
