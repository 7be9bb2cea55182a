/** The Bolt listeners: slash command, button clicks, modal submissions and mentions, each acknowledged first. */
import type { App, types, webApi } from '@slack/bolt';
import type { Form, Reply } from '../../messages/card.js';
import { catalog, pickLang } from '../../messages/i18n.js';
import { dict } from '../../src/domain/dict.js';
import type { Actor, Lang } from '../../src/domain/types.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import type { Inbound } from '../../src/use-cases/context.js';
import type { Delivery, Origin } from './deliver.js';
import { buildModal, decodeButtonValue, decodeMeta, FORM_CALLBACK, readSubmission, type ButtonPayload, type Submitted } from './forms.js';
import type { RecentDeliveries } from './memory.js';
import type { SlackPeople } from './people.js';
import { LIMITS, renderViewBlocks } from './render-block-kit.js';
import { commandText } from './mrkdwn.js';
import { slackMembers } from './slack-chat-port.js';

/** What the listeners share with the adapter. */
export interface ListenerDeps {
  bot: Bot;
  log: Logger;
  command: string;
  delivery: Delivery;
  people: SlackPeople;
  recent: RecentDeliveries;
  /** Runs work after the ack, keeps track of it for stop(), and logs instead of throwing. */
  track(work: () => Promise<void>): Promise<void>;
}

/** The tenant of a Slack payload: the workspace id, prefixed by the Enterprise Grid id when there is one. */
export function tenantOf(team: string | null | undefined, enterprise: string | null | undefined): string {
  // The workspace's team id alone: Slack's team ids are unique, and one that joins an Enterprise Grid org
  // later (an enterprise id appearing) keeps its projects. Only an org-level request without a team is the org's.
  return team || enterprise || 'unknown';
}

/** Whether a Slack conversation is a direct message (an IM, `D…`): there only the person and the bot are. */
export const isDirect = (channel: string): boolean => channel.startsWith('D');

/** Whether a payload field is a usable Slack id (user, channel); a payload without one names nobody to act as. */
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

/** How long a modal may wait for the reader's language before it opens anyway (the trigger_id lives 3 s). */
const MODAL_LANG_DEADLINE_MS = 1200;
/** How long a modal may wait for its form or view to be made (a Redis read) before it gives up: the trigger_id lives 3 s. */
const MODAL_DEADLINE_MS = 2000;

function withDeadline<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      () => (clearTimeout(timer), resolve(fallback)),
    );
  });
}

/** The modal's inline errors for required inputs left empty (or only spaces), in the reader's language. */
export function requiredErrors(inputs: Submitted[], lang: Lang): Record<string, string> | undefined {
  const missing = inputs.filter((i) => i.required && !i.value.trim());
  if (missing.length === 0) return undefined;
  const say = (field: string): string => {
    try {
      return catalog(lang).common.required({ field });
    } catch {
      return catalog('en').common.required({ field });
    }
  };
  return Object.fromEntries(missing.map((i) => [i.blockId, say(i.label)]));
}

/** A card's full view (a shortened sign-off request's every remark), or an answer instead of it, as a modal. */
export function viewModal(reply: Reply): types.ModalView {
  const t = catalog(reply.lang).chat;
  const card = reply.cards[0] ?? { blocks: [] };
  const blocks = reply.cards.flatMap((c) => renderViewBlocks(c, reply.lang, LIMITS.blocksPerView)).slice(0, LIMITS.blocksPerView);
  const title = (card.title ?? t.showFull).replace(/<[@#][^>]*>/g, '').trim() || t.showFull;
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title.length > 24 ? `${title.slice(0, 23)}…` : title },
    close: { type: 'plain_text', text: t.close },
    blocks,
  };
}

/** The lv-bot payload of a pressed button or a chosen overflow option; undefined for anything else. */
function pressedPayload(action: unknown): ButtonPayload | undefined {
  const a = action as { type?: string; value?: string; selected_option?: { value?: string } } | undefined;
  if (a?.type === 'button') return decodeButtonValue(a.value);
  if (a?.type === 'overflow') return decodeButtonValue(a.selected_option?.value);
  return undefined;
}

