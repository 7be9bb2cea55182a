import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_PATH } from '../../adapters/slack/slack-adapter.js';
import { loadConfig } from '../../src/config.js';

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.slack.json', root), 'utf8')) as {
  features: {
    slash_commands: Array<{ command: string; url: string; should_escape?: boolean }>;
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
};

/** The adapter's own source, where every Web API call and listener is written. */
const source = readdirSync(new URL('adapters/slack/', root))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(new URL(`adapters/slack/${f}`, root), 'utf8'))
  .join('\n');

/** The bot scope each Web API method needs (Slack's method reference pages); methods needing none map to []. */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  // chat:write.public: announcements to a public channel the bot was not invited to.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'views.open': [],
  // The Home tab.
  'views.publish': [],
  // `comms channel`: whether the bot is in the channel it is to announce in.
  'conversations.info': ['channels:read', 'groups:read'],
  'users.info': ['users:read'],
  // findSent: the DM channel of a person, and the recent history of any conversation type the bot posts to.
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  // An export's file: files.getUploadURLExternal and files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
  // `staff add here` / `staff add #channel`: a public or private channel's members.
  'conversations.members': ['channels:read', 'groups:read'],
};

/** The scope each subscribed event needs, and the one slash commands need. */
const EVENT_SCOPES: Record<string, string | undefined> = {
  app_home_opened: undefined,
  app_mention: 'app_mentions:read',
  // `message` events of the bot's direct messages: commands typed in its Messages tab.
  'message.im': 'im:history',
  app_uninstalled: undefined,
  tokens_revoked: undefined,
};

describe('the Slack app manifest', () => {
  const methods = [
    ...new Set([
      ...[...source.matchAll(/\bclient\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`),
      ...(/\bclient\.filesUploadV2\(/.test(source) ? ['files.uploadV2'] : []),
    ]),
  ].sort();
  // A `message` listener takes the direct messages only (channel_type im): Slack's event for them is message.im.
  const events = [
    ...new Set([...source.matchAll(/\bapp\.event\('([a-z_]+)'/g)].map((m) => (m[1] === 'message' ? 'message.im' : m[1]!))),
  ].sort();
  const usesCommand = /\bapp\.command\(/.test(source);

  it('is found in the code: the Web API methods and events the adapter uses', () => {
    expect(methods).toEqual([
      'chat.postEphemeral',
      'chat.postMessage',
      'chat.update',
      'conversations.history',
      'conversations.info',
      'conversations.members',
      'conversations.open',
      'files.uploadV2',
      'users.info',
      'views.open',
      'views.publish',
    ]);
    expect(events).toEqual(['app_home_opened', 'app_mention', 'app_uninstalled', 'message.im', 'tokens_revoked']);
    expect(usesCommand).toBe(true);
    for (const m of methods) expect(METHOD_SCOPES, `no scope recorded for ${m}`).toHaveProperty([m]);
  });

  it('asks for exactly the bot scopes the code uses, and no user scopes', () => {
    const needed = new Set([
      ...methods.flatMap((m) => METHOD_SCOPES[m] ?? []),
      ...events.flatMap((e) => EVENT_SCOPES[e] ?? []),
      ...(usesCommand ? ['commands'] : []),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it("names the default command and sends commands, interactions and events to the adapter's endpoint", () => {
    const [command, ...others] = manifest.features.slash_commands;
    expect(others).toEqual([]);
    expect(command?.command).toBe(loadConfig({}).SLACK_COMMAND);
    expect(command?.should_escape).toBe(true); // mentions arrive as <@U…|name>, which the grammar reads as people
    for (const url of [command?.url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url]) {
      expect(new URL(url ?? '').pathname).toBe(EVENTS_PATH);
      expect(url?.startsWith('https://')).toBe(true);
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(events);
    // Direct messages from the ChatPort, commands typed to the bot in its Messages tab, and the Home tab.
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
      home_tab_enabled: true,
    });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
