import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { ANNA, CHANNEL, RIDO, TENANT, cardOf, cardText, executeActions, teamsHarness, type TeamsHarness } from './teams-harness.js';

let h: TeamsHarness;

afterEach(async () => {
  await h?.cleanup();
});

/** Posts a channel message and returns the bot's reply card (recorded by the fake connector). */
async function say(text: string, o: Parameters<TeamsHarness['channelMessage']>[1] = {}) {
  const activity = h.channelMessage(text, o);
  expect((await h.post(activity)).status).toBe(200);
  const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
  return { reply, card: cardOf(reply.body), text: cardText(cardOf(reply.body)) };
}

/** The proactive messages (not replies) that reached the project's channel. */
const announcementSends = () => h.connector.delivered('send').filter((c) => c.conversationId === CHANNEL);

describe('the decision through Teams (/api/messages, real Redis, delivery workers)', () => {
  it("a Go from the decision card announces to the group's Teams channel once per language, even when double-clicked", async () => {
    h = await teamsHarness({ jobs: true });
    h.connector.addMember(ANNA);
    h.connector.addMember(RIDO);
    await say('project new Demo City permits');
    await say('golive 2027-03-02');
    expect((await say(`role <at>${RIDO.name}</at> decider`, { mentions: [RIDO] })).text).toContain('decision maker');
    const projectId = (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!;

    // A sign-off, approved by its approver with the card's button.
    const asked = await say(`signoff functional <at>${ANNA.name}</at>`, { mentions: [ANNA] });
    const approve = executeActions(await h.ownView(asked.card, asked.reply.createdId!, ANNA)).find((a) => a.verb === 'signoff.approve')!;
    expect((await h.post(h.invoke(approve, { replyToId: asked.reply.createdId!, from: ANNA }))).body.statusCode).toBe(200);

    // The customers are told in Finnish and Swedish in this Teams channel; the other groups have no channel.
    expect((await say(`comms channel customers ${CHANNEL}`)).text).toContain(`teams:${CHANNEL}`);
    await say('comms langs customers fi sv');

    // The decision card: Go asks for the date and, with evidence missing, a justification.
    const decide = await say('decide');
    const go = executeActions(decide.card).find((a) => a.verb === 'decision.go')!;
    expect(Object.keys(go.data.inputs ?? {})).toEqual(['date', 'override']);

    // Double click: the same Go pressed twice (two invokes) with the same justification.
    const justification = 'The board accepts the open items';
    const inputs = { date: '', override: justification };
    const first = await h.post(h.invoke(go, { replyToId: decide.reply.createdId!, inputs }));
    const second = await h.post(h.invoke(go, { replyToId: decide.reply.createdId!, inputs }));
    expect(cardText(first.body.value)).toContain('Decision recorded: go, 2 Mar 2027.');
    // The second is told privately, as a message; the card it clicked stays as it was.
    expect(second.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(second.body.value).toContain('already recorded');

    // The announcement reaches the fake connector: one message per language, to the customers' channel.
    await h.quiet();
    await h.teams.idle();
    const sends = announcementSends();
    const texts = sends.map((c) => cardText(cardOf(c.body)));
    expect(
      texts.filter((t) => t.includes('Demo City permits: käyttöönotosta on päätetty. Palvelu otetaan käyttöön 2.3.2027.')),
    ).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Tjänsten tas i bruk 2.3.2027.'))).toHaveLength(1);
    // …and, once both are delivered, the report that says so, in the project's language.
    expect(texts.filter((t) => t.includes(catalog('fi').chat.reportAll({ total: '2' })))).toHaveLength(1);
    expect(sends).toHaveLength(3);

    // One decision, with its justification, and one audit event for it.
    const loaded = (await h.store.load(TENANT, projectId))!.project;
    expect(loaded.decisions).toHaveLength(1);
    expect(loaded.decisions[0]).toMatchObject({ outcome: 'go', override: justification });
    expect((await h.store.auditTrail(TENANT, projectId)).filter((e) => e.action.startsWith('decision.'))).toHaveLength(1);
    expect((await say('comms status')).text).toContain('2 of 2 sent, 0 failed.');
  });
});