/** The modal's inline errors for its dates (one that cannot be read, or in the past), beside their inputs. */
function dateErrors(bot: Bot, inputs: Submitted[], action: string, value: string, lang: Lang): Record<string, string> | undefined {
  const fields = dict(inputs.map((i) => [i.id, i.value] as const));
  const wrong = bot.formErrors(lang, action, value, fields);
  if (!wrong) return undefined;
  const byId = new Map(inputs.map((i) => [i.id, i.blockId]));
  const out = dict(Object.entries(wrong).flatMap(([id, text]) => (byId.has(id) ? [[byId.get(id)!, text] as const] : [])));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Registers every listener on the app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { bot, log } = deps;

  const actorOf = async (client: webApi.WebClient, tenant: string, userId: string, name?: string): Promise<Actor> => {
    const locale = (await deps.people.person(client, tenant, userId).catch(() => undefined))?.locale;
    return { tenant, userId, ...(name ? { name } : {}), platform: 'slack', ...(locale ? { locale } : {}) };
  };

  const readerLang = async (actor: Actor): Promise<Lang> => {
    try {
      return await bot.langOf(actor.tenant, actor.userId, actor.locale);
    } catch {
      return pickLang(undefined, actor.locale);
    }
  };

  const run = async (client: webApi.WebClient, inbound: Inbound, origin: Origin): Promise<void> => {
    // A channel is shared: what everyone sees there is in the project's language; routine confirmations of what a
    // person did there go to them alone. A direct message is the person's own.
    const shared = !isDirect(origin.channel);
    // Typed in the channel, or pressed on a message only the presser sees: a routine confirmation stays theirs.
    const own = origin.kind === 'command' || origin.kind === 'mention' || origin.ephemeral === true;
    const reply = await bot.handle({ ...inbound, members: slackMembers(client), shared, ...(shared && own ? { quiet: true } : {}) });
    // The reply says which language it is written in; the renderer writes its own words in it.
    await deps.delivery.deliver(client, reply, origin);
  };

  app.command(deps.command, async ({ command, ack, client }) => {
    await ack();
    const idemKey = `slack:${command.trigger_id}`;
    if (!isId(command.user_id) || !isId(command.channel_id) || !deps.recent.first(idemKey)) return;
    await deps.track(async () => {
      const actor = await actorOf(client, tenantOf(command.team_id, command.enterprise_id), command.user_id, command.user_name);
      const origin: Origin = {
        kind: 'command',
        tenant: actor.tenant,
        channel: command.channel_id,
        user: command.user_id,
        responseUrl: command.response_url,
      };
      await run(
        client,
        {
          actor,
          channel: { platform: 'slack', id: command.channel_id },
          idemKey,
          input: { kind: 'text', text: commandText(command.text ?? '') },
        },
        origin,
      );
    });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !isId(body.user?.id)) return;
    const payload = pressedPayload(action);
    if (!payload) {
      log.warn({ actionId: action?.action_id }, 'slack click on a button lv-bot did not make');
      return;
    }
    const idemKey = `slack:${body.trigger_id}`;
    if (!deps.recent.first(idemKey)) return;
    await deps.track(async () => {
      // Bolt types the container loosely; these are the fields of a message container (Slack's block_actions payload).
      const container = body.container as { channel_id?: string; message_ts?: string; is_ephemeral?: boolean } | undefined;
      const channel = body.channel?.id ?? container?.channel_id;
      if (!isId(channel)) return;
      const tenant = tenantOf(body.team?.id ?? body.user.team_id, body.team?.enterprise_id ?? body.enterprise?.id);
      const ts: string | undefined = container?.message_ts ?? body.message?.ts;
      const ephemeral = container?.is_ephemeral === true;
      const name = body.user.name ?? body.user.username;
      const pressed = (actor: Actor): Inbound => ({
        actor,
        channel: { platform: 'slack', id: channel },
        direct: isDirect(channel),
        idemKey,
        input: { kind: 'action', action: payload.a, value: payload.v },
      });
      const origin: Origin = {
        kind: 'click',
        tenant,
        channel,
        user: body.user.id,
        direct: isDirect(channel),
        ...(ts ? { ts } : {}),
        ephemeral,
        responseUrl: body.response_url,
      };
      const openForm = async (form: Form, lang: Lang) => {
        const meta = {
          a: payload.a,
          v: payload.v,
          c: channel,
          ...(ts ? { ts } : {}),
          ...(ephemeral ? { e: 1 as const, r: body.response_url } : {}),
          l: lang,
        };
        await client.views.open({ trigger_id: body.trigger_id, view: buildModal(form, meta) });
      };
      if (payload.f) {
        const lang = await withDeadline(actorOf(client, tenant, body.user.id, name).then(readerLang), MODAL_LANG_DEADLINE_MS, 'en');
        await openForm(payload.f, lang);
        return;
      }
      if (payload.r || payload.m) {
        // A form made now (the texts in force), or a card's full view: both open a modal, in the presser's language.
        const shown = withDeadline(
          actorOf(client, tenant, body.user.id, name).then(async (actor) =>
            payload.r ? bot.formFor(pressed(actor)) : { reply: await bot.handle(pressed(actor)) },
          ),
          MODAL_DEADLINE_MS,
          undefined,
        );
        const got = await shown;
        if (!got) return void log.warn({ action: payload.a }, 'slack modal not opened: its content took too long');
        if ('form' in got) return openForm(got.form, got.lang);
        if (payload.m && got.reply.cards.length > 0) {
          await client.views.open({ trigger_id: body.trigger_id, view: viewModal(got.reply) });
          return;
        }
        await deps.delivery.deliver(client, got.reply, origin);
        return;
      }
      const actor = await actorOf(client, tenant, body.user.id, name);
      await run(client, pressed(actor), origin);
    });
  });

  app.view({ callback_id: FORM_CALLBACK, type: 'view_submission' }, async ({ ack, body, view, client }) => {
    const meta = decodeMeta(view.private_metadata);
    if (!meta) {
      await ack();
      return;
    }
    let inputs: Submitted[] | undefined;
    try {
      inputs = readSubmission(view);
    } catch {
      inputs = undefined; // a view whose blocks or state are not Slack's shapes: acknowledged, and nothing else
    }
    if (!inputs || !isId(body.user?.id) || !isId(meta.c)) {
      await ack();
      return;
    }
    const errors = requiredErrors(inputs, meta.l) ?? dateErrors(bot, inputs, meta.a, meta.v, meta.l);
    if (errors) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const trigger = 'trigger_id' in body ? body.trigger_id : undefined;
    const idemKey = `slack:${trigger ?? `${view.id}:${view.hash}`}`;
    if (!deps.recent.first(idemKey)) return;
    await deps.track(async () => {
      const tenant = tenantOf(body.team?.id ?? body.user.team_id, body.team?.enterprise_id ?? body.enterprise?.id);
      const actor = await actorOf(client, tenant, body.user.id, body.user.name);
      const origin: Origin = {
        kind: 'submit',
        tenant,
        direct: isDirect(meta.c),
        channel: meta.c,
        user: body.user.id,
        ...(meta.ts ? { ts: meta.ts } : {}),
        ephemeral: meta.e === 1,
        ...(meta.r ? { responseUrl: meta.r } : {}),
      };
      const fields = dict(inputs.map((i) => [i.id, i.value] as const));
      await run(
        client,
        {
          actor,
          channel: { platform: 'slack', id: meta.c },
          direct: isDirect(meta.c),
          idemKey,
          input: { kind: 'action', action: meta.a, value: meta.v, fields },
        },
        origin,
      );
    });
  });

  app.event('message', async ({ event, body, context, client }) => {
    // A person's own message in their direct messages with the bot (the Messages tab): a command, without /lv.
    const m = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: unknown; channel?: unknown; text?: unknown };
    if (m.channel_type !== 'im' || m.subtype !== undefined || m.bot_id !== undefined) return;
    const { user, channel, text } = m;
    if (!isId(user) || !isId(channel) || typeof text !== 'string' || user === context.botUserId) return;
    const idemKey = `slack:${body.event_id}`;
    if (!deps.recent.first(idemKey)) return;
    await deps.track(async () => {
      const bare = text.replace(/<@([A-Za-z0-9]+)(?:\|[^>]*)?>/g, (whole, id: string) => (id === context.botUserId ? '' : whole));
      const actor = await actorOf(client, tenantOf(body.team_id, body.enterprise_id), user);
      const origin: Origin = { kind: 'dm', tenant: actor.tenant, channel, user, direct: true };
      await run(
        client,
        { actor, channel: { platform: 'slack', id: channel }, direct: true, idemKey, input: { kind: 'text', text: commandText(bare) } },
        origin,
      );
    });
  });

  app.event('app_mention', async ({ event, body, context, client }) => {
    // Bolt has already acknowledged the event.
    const idemKey = `slack:${body.event_id}`;
    if (!isId(event.user) || !isId(event.channel) || typeof event.text !== 'string' || !deps.recent.first(idemKey)) return;
    const user = event.user;
    await deps.track(async () => {
      const bare = event.text.replace(/<@([A-Za-z0-9]+)(?:\|[^>]*)?>/g, (m, id: string) => (id === context.botUserId ? '' : m));
      const actor = await actorOf(client, tenantOf(body.team_id, body.enterprise_id), user);
      const origin: Origin = {
        kind: 'mention',
        tenant: actor.tenant,
        channel: event.channel,
        user,
        ...(event.thread_ts ? { threadTs: event.thread_ts } : {}),
      };
      await run(
        client,
        { actor, channel: { platform: 'slack', id: event.channel }, idemKey, input: { kind: 'text', text: commandText(bare) } },
        origin,
      );
    });
  });
}
