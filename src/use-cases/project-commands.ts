import type { Command } from '../commands/command-types.js';
import { refuse, type Change } from '../domain/change.js';
import { applicableTasks, groupOf, taskName } from '../domain/checklist.js';
import { decide } from '../domain/decision.js';
import { addRisk, setImpact } from '../domain/evidence.js';
import { configure, setRole } from '../domain/project.js';
import { findSignoff, recordAcceptance, requestSignoff, respond } from '../domain/signoffs.js';
import { addItem, addNote, assign, findTask, setDue, setStatus } from '../domain/tasks.js';
import type { Decision, Project } from '../domain/types.js';
import { NOTES_PER_TASK } from '../domain/text-limits.js';
import type { ReplyBody, Visibility } from '../../messages/card.js';
import { catalog, Format, mention } from '../../messages/i18n.js';
import type { OutboundMessage } from '../ports/jobs.js';
import { ProactiveMessages, recipientLang } from './proactive-messages.js';
import { isOverdue, peopleCard, projectCard, readinessCard, signoffCard, signoffListCard, statusCard, tasksCard } from '../views/cards.js';
import { refusalText, sentence } from '../views/texts.js';
import type { Ctx } from './context.js';
import { mutate } from './mutate.js';
import { isPlanningCommand, runPlanningCommand } from './planning-commands.js';
import { runExport } from './exports.js';
import { decisionEvent } from './export-tables.js';
import { announce, announcedText, announceOccasion, isCommsCommand, runCommsCommand } from './comms-commands.js';
import { moveIsAnnounced } from '../domain/comms.js';
import { runStaffCommand } from './staff-commands.js';
import { viewReply } from './paged-views.js';
import { channelCtx, forChannel, routine } from './audience.js';

type Mutation = Extract<
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

const who = (ctx: Ctx, ref: string): string => (ref.toLowerCase() === 'me' ? ctx.inbound.actor.userId : ref);

/** Runs a command on one project: reads answer the asker, changes go through the atomic store step. */
export async function runProjectCommand(ctx: Ctx, projectId: string, command: Command, visibility?: Visibility): Promise<ReplyBody> {
  if (isPlanningCommand(command)) return runPlanningCommand(ctx, projectId, command, visibility);
  if (command.name === 'export') return runExport(ctx, projectId, command);
  if (isCommsCommand(command)) return runCommsCommand(ctx, projectId, command, visibility);
  if (command.name === 'staff' || command.name === 'form') return runStaffCommand(ctx, projectId, command, visibility);
  const { store, calendar } = ctx.deps;
  const { actor } = ctx.inbound;
  const today = calendar.today(ctx.now);
  switch (command.name) {
    case 'status':
    case 'tasks':
    case 'people':
    case 'signoffs':
    case 'readiness':
    case 'project-show': {
      const loaded = await store.load(actor.tenant, projectId);
      if (!loaded) return privateText(refusalText(ctx, refuse('action.unknown')));
      const p = loaded.project;
      // A view shared with the channel is written in the channel's language.
      const v = visibility === 'channel' ? channelCtx(ctx, p) : ctx;
      const card = (() => {
        switch (command.name) {
          case 'status':
            return statusCard(v, p, calendar, today, v.lang);
          case 'tasks':
            return tasksCard(v, p, selectTasks(v, p, command.filter, today), tasksTitle(v, p, command.filter), v.lang);
          case 'people':
            return peopleCard(v, p);
          case 'signoffs':
            return signoffListCard(v, p);
          case 'readiness':
            return readinessCard(v, p);
          default:
            return projectCard(v, p);
        }
      })();
      // A view shared to the channel has nothing left to share.
      const shown = visibility === 'channel' ? { ...card, buttons: (card.buttons ?? []).filter((b) => b.action !== 'status.share') } : card;
      return viewReply(v, projectId, command, shown, visibility);
    }
    case 'help':
    case 'lang':
    case 'project-new':
      return privateText(ctx.t.common.unknownError);
    default:
      return change(ctx, projectId, command, today);
  }
}

