import { COMMAND_NAMES, type CommandName } from '../commands/command-types.js';
import { encodeAction } from '../commands/button-actions.js';
import type { WorkingDayCalendar } from '../domain/calendar.js';
import { applicableTasks, effectiveStatus, groupOf, groups, progress, taskName } from '../domain/checklist.js';
import { readiness } from '../domain/readiness.js';
import { TEXT_LIMITS } from '../domain/text-limits.js';
import { needed, signoffState, latestSignoff, stillToAnswer } from '../domain/signoffs.js';
import type { Lang, Project, Signoff, Task } from '../domain/types.js';
import type { Block, Button, Card, Mark } from '../../messages/card.js';
import { mention } from '../../messages/i18n.js';
import { peopleOf, type View } from './texts.js';
import { decideButtons, groupName } from './comms-cards.js';
import { STAFF_TASK, staffProgress } from '../domain/staff.js';
import { cut, GLANCE_LIST_MAX, GLANCE_REASON_MAX, glanceBlocks } from './status-glance.js';

/** Everything `help` lists: each command's usage and what it is for; `help <command>` that command alone. */
export function helpCard(v: View, topic?: CommandName): Card {
  const more: Partial<Record<CommandName, string>> = v.t.rules.usage;
  const moreFor: Partial<Record<CommandName, string>> = v.t.rules.describe;
  const extra = (c: CommandName) => (more[c] ? [{ text: `\`${more[c]}\``, detail: moreFor[c] ?? '' }] : []);
  if (topic) {
    return {
      title: v.t.help.title,
      blocks: [
        { type: 'list', items: [{ text: `\`${v.t.usage[topic]}\``, detail: v.t.describe[topic] }, ...extra(topic)] },
        { type: 'context', text: v.t.dateHint },
      ],
    };
  }
  return {
    title: v.t.help.title,
    blocks: [
      { type: 'text', text: v.t.help.intro },
      { type: 'list', items: COMMAND_NAMES.map((c) => ({ text: `\`${v.t.usage[c]}\``, detail: v.t.describe[c] })) },
      { type: 'text', text: v.t.rules.helpMore },
      { type: 'list', items: COMMAND_NAMES.flatMap(extra) },
      { type: 'context', text: v.t.dateHint },
    ],
  };
}

/** Overdue: a due date before today on a task that is not finished. */
export function isOverdue(project: Project, task: Task, today: string): boolean {
  const s = effectiveStatus(project.tasks, task);
  return Boolean(task.due && task.due < today && s !== 'done' && s !== 'na');
}

/**
 * `status`: progress per group, what is overdue, how many working days remain to go-live, and at a glance the
 * decision in force, staff readiness, the next training, the tasks nobody owns, the blocked ones and the sign-offs waiting.
 */
export function statusCard(v: View, project: Project, calendar: WorkingDayCalendar, today: string, lang: Lang, now = new Date()): Card {
  const tasks = applicableTasks(project);
  const total = progress(tasks);
  const overdue = tasks.filter((t) => isOverdue(project, t, today));
  const days = project.goLive ? v.f.number(calendar.workingDaysBetween(today, project.goLive)) : v.t.statusCard.noGoLive;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: v.t.statusCard.goLive, value: project.goLive ? v.f.date(project.goLive) : v.t.statusCard.noGoLive },
        { label: v.t.statusCard.daysToGo, value: days },
        { label: v.t.statusCard.overdue, value: v.f.number(overdue.length) },
      ],
    },
    { type: 'progress', label: v.t.statusCard.progress, done: total.done, total: total.total },
    {
      type: 'list',
      items: groups(tasks).map((g) => {
        const within = tasks.filter((t) => groupOf(t.id) === g.id);
        const p = progress(tasks, within);
        return {
          mark: effectiveStatus(tasks, g),
          text: v.t.statusCard.groupLine({ name: taskName(g, lang), done: String(p.done), total: String(p.total) }),
        };
      }),
    },
  ];
  if (overdue.length > 0) {
    blocks.push({ type: 'text', text: v.t.statusCard.overdue });
    blocks.push({
      type: 'list',
      items: overdue.map((t) => ({
        mark: 'warn' as const,
        text: v.t.statusCard.overdueLine({
          task: `${t.id} ${taskName(t, lang)}`,
          due: v.f.date(t.due),
          owner: t.owner ? mention(t.owner) : '',
        }),
      })),
    });
  } else {
    blocks.push({ type: 'context', text: v.t.statusCard.none });
  }
  // The decision, staff, training and owner fields join the first ones (one table); the blocked tasks and waiting sign-offs go at the end.
  const [fields, ...lists] = glanceBlocks(v, project, calendar, now, lang);
  const first = blocks[0];
  if (fields?.type === 'fields' && first?.type === 'fields') first.fields.push(...fields.fields);
  blocks.push(...lists);
  return {
    title: v.t.statusCard.title({ name: project.name }),
    blocks,
    buttons: [{ ...encodeAction({ action: 'status.share', project: project.id }), label: v.t.statusCard.share }],
    people: peopleOf(project),
  };
}

