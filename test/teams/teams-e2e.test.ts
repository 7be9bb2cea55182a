import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import {
  ANNA,
  BOT,
  CHANNEL,
  RIDO,
  TENANT,
  asShown,
  cardOf,
  cardText,
  executeActions,
  fixture,
  teamsHarness,
  type TeamsHarness,
} from './teams-harness.js';

const en = catalog('en');
const fi = catalog('fi');
const sv = catalog('sv');

let h: TeamsHarness;

afterEach(async () => {
  await h?.cleanup();
});

/** Posts a channel message and returns the bot's reply (recorded by the fake connector). */
async function say(text: string, o: Parameters<TeamsHarness['channelMessage']>[1] = {}) {
  const activity = h.channelMessage(text, o);
  const res = await h.post(activity);
  expect(res.status).toBe(200);
  const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
  return { activity, reply, card: cardOf(reply.body), text: cardText(cardOf(reply.body)) };
}

/**
 * A project in the fixture's channel with Anna asked to sign off functional testing: the sign-off card's
 * message (everyone's copy: the state, no buttons, and a refresh for Anna), and Anna's own view of it, which
 * her Teams client asks for on its own (an `adaptiveCard/action` invoke with `trigger: automatic`).
 */
async function projectWithSignoff() {
  h.connector.addMember(ANNA);
  await say('project new Demo City');
  const asked = await say(`signoff functional <at>${ANNA.name}</at>`, { mentions: [{ id: ANNA.id, name: ANNA.name }] });
  const projectId = (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!;
  expect(projectId).toBeTruthy();
  expect(asked.card.actions).toBeUndefined();
  expect(asked.card.refresh.userIds).toEqual([ANNA.id]);
  const messageId = asked.reply.createdId!;
  const view = await h.post(h.invoke(asked.card.refresh.action, { replyToId: messageId, from: ANNA, trigger: 'automatic' }));
  expect(view.body.type).toBe('application/vnd.microsoft.card.adaptive');
  return { projectId, messageId, card: view.body.value, shared: asked.card, text: asked.text };
}

describe('Teams messages over /api/messages', () => {
  beforeEach(async () => {
    h = await teamsHarness();
  });

  it('answers `@lv status` in the channel thread, with the bot mention stripped', async () => {
    await say('project new Demo City');
    const { activity, reply, card, text } = await say('status');
    expect(reply.conversationId).toBe(`${CHANNEL};messageid=1759881511856`);
    expect(reply.activityId).toBe(activity.id);
    expect(reply.body.replyToId).toBe(activity.id);
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(text).toContain(en.statusCard.title({ name: 'Demo City' }));
    expect(text).toContain(en.statusCard.progress);
    // The project is bound to the channel, not to the thread the command was typed in.
    expect(await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL })).toMatch(/^p[0-9a-f]+$/);
  });

  it('answers plain `status` in a personal chat, in the activity locale, and then in the chosen language', async () => {
    const personal = h.personalMessage('status', { locale: 'fi-FI' });
    expect((await h.post(personal)).status).toBe(200);
    const first = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === personal.id);
    expect(first.conversationId).toBe(personal.conversation.id);
    expect(cardText(cardOf(first.body))).toContain(asShown(fi.refusal['project.none']));

    const choose = h.personalMessage('lang sv', { locale: 'fi-FI' });
    await h.post(choose);
    const chosen = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === choose.id);
    expect(cardText(cardOf(chosen.body))).toContain(sv.langMsg.set);

    const help = h.personalMessage('help', { locale: 'fi-FI' });
    await h.post(help);
    const helped = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === help.id);
    expect(cardText(cardOf(helped.body))).toContain(sv.help.title);
  });

  it('turns other mentions into the people they name (aadObjectId via the member look-up) and shows their names', async () => {
    const { text } = await projectWithSignoff();
    expect(h.connector.delivered('get-member').map((c) => c.activityId)).toEqual([ANNA.id]);
    expect(text).toContain(en.signoff.title({ kind: en.signoffKind.functional }));
    expect(text).toContain(ANNA.name);
    expect(text).not.toContain(ANNA.aadObjectId);
    const loaded = await h.store.load(TENANT, (await h.store.projectIds(TENANT))[0]!);
    expect(loaded?.project.signoffs[0]?.approvers).toEqual([ANNA.aadObjectId]);
  });

  it('falls back to the Teams id when a mentioned member cannot be looked up', async () => {
    await say('project new Demo City');
    const stranger = { id: '29:unknown-member', name: 'Stranger' };
    const { text } = await say(`role <at>${stranger.name}</at> staff`, { mentions: [stranger] });
    expect(h.connector.calls.filter((c) => c.kind === 'get-member').map((c) => [c.activityId, c.status])).toEqual([[stranger.id, 404]]);
    // The command names them by their Teams id, shown by the name the mention carried.
    expect(text).toContain(stranger.name);
    expect(text).not.toContain(stranger.id);
  });

  it('ignores card submits (Action.Submit messages) that carry no text', async () => {
    const submit = fixture('teams-message-action-submit.json');
    submit.serviceUrl = h.serviceUrl;
    expect((await h.post(submit)).status).toBe(200);
    expect(h.connector.calls).toEqual([]);
  });
});

