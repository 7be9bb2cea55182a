import { randomBytes } from 'node:crypto';
import type { Command } from '../commands/command-types.js';
import { parseCommand } from '../commands/grammar.js';
import { refuse } from '../domain/change.js';
import { newProject } from '../domain/project.js';
import type { DecisionInput } from '../domain/decision.js';
import type { SnoozeFor } from '../domain/snooze.js';
import { parseDate, parseWorkingDays } from '../commands/tokens.js';
import { ANNOUNCEMENTS, LANGS, type Lang } from '../domain/types.js';
import type { Reply } from '../../messages/card.js';
import { catalog, Format, pickLang } from '../../messages/i18n.js';
import { parseErrorText, refusalText, sentence } from '../views/texts.js';
import { helpCard } from '../views/cards.js';
import type { ActionInput, Ctx, Deps, Inbound } from './context.js';
import { runProjectCommand } from './project-commands.js';
import type { Logger } from '../ports/logger.js';

/** A private one-sentence reply. */
export function privately(text: string): Reply {
  return { visibility: 'private', cards: [sentence(text)] };
}

/** A snooze button's span: `1wd`/`3wd`, or `until` with the date typed into its form. */
function snoozeSpan(extra: string | undefined, date: string | undefined): SnoozeFor | 'bad-date' | undefined {
  const days = extra ? parseWorkingDays(extra, false) : undefined;
  if (days !== undefined) return days >= 1 && days <= 60 ? { workingDays: days } : undefined;
  if (extra !== 'until') return undefined;
  const parsed = date ? parseDate(date) : undefined;
  return parsed ? { date: parsed } : 'bad-date';
}

/** A decision button's form: dates typed as the user writes them, empty fields left out. */
function decisionFromForm(action: string, fields: Record<string, string>): DecisionInput | { bad: string } {
  const outcome = action === 'decision.go' ? 'go' : action === 'decision.nogo' ? 'nogo' : 'postpone';
  const text = (k: string) => fields[k]?.trim() || undefined;
  const dates: Record<string, string> = {};
  for (const k of ['date', 'nextReview']) {
    const raw = text(k);
    if (!raw) continue;
    const d = parseDate(raw);
    if (!d) return { bad: raw };
    dates[k] = d;
  }
  const reasons = text('reasons');
  const override = text('override');
  if (outcome === 'nogo') return { outcome, ...(dates.nextReview ? { nextReview: dates.nextReview } : {}), ...(reasons ? { reasons } : {}) };
  return { outcome, ...(dates.date ? { date: dates.date } : {}), ...(outcome === 'go' && override ? { override } : {}) };
}

/** Errors that mean the store cannot be reached right now, as opposed to a bug. */
function isUnavailable(e: unknown): boolean {
  const msg = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|MaxRetriesPerRequest|Command timed out|Stream isn't writeable|enableOfflineQueue|CLUSTERDOWN|LOADING/i.test(msg);
}

/**
 * The one entry point every adapter calls: it turns a typed line or a button press into a command,
 * runs it against the store, and answers in the reader's language. It never throws.
 */
export class Bot {
  constructor(private readonly deps: Deps, private readonly log?: Logger) {}

  async handle(inbound: Inbound): Promise<Reply> {
    return (await this.answer(inbound)).reply;
  }

  /**
   * Like handle(), and also says which language the reply is to be rendered in (the reader's, or the one a
   * `lang` command just chose), so an adapter need not look the reader's language up a second time.
   */
  async answer(inbound: Inbound): Promise<{ reply: Reply; lang: Lang }> {
    let lang: Lang = pickLang(undefined, inbound.actor.locale);
    try {
      lang = pickLang(await this.deps.store.userLang(inbound.actor.tenant, inbound.actor.userId), inbound.actor.locale);
      const ctx = this.context(inbound, lang);
      if (inbound.input.kind === 'text') {
        const parsed = parseCommand(inbound.input.text);
        if (!parsed.ok) return { reply: privately(parseErrorText(ctx, parsed.error)), lang };
        const reply = await this.run(ctx, parsed.command);
        return { reply, lang: parsed.command.name === 'lang' ? parsed.command.lang : lang };
      }
      return { reply: await this.action(ctx, inbound.input), lang };
    } catch (e) {
      const t = catalog(lang);
      this.log?.error({ err: e, tenant: inbound.actor.tenant, platform: inbound.actor.platform }, 'inbound failed');
      return { reply: privately(isUnavailable(e) ? t.common.unavailable : t.common.unknownError), lang };
    }
  }

  /** The language a person reads, for messages the bot sends on its own. */
  async langOf(tenant: string, userId: string, locale?: string): Promise<Lang> {
    return pickLang(await this.deps.store.userLang(tenant, userId), locale);
  }

  private context(inbound: Inbound, lang: Lang): Ctx {
    return { deps: this.deps, inbound, lang, t: catalog(lang), f: new Format(lang), now: this.deps.clock.now() };
  }

