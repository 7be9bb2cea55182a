import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { ANNA, CHANNEL, RIDO, TENANT, cardOf, cardText, teamsHarness, type TeamsHarness } from './teams-harness.js';

let h: TeamsHarness;

afterEach(async () => {
  await h?.cleanup();
});

const BEA = { id: '29:1beaTeamsIdOnlyInThePagedMemberList-abc', name: 'Bea Official', aadObjectId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f' };

async function say(text: string) {
  const activity = h.channelMessage(text);
  expect((await h.post(activity)).status).toBe(200);
  const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id && c.body?.type === 'message');
  return cardText(cardOf(reply.body));
}

describe('`staff add here` in a Teams channel (paged member list)', () => {
  it('asks every member of the channel in a personal chat the bot opens with each', async () => {
    h = await teamsHarness({ jobs: true });
    h.connector.setConversationMembers(CHANNEL, [RIDO, ANNA, BEA]);
    await say('project new Demo');
    expect(await say('staff add here')).toContain('asked privately whether they can log in');
    const p = (await h.store.load(TENANT, (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!))!.project;
    expect(Object.keys(p.staffLogin).sort()).toEqual([RIDO.aadObjectId, ANNA.aadObjectId, BEA.aadObjectId].sort());

    // Bea, known only from the member list, is asked in a personal chat the bot opens with her Teams id.
    const opened = await h.connector.waitFor(
      (c) => c.kind === 'create-conversation' && c.status === 201 && c.body.members[0].id === BEA.id,
    );
    const asked = await h.connector.waitFor((c) => c.kind === 'send' && c.conversationId === opened.createdId);
    // Nobody chose a language for her: the project's first language, Finnish.
    expect(cardText(cardOf(asked.body))).toContain(catalog('fi').staff.askTitle({ project: 'Demo' }));
    await h.quiet();
    expect(
      h.connector
        .delivered('create-conversation')
        .map((c) => c.body.members[0].id)
        .sort(),
    ).toEqual([RIDO.id, ANNA.id, BEA.id].sort());
  });

  it('reads a large channel page by page (500 members a page)', async () => {
    h = await teamsHarness();
    const crowd = Array.from({ length: 502 }, (_, i) => ({
      id: `29:crowd-${i}`,
      name: `Official ${i}`,
      aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    h.connector.setConversationMembers(CHANNEL, crowd);
    await say('project new Demo');
    expect(await say('staff add here')).toContain('asked privately whether they can log in');
    const p = (await h.store.load(TENANT, (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!))!.project;
    expect(Object.keys(p.staffLogin)).toHaveLength(502);
    expect(h.connector.delivered('paged-members').map((c) => c.conversationId)).toEqual([CHANNEL, CHANNEL]);
  });

  it('says plainly when the member list cannot be read', async () => {
    h = await teamsHarness();
    await say('project new Demo');
    // No member list for this channel: the connector answers 404.
    expect(await say('staff add here')).toContain('I could not read the members of that channel.');
    const p = (await h.store.load(TENANT, (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!))!.project;
    expect(p.staffLogin).toEqual({});
  });
});
