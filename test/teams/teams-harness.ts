import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Composed, Tuning } from '../../app/compose.js';
import type { TeamsAdapterOptions, TeamsChatAdapter, TeamsConfig } from '../../adapters/teams/teams-adapter.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis } from '../support/redis.js';
import { waitForQuietQueues } from '../jobs/support/wait.js';
import { FakeConnector } from './fake-connector.js';
import { GRAPH_TOKEN } from './fake-graph.js';
import type { GraphTokenSource } from '../../adapters/teams/graph-find-sent.js';

/** A fixture from test/fixtures/teams, parsed afresh each time. */
export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/teams/${name}`, import.meta.url), 'utf8'));
}

export const NO_CREDENTIALS: TeamsConfig = {
  MICROSOFT_APP_ID: undefined,
  MICROSOFT_APP_PASSWORD: undefined,
  MICROSOFT_APP_TYPE: 'SingleTenant',
  MICROSOFT_APP_TENANT_ID: undefined,
  NODE_ENV: 'test',
};

/** The channel of the channel-message fixture, its team and tenant, and the people in the tests. */
export const CHANNEL = '19:6848757105754c8981c67612732d9aa7@thread.tacv2';
export const TEAM = '19:66P469zibfbsGI-_a0aN_toLTZpyzS6u7CT3TsXdgPw1@thread.tacv2';
export const TENANT = '50612dbb-0237-4969-b378-8d42590f9c00';
/** TEAM's Microsoft 365 group id: Graph's name for the team, which Teams sends only when the bot arrives. */
export const TEAM_GROUP = 'f3ec8cd2-e704-4344-8c47-9a3a21d683c0';
export const RIDO = {
  id: '29:17bUvCasIPKfQIXHvNzcPjD86fwm6GkWc1PvCGP2-NSkNb7AyGYpjQ7Xw-XgTwaHW5JxZ4KMNDxn1kcL8fwX1Nw',
  name: 'rido',
  aadObjectId: 'b15a9416-0ad3-4172-9210-7beb711d3f70',
};
export const ANNA = {
  id: '29:1annaTeamsIdFromTheMentionEntityOnly-xyz',
  name: 'Anna Approver',
  aadObjectId: '3f2a1c55-7d0e-4b1e-9c41-2b6a8d9e0f11',
};
export const BOT = { id: '28:0b6fe6d1-fece-44f7-9a48-56465e2d5ab8', name: 'ridotest' };
/** A group chat the tests talk in. */
export const GROUP_CHAT = '19:meeting_group-chat-of-the-tests@thread.v2';

let counter = 0;
const nextId = () => `${Date.now()}${String(++counter).padStart(4, '0')}`;

/**
 * The Teams adapter on its own HTTP server, a real Bot on a fresh Redis prefix, and a fake connector:
 * activities are posted over HTTP the way Teams does, and what the bot sends back is recorded.
 * `jobs` wires the bot to real BullMQ queues and runs the workers, delivering through the adapter's ChatPort.
 * `graph` gives the adapter the fake connector's Microsoft Graph (and its token), so its port has findSent.
 */
export async function teamsHarness(
  opts: {
    retry?: TeamsAdapterOptions['retry'];
    limits?: TeamsAdapterOptions['limits'];
    jobs?: boolean;
    graph?: boolean | { timeoutMs?: number; token?: GraphTokenSource };
    log?: TeamsAdapterOptions['log'];
    /** With `jobs`: the workers' tuning, and the deliveries' attempts and backoff. */
    workers?: Tuning['workers'];
    deliveryRetry?: NonNullable<Tuning['queues']>['retry'];
  } = {},
) {
  const fresh = freshRedis();
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  const connector = new FakeConnector();
  const serviceUrl = await connector.start();
  let graphUrl = connector.graph.url;
  const graphOpts = typeof opts.graph === 'object' ? opts.graph : {};
  const graph = opts.graph
    ? { token: graphOpts.token ?? (async () => GRAPH_TOKEN), ...(graphOpts.timeoutMs ? { timeoutMs: graphOpts.timeoutMs } : {}) }
    : undefined;
  // Composed as `npm start` composes it (with `jobs`: the workers too, posting through this app's Teams adapter).
  const make = async () => {
    const { app } = await composeOnTestRedis(
      { LV_ADAPTERS: 'teams' },
      {
        fresh,
        clock,
        role: opts.jobs ? 'all' : 'web',
        ...(opts.log ? { log: opts.log } : {}),
        tune: {
          queues: { retry: { baseDelayMs: 20, ...(opts.deliveryRetry ?? {}) } },
          ...(opts.workers ? { workers: opts.workers } : {}),
          teams: {
            retry: { baseDelayMs: 20, ...(opts.retry ?? {}) },
            ...(opts.limits ? { limits: opts.limits } : {}),
            ...(graph ? { graph: { ...graph, url: graphUrl } } : {}),
          },
        },
      },
    );
    const { port } = await app.start();
    return { app, port: port! };
  };
  let { app, port } = await make();

  const h = {
    get store() {
      return app.store;
    },
    get bot() {
      return app.bot;
    },
    get queues() {
      return opts.jobs ? app.queues : undefined;
    },
    clock,
    connector,
    serviceUrl,
    redis: fresh.redis,
    prefix: fresh.prefix,
    /** Waits until the delivery workers have nothing left to do (only with `jobs`). */
    async quiet(): Promise<void> {
      if (!opts.jobs) throw new Error('the harness runs no jobs; start it with { jobs: true }');
      await waitForQuietQueues(app.queues);
    },
    get teams(): TeamsChatAdapter {
      return app.adapters.get('teams') as TeamsChatAdapter;
    },
    /** The composed app now running (a restart composes a new one). */
    get app(): Composed {
      return app;
    },
    get endpoint() {
      return `http://127.0.0.1:${port}/api/messages`;
    },

    /** POSTs an activity to /api/messages like the Bot Framework service does. */
    async post(activity: unknown): Promise<{ status: number; body: any }> {
      const res = await fetch(h.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },

    /** A channel message from the fixture: `text` may hold `<at>Name</at>` for each of `mentions`. */
    channelMessage(
      text: string,
      o: {
        from?: typeof RIDO;
        mentions?: Array<{ id: string; name: string; aadObjectId?: string }>;
        thread?: string;
        locale?: string;
        /** False: a message the bot only overhears (Teams sends every message under RSC), not mentioning it. */
        mentionBot?: boolean;
      } = {},
    ) {
      const a = fixture('teams-message-channel.json');
      const from = o.from ?? RIDO;
      const mentionBot = o.mentionBot ?? true;
      a.id = nextId();
      a.serviceUrl = serviceUrl;
      a.text = mentionBot ? `<at>${BOT.name}</at> ${text}` : text;
      a.from = { id: from.id, name: from.name, aadObjectId: from.aadObjectId };
      a.conversation.id = `${CHANNEL};messageid=${o.thread ?? '1759881511856'}`;
      a.locale = o.locale ?? 'en-US';
      const clientInfo = a.entities.find((e: any) => e.type === 'clientInfo');
      clientInfo.locale = a.locale;
      a.entities = [
        ...(mentionBot ? [{ mentioned: { id: BOT.id, name: BOT.name }, text: `<at>${BOT.name}</at>`, type: 'mention' }] : []),
        ...(o.mentions ?? []).map((m) => ({
          mentioned: { id: m.id, name: m.name, ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) },
          text: `<at>${m.name}</at>`,
          type: 'mention',
        })),
        clientInfo,
      ];
      delete a.attachments;
      return a;
    },

    /** A message in a group chat (GROUP_CHAT), mentioning the bot or not. */
    groupChatMessage(text: string, o: { mentionBot?: boolean } = {}) {
      const a = h.channelMessage(text, o);
      a.conversation = { id: GROUP_CHAT, conversationType: 'groupChat', isGroup: true, tenantId: TENANT };
      a.channelData = { tenant: { id: TENANT } };
      return a;
    },

    /** The installationUpdate Teams sends when the app is added (`add`) or removed (`remove`), in a personal chat or on TEAM's General channel. */
    installationUpdate(action: 'add' | 'remove', where: 'personal' | 'team', locale = 'fi-FI') {
      const personal = h.personalMessage('');
      return {
        type: 'installationUpdate',
        action,
        id: `f:${nextId()}`,
        channelId: 'msteams',
        serviceUrl,
        locale,
        from: where === 'personal' ? personal.from : { id: RIDO.id, aadObjectId: RIDO.aadObjectId },
        recipient: where === 'personal' ? personal.recipient : { id: BOT.id, name: BOT.name },
        conversation:
          where === 'personal' ? personal.conversation : { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: TEAM },
        channelData:
          where === 'personal'
            ? personal.channelData
            : { team: { aadGroupId: TEAM_GROUP, name: 'Permits go-live', id: TEAM }, tenant: { id: TENANT } },
      };
    },

    /** Every key the bot keeps under this harness's prefix. */
    async keys(): Promise<string[]> {
      return (await fresh.redis.keys(`*${fresh.prefix}*`)).sort();
    },

    /** A personal (1:1) message from the fixture. */
    personalMessage(text: string, o: { locale?: string } = {}) {
      const a = fixture('teams-message-personal.json');
      a.id = nextId();
      a.serviceUrl = serviceUrl;
      a.text = text;
      if (o.locale) {
        a.locale = o.locale;
        a.entities[0].locale = o.locale;
      }
      return a;
    },

    /** The documented "bot added to a team" conversationUpdate. */
    botAdded() {
      const a = fixture('teams-conversation-update-bot-added-to-team.json');
      a.serviceUrl = serviceUrl;
      return a;
    },

    /**
     * The bot added to TEAM, as Teams sends it: on the team's General channel (whose id is the team's id),
     * naming the team's group id (TEAM_GROUP), which later messages in the team's other channels do not.
     */
    botAddedToTeam() {
      const a = h.botAdded();
      a.id = `f:${nextId()}`;
      a.from = { id: RIDO.id, aadObjectId: RIDO.aadObjectId };
      a.recipient = { id: BOT.id, name: BOT.name };
      a.membersAdded = [{ id: BOT.id }];
      a.conversation = { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: TEAM, name: 'General' };
      a.channelData = {
        settings: { selectedChannel: { id: TEAM } },
        team: { aadGroupId: TEAM_GROUP, name: 'Permits go-live', id: TEAM },
        eventType: 'teamMemberAdded',
        tenant: { id: TENANT },
      };
      return a;
    },

    /**
     * An `adaptiveCard/action` invoke (from the captured fixture) pressing `action` of a card the bot sent,
     * in the channel, on the message `replyToId`; `inputs` are what the person typed into the form.
     */
    invoke(
      action: { verb: string; data: any; title?: string },
      o: { replyToId: string; from?: typeof RIDO; id?: string; inputs?: Record<string, string>; trigger?: 'manual' | 'automatic' },
    ) {
      const a = fixture('teams-invoke-adaptivecard-action.json');
      const from = o.from ?? RIDO;
      a.id = o.id ?? `f:${nextId()}`;
      a.serviceUrl = serviceUrl;
      a.from = { id: from.id, name: from.name, aadObjectId: from.aadObjectId };
      a.recipient = { id: BOT.id, name: BOT.name };
      a.conversation = { id: `${CHANNEL};messageid=1759881511856`, conversationType: 'channel', isGroup: true, tenantId: TENANT };
      a.channelData = { tenant: { id: TENANT }, source: { name: 'message' }, legacy: { replyToId: o.replyToId } };
      a.replyToId = o.replyToId;
      a.value = {
        action: {
          type: 'Action.Execute',
          title: action.title ?? action.verb,
          verb: action.verb,
          data: { ...action.data, ...(o.inputs ?? {}) },
        },
        trigger: o.trigger ?? 'manual',
      };
      return a;
    },

    /**
     * A person's own view of a card the bot posted, as their Teams client asks for it on its own when the
     * card names them in `refresh.userIds` (an `adaptiveCard/action` invoke with `trigger: automatic`).
     */
    async ownView(card: any, replyToId: string, from: typeof RIDO): Promise<any> {
      expect(card.refresh?.userIds).toContain(from.id);
      const res = await h.post(h.invoke(card.refresh.action, { replyToId, from, trigger: 'automatic' }));
      expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
      return res.body.value;
    },

    /** Restarts the adapter reading Microsoft Graph at `url` (a fault proxy in front of the fake's). */
    async useGraphUrl(url: string) {
      graphUrl = url;
      await h.restart();
    },

    /** Stops the adapter and starts a new one on the same Redis: what a restart of the bot does. */
    async restart() {
      await app.stop();
      ({ app, port } = await make());
    },

    async cleanup() {
      await app.stop();
      await connector.stop();
      await fresh.cleanup();
    },
  };
  return h;
}

