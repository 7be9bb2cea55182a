import { commandWord } from '../commands/command-types.js';
import { wordFor } from '../commands/sub-words.js';
import type { WorkingDayCalendar } from '../domain/calendar.js';
import { applicableTasks, effectiveStatus, progress, taskName } from '../domain/checklist.js';
import { own } from '../domain/dict.js';
import { signoffState, latestSignoff } from '../domain/signoffs.js';
import type { Lang, Project, Signoff, Task } from '../domain/types.js';
import type { Block, Card } from '../../messages/card.js';
import { channelMention } from '../../messages/i18n.js';
import { isOverdue } from './cards.js';
import { peopleOf, type View } from './texts.js';

/** How many of a person's tasks a project's part of their home shows; the rest are counted, with the command that lists them. */
export const HOME_TASKS_MAX = 8;

/** A person's open tasks in a project (not done, not applicable), the earliest due first, undated last. */
export function openTasksOf(project: Project, userId: string): Task[] {
  const tasks = applicableTasks(project);
  return tasks
    .filter((t) => t.owner === userId && !['done', 'na'].includes(effectiveStatus(tasks, t)))
    .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.id.localeCompare(b.id));
}

/** The open sign-off requests in which a person is an approver who has not answered. */
export function signoffsWaitingFor(project: Project, userId: string): Signoff[] {
  return project.signoffs.filter(
    (s) =>
      latestSignoff(project, s.kind)?.id === s.id &&
      signoffState(s) === 'open' &&
      s.approvers.includes(userId) &&
      !s.responses.some((r) => r.by === userId),
  );
}

/** Whether a person takes part in a project: a role, a task, a sign-off to give, or the staff question. */
export function takesPart(project: Project, userId: string): boolean {
  return Boolean(
    own(project.people, userId)?.roles.length ||
    own(project.staffLogin, userId) ||
    project.tasks.some((t) => t.owner === userId) ||
    project.signoffs.some((s) => s.approvers.includes(userId)),
  );
}

/**
 * A person's own page (Slack's App Home): for each project they take part in, how it stands (go-live, working days
 * to go, progress, overdue), their open tasks and the sign-offs waiting for them, in their language.
 */
export function homeCards(
  v: View,
  projects: readonly Project[],
  userId: string,
  calendar: WorkingDayCalendar,
  now: Date,
  lang: Lang,
): Card[] {
  const c = v.t.chat;
  const today = calendar.today(now);
  const intro: Card = { title: 'lv-bot', blocks: [{ type: 'text', text: c.homeIntro({ at: v.f.dateTime(now.toISOString()) }) }] };
  const mine = projects.filter((p) => takesPart(p, userId));
  if (mine.length === 0) return [{ ...intro, blocks: [...intro.blocks, { type: 'text', text: c.homeNone }] }];
  return [intro, ...mine.map((p) => projectPart(v, p, userId, calendar, today, lang))];
}

function projectPart(v: View, p: Project, userId: string, calendar: WorkingDayCalendar, today: string, lang: Lang): Card {
  const c = v.t.chat;
  const s = v.t.statusCard;
  const tasks = applicableTasks(p);
  const total = progress(tasks);
  const open = openTasksOf(p, userId);
  const waiting = signoffsWaitingFor(p, userId);
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: s.goLive, value: p.goLive ? v.f.date(p.goLive) : s.noGoLive },
        { label: s.daysToGo, value: p.goLive ? v.f.number(calendar.workingDaysBetween(today, p.goLive)) : s.noGoLive },
        { label: s.overdue, value: v.f.number(tasks.filter((t) => isOverdue(p, t, today)).length) },
      ],
    },
    { type: 'progress', label: s.progress, done: total.done, total: total.total },
    { type: 'text', text: c.homeTasks },
  ];
  if (open.length === 0) blocks.push({ type: 'context', text: c.homeNoTasks });
  else
    blocks.push({
      type: 'list',
      items: open.slice(0, HOME_TASKS_MAX).map((t) => ({
        mark: isOverdue(p, t, today) ? ('warn' as const) : effectiveStatus(tasks, t),
        text: `${t.id}: ${taskName(t, lang)}`,
        ...(t.due ? { detail: v.t.tasksCard.detail({ owner: '', due: v.f.date(t.due), reason: '' }) } : {}),
      })),
    });
  if (open.length > HOME_TASKS_MAX)
    blocks.push({
      type: 'context',
      text: c.andMore({
        count: String(open.length - HOME_TASKS_MAX),
        command: `${commandWord('tasks', v.f.lang)} ${wordFor('filter', 'mine', v.f.lang)}`,
      }),
    });
  if (waiting.length > 0) {
    blocks.push({ type: 'text', text: c.homeSignoffs });
    blocks.push({
      type: 'list',
      items: waiting.map((w) => ({
        mark: 'in_progress' as const,
        text: `${w.id}: ${v.t.signoffKind[w.kind]}`,
        detail: v.f.dateTime(w.requestedAt),
      })),
    });
  }
  blocks.push({ type: 'context', text: c.homeInChannel({ channel: channelMention(p.channel.platform, p.channel.id) }) });
  blocks.push({ type: 'divider' });
  return { title: p.name, blocks, people: peopleOf(p) };
}
