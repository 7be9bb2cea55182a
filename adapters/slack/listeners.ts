/** The Bolt listeners: slash command, button clicks, modal submissions and mentions, each acknowledged first. */
import type { App, webApi } from '@slack/bolt';
import { catalog, pickLang } from '../../messages/i18n.js';
import { dict } from '../../src/domain/dict.js';
import type { Actor, Lang } from '../../src/domain/types.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import type { Inbound } from '../../src/use-cases/context.js';
import type { Delivery, Origin } from './deliver.js';
import { buildModal, decodeButtonValue, decodeMeta, FORM_CALLBACK, readSubmission, type Submitted } from './forms.js';
import type { LocaleCache, RecentDeliveries } from './memory.js';
import { commandText } from './mrkdwn.js';
import { slackMembers } from './slack-chat-port.js';

/** What the listeners share with the adapter. */
export interface ListenerDeps {
  bot: Bot;
  log: Logger;
  command: string;
  delivery: Delivery;
  locales: LocaleCache;
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
const isDirect = (channel: string): boolean => channel.startsWith('D');

/** Whether a payload field is a usable Slack id (user, channel); a payload without one names nobody to act as. */
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

/** How long a modal may wait for the reader's language before it opens anyway (the trigger_id lives 3 s). */
const MODAL_LANG_DEADLINE_MS = 1200;

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

/** Registers every listener on the app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { bot, log } = deps;

  const actorOf = async (client: webApi.WebClient, tenant: string, userId: string, name?: string): Promise<Actor> => {
    const locale = await deps.locales.get(`${tenant}|${userId}`, async () => {
      const res = await client.users.info({ user: userId, include_locale: true });
      return res.user?.locale;
    });
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
    // The reply says which language it is written in; the renderer writes its own words in it.
    const reply = await bot.handle({ ...inbound, members: slackMembers(client) });
    await deps.delivery.deliver(client, reply, origin);
  };

  app.command(deps.command, async ({ command, ack, client }) => {
    await ack();
    const idemKey = `slack:${command.trigger_id}`;
    if (!isId(command.user_id) || !isId(command.channel_id) || !deps.recent.first(idemKey)) return;
    await deps.track(async () => {
      const actor = await actorOf(client, tenantOf(command.team_id, command.enterprise_id), command.user_id, command.user_name);
      const origin: Origin = { kind: 'command', channel: command.channel_id, user: command.user_id, responseUrl: command.response_url };
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
    if (action?.type !== 'button' || body.type !== 'block_actions' || !isId(body.user?.id)) return;
    const payload = decodeButtonValue(action.value);
    if (!payload) {
      log.warn({ actionId: action.action_id }, 'slack click on a button lv-bot did not make');
      return;
    }
    const idemKey = `slack:${body.trigger_id}`;
    if (!deps.recent.first(idemKey)) return;
    await deps.track(async () => {
      // Bolt types the container loosely; these are the fields of a message container (Slack's block_actions payload).
      const container = body.container as { channel_id?: string; message_ts?: string; is_ephemeral?: boolean } | undefined;
      const channel = body.channel?.id ?? container?.channel_id;
      if (!channel) return;
      const tenant = tenantOf(body.team?.id ?? body.user.team_id, body.team?.enterprise_id ?? body.enterprise?.id);
      const ts: string | undefined = container?.message_ts ?? body.message?.ts;
      const ephemeral = container?.is_ephemeral === true;
      const name = body.user.name ?? body.user.username;
      if (payload.f) {
        const lang = await withDeadline(actorOf(client, tenant, body.user.id, name).then(readerLang), MODAL_LANG_DEADLINE_MS, 'en');
        const meta = {
          a: payload.a,
          v: payload.v,
          c: channel,
          ...(ts ? { ts } : {}),
          ...(ephemeral ? { e: 1 as const, r: body.response_url } : {}),
          l: lang,
        };
        await client.views.open({ trigger_id: body.trigger_id, view: buildModal(payload.f, meta) });
        return;
      }
      const actor = await actorOf(client, tenant, body.user.id, name);
      const origin: Origin = {
        kind: 'click',
        channel,
        user: body.user.id,
        ...(ts ? { ts } : {}),
        ephemeral,
        responseUrl: body.response_url,
      };
      await run(
        client,
        {
          actor,
          channel: { platform: 'slack', id: channel },
          direct: isDirect(channel),
          idemKey,
          input: { kind: 'action', action: payload.a, value: payload.v },
        },
        origin,
      );
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
    const errors = requiredErrors(inputs, meta.l);
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

  app.event('app_mention', async ({ event, body, context, client }) => {
    // Bolt has already acknowledged the event.
    const idemKey = `slack:${body.event_id}`;
    if (!isId(event.user) || !isId(event.channel) || typeof event.text !== 'string' || !deps.recent.first(idemKey)) return;
    const user = event.user;
    await deps.track(async () => {
      const bare = event.text.replace(/<@([A-Za-z0-9]+)(?:\|[^>]*)?>/g, (m, id: string) => (id === context.botUserId ? '' : m));
      const actor = await actorOf(client, tenantOf(body.team_id, body.enterprise_id), user);
      const origin: Origin = { kind: 'mention', channel: event.channel, user, ...(event.thread_ts ? { threadTs: event.thread_ts } : {}) };
      await run(
        client,
        { actor, channel: { platform: 'slack', id: event.channel }, idemKey, input: { kind: 'text', text: commandText(bare) } },
        origin,
      );
    });
  });
}
