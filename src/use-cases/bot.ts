import { randomBytes } from 'node:crypto';
import type { Command } from '../commands/command-types.js';
import { parseCommand } from '../commands/grammar.js';
import { decodeAction, isPersonal, type ButtonAction } from '../commands/button-actions.js';
import { refuse } from '../domain/change.js';
import { newProject } from '../domain/project.js';
import { limitRefusal } from '../domain/project-limits.js';
import type { Actor, Lang, Project } from '../domain/types.js';
import type { Form, Reply, ReplyBody } from '../../messages/card.js';
import { catalog, Format, pickLang } from '../../messages/i18n.js';
import { parseErrorText, refusalText, sentence } from '../views/texts.js';
import { helpCard } from '../views/cards.js';
import type { ActionInput, Ctx, Deps, Inbound } from './context.js';
import { runProjectCommand, showSignoff } from './project-commands.js';
import { viewCommand } from './paged-views.js';
import { commandOfButton } from './button-commands.js';
import { forChannel } from './audience.js';
import { buttonForm, formErrors } from './button-forms.js';
import { homeCards, takesPart } from '../views/home-cards.js';
import { tenantRemoved, tenantRestored } from './tenant-lifecycle.js';
import type { Logger } from '../ports/logger.js';
import { isStoreUnavailable } from '../ports/errors.js';
import type { ProjectStore } from '../ports/store.js';
import { prefetchedStore } from './prefetched-store.js';

/** A private one-sentence reply. */
export function privately(text: string): ReplyBody {
  return { visibility: 'private', cards: [sentence(text)] };
}

/**
 * The one entry point every adapter calls: it turns a typed line or a button press into a command,
 * runs it against the store, and answers in the reader's language. It never throws.
 */
export class Bot {
  constructor(
    private readonly deps: Deps,
    private readonly log?: Logger,
  ) {}

  /**
   * Answers one inbound. The reply says which language its cards are written in (the reader's, the one a
   * `lang` command just chose, or the project's for a card shared with the channel), so every renderer
   * writes its own words in that language and none looks a language up again.
   */
  async handle(inbound: Inbound): Promise<Reply> {
    let lang: Lang = pickLang(undefined, inbound.actor.locale);
    const written = (body: ReplyBody, fallback: Lang): Reply => ({ ...body, lang: body.lang ?? fallback });
    this.deps.metrics?.inbound(inbound.actor.platform, inbound.input.kind === 'text' ? 'command' : 'click', inbound.actor.tenant);
    try {
      const { actor, channel } = inbound;
      const named = inbound.input.kind === 'action' ? decodeAction(inbound.input.action, inbound.input.value)?.project : undefined;
      const pre = await this.deps.store.prefetch(actor.tenant, actor.userId, channel, named);
      lang = pickLang(pre.lang, actor.locale);
      const ctx = this.context(inbound, lang, prefetchedStore(this.deps.store, actor.tenant, channel, pre));
      if (inbound.input.kind === 'text') {
        const parsed = parseCommand(inbound.input.text);
        if (!parsed.ok) return written(privately(parseErrorText(ctx, parsed.error)), lang);
        const reply = await this.run(ctx, parsed.command);
        return written(reply, parsed.command.name === 'lang' ? parsed.command.lang : lang);
      }
      return written(await this.action(ctx, inbound.input), lang);
    } catch (e) {
      const t = catalog(lang);
      this.log?.error({ err: e, tenant: inbound.actor.tenant, platform: inbound.actor.platform }, 'inbound failed');
      return written(privately(isStoreUnavailable(e) ? t.common.unavailable : t.common.unknownError), lang);
    }
  }

