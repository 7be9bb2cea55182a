import { encodeAction } from '../commands/button-actions.js';
import { staffProgress } from '../domain/staff.js';
import { TEXT_LIMITS } from '../domain/text-limits.js';
import type { Project } from '../domain/types.js';
import type { Card } from '../../messages/card.js';
import { mention } from '../../messages/i18n.js';
import { peopleOf, type View } from './texts.js';

/** "1 of 3 ready." in the reader's language. */
export function progressText(v: View, p: Project): string {
  const { ready, total } = staffProgress(p);
  return v.t.staff.progress({ ready: String(ready), total: String(total) });
}

/** The private question to one official, with Yes / I have a problem (the problem asks for a text). */
export function staffQuestionCard(v: View, p: Project): Card {
  const s = v.t.staff;
  return {
    title: s.askTitle({ project: p.name }),
    summary: s.askTitle({ project: p.name }),
    blocks: [{ type: 'text', text: s.ask({ project: p.name, login: v.t.login[p.login] }) }],
    buttons: [
      { ...encodeAction({ action: 'staff.yes', project: p.id }), label: s.yes, style: 'primary' },
      {
        ...encodeAction({ action: 'staff.problem', project: p.id }),
        label: s.problem,
        form: {
          title: s.problemForm,
          submit: s.submit,
          inputs: [{ id: 'text', label: s.problemLabel, required: true, multiline: true, maxLength: TEXT_LIMITS.problem }],
        },
      },
    ],
  };
}

/** `staff`: every official asked, with their answer. */
export function staffCard(v: View, p: Project): Card {
  const entries = Object.entries(p.staffLogin);
  if (entries.length === 0) return { title: v.t.staff.listTitle({ name: p.name }), blocks: [{ type: 'text', text: v.t.staff.none }] };
  return {
    title: v.t.staff.listTitle({ name: p.name }),
    blocks: [
      { type: 'text', text: progressText(v, p) },
      {
        type: 'list',
        items: entries.map(([id, s]) => ({
          mark: s.answer === 'yes' ? 'ok' : s.answer === 'problem' ? 'warn' : 'missing',
          text: `${mention(id)}: ${v.t.staff.state[s.answer ?? 'open']}`,
          ...(s.text ? { detail: s.text } : {}),
        })),
      },
    ],
    people: peopleOf(p),
  };
}
