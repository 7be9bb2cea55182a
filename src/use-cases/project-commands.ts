import type { Command, NamingWords } from '../commands/command-types.js';
import { refuse, type Change, type Refusal } from '../domain/change.js';
import { own } from '../domain/dict.js';
import type { Naming } from '../domain/people.js';
import { wordFor } from '../commands/sub-words.js';
import { applicableTasks, groupOf } from '../domain/checklist.js';
import { decide } from '../domain/decision.js';
import { addRisk, setImpact } from '../domain/evidence.js';
import { configure, setRole } from '../domain/project.js';
import { findSignoff, recordAcceptance, requestSignoff, respond } from '../domain/signoffs.js';
import { addItem, addNote, assign, findTask, setDue, setStatus } from '../domain/tasks.js';
import type { Decision, Project } from '../domain/types.js';
import type { Card, ReplyBody, Visibility } from '../../messages/card.js';
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
import { confirmation, who, type Mutation } from './confirmations.js';
import { isCleanupCommand, runCleanupCommand } from './cleanup-commands.js';
import { blockedTasks, unassignedTasks } from '../domain/tasks.js';

/** Runs a command on one project: reads answer the asker, changes go through the atomic store step. */
export async function runProjectCommand(ctx: Ctx, projectId: string, command: Command, visibility?: Visibility): Promise<ReplyBody> {
  if (isPlanningCommand(command)) return runPlanningCommand(ctx, projectId, command, visibility);
  if (command.name === 'export') return runExport(ctx, projectId, command);
  if (isCommsCommand(command)) return runCommsCommand(ctx, projectId, command, visibility);
  if (command.name === 'staff' || command.name === 'form') return runStaffCommand(ctx, projectId, command, visibility);
  if (isCleanupCommand(command)) return runCleanupCommand(ctx, projectId, command, visibility);
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
            return statusCard(v, p, calendar, today, v.lang, v.now);
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
  if (filter === 'blocked') return blockedTasks(p);
  if (filter === 'unassigned') return unassignedTasks(p);
  const group = findTask(p, filter.group);
  const id = 'refused' in group ? filter.group : group.id;
  return tasks.filter((t) => t.id === id || t.id.startsWith(`${id}.`) || groupOf(t.id) === id);
}

function tasksTitle(ctx: Ctx, p: Project, filter: Extract<Command, { name: 'tasks' }>['filter']): string {
  if (filter === 'mine') return ctx.t.tasksCard.mine;
  if (filter === 'overdue') return ctx.t.tasksCard.overdue;
  if (filter === 'blocked') return ctx.t.rules.blockedTitle;
  if (filter === 'unassigned') return ctx.t.rules.unassignedTitle;
  return ctx.t.tasksCard.title({ name: p.name });
}

