import type { Command, CommsOp } from '../commands/command-types.js';
import { refuse, type Change } from '../domain/change.js';
import { requireRole } from '../domain/roles.js';
import {
  addChannel,
  addGroup,
  announcementBatch,
  announcementKey,
  announcementOf,
  findGroup,
  recipients,
  removeChannel,
  removeGroup,
  setGroupLangs,
  setText,
  setTexts,
} from '../domain/comms.js';
import type { Announcement, Decision, Lang, Platform, Project } from '../domain/types.js';
import { catalog } from '../../messages/i18n.js';
import type { Card, ReplyBody, Visibility } from '../../messages/card.js';
import {
  announcementCard,
  channelText,
  commsPlanCard,
  commsPreviewCard,
  commsStatusCard,
  decideCard,
  groupName,
} from '../views/comms-cards.js';
import { refusalText, sentence } from '../views/texts.js';
import type { Ctx } from './context.js';
import type { Deliveries, OutboundMessage } from '../ports/jobs.js';
import { mutate } from './mutate.js';
import { viewReply } from './paged-views.js';
import { routine } from './audience.js';

/** The commands this module answers. */
export type CommsCommand = Extract<Command, { name: 'comms' | 'decide-card' }>;

/** Whether a command is about the communications plan or the decision card. */
export function isCommsCommand(c: Command): c is CommsCommand {
  return c.name === 'comms' || c.name === 'decide-card';
}

const privateText = (text: string, p?: Project): ReplyBody => ({ visibility: 'private', cards: [sentence(text, p)] });

/** Runs `comms …` and `decide` (the card): reads answer the asker, changes go through the atomic store step. */
export async function runCommsCommand(ctx: Ctx, projectId: string, command: CommsCommand, visibility?: Visibility): Promise<ReplyBody> {
  const { store } = ctx.deps;
  const { actor } = ctx.inbound;
  const loaded = await store.load(actor.tenant, projectId);
  if (!loaded) return privateText(refusalText(ctx, refuse('action.unknown')));
  const p = loaded.project;
  if (command.name === 'decide-card') {
    // The card's buttons are the decision maker's; anyone else is told who decides instead of getting dead buttons.
    const denied = requireRole(p, actor.userId, 'decider');
    if (denied) return privateText(refusalText(ctx, denied), p);
    return { visibility: visibility ?? 'private', cards: [decideCard(ctx, p)] };
  }
  const op = command.op;
  switch (op.op) {
    case 'show':
      return viewReply(ctx, projectId, command, commsPlanCard(ctx, p), visibility);
    case 'preview':
      return viewReply(ctx, projectId, command, commsPreviewCard(ctx, p, op.kind), 'private');
    case 'status': {
      const decision = p.decisions.at(-1);
      const ledger =
        decision && ctx.deps.deliveries ? await ctx.deps.deliveries.ledger(actor.tenant, announcementBatch(p.id, decision.id)) : [];
      return viewReply(ctx, projectId, command, commsStatusCard(ctx, p, decision, ledger), 'private');
    }
    case 'retry': {
      const denied = requireRole(p, actor.userId, 'coordinator', 'decider');
      if (denied) return privateText(refusalText(ctx, denied), p);
      const decision = p.decisions.at(-1);
      if (!decision) return privateText(ctx.t.comms.noDecision);
      if (!ctx.deps.deliveries) return privateText(ctx.t.comms.noEngine);
      const count = await ctx.deps.deliveries.retryFailed(actor.tenant, announcementBatch(p.id, decision.id));
      return privateText(ctx.t.comms.retried({ count: String(count) }));
    }
    default:
      return changePlan(ctx, projectId, op);
  }
}

async function changePlan(
  ctx: Ctx,
  projectId: string,
  op: Exclude<CommsOp, { op: 'show' | 'preview' | 'status' | 'retry' }>,
): Promise<ReplyBody> {
  const user = ctx.inbound.actor.userId;
  let written: Lang[] = [];
  const apply = (p: Project): Change => {
    switch (op.op) {
      case 'group-add':
        return addGroup(p, user, op.group, op.title);
      case 'channel':
        return addChannel(p, user, op.group, { platform: op.platform ?? ctx.inbound.actor.platform, id: op.channel });
      case 'channel-remove':
        return removeChannel(p, user, op.group, { platform: op.platform ?? ctx.inbound.actor.platform, id: op.channel });
      case 'group-remove':
        return removeGroup(p, user, op.group);
      case 'langs':
        return setGroupLangs(p, user, op.group, op.langs);
      case 'text':
        return setText(p, user, op.group, op.kind, op.lang, op.text);
      case 'texts': {
        // A text left as the form showed it (the default, or the own text) is not a change of that language.
        const g = findGroup(p, op.group);
        const inForce = (lang: Lang) => g?.texts[op.kind]?.[lang] ?? catalog(lang).announce[op.kind];
        const changed = Object.fromEntries(Object.entries(op.texts).filter(([lang, text]) => text !== inForce(lang as Lang)));
        written = Object.keys(changed) as Lang[];
        return setTexts(p, user, op.group, op.kind, changed);
      }
    }
  };
  const outcome = await mutate(ctx, projectId, apply);
  if (outcome.kind === 'missing') return privateText(refusalText(ctx, refuse('action.unknown')));
  if (outcome.kind === 'refused') return privateText(refusalText(ctx, outcome.refusal), outcome.project);
  if (outcome.kind === 'unchanged') return privateText(ctx.t.common.unchanged, outcome.project);
  const p = outcome.project;
  // A removed group is named as it was before.
  const g = findGroup(p, op.group) ?? findGroup(outcome.before, op.group);
  const outside = op.op === 'channel' && (await botIsOutside(ctx, op.platform, op.channel));
  return routine(ctx, p, (v) => [
    sentence(planChanged(v, op, g ? groupName(v, g) : op.group, written), p),
    ...(outside ? [sentence(v.t.chat.notInChannel({ channel: channelText({ platform: v.inbound.actor.platform, id: op.channel }) }))] : []),
  ]);
}

