import type { WorkingDayCalendar } from './calendar.js';
import { accept, draft, refuse, unchanged, type Change } from './change.js';
import { requireRole } from './roles.js';
import type { Project } from './types.js';

/** The checklist task that tracks sending the joining form and following it up. */
export const FORM_TASK = 'joining.services.form-sent';

/** Working days between follow-up reminders while the form is unconfirmed. */
export const FORM_FOLLOW_UP_DAYS = 5;

/** `form sent <date>`: the form went out; the task is in progress until it is confirmed. */
export function formSent(project: Project, userId: string, date: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  if (project.joiningForm.sentOn === date && !project.joiningForm.confirmedOn) return unchanged(project);
  const next = draft(project);
  next.joiningForm = { sentOn: date };
  const task = next.tasks.find((t) => t.id === FORM_TASK);
  if (task) task.status = 'in_progress';
  return accept(next, { action: 'form.sent', target: FORM_TASK, before: project.joiningForm, after: { sentOn: date } });
}

/** `form confirmed`: the receipt of the form is confirmed; the task is done and the follow-ups stop. */
export function formConfirmed(project: Project, userId: string, today: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  if (!project.joiningForm.sentOn) return refuse('form.not-sent');
  if (project.joiningForm.confirmedOn) return unchanged(project);
  const next = draft(project);
  next.joiningForm = { ...project.joiningForm, confirmedOn: today };
  const task = next.tasks.find((t) => t.id === FORM_TASK);
  if (task) task.status = 'done';
  return accept(next, { action: 'form.confirmed', target: FORM_TASK, after: { confirmedOn: today } });
}

/** Whether a date is a follow-up day: every FORM_FOLLOW_UP_DAYS working days after sending, until confirmed. */
export function isFormFollowUpDay(project: Project, date: string, calendar: WorkingDayCalendar): boolean {
  const { sentOn, confirmedOn } = project.joiningForm;
  if (!sentOn || confirmedOn || date <= sentOn) return false;
  const days = calendar.workingDaysBetween(sentOn, date);
  return days > 0 && days % FORM_FOLLOW_UP_DAYS === 0;
}
