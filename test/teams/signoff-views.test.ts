import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { cardBytes, TEAMS_MESSAGE_LIMIT_BYTES } from '../../adapters/teams/card-size.js';
import { renderAdaptiveCard } from '../../adapters/teams/render-adaptive-card.js';
import { ANNA, CHANNEL, RIDO, TENANT, cardOf, cardText, executeActions, teamsHarness, type TeamsHarness } from './teams-harness.js';

/**
 * A sign-off request as a Teams team meets it, over /api/messages with the delivery workers running: the
 * approvers are mentioned (mention entities) and each gets a personal message with the buttons; in the
 * channel everyone sees the state and each approver their own view with buttons (Universal Actions refresh);
 * an answer in any copy updates every copy; a refusal never wipes the clicker's card. And long lists page
 * inside one message, whose size never passes Teams' limit.
 */

const en = catalog('en');
let h: TeamsHarness;
const BEN = { id: '29:1benTeamsIdFromTheMentionEntity-xyz', name: 'Ben Builder', aadObjectId: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' };

afterEach(async () => {
  await h?.cleanup();
  h = undefined as never;
});

async function say(text: string, o: Parameters<TeamsHarness['channelMessage']>[1] = {}) {
  const activity = h.channelMessage(text, o);
  expect((await h.post(activity)).status).toBe(200);
  const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
  return { activity, reply, card: cardOf(reply.body), text: cardText(cardOf(reply.body)) };
}

/** The project, Anna and Ben asked to sign off functional testing, the channel's card and the personal messages the workers sent. */
async function requested() {
  h = await teamsHarness({ jobs: true });
  for (const m of [ANNA, BEN]) h.connector.addMember(m);
  await say('project new Demo City');
  const asked = await say(`signoff functional <at>${ANNA.name}</at> <at>${BEN.name}</at>`, { mentions: [ANNA, BEN] });
  await h.quiet();
  const personal = h.connector.delivered('send').filter((c) => c.conversationId?.startsWith('a:fake-conversation'));
  return { asked, personal, messageId: asked.reply.createdId! };
}

describe('Teams sign-off requests: mentions, personal messages, per-user views', () => {
  it('mentions the approvers with real mention entities, and sends each a personal message with the buttons', async () => {
    const { asked, personal } = await requested();
    expect(asked.card.msteams.entities).toEqual([
      { type: 'mention', text: `<at>${ANNA.name}</at>`, mentioned: { id: ANNA.id, name: ANNA.name } },
      { type: 'mention', text: `<at>${BEN.name}</at>`, mentioned: { id: BEN.id, name: BEN.name } },
    ]);
    expect(asked.text).toContain(`<at>${ANNA.name}</at>`);
    expect(asked.reply.body.summary).toContain(ANNA.name);
    // One personal chat opened for each approver, the request in it with the buttons (their own view).
    const created = h.connector.delivered('create-conversation');
    expect(created.map((c) => c.body.members[0].id).sort()).toEqual([ANNA.id, BEN.id].sort());
    expect(personal).toHaveLength(2);
    for (const p of personal) {
      const verbs = executeActions(cardOf(p.body)).map((a) => a.verb);
      expect(verbs).toEqual(expect.arrayContaining(['signoff.approve', 'signoff.reject', 'signoff.remarks']));
      expect(p.body.summary).toMatch(/\S/);
    }
    // Once each, however the workers ran.
    await h.quiet();
    expect(h.connector.delivered('create-conversation')).toHaveLength(2);
    expect(h.connector.delivered('send').filter((c) => c.conversationId?.startsWith('a:fake-conversation'))).toHaveLength(2);
  });

  it('everyone sees the state; each approver, as their client asks, their own view with the buttons', async () => {
    const { asked, messageId } = await requested();
    expect(asked.card.actions).toBeUndefined();
    expect(asked.card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'signoff.view', data: { value: expect.stringMatching(/\|s1$/) } },
      userIds: [ANNA.id, BEN.id],
    });
    const anna = await h.ownView(asked.card, messageId, ANNA);
    expect(executeActions(anna).map((a) => a.verb)).toEqual(expect.arrayContaining(['signoff.approve', 'signoff.reject']));
    expect(anna.refresh.userIds).toEqual([ANNA.id, BEN.id]);
    // Someone else pressing the card's refresh gets the state, without buttons.
    const rido = await h.post(h.invoke(asked.card.refresh.action, { replyToId: messageId, from: RIDO }));
    expect(rido.body.value.actions).toBeUndefined();
    expect(cardText(rido.body.value)).toContain(en.signoffState.open);
    await h.teams.idle();
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);
  });

  it('an answer in a personal message updates the channel’s copy and the other approver’s, in their view', async () => {
    const { asked, personal, messageId } = await requested();
    const annas = personal.find(
      (p) => h.connector.delivered('create-conversation').find((c) => c.createdId === p.conversationId)?.body.members[0].id === ANNA.id,
    )!;
    const approve = executeActions(cardOf(annas.body)).find((a) => a.verb === 'signoff.approve')!;
    const invoke = h.invoke(approve, { replyToId: annas.createdId!, from: ANNA });
    invoke.conversation = { id: annas.conversationId, conversationType: 'personal', tenantId: TENANT };
    const res = await h.post(invoke);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(res.body.value.actions).toBeUndefined(); // Anna has answered: no buttons for her any more
    await h.teams.idle();
    const updates = h.connector.delivered('update');
    const of = (id: string) => updates.filter((u) => u.activityId === id).at(-1);
    // Her own message, the channel's card (everyone's copy: the state) and Ben's (still with his buttons).
    expect(cardText(cardOf(of(annas.createdId!)!.body))).toContain(`${ANNA.name}: ${en.signoff.response.approve}`);
    const channelCopy = cardOf(of(messageId)!.body);
    expect(of(messageId)!.conversationId).toContain(CHANNEL);
    expect(cardText(channelCopy)).toContain(`${ANNA.name}: ${en.signoff.response.approve}`);
    expect(channelCopy.actions).toBeUndefined();
    expect(channelCopy.refresh.userIds).toEqual([BEN.id]);
    const bens = personal.find((p) => p.createdId !== annas.createdId)!;
    const bensCopy = cardOf(of(bens.createdId!)!.body);
    expect(cardText(bensCopy)).toContain(`${ANNA.name}: ${en.signoff.response.approve}`);
    expect(executeActions(bensCopy).map((a) => a.verb)).toContain('signoff.approve');
    expect(asked.card.msteams.entities).toHaveLength(2);
  });

  it('a typed answer in the channel brings the request’s earlier copies up to date too', async () => {
    const { personal, messageId } = await requested();
    const typed = await say('approve functional', { from: BEN });
    expect(typed.text).toContain(`${BEN.name}: ${en.signoff.response.approve}`);
    await h.teams.idle();
    const updated = h.connector.delivered('update').map((u) => u.activityId);
    expect(updated).toContain(messageId);
    for (const p of personal) expect(updated).toContain(p.createdId);
    const channelCopy = h.connector
      .delivered('update')
      .filter((u) => u.activityId === messageId)
      .at(-1)!;
    expect(cardText(cardOf(channelCopy.body))).toContain(`${BEN.name}: ${en.signoff.response.approve}`);
  });

  it('a refused click is a message to the clicker: the card is neither replaced for them nor updated', async () => {
    const { asked, messageId } = await requested();
    const anna = await h.ownView(asked.card, messageId, ANNA);
    const approve = executeActions(anna).find((a) => a.verb === 'signoff.approve')!;
    const res = await h.post(h.invoke(approve, { replyToId: messageId, from: RIDO }));
    expect(res.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining('Only the named approvers'),
    });
    expect(res.body.value).not.toContain('*');
    await h.teams.idle();
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);
  });

  it('a reject form refuses blanks itself: a required reason that must hold more than spaces', async () => {
    const { asked, messageId } = await requested();
    const anna = await h.ownView(asked.card, messageId, ANNA);
    const reject = anna.actions.find((a: any) => a.type === 'Action.ShowCard' && a.title === en.signoff.reject);
    const input = reject.card.body.find((e: any) => e.type === 'Input.Text');
    expect(input).toMatchObject({ isRequired: true, errorMessage: en.common.required({ field: en.signoff.reasonLabel }) });
    const blank = new RegExp(input.regex);
    expect(blank.test('   \n ')).toBe(false);
    expect(blank.test(' Virtu login fails ')).toBe(true);
  });
});

