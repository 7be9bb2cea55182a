import type { Command } from '../commands/command-types.js';
import { refuse } from '../domain/change.js';
import { own } from '../domain/dict.js';
import { holders } from '../domain/roles.js';
import { addStaff, answerStaff } from '../domain/staff.js';
import { FORM_FOLLOW_UP_DAYS, formConfirmed, formSent } from '../domain/joining-form.js';
import type { Lang, Project } from '../domain/types.js';
import type { Card, ReplyBody, Visibility } from '../../messages/card.js';
import { catalog, Format, mention } from '../../messages/i18n.js';
import { peopleOf, refusalText, sentence, type View } from '../views/texts.js';
import { progressText, staffCard, staffQuestionCard } from '../views/staff-cards.js';
import type { Ctx } from './context.js';
import type { OutboundMessage } from '../ports/jobs.js';
import { mutate } from './mutate.js';
import { viewReply } from './paged-views.js';
import { routine } from './audience.js';
import { ProactiveMessages, recipientLang } from './proactive-messages.js';

/** `staff …` and `form …`: the joining tasks. */
export type StaffCommand = Extract<Command, { name: 'staff' | 'form' }>;

const privateText = (text: string, p?: Project): ReplyBody => ({ visibility: 'private', cards: [sentence(text, p)] });

async function view(ctx: Ctx, p: Project, person: string): Promise<View & { lang: Lang }> {
  const lang = await recipientLang(ctx.deps, p, person);
  return { t: catalog(lang), f: new Format(lang), lang };
}

/**
 * The people of a channel for `staff add here` / `staff add #channel`, read from the platform through the
 * adapter's member directory; the asker is told plainly when the platform cannot list them.
 */
async function channelMembers(ctx: Ctx, channel: string | undefined): Promise<{ people: string[] } | { reply: ReplyBody }> {
  const { actor } = ctx.inbound;
  const directory = ctx.inbound.members;
  if (!directory) return { reply: privateText(ctx.t.staff.membersUnavailable) };
  let people: string[];
  try {
    people = await directory.members({ tenant: actor.tenant, platform: actor.platform, conversation: channel ?? ctx.inbound.channel.id });
  } catch {
    return { reply: privateText(ctx.t.staff.membersFailed) };
  }
  if (people.length === 0) return { reply: privateText(ctx.t.staff.noMembers) };
  return { people };
}

/** Runs `staff`, `staff add`, `staff yes`, `staff problem` (and their buttons). */
export async function runStaffCommand(ctx: Ctx, projectId: string, command: StaffCommand, visibility?: Visibility): Promise<ReplyBody> {
  const { actor } = ctx.inbound;
  if (command.name === 'form') {
    const today = ctx.deps.calendar.today(ctx.now);
    const fo = command.op;
    const outcome = await mutate(ctx, projectId, (p) =>
      fo.op === 'sent' ? formSent(p, actor.userId, fo.date) : formConfirmed(p, actor.userId, today),
    );
    if (outcome.kind === 'missing') return privateText(refusalText(ctx, refuse('action.unknown')));
    if (outcome.kind === 'refused') return privateText(refusalText(ctx, outcome.refusal), outcome.project);
    if (outcome.kind === 'unchanged') return privateText(ctx.t.common.unchanged, outcome.project);
    const text = (v: Ctx) =>
      fo.op === 'sent' ? v.t.joiningForm.sent({ date: v.f.date(fo.date), days: String(FORM_FOLLOW_UP_DAYS) }) : v.t.joiningForm.confirmed;
    return routine(ctx, outcome.project, (v) => [sentence(text(v), outcome.project)]);
  }
  let op = command.op;
  if (op.op === 'add-members') {
    const found = await channelMembers(ctx, op.channel);
    if ('reply' in found) return found.reply;
    op = { op: 'add', people: found.people };
  }
  if (op.op === 'show') {
    const loaded = await ctx.deps.store.load(actor.tenant, projectId);
    if (!loaded) return privateText(refusalText(ctx, refuse('action.unknown')));
    return viewReply(ctx, projectId, command, staffCard(ctx, loaded.project), visibility);
  }
  const at = ctx.now.toISOString();
  const who = (ref: string) => (ref.toLowerCase() === 'me' ? actor.userId : ref);
  const change = op;
  const outcome = await mutate(ctx, projectId, (p) =>
    change.op === 'add'
      ? addStaff(p, actor.userId, change.people.map(who), at)
      : change.op === 'answer'
        ? answerStaff(p, actor.userId, change.answer, change.text, at)
        : refuse('action.unknown'),
  );
  if (outcome.kind === 'missing') return privateText(refusalText(ctx, refuse('action.unknown')));
  if (outcome.kind === 'refused') return privateText(refusalText(ctx, outcome.refusal), outcome.project);
  if (outcome.kind === 'unchanged') return privateText(ctx.t.common.unchanged, outcome.project);
  const p = outcome.project;
  const { deliveries } = ctx.deps;
  if (op.op === 'add') {
    const fresh = Object.keys(p.staffLogin).filter((id) => !own(outcome.before.staffLogin, id));
    if (deliveries) {
      const messages: OutboundMessage[] = await Promise.all(
        fresh.map(async (person) => {
          const v = await view(ctx, p, person);
          return {
            key: `staff-ask|${p.id}|${person}`,
            target: ProactiveMessages.direct(p, person),
            card: staffQuestionCard(v, p),
            lang: v.lang,
          };
        }),
      );
      await deliveries.send(p.tenant, `staff-ask|${p.id}`, messages);
    }
    return routine(ctx, p, (v) => [sentence(v.t.staff.added({ people: v.f.list(fresh.map(mention)), progress: progressText(v, p) }), p)]);
  }
  if (op.answer === 'yes') return { visibility: 'private', cards: [sentence(ctx.t.staff.thanks({ progress: progressText(ctx, p) }), p)] };
  // A problem goes to every coordinator privately, once per answer.
  const answered = own(p.staffLogin, actor.userId)?.answeredAt ?? at;
  if (deliveries) {
    const messages: OutboundMessage[] = await Promise.all(
      holders(p, 'coordinator').map(async (c) => {
        const v = await view(ctx, p, c);
        const card: Card = {
          title: v.t.staff.problemTitle({ project: p.name }),
          blocks: [{ type: 'text', text: v.t.staff.problemText({ person: mention(actor.userId), text: op.text ?? '' }) }],
          people: peopleOf(p),
        };
        return {
          key: `staff-problem|${p.id}|${actor.userId}|${answered}|${c}`,
          target: ProactiveMessages.direct(p, c),
          card,
          lang: v.lang,
        };
      }),
    );
    await deliveries.send(p.tenant, `staff-problem|${p.id}|${actor.userId}|${answered}`, messages);
  }
  return { visibility: 'private', cards: [sentence(ctx.t.staff.problemNoted, p)] };
}