/** One sign-off request as the reader should see it now (its buttons are theirs only if they are still to answer). */
export async function showSignoff(ctx: Ctx, projectId: string, ref: string): Promise<ReplyBody> {
  const loaded = await ctx.deps.store.load(ctx.inbound.actor.tenant, projectId);
  const s = loaded && findSignoff(loaded.project, ref);
  if (!loaded || !s || 'refused' in s) return privateText(refusalText(ctx, refuse('action.unknown')));
  // The shared copy of a request is the channel's: its language is the project's; a reader's own view is theirs.
  const v = channelCtx(ctx, loaded.project);
  return { visibility: 'private', cards: [signoffCard(v, loaded.project, s)], lang: v.lang };
}

function privateText(text: string): ReplyBody {
  return { visibility: 'private', cards: [sentence(text)] };
}

function selectTasks(ctx: Ctx, p: Project, filter: Extract<Command, { name: 'tasks' }>['filter'], today: string) {
  const tasks = applicableTasks(p);
  if (filter === 'all') return tasks;
  if (filter === 'mine') return tasks.filter((t) => t.owner === ctx.inbound.actor.userId);
  if (filter === 'overdue') return tasks.filter((t) => isOverdue(p, t, today));
  const group = findTask(p, filter.group);
  const id = 'refused' in group ? filter.group : group.id;
  return tasks.filter((t) => t.id === id || t.id.startsWith(`${id}.`) || groupOf(t.id) === id);
}

function tasksTitle(ctx: Ctx, p: Project, filter: Extract<Command, { name: 'tasks' }>['filter']): string {
  if (filter === 'mine') return ctx.t.tasksCard.mine;
  if (filter === 'overdue') return ctx.t.tasksCard.overdue;
  return ctx.t.tasksCard.title({ name: p.name });
}

function apply(ctx: Ctx, p: Project, c: Mutation, today: string): Change {
  const user = ctx.inbound.actor.userId;
  const at = ctx.now.toISOString();
  switch (c.name) {
    case 'set-status':
      return setStatus(p, user, c.task, c.status, c.reason);
    case 'assign':
      return assign(p, user, c.task, who(ctx, c.person), c.due);
    case 'due':
      return setDue(p, user, c.task, c.date);
    case 'note':
      return addNote(p, user, c.task, c.text, at);
    case 'project-set':
      return configure(p, user, c.setting);
    case 'item-add':
      return addItem(p, user, c.parent, c.title);
    case 'role':
      return setRole(p, user, who(ctx, c.person), c.role, c.on);
    case 'signoff':
      return requestSignoff(
        p,
        user,
        c.kind,
        c.approvers.map((a) => who(ctx, a)),
        c.need,
        at,
      );
    case 'respond':
      return respond(p, user, c.ref, c.response, c.text, at);
    case 'acceptance':
      return recordAcceptance(p, user, c.field, c.text);
    case 'risk':
      return addRisk(p, user, c.text, c.fallback, c.critical);
    case 'impact':
      return setImpact(p, user, c.on, c.text);
    case 'decide':
      return decide(p, user, c.input, at, today);
  }
}