export type TeamsHarness = Awaited<ReturnType<typeof teamsHarness>>;

/** The Adaptive Card a recorded message carries. */
export function cardOf(activity: any): any {
  const att = (activity?.attachments ?? []).find((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!att) throw new Error(`no adaptive card in ${JSON.stringify(activity)?.slice(0, 300)}`);
  return att.content;
}

/** A catalogue sentence as a Teams card shows it: command examples in bold, since Adaptive Cards have no code spans. */
export function asShown(text: string): string {
  return text.replace(/`([^`\n]+)`/g, (_, code: string) => `**${code.trim()}**`);
}

/** All the text a card shows, for assertions on what a person reads. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (x: any) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    if (typeof x.text === 'string') out.push(x.text);
    if (x.type === 'Fact') out.push(`${x.title}: ${x.value}`);
    if (Array.isArray(x.facts)) x.facts.forEach((f: any) => out.push(`${f.title}: ${f.value}`));
    if (typeof x.title === 'string' && typeof x.type === 'string' && x.type.startsWith('Action.')) out.push(`[${x.title}]`);
    for (const [k, v] of Object.entries(x)) if (k !== 'facts') walk(v);
  };
  walk(card);
  return out.join('\n');
}

/** Every Action.Execute in a card (ShowCards included), with the verb and data it sends. */
export function executeActions(card: any): Array<{ verb: string; data: any; title: string }> {
  const out: Array<{ verb: string; data: any; title: string }> = [];
  const walk = (x: any) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    if (x.type === 'Action.Execute') out.push({ verb: x.verb, data: x.data, title: x.title });
    for (const v of Object.values(x)) walk(v);
  };
  walk(card);
  return out;
}
