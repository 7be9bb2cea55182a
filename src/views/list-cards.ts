import { taskName } from '../domain/checklist.js';
import type { Lang, Project, Task } from '../domain/types.js';
import type { Card } from '../../messages/card.js';
import { mention } from '../../messages/i18n.js';
import { peopleOf, type View } from './texts.js';

/** `risk list`: the risk assessment, each risk with its id (for `risk remove`), whether it is critical and its fallback plan. */
export function riskListCard(v: View, project: Project): Card {
  const r = v.t.rules;
  const d = v.t.exportDoc;
  if (project.risks.length === 0) return { title: r.riskTitle({ name: project.name }), blocks: [{ type: 'text', text: r.riskNone }] };
  return {
    title: r.riskTitle({ name: project.name }),
    blocks: [
      {
        type: 'list',
        items: project.risks.map((risk) => ({
          // A critical risk without a fallback plan is what keeps the assessment from counting.
          mark: risk.critical && !risk.fallback ? 'missing' : risk.critical ? 'warn' : 'info',
          text: `${risk.id}${risk.critical ? ` (${d.critical})` : ''}: ${risk.text}`,
          detail: risk.fallback ? d.fallback({ plan: risk.fallback }) : d.noFallback,
        })),
      },
      { type: 'context', text: r.riskHint },
    ],
  };
}

/** `note list <task>`: a task's notes kept in the project, numbered for `note remove`, oldest first. */
export function notesCard(v: View, project: Project, task: Task, lang: Lang): Card {
  const r = v.t.rules;
  const label = `${task.id} (${taskName(task, lang)})`;
  if (task.notes.length === 0)
    return { title: r.notesTitle({ task: label }), blocks: [{ type: 'text', text: r.notesNone({ task: task.id }) }] };
  return {
    title: r.notesTitle({ task: label }),
    blocks: [
      {
        type: 'list',
        items: task.notes.map((n, i) => ({
          text: n.text,
          detail: r.noteDetail({ number: String(i + 1), by: mention(n.by), at: v.f.dateTime(n.at) }),
        })),
      },
      { type: 'context', text: r.notesHint({ task: task.id }) },
    ],
    people: peopleOf(project),
  };
}
