import { randomBytes } from 'node:crypto';
import type { Composed, Tuning } from '../../app/compose.js';
import { decodeButtonValue } from '../../adapters/slack/forms.js';
import type { RedisStore } from '../../src/infra/redis/redis-store.js';
import type { ChatAdapter } from '../../src/ports/chat-adapter.js';
import type { Logger } from '../../src/ports/logger.js';
import type { ProjectStore } from '../../src/ports/store.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis } from '../support/redis.js';
import { waitForQuietQueues } from '../jobs/support/wait.js';
import { FakeSlackApi, type ApiCall, type StoredMessage } from './fake-slack-api.js';
import { fixture, SlackSender, type SendOptions, type Sent } from './slack-requests.js';

export const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const BOT_TOKEN = 'xoxb-111-222-lvtest';
export const APP_TOKEN = 'xapp-1-A111-222-lvtest';
export const TEAM = 'T111';
export const CHANNEL = 'C0PROJ01';

/** The people of the test workspace and their Slack locales. */
export const PEOPLE = {
  coord: { id: 'UCOORD01', name: 'kaisa', locale: 'en-GB' },
  anna: { id: 'UANNA001', name: 'anna', locale: 'fi-FI' },
  sven: { id: 'USVEN001', name: 'sven', locale: 'sv-SE' },
  mallory: { id: 'UMALLORY', name: 'mallory', locale: 'en-US' },
} as const;
export type Who = keyof typeof PEOPLE;

/** A logger that keeps what it was told, so tests can assert nothing went wrong. */
export function captureLog(): Logger & { errors: unknown[]; warnings: unknown[] } {
  const errors: unknown[] = [];
  const warnings: unknown[] = [];
  return {
    errors,
    warnings,
    info: () => undefined,
    warn: (obj, msg) => warnings.push({ ...obj, msg }),
    error: (obj, msg) => errors.push({ ...obj, msg }),
  };
}

const trigger = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;

/** What Slack reports for a press: a button's action, or an overflow menu's with the option chosen. */
export type PressedAction =
  | { action_id: string; block_id: string; text: unknown; value: string; type: 'button'; action_ts: string }
  | { action_id: string; block_id: string; selected_option: { text: unknown; value: string }; type: 'overflow'; action_ts: string };

/**
 * The rendered control of a message whose neutral action is `action` (`modal` for the full-view one), as Slack would
 * report its press: a button, or an overflow menu's option.
 */
export function buttonOf(message: StoredMessage, action: string, o: { modal?: boolean } = {}): PressedAction {
  const matches = (raw: string | undefined) => {
    const p = decodeButtonValue(raw);
    return p?.a === action && Boolean(p.m) === Boolean(o.modal);
  };
  for (const [i, block] of (
    message.blocks as Array<{
      type: string;
      block_id?: string;
      elements?: Array<{
        type: string;
        action_id: string;
        text?: unknown;
        value?: string;
        options?: Array<{ text: unknown; value: string }>;
      }>;
    }>
  ).entries()) {
    if (block.type !== 'actions') continue;
    const block_id = block.block_id ?? `b${i}Xq`;
    const action_ts = `${Date.now() / 1000}`;
    for (const el of block.elements ?? []) {
      if (el.type === 'button' && matches(el.value))
        return { action_id: el.action_id, block_id, text: el.text, value: el.value!, type: 'button', action_ts };
      const option = el.type === 'overflow' ? el.options?.find((op) => matches(op.value)) : undefined;
      if (option) return { action_id: el.action_id, block_id, selected_option: option, type: 'overflow', action_ts };
    }
  }
  throw new Error(`no ${action} button in message ${message.ts}`);
}

/**
 * The Slack adapter on a real Bolt app over HTTP, against the test Redis and a fake Slack Web API.
 * `instances` > 1 starts more adapters (replicas) on the same Redis and fake. `jobs` wires the bot to real
 * BullMQ queues and runs the workers, delivering through the first adapter's ChatPort (announcements, invitations).
 */
