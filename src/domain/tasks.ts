import { accept, draft, refuse, unchanged, type Change, type Refusal } from './change.js';
import { applicableTasks, childrenOf, isApplicable, parentOf, slugFor } from './checklist.js';
import { currentDecision } from './decision.js';
import { checkNamed, type Naming } from './people.js';
import { grant, hasRole, holders, requireRole, roleRefusal } from './roles.js';
import { latestSignoff, SIGNOFF_TASK, signoffState } from './signoffs.js';
import { NOTES_PER_TASK } from './text-limits.js';
import { SIGNOFF_KINDS, type Lang, type Project, type Task, type TaskStatus } from './types.js';

/** The checklist item the decision closes. */
export const DECISION_TASK = 'decision';

/** Finds a task by id, or by a unique last segment (`review` → `process.review`), so people type less. */
export function findTask(project: Project, ref: string): Task | Refusal {
  const key = ref.toLowerCase();
  const tasks = project.tasks;
  const exact = tasks.find((t) => t.id === key);
  if (exact) {
    return isApplicable(exact.id, project.connection)
      ? exact
      : refuse('task.not-applicable', { task: exact.id, connection: project.connection });
  }
  const matches = applicableTasks(project).filter((t) => t.id.endsWith(`.${key}`) || t.id.split('.').pop()?.startsWith(key));
  if (matches.length === 1) return matches[0] as Task;
  if (matches.length > 1) return refuse('task.ambiguous', { task: ref, candidates: matches.map((t) => t.id) });
  return refuse('task.unknown', { task: ref });
}

/** Who may change a task's status (or snooze its reminders): its owner or a coordinator. */
export function mayWork(project: Project, userId: string, task: Task): Refusal | undefined {
  if (task.owner === userId) return undefined;
  const denied = requireRole(project, userId, 'coordinator');
  if (!denied || !task.owner) return denied;
  return roleRefusal(
    ['owner', 'coordinator'],
    [[task.owner, 'owner'], ...holders(project, 'coordinator').map((id) => [id, 'coordinator'] as const)],
  );
}

/**
 * The items only their evidence closes: a test item its approved sign-off, the decision item a go decision. They
 * are never ticked by hand, and while their evidence closes them they are not reopened by hand either.
 */
function closedByEvidence(project: Project, task: Task, status: TaskStatus): Refusal | undefined {
  const kind = SIGNOFF_KINDS.find((k) => SIGNOFF_TASK[k] === task.id);
  if (kind) {
    const s = latestSignoff(project, kind);
    const approved = s !== undefined && signoffState(s) === 'approved';
    if (status === 'done' || approved) return refuse('task.closed-by-signoff', { task: task.id, kind, kindId: kind });
  }
  if (task.id === DECISION_TASK && (status === 'done' || currentDecision(project)?.outcome === 'go'))
    return refuse('task.closed-by-decision', { task: task.id });
  return undefined;
}

/** A date a task or the project is to meet: from today on. */
export function checkFuture(date: string | undefined, today: string): Refusal | undefined {
  return date !== undefined && date < today ? refuse('date.past', { date }) : undefined;
}

/** Moves a leaf task to a new status; blocked and not applicable need a reason, groups are derived. */
export function setStatus(project: Project, userId: string, ref: string, status: TaskStatus, reason?: string): Change {
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  const denied = mayWork(project, userId, found);
  if (denied) return denied;
  if (childrenOf(applicableTasks(project), found.id).length > 0) return refuse('task.is-group', { task: found.id });
  const evidence = closedByEvidence(project, found, status);
  if (evidence) return evidence;
  const needsReason = status === 'blocked' || status === 'na';
  if (needsReason && !reason?.trim()) return refuse('task.reason-required', { task: found.id, status });
  const text = needsReason ? reason?.trim() : undefined;
  if (found.status === status && found.reason === text) return unchanged(project);
  const next = draft(project);
  const task = next.tasks.find((t) => t.id === found.id) as Task;
  const before = { status: task.status, ...(task.reason ? { reason: task.reason } : {}) };
  task.status = status;
  if (text) task.reason = text;
  else delete task.reason;
  return accept(next, { action: 'task.status', target: task.id, before, after: { status, ...(text ? { reason: text } : {}) } });
}

