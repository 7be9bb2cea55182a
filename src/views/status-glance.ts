import { commandWord } from '../commands/command-types.js';
import { wordFor } from '../commands/sub-words.js';
import type { WorkingDayCalendar } from '../domain/calendar.js';
import { taskName } from '../domain/checklist.js';
import { currentDecision } from '../domain/decision.js';
import { latestSignoff, signoffState, stillToAnswer } from '../domain/signoffs.js';
import { staffProgress } from '../domain/staff.js';
import { blockedTasks, unassignedTasks } from '../domain/tasks.js';
import { trainingSlot } from '../domain/trainings.js';
import { SIGNOFF_KINDS, type Lang, type Project, type Signoff } from '../domain/types.js';
import type { Block } from '../../messages/card.js';
import { mention } from '../../messages/i18n.js';
import type { View } from './texts.js';

/** How many items each list of the status shows; the rest are counted, with the command that lists them. */
export const GLANCE_LIST_MAX = 5;
/** How much of a blocked task's reason the status shows (the task list shows it whole). */
export const GLANCE_REASON_MAX = 200;

/** A text shortened to `max` characters with "…", for a glance that links to the whole of it. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The rest of `status` at a glance: the decision in force, staff login readiness, the next training and the tasks
 * nobody owns as fields; the blocked tasks with their reasons and the sign-offs still waiting as short lists. Each list
 * stops at GLANCE_LIST_MAX and says how to see the rest, so the card stays within one message on every platform.
 */
export function glanceBlocks(v: View, project: Project, calendar: WorkingDayCalendar, now: Date, lang: Lang): Block[] {
  const s = v.t.rules.status;
  const decision = currentDecision(project);
  const decisionDate = decision?.outcome === 'nogo' ? decision.nextReview : decision?.date;
  const staff = staffProgress(project);
  const next = project.trainings
    .filter((t) => !t.cancelled)
    .map((t) => ({ t, slot: trainingSlot(project, t, calendar) }))
    .filter((x) => x.slot && x.slot.start.getTime() > now.getTime())
    .sort((a, b) => a.slot!.start.getTime() - b.slot!.start.getTime())[0];
  const unassigned = unassignedTasks(project);
  const shown = unassigned.slice(0, GLANCE_LIST_MAX).map((t) => t.id);
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        {
          label: s.decision,
          value: decision
            ? s.decisionValue({
                outcome: v.t.outcome[decision.outcome],
                date: decisionDate ? v.f.date(decisionDate) : '',
                by: mention(decision.by),
              })
            : s.noDecision,
        },
        {
          label: s.staff,
          value: staff.total > 0 ? s.staffValue({ ready: v.f.number(staff.ready), total: v.f.number(staff.total) }) : s.noStaff,
        },
        { label: s.training, value: next ? s.trainingValue({ name: next.t.name, start: v.f.dateTime(next.slot!.start) }) : s.noTraining },
        {
          label: s.unassigned,
          value:
            unassigned.length > 0
              ? s.unassignedValue({
                  count: v.f.number(unassigned.length),
                  tasks: `${shown.join(', ')}${unassigned.length > shown.length ? ', …' : ''}`,
                })
              : s.noneUnassigned,
        },
      ],
    },
  ];
  const more = (count: number, command: string): Block[] =>
    count > GLANCE_LIST_MAX ? [{ type: 'context', text: v.t.chat.andMore({ count: v.f.number(count - GLANCE_LIST_MAX), command }) }] : [];
  const blocked = blockedTasks(project);
  if (blocked.length > 0) {
    blocks.push({ type: 'text', text: s.blocked });
    blocks.push({
      type: 'list',
      items: blocked.slice(0, GLANCE_LIST_MAX).map((t) => ({
        mark: 'blocked' as const,
        text: s.blockedLine({ task: `${t.id} ${taskName(t, lang)}`, reason: cut(t.reason ?? '', GLANCE_REASON_MAX) }),
      })),
    });
    blocks.push(...more(blocked.length, `${commandWord('tasks', v.f.lang)} ${wordFor('filter', 'blocked', v.f.lang)}`));
  }
  const waiting = SIGNOFF_KINDS.map((k) => latestSignoff(project, k))
    .filter((x): x is Signoff => x !== undefined && signoffState(x) === 'open')
    .map((x) => ({ kind: x.kind, people: stillToAnswer(x) }));
  if (waiting.length > 0) {
    blocks.push({ type: 'text', text: s.waiting });
    blocks.push({
      type: 'list',
      items: waiting.map((w) => ({
        mark: 'in_progress' as const,
        text: s.waitingLine({
          kind: v.t.signoffKind[w.kind],
          people: v.f.list([
            ...w.people.slice(0, GLANCE_LIST_MAX).map(mention),
            ...(w.people.length > GLANCE_LIST_MAX ? [v.t.chat.othersToo({ count: v.f.number(w.people.length - GLANCE_LIST_MAX) })] : []),
          ]),
        }),
      })),
    });
  }
  return blocks;
}