describe('Teams: long lists page inside one message, and no card passes the size limit', () => {
  it('a checklist of 130 tasks is one message with Next, which shows page 2 in its place', async () => {
    h = await teamsHarness();
    await say('project new Demo City');
    for (let i = 0; i < 100; i++)
      await h.bot.handle({
        actor: { tenant: TENANT, userId: RIDO.aadObjectId, platform: 'teams' },
        channel: { platform: 'teams', id: CHANNEL },
        input: { kind: 'text', text: `item add process ${'A long item name for the page test '.repeat(3)}${i}` },
      });
    h.connector.forget();
    const tasks = await say('tasks');
    expect(h.connector.calls.filter((c) => c.kind === 'reply' || c.kind === 'send')).toHaveLength(1);
    expect(cardBytes(tasks.card)).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
    expect(tasks.text).toContain(en.common.page({ page: '1', pages: '4' }).slice(0, 8));
    const next = executeActions(tasks.card).find((a) => a.title === en.chat.next)!;
    expect(next.verb).toBe('view.page');
    const res = await h.post(h.invoke(next, { replyToId: tasks.reply.createdId! }));
    expect(res.status).toBe(200);
    expect(cardText(res.body.value)).toMatch(/Page 2 of \d/);
    const update = await h.connector.waitFor((c) => c.kind === 'update' && c.activityId === tasks.reply.createdId);
    expect(cardOf(update.body)).toEqual(res.body.value);
    expect(executeActions(res.body.value).map((a) => a.title)).toEqual(expect.arrayContaining([en.chat.previous, en.chat.next]));
    expect(h.connector.calls.filter((c) => c.kind === 'reply' || c.kind === 'send')).toHaveLength(1);
  });

  it('a card too big for Teams is shortened visibly below the limit, never sent to be refused', () => {
    const huge = {
      title: 'Huge',
      blocks: Array.from({ length: 400 }, (_, i) => ({ type: 'text' as const, text: `${'word '.repeat(60)} <@u${i}>` })),
      notify: ['u1', 'u399'],
    };
    let logged = 0;
    const card = renderAdaptiveCard(huge, { lang: 'en', onShortened: () => logged++ });
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
    expect(cardText(card)).toContain(en.chat.shortened.replace(/`([^`]+)`/g, '**$1**'));
    expect(logged).toBe(1);
    expect(card.msteams?.entities.map((e) => e.mentioned.id)).toEqual(['u1']);
  });
});
