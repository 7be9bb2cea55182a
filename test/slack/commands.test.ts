import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeButtonValue } from '../../adapters/slack/forms.js';
import { catalog } from '../../messages/i18n.js';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

describe('Slack slash command over HTTP', () => {
  let h: Awaited<ReturnType<typeof slackHarness>>;
  beforeEach(async () => {
    h = await slackHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('verifies the bot token at start-up with auth.test, sending the token as a Bearer header', () => {
    const auth = h.fake.calls.filter((c) => c.method === 'auth.test');
    expect(auth).toHaveLength(1);
    expect(auth[0]?.auth).toBe('Bearer xoxb-111-222-lvtest');
  });

  it("answers `/lv status` privately through the response_url, with a share button, in the reader's language", async () => {
    await h.run('coord', 'project new Demo City permits');
    const created = h.fake.answered('chat.postMessage');
    expect(created).toHaveLength(1);
    expect(created[0]?.body.channel).toBe(CHANNEL);
    expect(textsOf(created[0]?.body.blocks)).toContain('Demo City permits');

    const sent = await h.slash('coord', 'status');
    expect(sent.status).toBe(200);
    const [reply] = await h.fake.waitForMethod('response_url');
    expect(reply?.body.response_type).toBe('ephemeral');
    const blocks = reply?.body.blocks as Array<{
      type: string;
      text?: { text: string };
      elements?: Array<{ value: string; text: { text: string } }>;
    }>;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Status: Demo City permits' } });
    const share = blocks.find((b) => b.type === 'actions')?.elements?.[0];
    expect(share?.text.text).toBe('Share in channel');
    expect(decodeButtonValue(share?.value)).toMatchObject({ a: 'status.share', v: await h.projectId() });
    // Every Web API call carries the bot token.
    expect(h.fake.calls.filter((c) => c.method !== 'response_url').every((c) => c.auth === 'Bearer xoxb-111-222-lvtest')).toBe(true);

    // Anna's Slack locale is Finnish: her status comes in Finnish.
    await h.slash('anna', 'status');
    const replies = await h.fake.waitForMethod('response_url', 2);
    const fi = catalog('fi');
    expect(textsOf(replies[1]?.body.blocks)).toContain(fi.statusCard.title({ name: 'Demo City permits' }));
    const info = h.fake.answered('users.info').find((c) => c.body.user === PEOPLE.anna.id);
    expect(info?.body.include_locale).toBe('true');
  });

  it('shares the status in the channel when the share button is pressed', async () => {
    await h.run('coord', 'project new Demo');
    await h.run('coord', 'status');
    const ephemeral = h.fake.answered('response_url')[0]!;
    const blocks = ephemeral.body.blocks as unknown[];
    const payload = h.clickPayload('coord', { channel: CHANNEL, ts: '1700000000.000100', text: '', blocks }, 'status.share', {
      ephemeral: true,
    });
    const sent = await h.slack.interaction(payload);
    expect(sent.status).toBe(200);
    await h.adapter.idle();
    const posted = h.fake.answered('chat.postMessage').at(-1);
    expect(posted?.body.channel).toBe(CHANNEL);
    // Shared with the channel, it is in the project's language (Finnish by default), not the English presser's.
    expect(textsOf(posted?.body.blocks)).toContain(catalog('fi').statusCard.title({ name: 'Demo' }));
  });

  it('keeps personal views private: help, `tasks mine` and errors go ephemeral', async () => {
    await h.run('coord', 'project new Demo');
    for (const text of ['help', 'tasks mine', 'frobnicate']) await h.run('coord', text);
    const replies = h.fake.answered('response_url');
    expect(replies).toHaveLength(3);
    expect(replies.every((r) => r.body.response_type === 'ephemeral')).toBe(true);
    expect(textsOf(replies[2]?.body.blocks)).toContain('frobnicate');
    expect(h.fake.answered('chat.postMessage')).toHaveLength(1); // only "project created"
  });

  it('reads Slack-escaped mentions in the command text as people', async () => {
    await h.run('coord', 'project new Demo');
    await h.run('coord', `role <@${PEOPLE.anna.id}|anna> approver`);
    const p = (await h.store.load(TEAM, await h.projectId()))?.project;
    expect(p?.people[PEOPLE.anna.id]?.roles).toContain('approver');
    // A routine confirmation: only the coordinator sees it, so Anna is a link there (a private message notifies nobody).
    const said = h.fake.answered('response_url').at(-1);
    expect(said?.body.response_type).toBe('ephemeral');
    expect(textsOf(said?.body.blocks)).toContain(`<@${PEOPLE.anna.id}>`);
    expect(h.fake.answered('chat.postMessage')).toHaveLength(1); // only "project created"
  });

  it('keeps a workspace’s projects when it joins an Enterprise Grid org: the tenant is the workspace, with or without an enterprise id', async () => {
    await h.run('coord', 'project new Before the org');
    const fields = { ...h.slashFields('coord', 'status'), enterprise_id: 'E0001', enterprise_name: 'Globular Construct Inc' };
    await h.slack.command(fields);
    await h.adapter.idle();
    const answer = h.fake.answered('response_url').at(-1);
    expect(textsOf(answer?.body.blocks)).toContain('Before the org');
    await h.slack.command({ ...h.slashFields('coord', 'project new Another', 'C0OTHER1'), enterprise_id: 'E0001' });
    await h.adapter.idle();
    expect(await h.store.projectIds(TEAM)).toHaveLength(2);
    expect(await h.store.projectIds(`E0001:${TEAM}`)).toHaveLength(0);
  });

  it('falls back to response_url in_channel when the bot is not in the channel', async () => {
    h.fake.fail('chat.postMessage', 'not_in_channel');
    await h.run('coord', 'project new Demo');
    const reply = h.fake.answered('response_url')[0];
    expect(reply?.body.response_type).toBe('in_channel');
    expect(textsOf(reply?.body.blocks)).toContain('Demo');
  });
});