/** Gives a task an owner (who becomes a task owner, if the project knows them) and optionally a due date from today on; coordinators only. */
export function assign(
  project: Project,
  userId: string,
  ref: string,
  owner: string,
  due: string | undefined,
  today: string,
  naming: Naming,
): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  const past = due === found.due ? undefined : checkFuture(due, today);
  if (past) return past;
  const unnamed = checkNamed(project, [owner], naming);
  if (unnamed) return unnamed;
  if (found.owner === owner && (due === undefined || found.due === due)) return unchanged(project);
  const next = draft(project);
  const task = next.tasks.find((t) => t.id === found.id) as Task;
  const before = { owner: task.owner, due: task.due };
  task.owner = owner;
  if (due) task.due = due;
  if (!hasRole(next, owner, 'owner')) next.people = grant(next.people, owner, 'owner');
  return accept(next, { action: 'task.assign', target: task.id, before, after: { owner, due: task.due } });
}

/** Sets a task's due date, from today on; coordinators only. */
export function setDue(project: Project, userId: string, ref: string, due: string, today: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  if (found.due === due) return unchanged(project);
  const past = checkFuture(due, today);
  if (past) return past;
  const next = draft(project);
  const task = next.tasks.find((t) => t.id === found.id) as Task;
  const before = { due: task.due };
  task.due = due;
  return accept(next, { action: 'task.due', target: task.id, before, after: { due } });
}

/** Adds a note to a task (which keeps its NOTES_PER_TASK newest); its owner or a coordinator. */
export function addNote(project: Project, userId: string, ref: string, text: string, at: string): Change {
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  const denied = mayWork(project, userId, found);
  if (denied) return denied;
  const next = draft(project);
  const task = next.tasks.find((t) => t.id === found.id) as Task;
  // A task keeps its newest notes; every note stays whole in the audit trail, which records it here.
  task.notes = [...task.notes, { at, by: userId, text }].slice(-NOTES_PER_TASK);
  return accept(next, { action: 'task.note', target: task.id, after: { text } });
}

/** Adds the project's own item under a group (or at top level), named in every language the same. */
export function addItem(project: Project, userId: string, parentRef: string | undefined, name: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  let parent: string | undefined;
  if (parentRef) {
    const found = findTask(project, parentRef);
    if ('refused' in found) return found;
    parent = found.id;
  }
  const next = draft(project);
  const id = slugFor(parent, name, new Set(next.tasks.map((t) => t.id)));
  const names: Record<Lang, string> = { fi: name, sv: name, en: name };
  const task: Task = { id, ...(parent ? { parent } : {}), names, custom: true, status: 'todo', notes: [] };
  // Insert after the parent's last descendant so lists keep the checklist's shape.
  const lastIndex = parent ? next.tasks.findLastIndex((t) => t.id === parent || t.id.startsWith(`${parent}.`)) : next.tasks.length - 1;
  next.tasks.splice(lastIndex + 1, 0, task);
  return accept(next, { action: 'task.add', target: id, after: { parent: parentOf(id), name } });
}

/** Removes one of a task's notes (`note remove <task> <n>`, numbered as `note list` shows them); its owner or a coordinator. */
export function removeNote(project: Project, userId: string, ref: string, number: number): Change {
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  const denied = mayWork(project, userId, found);
  if (denied) return denied;
  const note = found.notes[number - 1];
  if (!note) return refuse('note.unknown', { task: found.id, number });
  const next = draft(project);
  (next.tasks.find((t) => t.id === found.id) as Task).notes.splice(number - 1, 1);
  return accept(next, { action: 'task.note-remove', target: found.id, before: note });
}

/** Removes one of the project's own items (`item remove <task>`), not one of the template's, nor a group with items under it; coordinators only. */
export function removeItem(project: Project, userId: string, ref: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  if (!found.custom) return refuse('item.not-own', { task: found.id });
  const under = childrenOf(project.tasks, found.id);
  if (under.length > 0) return refuse('item.has-items', { task: found.id, candidates: under.map((t) => t.id) });
  const next = draft(project);
  next.tasks = next.tasks.filter((t) => t.id !== found.id);
  return accept(next, { action: 'task.remove', target: found.id, before: found });
}

/** The units of work that are blocked, with their reasons on them, in checklist order. */
export function blockedTasks(project: Project): Task[] {
  const tasks = applicableTasks(project);
  return tasks.filter((t) => childrenOf(tasks, t.id).length === 0 && t.status === 'blocked');
}

/** The units of work still open that nobody owns: nobody is reminded of them. */
export function unassignedTasks(project: Project): Task[] {
  const tasks = applicableTasks(project);
  return tasks.filter((t) => childrenOf(tasks, t.id).length === 0 && !t.owner && t.status !== 'done' && t.status !== 'na');
}