  /**
   * The form a pressed button opens, made now in the presser's language, for a platform that cannot carry it in the
   * button (or must start it from the texts in force); else the answer to give instead (a refusal). It never throws.
   */
  async formFor(inbound: Inbound): Promise<{ form: Form; lang: Lang } | { reply: Reply }> {
    let lang: Lang = pickLang(undefined, inbound.actor.locale);
    const refused = (text: string): { reply: Reply } => ({ reply: { ...privately(text), lang } });
    try {
      lang = await this.langOf(inbound.actor.tenant, inbound.actor.userId, inbound.actor.locale);
      const ctx = this.context(inbound, lang);
      const pressed = inbound.input.kind === 'action' ? decodeAction(inbound.input.action, inbound.input.value) : undefined;
      if (!pressed) return refused(refusalText(ctx, refuse('action.unknown')));
      if (!(await this.actsHere(ctx, pressed))) return refused(refusalText(ctx, refuse('action.elsewhere')));
      const loaded = await this.deps.store.load(inbound.actor.tenant, pressed.project);
      const form = loaded && buttonForm(ctx, loaded.project, pressed);
      return form ? { form, lang } : refused(refusalText(ctx, refuse('action.unknown')));
    } catch (e) {
      this.log?.error({ err: e, tenant: inbound.actor.tenant }, 'form failed');
      return refused(isStoreUnavailable(e) ? catalog(lang).common.unavailable : catalog(lang).common.unknownError);
    }
  }

  /** What is wrong with the dates of a submitted form, by input id, in `lang`; checked before the platform's ack, without the store. */
  formErrors(lang: Lang, action: string, value: string, fields: Record<string, string>): Record<string, string> | undefined {
    const v = { t: catalog(lang), f: new Format(lang) };
    return formErrors(v, action, value, fields, this.deps.calendar.today(this.deps.clock.now()));
  }

  /** A person's own page (Slack's App Home) in their language: their tasks, the sign-offs waiting for them, each project's state. */
  async home(actor: Actor): Promise<Reply> {
    let lang: Lang = pickLang(undefined, actor.locale);
    try {
      lang = await this.langOf(actor.tenant, actor.userId, actor.locale);
      const v = { t: catalog(lang), f: new Format(lang) };
      const projects = await this.projectsOf(actor.tenant);
      return { visibility: 'private', cards: homeCards(v, projects, actor.userId, this.deps.calendar, this.deps.clock.now(), lang), lang };
    } catch (e) {
      this.log?.error({ err: e, tenant: actor.tenant }, 'home failed');
      const t = catalog(lang);
      return { ...privately(isStoreUnavailable(e) ? t.common.unavailable : t.common.unknownError), lang };
    }
  }

  /** The projects of a tenant, as stored now. */
  private async projectsOf(tenant: string): Promise<Project[]> {
    const ids = await this.deps.store.projectIds(tenant);
    const loaded = await Promise.all(ids.map((id) => this.deps.store.load(tenant, id)));
    return loaded.flatMap((l) => (l ? [l.project] : []));
  }

  /**
   * In a person's direct chat with the bot, which has no project of its own, a command acts on the one project they
   * take part in; with several, they are told to use the project's channel.
   */
  private async personalProject(ctx: Ctx): Promise<string | ReplyBody | undefined> {
    const { actor } = ctx.inbound;
    const mine = (await this.projectsOf(actor.tenant)).filter((p) => takesPart(p, actor.userId));
    if (mine.length <= 1) return mine[0]?.id;
    return privately(ctx.t.chat.severalProjects({ projects: ctx.f.list(mine.map((p) => p.name).sort((a, b) => a.localeCompare(b))) }));
  }

  /** The platform removed the bot from a tenant (an uninstall): nothing more is planned or sent there. */
  tenantRemoved(tenant: string): Promise<void> {
    return tenantRemoved(this.deps, tenant);
  }

  /** The bot was installed in a tenant (again): what was suspended is planned again. */
  tenantInstalled(tenant: string): Promise<void> {
    return tenantRestored(this.deps, tenant);
  }

  /** The language a person reads, for messages the bot sends on its own. */
  async langOf(tenant: string, userId: string, locale?: string): Promise<Lang> {
    return pickLang(await this.deps.store.userLang(tenant, userId), locale);
  }

