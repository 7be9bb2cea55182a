import type { Command } from '../commands/command-types.js';
import { taskName } from '../domain/checklist.js';
import { findSignoff } from '../domain/signoffs.js';
import { findTask } from '../domain/tasks.js';
import type { Project } from '../domain/types.js';
import { NOTES_PER_TASK } from '../domain/text-limits.js';
import { mention } from '../../messages/i18n.js';
import { signoffCard } from '../views/cards.js';
import { sentence } from '../views/texts.js';
import type { Ctx } from './context.js';

/** The changes of a project's checklist, people, sign-offs, evidence and decision that project-commands.ts applies. */
export type Mutation = Extract<
  Command,
  {
    name:
      | 'set-status'
      | 'assign'
      | 'due'
      | 'note'
      | 'project-set'
      | 'item-add'
      | 'role'
      | 'signoff'
      | 'respond'
      | 'acceptance'
      | 'risk'
      | 'impact'
      | 'decide';
  }
>;

/** A person named in a command: `me` is the one typing. */
export const who = (ctx: Ctx, ref: string): string => (ref.toLowerCase() === 'me' ? ctx.inbound.actor.userId : ref);

/** What the channel is told of an accepted change, in the reader's language. */
export function confirmation(ctx: Ctx, p: Project, c: Mutation) {
  const { t, f } = ctx;
  const name = (id: string) => {
    const task = p.tasks.find((x) => x.id === id);
    return task ? `${task.id} (${taskName(task, ctx.lang)})` : id;
  };
  const resolved = (ref: string) => {
    const task = findTask(p, ref);
    return 'refused' in task ? ref : task.id;
  };
  switch (c.name) {
    case 'set-status':
      return sentence(t.task.changed({ task: name(resolved(c.task)), status: t.status[c.status] }), p);
    case 'assign': {
      const task = p.tasks.find((x) => x.id === resolved(c.task));
      // The new owner is told: their name is a real mention.
      return {
        ...sentence(
          t.task.assigned({ task: name(resolved(c.task)), person: mention(who(ctx, c.person)), due: task?.due ? f.date(task.due) : '' }),
          p,
        ),
        notify: [who(ctx, c.person)],
      };
    }
    case 'due':
      return sentence(t.task.due({ task: name(resolved(c.task)), due: f.date(c.date) }), p);
    case 'note': {
      const task = p.tasks.find((x) => x.id === resolved(c.task));
      const kept = task && task.notes.length >= NOTES_PER_TASK ? ` ${t.limits.notesKept({ count: f.number(NOTES_PER_TASK) })}` : '';
      return sentence(t.task.noted({ task: name(resolved(c.task)) }) + kept, p);
    }
    case 'item-add': {
      const added = p.tasks.at(p.tasks.findLastIndex((x) => x.custom && x.names?.en === c.title));
      return sentence(t.task.added({ name: c.title, task: added?.id ?? '' }), p);
    }
    case 'project-set': {
      const s = c.setting;
      const label = {
        name: t.project.nameLabel,
        authority: t.project.authority,
        connection: t.project.connection,
        login: t.project.login,
        languages: t.project.languages,
        goLive: t.project.goLive,
      }[s.key];
      const value =
        s.key === 'connection'
          ? t.connection[s.value]
          : s.key === 'login'
            ? t.login[s.value]
            : s.key === 'languages'
              ? f.list(s.value.map((l) => t.langName[l]))
              : s.key === 'goLive'
                ? f.date(s.value)
                : s.value;
      return sentence(t.project.set({ setting: label, value }), p);
    }
    case 'role':
      return {
        ...sentence((c.on ? t.roleMsg.granted : t.roleMsg.revoked)({ person: mention(who(ctx, c.person)), role: t.roles[c.role] }), p),
        notify: [who(ctx, c.person)],
      };
    case 'signoff':
      return signoffCard(ctx, p, p.signoffs.at(-1) ?? p.signoffs[0]!);
    case 'respond': {
      const s = findSignoff(p, c.ref);
      return 'refused' in s ? sentence(t.common.unchanged, p) : signoffCard(ctx, p, s);
    }
    case 'acceptance':
      return sentence(t.signoff.acceptanceRecorded, p);
    case 'risk':
      return sentence(t.evidenceMsg.risk({ id: p.risks.at(-1)?.id ?? '' }), p);
    case 'impact':
      return sentence(t.evidenceMsg.impact, p);
    case 'decide': {
      const d = p.decisions.at(-1);
      const text = t.decisionMsg.recorded({
        outcome: t.outcome[c.input.outcome],
        date: d?.date ? f.date(d.date) : d?.nextReview ? f.date(d.nextReview) : '',
      });
      const override =
        d?.override && d.overridden?.length
          ? ` ${t.decisionMsg.override({ missing: f.list(d.overridden.map((m) => t.readinessCard.evidence[m as keyof typeof t.readinessCard.evidence] ?? m)) })}`
          : '';
      return sentence(text + override, p);
    }
  }
}