/** `tasks`: the checklist (or a filtered part of it) with status, owner and due date. */
export function tasksCard(v: View, project: Project, selected: Task[], title: string, lang: Lang): Card {
  const all = applicableTasks(project);
  const depth = (t: Task) => t.id.split('.').length - 1;
  const items = selected.map((t) => {
    const status = effectiveStatus(all, t);
    const detail = v.t.tasksCard.detail({
      owner: t.owner ? mention(t.owner) : '',
      due: t.due ? v.f.date(t.due) : '',
      reason: t.reason ?? '',
    });
    const staff = t.id === STAFF_TASK ? staffProgress(project) : undefined;
    const staffLine = staff && staff.total > 0 ? v.t.staff.progress({ ready: String(staff.ready), total: String(staff.total) }) : '';
    const shown = [detail, staffLine].filter(Boolean).join(' · ');
    return { mark: status, text: `${t.id}: ${taskName(t, lang)}`, ...(shown ? { detail: shown } : {}), indent: depth(t) };
  });
  return {
    title,
    blocks: items.length > 0 ? [{ type: 'list', items }] : [{ type: 'text', text: v.t.tasksCard.empty }],
    people: peopleOf(project),
  };
}

/** A sign-off request: who asked whom, the rule, the answers so far, and buttons while it is open. */
export function signoffCard(v: View, project: Project, s: Signoff): Card {
  const state = latestSignoff(project, s.kind)?.id === s.id ? signoffState(s) : 'superseded';
  const kind = v.t.signoffKind[s.kind];
  const blocks: Block[] = [
    { type: 'text', text: v.t.signoff.requested({ by: mention(s.requestedBy), approvers: v.f.list(s.approvers.map(mention)), kind }) },
    {
      type: 'fields',
      fields: [
        {
          label: v.t.signoff.rule,
          value: s.need === 'all' ? v.t.signoff.ruleAll : v.t.signoff.ruleN({ need: String(needed(s)), count: String(s.approvers.length) }),
        },
        { label: v.t.signoff.state, value: v.t.signoffState[state] },
      ],
    },
  ];
  if (s.responses.length > 0) {
    blocks.push({
      type: 'list',
      items: s.responses.map((r) => ({
        mark: r.kind === 'reject' ? 'blocked' : 'done',
        text: v.t.signoff.responseLine({
          person: mention(r.by),
          response: v.t.signoff.response[r.kind],
          at: v.f.dateTime(r.at),
          text: r.text ?? '',
        }),
      })),
    });
  }
  const acc = s.acceptance;
  if (acc && (acc.complete || acc.effect || acc.toFix.length > 0)) {
    const fields = [
      ...(acc.complete ? [{ label: v.t.signoff.complete, value: acc.complete }] : []),
      ...(acc.toFix.length > 0 ? [{ label: v.t.signoff.defects, value: acc.toFix.map((d) => `• ${d}`).join('\n') }] : []),
      ...(acc.effect ? [{ label: v.t.signoff.effect, value: acc.effect }] : []),
    ];
    blocks.push({ type: 'fields', fields });
  }
  const on = { project: project.id, signoff: s.id };
  // While the request is open its buttons are for the approvers who have not answered yet.
  const waiting = state === 'open' ? stillToAnswer(s) : [];
  const buttons: Button[] | undefined =
    state === 'open'
      ? [
          { ...encodeAction({ action: 'signoff.approve', ...on }), label: v.t.signoff.approve, style: 'primary' },
          {
            ...encodeAction({ action: 'signoff.remarks', ...on }),
            label: v.t.signoff.remarks,
            secondary: true,
            form: {
              title: v.t.signoff.remarksForm({ kind }),
              submit: v.t.signoff.submit,
              inputs: [{ id: 'text', label: v.t.signoff.remarksLabel, required: true, multiline: true, maxLength: TEXT_LIMITS.answer }],
            },
          },
          {
            ...encodeAction({ action: 'signoff.reject', ...on }),
            label: v.t.signoff.reject,
            style: 'danger',
            form: {
              title: v.t.signoff.rejectForm({ kind }),
              submit: v.t.signoff.submit,
              inputs: [
                {
                  id: 'reason',
                  label: v.t.signoff.reasonLabel,
                  placeholder: v.t.signoff.reasonPlaceholder,
                  required: true,
                  multiline: true,
                  maxLength: TEXT_LIMITS.answer,
                },
              ],
            },
          },
        ]
      : undefined;
  const requested = v.t.signoff.requested({ by: mention(s.requestedBy), approvers: v.f.list(waiting.map(mention)), kind });
  return {
    title: v.t.signoff.title({ kind }),
    blocks,
    ...(buttons ? { buttons } : {}),
    people: peopleOf(project),
    summary: state === 'open' && waiting.length > 0 ? requested : `${v.t.signoff.title({ kind })}: ${v.t.signoffState[state]}`,
    notify: waiting,
    audience: waiting,
    subject: { key: `signoff|${project.id}|${s.id}`, view: encodeAction({ action: 'signoff.view', ...on }) },
  };
}