  private async run(ctx: Ctx, command: Command, projectId?: string): Promise<Reply> {
    const { actor, channel } = ctx.inbound;
    switch (command.name) {
      case 'help':
        return { visibility: 'private', cards: [helpCard(ctx)] };
      case 'lang': {
        await this.deps.store.setUserLang(actor.tenant, actor.userId, command.lang);
        return privately(catalog(command.lang).langMsg.set);
      }
      case 'project-new':
        return this.createProject(ctx, command.title);
      default: {
        const id = projectId ?? (await this.deps.store.projectIdFor(actor.tenant, channel));
        if (!id) return privately(refusalText(ctx, refuse('project.none')));
        return runProjectCommand(ctx, id, command);
      }
    }
  }

  private async createProject(ctx: Ctx, title: string): Promise<Reply> {
    const { actor, channel } = ctx.inbound;
    const id = `p${randomBytes(5).toString('hex')}`;
    const project = newProject(id, actor, channel, title.slice(0, 200), ctx.now.toISOString());
    const result = await this.deps.store.create(project, {
      at: ctx.now.toISOString(),
      actor: actor.userId,
      platform: actor.platform,
      action: 'project.create',
      target: id,
      after: { name: project.name },
    });
    if (!result.created) {
      const existing = await this.deps.store.load(actor.tenant, result.existing);
      return privately(refusalText(ctx, refuse('project.exists', { project: existing?.project.name ?? result.existing })));
    }
    await this.deps.scheduler?.projectChanged(actor.tenant, id, 1);
    return {
      visibility: 'channel',
      cards: [sentence(`${ctx.t.project.created({ name: project.name })} ${ctx.t.project.next}`, project)],
    };
  }

  /** Button presses become the same commands as typed text; the value names the project and target. */
  private async action(ctx: Ctx, input: ActionInput): Promise<Reply> {
    const m = /^(p[0-9a-f]{4,32})\|([a-z0-9][a-z0-9.-]{0,80})(?:\|([a-z0-9-]{1,16}))?$/.exec(input.value);
    const [, projectId, target, extra] = m ?? [];
    const fields = input.fields ?? {};
    let command: Command | undefined;
    if (input.action === 'status.share' && /^p[0-9a-f]{4,32}$/.test(input.value)) {
      return runProjectCommand(ctx, input.value, { name: 'status' }, 'channel');
    }
    if (projectId && target) {
      switch (input.action) {
        case 'signoff.approve':
          command = { name: 'respond', response: 'approve', ref: target };
          break;
        case 'signoff.remarks':
          command = { name: 'respond', response: 'remarks', ref: target, ...(fields.text?.trim() ? { text: fields.text } : {}) };
          break;
        case 'signoff.reject':
          command = { name: 'respond', response: 'reject', ref: target, ...(fields.reason?.trim() ? { text: fields.reason } : {}) };
          break;
        case 'task.done':
          command = { name: 'set-status', status: 'done', task: target };
          break;
        case 'task.start':
          command = { name: 'set-status', status: 'in_progress', task: target };
          break;
        case 'task.snooze': {
          const span = snoozeSpan(extra, fields.date);
          if (span === 'bad-date') return privately(parseErrorText(ctx, { code: 'bad-date', command: 'snooze', arg: 'date', token: fields.date ?? '' }));
          if (span) command = { name: 'snooze', task: target, span };
          break;
        }
        case 'decision.go':
        case 'decision.nogo':
        case 'decision.postpone': {
          if (target !== 'decide') break;
          const decided = decisionFromForm(input.action, fields);
          if ('bad' in decided) return privately(parseErrorText(ctx, { code: 'bad-date', command: 'decide', arg: 'date', token: decided.bad }));
          command = { name: 'decide', input: decided };
          break;
        }
        case 'staff.yes':
        case 'staff.problem':
          if (target !== 'staff') break;
          command = { name: 'staff', op: { op: 'answer', answer: input.action === 'staff.yes' ? 'yes' : 'problem', ...(fields.text?.trim() ? { text: fields.text } : {}) } };
          break;
        case 'comms.texts': {
          const kind = ANNOUNCEMENTS.find((k) => k === extra);
          const texts = Object.fromEntries(LANGS.flatMap((l) => (fields[l]?.trim() ? [[l, fields[l].trim().slice(0, 3000)]] : [])));
          if (kind && Object.keys(texts).length > 0) command = { name: 'comms', op: { op: 'texts', group: target, kind, texts } };
          break;
        }
        case 'training.attend':
        case 'training.decline':
          command = { name: 'training-answer', ref: target, answer: input.action === 'training.attend' ? 'yes' : 'no' };
          break;
      }
      // Only a snooze and a texts form carry a third part; anything else with one is not a button the bot made.
      if (extra !== undefined && input.action !== 'task.snooze' && input.action !== 'comms.texts') command = undefined;
    }
    if (!command || !projectId) return privately(refusalText(ctx, refuse('action.unknown')));
    const reply = await runProjectCommand(ctx, projectId, command);
    return reply.visibility === 'channel' ? { ...reply, replaceOriginal: true } : reply;
  }
}