async function change(ctx: Ctx, projectId: string, c: Mutation, today: string): Promise<ReplyBody> {
  const outcome = await mutate(ctx, projectId, (p) => apply(ctx, p, c, today));
  if (outcome.kind === 'missing') return privateText(refusalText(ctx, refuse('action.unknown')));
  if (outcome.kind === 'refused') return { visibility: 'private', cards: [sentence(refusalText(ctx, outcome.refusal), outcome.project)] };
  const p = outcome.project;
  if (outcome.kind === 'unchanged') {
    if (c.name === 'respond') {
      const s = findSignoff(p, c.ref);
      if (!('refused' in s)) return forChannel(ctx, p, (v) => [signoffCard(v, p, s)]);
    }
    // A repeated decision (a double click) records nothing; sending its announcement again adds nothing either,
    // but completes one that a crash between the commit and the broadcast left unsent.
    const last = p.decisions.at(-1);
    if (c.name === 'decide' && last) await announce(ctx, p, last);
    return privateText(ctx.t.common.unchanged);
  }
  if (c.name === 'decide') {
    const decision = p.decisions.at(-1);
    const v = channelCtx(ctx, p);
    const anchor = decision ? await decisionAnchor(v, p, decision) : undefined;
    const announced = decision ? announcedText(v, await announce(ctx, p, decision)) : undefined;
    return forChannel(ctx, p, (w) => [confirmation(w, p, c), ...(anchor ? [anchor] : []), ...(announced ? [announced] : [])]);
  }
  if (c.name === 'project-set' && c.setting.key === 'goLive' && outcome.before.goLive !== p.goLive && moveIsAnnounced(p)) {
    // Everyone was told a date, so they are told it moved; the project's version makes each move its own occasion.
    const count = await announceOccasion(ctx.deps.deliveries, p, 'moved', `moved-v${outcome.version}`);
    const told = (v: Ctx) =>
      count === undefined
        ? []
        : [sentence(count === 0 ? v.t.comms.nobody : `${v.t.comms.movedAnnounced({ count: String(count) })} ${v.t.chat.reportFollows}`)];
    return forChannel(ctx, p, (v) => [confirmation(v, p, c), ...told(v)]);
  }
  if (c.name === 'signoff') await askApprovers(ctx, p);
  return (isRoutine(c) ? routine : forChannel)(ctx, p, (v) => [confirmation(v, p, c)]);
}

/**
 * Changes whose confirmation is routine (setting a project up: owners, dates, notes, items, roles, evidence), which a
 * platform may show the asker alone; sign-off requests and answers, decisions and the go-live date stay for everyone.
 */
function isRoutine(c: Mutation): boolean {
  switch (c.name) {
    case 'set-status':
    case 'assign':
    case 'due':
    case 'note':
    case 'item-add':
    case 'role':
    case 'acceptance':
    case 'risk':
    case 'impact':
      return true;
    case 'project-set':
      return c.setting.key !== 'goLive';
    case 'signoff':
    case 'respond':
    case 'decide':
      return false;
  }
}

/**
 * The audit trail's anchor as the decision left it (the hash of the event that recorded it, and its number), told
 * to the channel so it is filed with the decision: a trail exported later must contain it, or events were removed.
 */
async function decisionAnchor(ctx: Ctx, p: Project, d: Decision) {
  // The decision is committed: a trail that cannot be read now leaves the anchor to `export decision`, not the answer "unavailable".
  const trail = await ctx.deps.store.auditTrail(p.tenant, p.id).catch(() => undefined);
  const event = trail && decisionEvent(trail, d);
  return event ? sentence(ctx.t.decisionMsg.anchor({ head: event.hash, count: String(event.seq) }), p) : undefined;
}

/**
 * A new sign-off request also goes to each approver in a personal message with the buttons, through the
 * delivery engine (once per request and approver), so it reaches them wherever the channel post is. The
 * person who asked sees it in the channel.
 */
async function askApprovers(ctx: Ctx, p: Project): Promise<void> {
  const s = p.signoffs.at(-1);
  const { deliveries } = ctx.deps;
  if (!s || !deliveries) return;
  const batch = `signoff-ask|${p.id}|${s.id}`;
  const messages: OutboundMessage[] = await Promise.all(
    s.approvers
      .filter((a) => a !== ctx.inbound.actor.userId)
      .map(async (approver) => {
        const lang = await recipientLang(ctx.deps, p, approver);
        const v = { t: catalog(lang), f: new Format(lang) };
        return { key: `${batch}|${approver}`, target: ProactiveMessages.direct(p, approver), card: signoffCard(v, p, s), lang };
      }),
  );
  if (messages.length > 0) await deliveries.send(p.tenant, batch, messages);
}

function confirmation(ctx: Ctx, p: Project, c: Mutation) {
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
