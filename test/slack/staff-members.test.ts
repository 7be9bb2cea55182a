import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

/** What the asker read privately or in the channel since `from` (response_url, ephemeral or channel posts). */
const readSince = (h: Harness, from: number) =>
  h.fake.calls
    .slice(from)
    .filter((c) => c.status === 200 && ['response_url', 'chat.postEphemeral', 'chat.postMessage'].includes(c.method))
    .map((c) => textsOf(c.body.blocks))
    .join('\n');

describe('`staff add here` / `staff add #channel` in Slack (conversations.members)', () => {
  let h: Harness;
  afterEach(async () => h?.cleanup());

  it('asks every person of the channel privately, leaving out bots and deactivated accounts', async () => {
    h = await slackHarness({ jobs: true });
    h.fake.addUser({ id: h.fake.team.botUserId, name: 'lv-bot', isBot: true });
    h.fake.addUser({ id: 'UGONE001', name: 'left', deleted: true });
    h.fake.setMembers(CHANNEL, [PEOPLE.coord.id, PEOPLE.anna.id, h.fake.team.botUserId, PEOPLE.sven.id, 'UGONE001']);
    await h.run('coord', 'project new Demo');
    const from = h.fake.calls.length;
    await h.run('coord', 'staff add here');

    const p = (await h.store.load(TEAM, await h.projectId()))!.project;
    expect(Object.keys(p.staffLogin).sort()).toEqual([PEOPLE.anna.id, PEOPLE.coord.id, PEOPLE.sven.id].sort());
    expect(readSince(h, from)).toContain('asked privately whether they can log in');

    // Each of the three gets the question in their own direct messages, once.
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200 && String(c.body.channel).startsWith('U'), 3);
    await h.quiet();
    const asked = h.fake
      .answered('chat.postMessage')
      .filter((c) => String(c.body.channel).startsWith('U'))
      .map((c) => c.body.channel);
    expect(asked.sort()).toEqual([PEOPLE.anna.id, PEOPLE.coord.id, PEOPLE.sven.id].sort());
    expect(h.fake.answered('conversations.members')[0]?.body).toMatchObject({ channel: CHANNEL });
  });

  it('reads a channel named by its mention page by page, and says plainly when it cannot read one', async () => {
    h = await slackHarness();
    const many = Array.from({ length: 230 }, (_, i) => `UMANY${String(i).padStart(4, '0')}`);
    for (const id of many) h.fake.addUser({ id, name: id.toLowerCase() });
    h.fake.setMembers('C0STAFF01', many);
    await h.run('coord', 'project new Demo');
    await h.run('coord', 'staff add <#C0STAFF01|virkailijat>');
    const p = (await h.store.load(TEAM, await h.projectId()))!.project;
    expect(Object.keys(p.staffLogin)).toHaveLength(230);
    expect(h.fake.answered('conversations.members')).toHaveLength(2); // 200 + 30, by cursor

    const from = h.fake.calls.length;
    await h.run('coord', 'staff add <#C0NOTHERE|salainen>');
    expect(readSince(h, from)).toContain('I could not read the members of that channel. Add the bot to the channel');
    expect(Object.keys((await h.store.load(TEAM, await h.projectId()))!.project.staffLogin)).toHaveLength(230);
  });
});