/** `readiness`: the evidence for the decision, each item there or missing. */
export function readinessCard(v: View, project: Project): Card {
  const items = readiness(project);
  const missing = items.filter((i) => !i.ok).length;
  const rc = v.t.readinessCard;
  const list = items.map((i) => {
    const mark: Mark = i.ok ? 'ok' : 'missing';
    switch (i.key) {
      case 'signoff': {
        // A rejection stays in view even when the request's rule lets an approval carry it (`need 1`).
        const details = [
          ...i.rejections
            .slice(0, GLANCE_LIST_MAX)
            .map((r) => v.t.rules.rejectedBy({ person: mention(r.by), text: cut(r.text ?? '', GLANCE_REASON_MAX) })),
          ...(i.rejections.length > GLANCE_LIST_MAX
            ? [v.t.chat.othersToo({ count: v.f.number(i.rejections.length - GLANCE_LIST_MAX) })]
            : []),
          ...(i.defects.length ? [rc.defects({ defects: i.defects.join('; ') })] : []),
        ];
        return {
          mark: i.ok && i.rejections.length > 0 ? ('warn' as const) : mark,
          text: rc.signoff({ kind: v.t.signoffKind[i.kind], state: v.t.signoffState[i.state] }),
          ...(details.length ? { detail: details.join(' · ') } : {}),
        };
      }
      case 'acceptance-record':
        return {
          mark,
          text: rc['acceptance-record'],
          ...(i.missing.length
            ? {
                detail: rc.acceptanceMissing({
                  missing: v.f.list(i.missing.map((m) => (m === 'complete' ? v.t.signoff.complete : v.t.signoff.effect))),
                }),
              }
            : {}),
        };
      case 'golive-date':
        return { mark, text: rc['golive-date'], ...(i.date ? { detail: v.f.date(i.date) } : {}) };
      case 'risks':
        return {
          mark,
          text: rc.risks({ count: String(i.count) }),
          ...(i.withoutFallback.length ? { detail: rc.risksWithout({ ids: i.withoutFallback.join(', ') }) } : {}),
        };
      case 'comms':
        return {
          mark,
          text: rc.comms,
          ...(i.withoutChannel.length
            ? {
                detail: rc.commsWithout({
                  groups: i.withoutChannel
                    .map((id) => {
                      const g = project.comms.find((x) => x.id === id);
                      return g ? groupName(v, g) : id;
                    })
                    .join(', '),
                }),
              }
            : {}),
        };
      default:
        return { mark, text: rc[i.key] };
    }
  });
  return {
    title: rc.title({ name: project.name }),
    blocks: [
      { type: 'text', text: missing === 0 ? rc.ready : rc.notReady({ count: String(missing) }) },
      { type: 'list', items: list },
    ],
    buttons: decideButtons(v, project),
    people: peopleOf(project),
  };
}

/** `project`: the settings a coordinator chose. */
export function projectCard(v: View, project: Project): Card {
  const pc = v.t.project;
  return {
    title: pc.title({ name: project.name }),
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: pc.authority, value: project.authority ?? v.t.common.none },
          { label: pc.connection, value: v.t.connection[project.connection] },
          { label: pc.login, value: v.t.login[project.login] },
          { label: pc.goLive, value: v.f.date(project.goLive) },
          { label: pc.languages, value: v.f.list(project.languages.map((l) => v.t.langName[l])) },
        ],
      },
    ],
    people: peopleOf(project),
  };
}

/** `people`: who holds which roles. */
export function peopleCard(v: View, project: Project): Card {
  const people = Object.values(project.people).filter((p) => p.roles.length > 0);
  return {
    title: v.t.roleMsg.peopleTitle,
    blocks: people.length
      ? [{ type: 'list', items: people.map((p) => ({ text: mention(p.id), detail: v.f.list(p.roles.map((r) => v.t.roles[r])) })) }]
      : [{ type: 'text', text: v.t.roleMsg.nobody }],
    people: peopleOf(project),
  };
}

/** `signoffs`: every request with its state. */
export function signoffListCard(v: View, project: Project): Card {
  if (project.signoffs.length === 0) return { title: v.t.signoff.listTitle, blocks: [{ type: 'text', text: v.t.signoff.none }] };
  return {
    title: v.t.signoff.listTitle,
    blocks: [
      {
        type: 'list',
        items: project.signoffs.map((s) => {
          const state = latestSignoff(project, s.kind)?.id === s.id ? signoffState(s) : 'superseded';
          const mark: Mark = state === 'approved' ? 'done' : state === 'rejected' ? 'blocked' : state === 'open' ? 'in_progress' : 'na';
          return {
            mark,
            text: `${s.id}: ${v.t.signoffKind[s.kind]}`,
            detail: `${v.t.signoffState[state]} · ${v.f.list(s.approvers.map(mention))}`,
          };
        }),
      },
    ],
    people: peopleOf(project),
  };
}