function apply(ctx: Ctx, p: Project, c: Mutation, today: string): Change {
  const user = ctx.inbound.actor.userId;
  const at = ctx.now.toISOString();
  switch (c.name) {
    case 'set-status':
      return setStatus(p, user, c.task, c.status, c.reason);
    case 'assign':
      return assign(p, user, c.task, who(ctx, c.person), c.due, today, naming(ctx, c));
    case 'due':
      return setDue(p, user, c.task, c.date, today);
    case 'note':
      return addNote(p, user, c.task, c.text, at);
    case 'project-set':
      return configure(p, user, c.setting, today);
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
        naming(ctx, c),
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

/** Who a command names and how: the typist, the names that were mentions, and a `confirm` at its end. */
function naming(ctx: Ctx, c: NamingWords): Naming {
  return {
    actor: ctx.inbound.actor.userId,
    ...(c.mentions ? { mentioned: new Set(c.mentions) } : {}),
    ...(c.confirm ? { confirmed: true } : {}),
  };
}

/** A refusal as the asker reads it: one that asks for `confirm` quotes the command to type, a second answer shows the request. */
function refused(ctx: Ctx, c: Mutation, refusal: Refusal, p: Project): ReplyBody {
  const typed = ctx.inbound.input.kind === 'text' ? ctx.inbound.input.text.trim().replace(/^\/?lv\b\s*/i, '') : '';
  const asked =
    refusal.code === 'person.new' || refusal.code === 'signoff.replace-approved'
      ? { ...refusal, params: { ...refusal.params, command: `${typed} ${wordFor('confirm', 'confirm', ctx.f.lang)}` } }
      : refusal;
  const cards = [sentence(refusalText(ctx, asked), p)];
  if (refusal.code === 'signoff.already-answered' && c.name === 'respond') {
    const s = findSignoff(p, c.ref);
    if (!('refused' in s)) cards.push(signoffCard(ctx, p, s));
  }
  return { visibility: 'private', cards };
}

async function change(ctx: Ctx, projectId: string, c: Mutation, today: string): Promise<ReplyBody> {
  const outcome = await mutate(ctx, projectId, (p) => apply(ctx, p, c, today));
  if (outcome.kind === 'missing') return privateText(refusalText(ctx, refuse('action.unknown')));
  if (outcome.kind === 'refused') return refused(ctx, c, outcome.refusal, outcome.project);
  const p = outcome.project;
  if (outcome.kind === 'unchanged') {
    if (c.name === 'respond') {
      const s = findSignoff(p, c.ref);
      if (!('refused' in s)) return forChannel(ctx, p, (v) => [signoffCard(v, p, s)]);
    }
    // A repeated decision (a double click) records nothing; sending its announcement again adds nothing either,
    // but completes one that a crash between the commit and the broadcast left unsent. The answer says what stands.
    const last = p.decisions.at(-1);
    if (c.name === 'decide' && last) {
      await announce(ctx, p, last);
      return { visibility: 'private', cards: [sentence(decisionRepeatText(ctx, last), p)] };
    }
    return privateText(ctx.t.common.unchanged);
  }
  if (c.name === 'decide') {
    const decision = p.decisions.at(-1);
    const v = channelCtx(ctx, p);
    const anchor = decision ? await decisionAnchor(v, p, decision) : undefined;
    const announced = decision ? announcedText(v, await announce(ctx, p, decision)) : undefined;
    const warnOn = decision?.outcome === 'nogo' ? undefined : decision?.date;
    return forChannel(ctx, p, (w) => [
      withDateWarning(w, confirmation(w, p, c), warnOn),
      ...(anchor ? [anchor] : []),
      ...(announced ? [announced] : []),
    ]);
  }
  const confirmed = (v: Ctx) => withDateWarning(v, confirmation(v, p, c), dateSet(c));
  if (c.name === 'project-set' && c.setting.key === 'goLive' && outcome.before.goLive !== p.goLive && moveIsAnnounced(p)) {
    // Everyone was told a date, so they are told it moved; the project's version makes each move its own occasion.
    const count = await announceOccasion(ctx.deps.deliveries, p, 'moved', `moved-v${outcome.version}`);
    const told = (v: Ctx) =>
      count === undefined
        ? []
        : [sentence(count === 0 ? v.t.comms.nobody : `${v.t.comms.movedAnnounced({ count: String(count) })} ${v.t.chat.reportFollows}`)];
    return forChannel(ctx, p, (v) => [confirmed(v), ...told(v)]);
  }
  if (c.name === 'signoff') {
    await askApprovers(ctx, p);
    const revoked = revokedBy(outcome.before, p);
    if (revoked.length > 0)
      return forChannel(ctx, p, (v) => [confirmed(v), sentence(v.t.rules.rolesRevoked({ people: v.f.list(revoked.map(mention)) }), p)]);
  }
  return (isRoutine(c) ? routine : forChannel)(ctx, p, (v) => [confirmed(v)]);
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

/** The date a change set that people will plan by: the go-live date, or a task's due date. */
function dateSet(c: Mutation): string | undefined {
  if (c.name === 'project-set' && c.setting.key === 'goLive') return c.setting.value;
  if (c.name === 'due') return c.date;
  if (c.name === 'assign') return c.due;
  return undefined;
}

/** A confirmation that warns when the date it set is a weekend or a public holiday (accepted: the coordinator may mean it). */
function withDateWarning(ctx: Ctx, card: Card, date: string | undefined): Card {
  if (!date || ctx.deps.calendar.isWorkingDay(date)) return card;
  return { ...card, blocks: [...card.blocks, { type: 'context', text: ctx.t.rules.notWorkingDay({ date: ctx.f.date(date) }) }] };
}

/** Who a new sign-off request took the approver role from (the people of the request it replaced). */
function revokedBy(before: Project, after: Project): string[] {
  return Object.values(after.people)
    .filter((p) => !p.roles.includes('approver') && own(before.people, p.id)?.roles.includes('approver'))
    .map((p) => p.id);
}

/** "That decision was already recorded: …": a repeated decision says what stands. */
function decisionRepeatText(ctx: Ctx, d: Decision): string {
  const date = d.outcome === 'nogo' ? d.nextReview : d.date;
  return ctx.t.rules.decisionRepeat({
    outcome: ctx.t.outcome[d.outcome],
    date: date ? ctx.f.date(date) : '',
    id: d.id,
    by: mention(d.by),
    at: ctx.f.dateTime(d.at),
  });
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