export async function slackHarness(
  o: {
    store?: (s: RedisStore) => ProjectStore;
    instances?: number;
    socketMode?: boolean;
    jobs?: boolean;
    env?: Record<string, string>;
  } = {},
) {
  const fake = new FakeSlackApi(BOT_TOKEN);
  await fake.start();
  const socket = o.socketMode ? fake.socketMode(APP_TOKEN) : undefined;
  for (const p of Object.values(PEOPLE)) fake.addUser(p);
  const fresh = freshRedis();
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  const log = captureLog();
  const env = {
    LV_ADAPTERS: 'slack',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...(socket ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
    ...(o.env ?? {}),
  };
  const tune = {
    queues: { retry: { baseDelayMs: 20 } },
    slack: { retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 0 }, responseUrl: { backoffMs: 0 } },
    ...(o.store ? { store: o.store } : {}),
  };
  // The first instance runs the workers too (with `jobs`); replicas are web processes on the same Redis.
  const apps: Composed[] = [];
  const senders: SlackSender[] = [];
  for (let i = 0; i < (o.instances ?? 1); i++) {
    const { app } = await composeOnTestRedis(env, { fresh, clock, log, role: i === 0 && o.jobs ? 'all' : 'web', tune });
    const { port } = await app.start();
    apps.push(app);
    if (port && !socket) senders.push(new SlackSender(`http://127.0.0.1:${port}/slack/events`, SECRET));
  }
  const first = apps[0]!;
  const store = first.store;
  const queues = o.jobs ? first.queues : undefined;
  const adapters: ChatAdapter[] = apps.map((a) => a.adapters.get('slack')!);
  const slack = senders[0]!;
  const adapter = adapters[0]!;

  const slashFields = (who: Who, text: string, channel = CHANNEL) => {
    const doc = fixture<{ fields: Record<string, string> }>('slack-slash-command.json').fields;
    const p = PEOPLE[who];
    return {
      token: doc.token!,
      team_id: TEAM,
      team_domain: 'lv-test',
      channel_id: channel,
      channel_name: 'kayttoonotto',
      user_id: p.id,
      user_name: p.name,
      command: '/lv',
      text,
      response_url: fake.responseUrl(),
      trigger_id: trigger(),
      api_app_id: doc.api_app_id!,
    };
  };

  const h = {
    fake,
    fresh,
    /** The composed web processes (the first runs the workers with `jobs`). */
    apps,
    /**
     * One more web process on the same Redis and fake Slack (stopped by cleanup), with its own Slack tuning;
     * resolves with a sender for its endpoint and its adapter.
     */
    async replica(slackTuning: Tuning['slack']): Promise<{ sender: SlackSender; adapter: ChatAdapter }> {
      const { app } = await composeOnTestRedis(env, { fresh, clock, log, role: 'web', tune: { ...tune, slack: slackTuning } });
      const { port } = await app.start();
      apps.push(app);
      return { sender: new SlackSender(`http://127.0.0.1:${port}/slack/events`, SECRET), adapter: app.adapters.get('slack')! };
    },
    /** Slack's side of Socket Mode, when the harness runs the adapter with an app token. */
    socket,
    store,
    log,
    adapter,
    adapters,
    slack,
    senders,
    clock,
    queues,
    /** Waits until the delivery workers have nothing left to do (only with `jobs`). */
    async quiet(): Promise<void> {
      if (!queues) throw new Error('the harness runs no jobs; start it with { jobs: true }');
      await waitForQuietQueues(queues);
    },
    /** Types `/lv <text>` as a person; resolves with the HTTP answer (the work continues after it). */
    slash(who: Who, text: string, opts: SendOptions & { channel?: string; via?: SlackSender } = {}): Promise<Sent> {
      return (opts.via ?? slack).command(slashFields(who, text, opts.channel), opts);
    },
    slashFields,
    /** Types a command and waits until the adapter has answered it completely. */
    async run(who: Who, text: string): Promise<Sent> {
      const sent = await h.slash(who, text);
      await adapter.idle();
      return sent;
    },
    /** A block_actions payload for pressing `action` on a message, shaped like Slack's documented one. */
    clickPayload(
      who: Who,
      message: StoredMessage,
      action: string,
      opts: { triggerId?: string; ephemeral?: boolean; modal?: boolean } = {},
    ) {
      const doc = fixture<Record<string, unknown>>('slack-block-actions-message.json');
      const p = PEOPLE[who];
      return {
        ...doc,
        user: { id: p.id, username: p.name, name: p.name, team_id: TEAM },
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: opts.ephemeral ?? false },
        trigger_id: opts.triggerId ?? trigger(),
        team: { id: TEAM, domain: 'lv-test' },
        channel: { id: message.channel, name: 'kayttoonotto' },
        message: {
          type: 'message',
          subtype: 'bot_message',
          text: message.text,
          ts: message.ts,
          bot_id: fake.team.botId,
          blocks: message.blocks,
        },
        response_url: fake.responseUrl().replace('/commands/', '/commands/actions/'),
        actions: [buttonOf(message, action, { modal: opts.modal ?? false })],
      };
    },
    /** A view_submission for a modal the adapter opened, with the given input values (by input id). */
    submitPayload(who: Who, opened: ApiCall, values: Record<string, string | null>) {
      const doc = fixture<{ view: Record<string, unknown> } & Record<string, unknown>>('slack-view-submission-bolt-python.json');
      const view = opened.body.view as {
        blocks: Array<{ block_id: string; type: string }>;
        private_metadata: string;
        callback_id: string;
        title: unknown;
        submit: unknown;
      };
      const p = PEOPLE[who];
      const state: Record<string, Record<string, { type: string; value: string | null }>> = {};
      for (const b of view.blocks) {
        if (b.type === 'input')
          state[b.block_id] = { value: { type: 'plain_text_input', value: values[b.block_id.replace(/^lv\.in\./, '')] ?? null } };
      }
      const { enterprise_id: _e, enterprise_name: _n, ...team } = doc.team as Record<string, unknown>;
      return {
        ...doc,
        team: { ...team, id: TEAM, domain: 'lv-test' },
        user: { id: p.id, username: p.name, name: p.name, team_id: TEAM },
        trigger_id: trigger(),
        view: {
          ...doc.view,
          id: 'V0000001',
          team_id: TEAM,
          blocks: view.blocks,
          private_metadata: view.private_metadata,
          callback_id: view.callback_id,
          title: view.title,
          submit: view.submit,
          state: { values: state },
          app_installed_team_id: TEAM,
        },
      };
    },
    /** An Events API app_mention envelope, shaped like Slack's documented example. */
    mentionPayload(who: Who, text: string, eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`) {
      const doc = fixture<Record<string, unknown> & { event: Record<string, unknown> }>('slack-app-mention.json');
      const ts = `${Math.floor(Date.now() / 1000)}.000100`;
      return {
        ...doc,
        team_id: TEAM,
        event: { ...doc.event, user: PEOPLE[who].id, text: `<@${fake.team.botUserId}> ${text}`, ts, channel: CHANNEL, event_ts: ts },
        authorizations: [{ team_id: TEAM, user_id: fake.team.botUserId, is_bot: true, is_enterprise_install: false }],
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
      };
    },
    /** A person's message in their direct messages with the bot (message.im), shaped like Slack's documented example. */
    dmPayload(who: Who, text: string, o: { eventId?: string; event?: Record<string, unknown> } = {}) {
      const doc = fixture<Record<string, unknown> & { event: Record<string, unknown> }>('slack-message-im.json');
      const ts = `${Math.floor(Date.now() / 1000)}.${randomBytes(3).readUIntBE(0, 3)}`;
      const p = PEOPLE[who];
      return {
        ...doc,
        team_id: TEAM,
        event: { ...doc.event, user: p.id, text, ts, event_ts: ts, channel: dmOf(who), ...(o.event ?? {}) },
        authorizations: [{ team_id: TEAM, user_id: fake.team.botUserId, is_bot: true, is_enterprise_install: false }],
        event_id: o.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
      };
    },
    /** The person opening the app's Home tab (app_home_opened), in the Events API wrapper. */
    homeOpenedPayload(who: Who) {
      const event = fixture<Record<string, unknown>>('slack-app-home-opened.json');
      const doc = fixture<Record<string, unknown>>('slack-message-im.json');
      return {
        ...doc,
        team_id: TEAM,
        event: { ...event, user: PEOPLE[who].id, channel: dmOf(who), event_ts: `${Date.now() / 1000}` },
        authorizations: [{ team_id: TEAM, user_id: fake.team.botUserId, is_bot: true, is_enterprise_install: false }],
        event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
      };
    },
    /** The message the bot last posted to a channel, as the fake holds it now. */
    lastPosted(channel = CHANNEL): StoredMessage {
      const found = [...fake.messages.values()].filter((m) => m.channel === channel).at(-1);
      if (!found) throw new Error(`nothing posted to ${channel}`);
      return found;
    },
    async projectId(): Promise<string> {
      const id = await store.projectIdFor(TEAM, { platform: 'slack', id: CHANNEL });
      if (!id) throw new Error('no project in the test channel');
      return id;
    },
    async cleanup(): Promise<void> {
      for (const a of apps) await a.stop();
      await fake.stop();
      await fresh.cleanup();
    },
  };
  return h;
}

/** A person's direct-message channel with the bot, as the fake names it (chat.postMessage to a user id lands there too). */
export function dmOf(who: Who): string {
  return `D${PEOPLE[who].id.slice(1)}`;
}

/** Every text a Block Kit message shows, joined, for assertions on what a person reads. */
export function textsOf(blocks: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'value' && typeof v === 'object') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}