/**
 * Whether the bot is known to be unable to post in a channel just named for announcements (a private channel it was
 * not invited to), asked of the platform the command came from when the channel is on it; a failure to ask is no.
 */
async function botIsOutside(ctx: Ctx, platform: Platform | undefined, channel: string): Promise<boolean> {
  const { actor, members } = ctx.inbound;
  if ((platform ?? actor.platform) !== actor.platform || !members?.membership) return false;
  const membership = await members
    .membership({ tenant: actor.tenant, platform: actor.platform, conversation: channel })
    .catch(() => 'unknown');
  return membership === 'outside';
}

/** The sentence that confirms a change of the communications plan. */
function planChanged(v: Ctx, op: Exclude<CommsOp, { op: 'show' | 'preview' | 'status' | 'retry' }>, name: string, written: Lang[]): string {
  const { t, f } = v;
  const channel = (o: { platform?: Platform; channel: string }) =>
    channelText({ platform: o.platform ?? v.inbound.actor.platform, id: o.channel });
  switch (op.op) {
    case 'group-add':
      return t.comms.groupAdded({ group: name });
    case 'channel':
      return t.comms.channelAdded({ group: name, channel: channel(op) });
    case 'channel-remove':
      return t.rules.channelRemoved({ group: name, channel: channel(op) });
    case 'group-remove':
      return t.rules.groupRemoved({ group: name });
    case 'langs':
      return t.comms.langsSet({ group: name, langs: f.list(op.langs.map((l) => t.langName[l])) });
    case 'text':
      return t.comms.textSet({ group: name, kind: t.comms.kinds[op.kind], lang: t.langName[op.lang] });
    case 'texts':
      return t.comms.textSet({ group: name, kind: t.comms.kinds[op.kind], lang: f.list(written.map((l) => t.langName[l])) });
  }
}

/** The messages of one announcement occasion: one per group, channel and language, each under its own key. */
export function announcementMessages(project: Project, kind: Announcement, occasion: string, decision?: Decision): OutboundMessage[] {
  return recipients(project).map((r) => ({
    key: announcementKey(occasion, r),
    target: { tenant: project.tenant, platform: r.channel.platform, conversation: r.channel.id },
    card: announcementCard(project, r, kind, decision),
    lang: r.lang,
  }));
}

/**
 * Sends one announcement occasion (a decision, a moved go-live date, the go-live day) through the delivery
 * engine, once per key whatever repeats it. Returns how many messages the batch holds, or undefined when
 * there is no delivery engine.
 */
export async function announceOccasion(
  deliveries: Deliveries | undefined,
  project: Project,
  kind: Announcement,
  occasion: string,
  decision?: Decision,
): Promise<number | undefined> {
  if (!deliveries) return undefined;
  const messages = announcementMessages(project, kind, occasion, decision);
  if (messages.length > 0) await deliveries.send(project.tenant, announcementBatch(project.id, occasion), messages);
  return messages.length;
}

/**
 * Sends a decision's announcement through the delivery engine. Sending the same decision again (a double
 * click, a redelivery after a crash between the commit and this call) adds nothing: every message has its key.
 * Returns how many messages the batch holds, or undefined when there is no delivery engine.
 */
export async function announce(ctx: Ctx, project: Project, decision: Decision): Promise<number | undefined> {
  return announceOccasion(ctx.deps.deliveries, project, announcementOf(decision), decision.id, decision);
}

/** The line a decision's confirmation adds about its announcement: on its way, with a report once it is delivered. */
export function announcedText(ctx: Ctx, count: number | undefined): Card | undefined {
  if (count === undefined) return undefined;
  return sentence(count === 0 ? ctx.t.comms.nobody : `${ctx.t.comms.announced({ count: String(count) })} ${ctx.t.chat.reportFollows}`);
}
