import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';
import { fixture } from './slack-requests.js';

const limits = fixture<{ slack: { on_limit: { status: number; header: string } } }>('rate-limits.json');

describe('Slack rate limits: 429 with Retry-After is waited out and retried, never dropped', () => {
  let h: Awaited<ReturnType<typeof slackHarness>>;
  beforeEach(async () => {
    h = await slackHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("documents 429 and Retry-After as Slack's answer to a rate limit", () => {
    expect(limits.slack.on_limit).toMatchObject({ status: 429, header: 'Retry-After' });
  });

  it('retries chat.postMessage after Retry-After seconds', async () => {
    h.fake.rateLimit('chat.postMessage', 1, 1);
    await h.run('coord', 'project new Demo');
    const calls = h.fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(h.fake.messages.size).toBe(1);
    expect(h.log.errors).toEqual([]);
  });

  it('retries a response_url post after Retry-After seconds', async () => {
    h.fake.rateLimit('response_url', 1, 1);
    await h.run('coord', 'help');
    const calls = h.fake.calls.filter((c) => c.method === 'response_url');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(calls[1]?.body.response_type).toBe('ephemeral');
  });

  it('retries chat.update, so a recorded decision is always shown', async () => {
    await h.run('coord', 'project new Demo');
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}>`);
    const request = h.lastPosted();
    h.fake.rateLimit('chat.update', 2, 0);
    await h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'));
    await h.adapter.idle();
    expect(h.fake.calls.filter((c) => c.method === 'chat.update').map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('posts proactive messages through the ChatPort, to a channel or to a person in their language; a 429 is thrown to the delivery engine, not retried inside', async () => {
    h.fake.rateLimit('chat.postMessage', 1, 2);
    const target = { tenant: TEAM, platform: 'slack' as const, conversation: CHANNEL };
    const card = {
      title: 'Reminder',
      blocks: [{ type: 'text' as const, text: `<@${PEOPLE.anna.id}>: process.review is due tomorrow` }],
      notify: [PEOPLE.anna.id],
    };
    await expect(h.adapter.chat.post(target, card, { lang: 'en' })).rejects.toMatchObject({
      name: 'RateLimitedError',
      retryAfterMs: 2_000,
    });
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status)).toEqual([429]);
    const sent = await h.adapter.chat.post(target, card, { lang: 'en' });
    expect(sent.messageId).toMatch(new RegExp(`^${CHANNEL}:\\d+\\.\\d+$`));
    const posted = h.fake.answered('chat.postMessage')[0];
    expect(posted?.body.channel).toBe(CHANNEL);
    expect(textsOf(posted?.body.blocks)).toContain(`<@${PEOPLE.anna.id}>: process.review is due tomorrow`);
    // Someone the card does not mean to reach is named, not mentioned: their name comes from users.info.
    await h.adapter.chat.post(target, { ...card, notify: [] }, { lang: 'en' });
    expect(textsOf(h.fake.answered('chat.postMessage').at(-1)?.body.blocks)).toContain('@anna: process.review is due tomorrow');

    // A long list to a person is paged, with the page line in the language the card is written in.
    const items = Array.from({ length: 300 }, (_, i) => ({ mark: 'todo' as const, text: `item ${i + 1}: ${'x'.repeat(80)}` }));
    const dm = await h.adapter.chat.post(
      { tenant: TEAM, platform: 'slack', conversation: PEOPLE.anna.id, user: true },
      { title: 'Tehtävät', blocks: [{ type: 'list', items }] },
      { lang: 'fi' },
    );

    const dmChannel = `D${PEOPLE.anna.id.slice(1)}`;
    const pages = h.fake.answered('chat.postMessage').filter((c) => c.body.channel === PEOPLE.anna.id || c.body.channel === dmChannel);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.slice(1).every((p) => p.body.channel === dmChannel)).toBe(true);
    expect(dm.messageId.startsWith(`${dmChannel}:`)).toBe(true);
    expect(textsOf(pages[0]?.body.blocks)).toContain(catalog('fi').common.page({ page: '1', pages: String(pages.length) }));
    await expect(
      h.adapter.chat.post({ tenant: TEAM, platform: 'teams', conversation: 'x' }, { blocks: [] }, { lang: 'en' }),
    ).rejects.toThrow(/cannot post to teams/);
  });
});