  private context(inbound: Inbound, lang: Lang, store?: ProjectStore): Ctx {
    const deps = store ? { ...this.deps, store } : this.deps;
    return { deps, inbound, lang, t: catalog(lang), f: new Format(lang), now: this.deps.clock.now() };
  }

  private async run(ctx: Ctx, command: Command, projectId?: string): Promise<ReplyBody> {
    const { actor, channel } = ctx.inbound;
    switch (command.name) {
      case 'help':
        return { visibility: 'private', cards: [helpCard(ctx, command.topic)] };
      case 'lang': {
        await this.deps.store.setUserLang(actor.tenant, actor.userId, command.lang);
        return privately(catalog(command.lang).langMsg.set);
      }
      case 'project-new':
        return this.createProject(ctx, command.title);
      default: {
        const bound = projectId ?? (await this.deps.store.projectIdFor(actor.tenant, channel));
        const id = bound ?? (ctx.inbound.direct ? await this.personalProject(ctx) : undefined);
        if (typeof id === 'object') return id;
        if (!id) return privately(refusalText(ctx, refuse('project.none')));
        return runProjectCommand(ctx, id, command);
      }
    }
  }

  private async createProject(ctx: Ctx, title: string): Promise<ReplyBody> {
    const { actor, channel } = ctx.inbound;
    const id = `p${randomBytes(5).toString('hex')}`;
    const project = newProject(id, actor, channel, title, ctx.now.toISOString());
    const tooLong = limitRefusal(project);
    if (tooLong) return privately(refusalText(ctx, tooLong));
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
    return forChannel(ctx, project, (v) => [sentence(`${v.t.project.created({ name: project.name })} ${v.t.project.next}`, project)]);
  }

  /** Button presses become the same commands as typed text; the value names the project and target. */
  private async action(ctx: Ctx, input: ActionInput): Promise<ReplyBody> {
    const pressed = decodeAction(input.action, input.value);
    // Every press, a view or a page too, acts only on the project of the conversation it is pressed in.
    if (pressed && !(await this.actsHere(ctx, pressed))) return privately(refusalText(ctx, refuse('action.elsewhere')));
    // A view asked for by the platform (a reader opening a sign-off request) or a page button: reads, never changes.
    if (pressed?.action === 'signoff.view') return showSignoff(ctx, pressed.project, pressed.signoff);
    if (pressed?.action === 'view.page') {
      const command = viewCommand(pressed.view);
      if (!command) return privately(refusalText(ctx, refuse('action.unknown')));
      return runProjectCommand({ ...ctx, page: pressed.page }, pressed.project, command);
    }
    const asked = pressed && commandOfButton(pressed, input.fields ?? {});
    if (!pressed || !asked) return privately(refusalText(ctx, refuse('action.unknown')));
    if ('error' in asked) return privately(parseErrorText(ctx, asked.error));
    // Sharing posts a new message; any other answer for the channel replaces the card that was clicked.
    if (asked.visibility === 'channel') return runProjectCommand(ctx, pressed.project, asked.command, 'channel');
    const reply = await runProjectCommand(ctx, pressed.project, asked.command);
    return reply.visibility === 'channel' ? { ...reply, replaceOriginal: true } : reply;
  }

  /**
   * The rule for button values (README "Commands"): a press acts on the project of the conversation it comes from.
   * A value is forgeable, so one naming any other project is refused, except a personal button (a reminder, an
   * invitation, the staff question, a sign-off request) pressed in the person's direct chat with the bot, on a project
   * they take part in (a role, a task, a sign-off to give, the staff question); what they may do there the use-case
   * decides, as for anything they type in the project's conversation.
   */
  private async actsHere(ctx: Ctx, pressed: ButtonAction): Promise<boolean> {
    const { actor, channel, direct } = ctx.inbound;
    if (pressed.project === (await this.deps.store.projectIdFor(actor.tenant, channel))) return true;
    if (!direct || !isPersonal(pressed)) return false;
    const project = (await this.deps.store.load(actor.tenant, pressed.project))?.project;
    return Boolean(project && takesPart(project, actor.userId));
  }
}
