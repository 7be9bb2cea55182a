import type { Project } from '../domain/types.js';
import type { Card, ReplyBody } from '../../messages/card.js';
import { catalog, Format } from '../../messages/i18n.js';
import type { Ctx } from './context.js';

/**
 * The context for a card the whole conversation sees. In a shared conversation (a Slack channel) it is written in
 * the project's language, its first of `project languages` (the channel's language), never in that of whoever
 * typed or pressed; elsewhere in the reader's, as before. Private answers always use the reader's (`ctx`).
 */
export function channelCtx(ctx: Ctx, project: Project): Ctx {
  if (!ctx.inbound.shared) return ctx;
  const lang = project.languages[0] ?? ctx.lang;
  return lang === ctx.lang ? ctx : { ...ctx, lang, t: catalog(lang), f: new Format(lang) };
}

/** An answer for the whole conversation, its cards written by `cards` in the conversation's language. */
export function forChannel(ctx: Ctx, project: Project, cards: (v: Ctx) => Card[]): ReplyBody {
  const v = channelCtx(ctx, project);
  return { visibility: 'channel', cards: cards(v), lang: v.lang };
}

/**
 * The confirmation of a routine change (an owner or due date set, a note, an item, a role, a plan detail). Where the
 * platform asks for it (`Inbound.quiet`: Slack, typed in a channel) only the asker sees it, in their language, so
 * setting up 50 tasks does not post 125 messages to the channel; elsewhere the conversation sees it.
 */
export function routine(ctx: Ctx, project: Project, cards: (v: Ctx) => Card[]): ReplyBody {
  return ctx.inbound.quiet ? { visibility: 'private', cards: cards(ctx) } : forChannel(ctx, project, cards);
}
