import { describe, expect, it } from 'vitest';
import { loadConfig, looksLikeSigningSecret } from '../src/config.js';
import { ConfigError } from '../src/ports/errors.js';

/** The ConfigError a bad environment raises; fails the test when it does not throw one. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.LV_REDIS_PREFIX).toBe('lv');
    expect(c.LOG_LEVEL).toBe('info');
  });

  it('reads valid values, coercing the port to a number', () => {
    const c = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6380', PORT: '8080', LOG_LEVEL: 'debug', LV_REDIS_PREFIX: 'lv-test' });
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6380');
    expect(c.PORT).toBe(8080);
    expect(c.LOG_LEVEL).toBe('debug');
    expect(c.LV_REDIS_PREFIX).toBe('lv-test');
  });

  it('treats an empty REDIS_URL as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('refuses a REDIS_URL that is not a Redis URL, naming it, what it expects and an example', () => {
    const e = configError({ REDIS_URL: 'http://x' });
    expect(e.code).toBe('LV_CONFIG');
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain('REDIS_URL');
    expect(e.message).toContain('http://x');
    expect(e.message).toMatch(/expected a Redis URL/);
    expect(e.message).toMatch(/for example REDIS_URL=redis:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(ConfigError);
  });

  it('refuses PORT=abc the same way', () => {
    const e = configError({ PORT: 'abc' });
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain('PORT');
    expect(e.message).toContain('abc');
    expect(e.message).toMatch(/expected a TCP port number/);
    expect(e.message).toMatch(/for example PORT=\d+/);
  });

  it('refuses LOG_LEVEL=loud the same way', () => {
    const e = configError({ LOG_LEVEL: 'loud' });
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain('LOG_LEVEL');
    expect(e.message).toContain('loud');
    expect(e.message).toMatch(/expected a log level/);
    expect(e.message).toMatch(/for example LOG_LEVEL=info/);
  });

  it('reports every bad value at once', () => {
    const e = configError({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(e.problems).toHaveLength(2);
    expect(e.problems.some((p) => p.startsWith('PORT=') && p.includes('for example PORT='))).toBe(true);
    expect(e.problems.some((p) => p.startsWith('LOG_LEVEL=') && p.includes('for example LOG_LEVEL='))).toBe(true);
    expect(e.message).toContain('PORT');
    expect(e.message).toContain('LOG_LEVEL');

    const three = configError({ PORT: '70000', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' });
    expect(three.problems.map((p) => p.split('=')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'REDIS_URL']);
  });

  it('takes any non-empty Slack signing secret, as Bolt does, and its own example', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'not-hex-but-what-slack-gave' }).SLACK_SIGNING_SECRET).toBe(
      'not-hex-but-what-slack-gave',
    );
    const example = /for example SLACK_SIGNING_SECRET=(\S+)/.exec(configError({ SLACK_BOT_TOKEN: 'xoxb-1' }).message)?.[1];
    expect(example).toBeDefined();
    expect(looksLikeSigningSecret(example!)).toBe(true);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: example })).not.toThrow();
    expect(looksLikeSigningSecret('not-hex-but-what-slack-gave')).toBe(false);
  });

  it('takes any GUID as a Microsoft app or tenant id, also one that is not an RFC 4122 UUID, and refuses what is not a GUID', () => {
    // zod 4's uuid() accepts only RFC variants; Azure ids are checked as GUIDs (any 8-4-4-4-12 hex digits), as zod 3 did.
    const id = '12345678-90ab-cdef-7890-abcdef123456';
    const c = loadConfig({ MICROSOFT_APP_ID: id, MICROSOFT_APP_TENANT_ID: id.toUpperCase() });
    expect(c.MICROSOFT_APP_ID).toBe(id);
    expect(c.MICROSOFT_APP_TENANT_ID).toBe(id.toUpperCase());
    const e = configError({ MICROSOFT_APP_ID: 'my-bot', MICROSOFT_APP_TENANT_ID: '12345678-90ab-cdef-7890-abcdef12345' });
    expect(e.problems.map((p) => p.split('=')[0]).sort()).toEqual(['MICROSOFT_APP_ID', 'MICROSOFT_APP_TENANT_ID']);
    expect(e.message).toContain("expected the Azure bot's Microsoft App ID (a GUID)");
  });

  it('reads a URL setting as the URL it names, a trailing slash kept or left out as written', () => {
    expect(loadConfig({ SLACK_API_URL: 'https://slack.example/api/' }).SLACK_API_URL).toBe('https://slack.example/api/');
    expect(loadConfig({ TEAMS_GRAPH_URL: 'https://graph.example/v1.0' }).TEAMS_GRAPH_URL).toBe('https://graph.example/v1.0');
    expect(loadConfig({}).SLACK_API_URL).toBe('https://slack.com/api/');
    expect(configError({ SLACK_REDIRECT_URL: 'lv-bot.example.fi/slack/oauth_redirect' }).message).toContain('SLACK_REDIRECT_URL');
  });

  it('names what installing in many workspaces still needs, and refuses a single bot token beside it', () => {
    const e = configError({ SLACK_CLIENT_ID: '123.456', SLACK_SIGNING_SECRET: 'abc' });
    expect(e.message).toContain('SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, LV_ENCRYPTION_KEY');
    expect(e.message).toMatch(/openssl|LV_ENCRYPTION_KEY=\S{44}/);
    const both = configError({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 's',
      SLACK_STATE_SECRET: 'state-secret-of-16+',
      SLACK_SIGNING_SECRET: 'abc',
      LV_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
      SLACK_BOT_TOKEN: 'xoxb-1',
    });
    expect(both.message).toContain('unset one of them');
    expect(configError({ LV_ENCRYPTION_KEY: 'short' }).message).toContain('a 32-byte key in base64');
    // A secret is never echoed in the message.
    expect(configError({ LV_ENCRYPTION_KEY: 'short-secret-value' }).message).not.toContain('short-secret-value');
  });
});