describe('Teams card actions (Action.Execute)', () => {
  beforeEach(async () => {
    h = await teamsHarness();
  });

  it('an approve returns the refreshed card and updates the original message for everyone, buttons gone', async () => {
    const { projectId, messageId, card } = await projectWithSignoff();
    const approve = executeActions(card).find((a) => a.verb === 'signoff.approve')!;
    expect(approve.data).toEqual({ value: `${projectId}|s1` });

    const res = await h.post(h.invoke(approve, { replyToId: messageId, from: ANNA }));
    expect(res.status).toBe(200);
    expect(res.body.statusCode).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const refreshed = res.body.value;
    const text = cardText(refreshed);
    expect(text).toContain(`${en.signoff.state}: ${en.signoffState.approved}`);
    expect(text).toMatch(new RegExp(`${ANNA.name}: ${en.signoff.response.approve} \\d`));
    expect(refreshed.actions).toBeUndefined();

    const update = await h.connector.waitFor((c) => c.kind === 'update' && c.activityId === messageId);
    expect(update.conversationId).toBe(`${CHANNEL};messageid=1759881511856`);
    expect(update.body.id).toBe(messageId);
    expect(cardOf(update.body)).toEqual(refreshed);

    const trail = await h.store.auditTrail(TENANT, projectId);
    expect(trail.filter((e) => e.action === 'signoff.approve').map((e) => [e.actor, e.platform, e.idem])).toEqual([
      [ANNA.aadObjectId, 'teams', expect.stringMatching(/^teams:19:[^;]+@thread\.tacv2:f:/)],
    ]);
  });

  it('a reject without a reason is refused to the clicker only, and nothing changes', async () => {
    const { projectId, messageId, card } = await projectWithSignoff();
    const reject = executeActions(card).find((a) => a.verb === 'signoff.reject')!;
    expect(reject.data).toEqual({ value: `${projectId}|s1`, inputs: { reason: 'reason' } });

    // A client that let blanks through: the refusal is a message shown to the clicker, and their card stays as it was.
    const res = await h.post(h.invoke(reject, { replyToId: messageId, from: ANNA, inputs: { reason: '   ' } }));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(res.body.value).toContain('needs a reason');
    await h.teams.idle();
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);
    const trail = await h.store.auditTrail(TENANT, projectId);
    expect(trail.some((e) => e.action.startsWith('signoff.reject'))).toBe(false);

    // With a reason the same button records the rejection and updates the message.
    const ok = await h.post(h.invoke(reject, { replyToId: messageId, from: ANNA, inputs: { reason: 'Virtu login fails' } }));
    expect(cardText(ok.body.value)).toContain('Virtu login fails');
    await h.connector.waitFor((c) => c.kind === 'update' && c.activityId === messageId);
  });

  it('someone without the role gets a refusal card and the message is not touched', async () => {
    const { projectId, messageId, card } = await projectWithSignoff();
    const approve = executeActions(card).find((a) => a.verb === 'signoff.approve')!;
    const res = await h.post(h.invoke(approve, { replyToId: messageId, from: RIDO }));
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(res.body.value).toContain(ANNA.name);
    expect(res.body.value).toContain('Only the named approvers');
    await h.teams.idle();
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);
    expect((await h.store.auditTrail(TENANT, projectId)).some((e) => e.action === 'signoff.approve')).toBe(false);
  });

  it('10 concurrent identical invokes record once and update the message once', async () => {
    const { projectId, messageId, card } = await projectWithSignoff();
    const approve = executeActions(card).find((a) => a.verb === 'signoff.approve')!;
    const invoke = h.invoke(approve, { replyToId: messageId, from: ANNA, id: 'f:redelivered-invoke-1' });
    const results = await Promise.all(Array.from({ length: 10 }, () => h.post(invoke)));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(cardText(r.body.value)).toContain(`${en.signoff.state}: ${en.signoffState.approved}`);
    }
    const trail = await h.store.auditTrail(TENANT, projectId);
    expect(trail.filter((e) => e.action === 'signoff.approve')).toHaveLength(1);
    await h.teams.idle();
    expect(h.connector.delivered('update').filter((c) => c.activityId === messageId)).toHaveLength(1);
  });

  it('a task button on a proactive reminder marks the task and updates that message', async () => {
    await say('project new Demo City');
    await say('assign process.review me 2026-11-20');
    const projectId = (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!;
    const reminder = {
      title: 'Overdue: process.review',
      blocks: [{ type: 'text' as const, text: 'process.review was due 20 Nov 2026.' }],
      buttons: [{ action: 'task.done', label: 'Done', value: `${projectId}|process.review`, style: 'primary' as const }],
    };
    const sent = await h.teams.chat.post({ tenant: TENANT, platform: 'teams', conversation: CHANNEL }, reminder, { lang: 'en' });
    const posted = h.connector.delivered('send').at(-1)!;
    expect(posted.createdId).toBe(sent.messageId);
    const done = executeActions(cardOf(posted.body)).find((a) => a.verb === 'task.done')!;

    const res = await h.post(h.invoke(done, { replyToId: sent.messageId, from: RIDO }));
    expect(cardText(res.body.value)).toContain(
      en.task.changed({
        task: 'process.review (review the process at the level of daily work and update the process description)',
        status: en.status.done,
      }),
    );
    expect(res.body.value.actions).toBeUndefined();
    const update = await h.connector.waitFor((c) => c.kind === 'update' && c.activityId === sent.messageId);
    expect(cardOf(update.body)).toEqual(res.body.value);
    const loaded = await h.store.load(TENANT, projectId);
    expect(loaded?.project.tasks.find((t) => t.id === 'process.review')?.status).toBe('done');
  });

  it('an invoke that names no tenant gets an error response and changes nothing', async () => {
    const a = fixture('teams-invoke-adaptivecard-action-verb.json');
    a.serviceUrl = h.serviceUrl;
    const res = await h.post(a);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message: expect.any(String) },
    });
    expect(h.connector.calls).toEqual([]);
  });

  it('an invoke without a verb (the captured fixture) is answered with a refusal, not an error', async () => {
    const { messageId } = await projectWithSignoff();
    const a = h.invoke({ verb: 'x', data: { feedback: 'test invokes' } }, { replyToId: messageId });
    delete a.value.action.verb;
    const res = await h.post(a);
    expect(res.status).toBe(200);
    expect(res.body.value).toContain(en.refusal['action.unknown'].replace(/`/g, ''));
  });
});

describe('Teams proactive messages', () => {
  beforeEach(async () => {
    h = await teamsHarness();
  });

  const addedTenant = 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f';
  const addedChannel = '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2';
  const reminder = { title: 'Reminder', blocks: [{ type: 'text' as const, text: 'process.review is due tomorrow' }] };

  it('a reminder reaches a conversation the bot was added to before a restart', async () => {
    expect((await h.post(h.botAdded())).status).toBe(200);
    await h.connector.waitFor((c) => c.kind === 'send');
    h.connector.forget(); // the welcome
    await h.restart();
    const sent = await h.teams.chat.post({ tenant: addedTenant, platform: 'teams', conversation: addedChannel }, reminder, { lang: 'en' });
    const calls = h.connector.delivered('send');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.conversationId).toBe(addedChannel);
    expect(calls[0]!.body.replyToId).toBeUndefined();
    expect(cardText(cardOf(calls[0]!.body))).toContain('process.review is due tomorrow');
    expect(sent.messageId).toBe(calls[0]!.createdId);
  });

  it('reaches a channel learned from a message in a thread, posting to the channel itself', async () => {
    await say('project new Demo City');
    await h.restart();
    await h.teams.chat.post({ tenant: TENANT, platform: 'teams', conversation: CHANNEL }, reminder, { lang: 'en' });
    expect(h.connector.delivered('send').map((c) => c.conversationId)).toEqual([CHANNEL]);
  });

  it('messages a person in their existing 1:1 chat, or opens one', async () => {
    const personal = h.personalMessage('help');
    await h.post(personal);
    await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === personal.id);
    await h.restart();
    const megan = personal.from.aadObjectId as string;
    await h.teams.chat.post({ tenant: personal.channelData.tenant.id, platform: 'teams', conversation: megan, user: true }, reminder, {
      lang: 'en',
    });
    expect(h.connector.delivered('send').map((c) => c.conversationId)).toEqual([personal.conversation.id]);

    // Anna has spoken in the channel but never 1:1: a conversation is created first.
    h.connector.addMember(ANNA);
    await say('project new Demo City');
    await say(`role <at>${ANNA.name}</at> staff`, { mentions: [{ id: ANNA.id, name: ANNA.name }] });
    await h.teams.chat.post({ tenant: TENANT, platform: 'teams', conversation: ANNA.aadObjectId, user: true }, reminder, { lang: 'en' });
    const created = h.connector.delivered('create-conversation');
    expect(created).toHaveLength(1);
    expect(created[0]!.body.members).toEqual([expect.objectContaining({ id: ANNA.id })]);
    expect(created[0]!.body.bot.id).toBe(BOT.id);
    expect(created[0]!.body.channelData.tenant.id).toBe(TENANT);
    expect(h.connector.delivered('send').at(-1)!.conversationId).toBe(created[0]!.createdId);

    // The next message to Anna reuses that chat, also after a restart.
    await h.restart();
    await h.teams.chat.post({ tenant: TENANT, platform: 'teams', conversation: ANNA.aadObjectId, user: true }, reminder, { lang: 'en' });
    expect(h.connector.delivered('create-conversation')).toHaveLength(1);
    expect(h.connector.delivered('send').at(-1)!.conversationId).toBe(created[0]!.createdId);
  });

  it('refuses to post where the bot has never been', async () => {
    await expect(
      h.teams.chat.post({ tenant: TENANT, platform: 'teams', conversation: '19:never@thread.tacv2' }, reminder, { lang: 'en' }),
    ).rejects.toThrow(/no conversation reference/);
  });

  it('forgets a conversation when the bot is removed from it', async () => {
    await h.post(h.botAdded());
    const removed = h.botAdded();
    removed.membersRemoved = removed.membersAdded;
    delete removed.membersAdded;
    removed.channelData.eventType = 'teamMemberRemoved';
    await h.post(removed);
    await expect(
      h.teams.chat.post({ tenant: addedTenant, platform: 'teams', conversation: addedChannel }, reminder, { lang: 'en' }),
    ).rejects.toThrow(/no conversation reference/);
  });
});

describe('Teams sending: throttling and retries', () => {
  const target = {
    tenant: 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f',
    platform: 'teams' as const,
    conversation: '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2',
  };
  const card = { blocks: [{ type: 'text' as const, text: 'announcement' }] };

  beforeEach(async () => {
    h = await teamsHarness();
    await h.post(h.botAdded());
    await h.connector.waitFor((c) => c.kind === 'send');
    h.connector.forget(); // the welcome
  });

  it('retries a 429 after its Retry-After, and the message arrives once', async () => {
    h.connector.fail({ status: 429, retryAfter: '1', match: (c) => c.kind === 'send' });
    const sent = await h.teams.chat.post(target, card, { lang: 'en' });
    const attempts = h.connector.calls.filter((c) => c.kind === 'send');
    expect(attempts.map((c) => c.status)).toEqual([429, 201]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(h.connector.delivered('send')).toHaveLength(1);
    expect(sent.messageId).toBe(attempts[1]!.createdId);
  });

  it('retries 412, 502 and 504 with backoff', async () => {
    for (const status of [412, 502, 504]) h.connector.fail({ status, match: (c) => c.kind === 'send' });
    await h.teams.chat.post(target, card, { lang: 'en' });
    expect(h.connector.calls.filter((c) => c.kind === 'send').map((c) => c.status)).toEqual([412, 502, 504, 201]);
    expect(h.connector.delivered('send')).toHaveLength(1);
  });

  it('gives up after the last attempt and says why', async () => {
    h.connector.fail({ status: 429, retryAfter: '0', times: 5, match: (c) => c.kind === 'send' });
    await expect(h.teams.chat.post(target, card, { lang: 'en' })).rejects.toThrow(/429/);
    expect(h.connector.calls.filter((c) => c.kind === 'send')).toHaveLength(5);
    expect(h.connector.delivered('send')).toHaveLength(0);
  });

  it('does not retry other failures such as 403', async () => {
    h.connector.fail({ status: 403, match: (c) => c.kind === 'send' });
    await expect(h.teams.chat.post(target, card, { lang: 'en' })).rejects.toThrow();
    expect(h.connector.calls.filter((c) => c.kind === 'send')).toHaveLength(1);
  });

  it('holds the eighth message to one conversation until a second has passed (7 a second, 8 in 2 seconds)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the welcome's send leaves the windows
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.teams.chat.post(target, { blocks: [{ type: 'text', text: `m${i}` }] }, { lang: 'en' })),
    );
    const sends = h.connector
      .delivered('send')
      .map((c) => c.at)
      .sort((a, b) => a - b);
    expect(sends).toHaveLength(8);
    expect(sends[6]! - sends[0]!).toBeLessThan(1000);
    expect(sends[7]! - sends[0]!).toBeGreaterThanOrEqual(990);
  });
});
