import { afterEach, describe, expect, it } from 'vitest';
import { cardOf, cardText, CHANNEL, executeActions, teamsHarness, TENANT, type TeamsHarness } from './teams-harness.js';

/** A second Microsoft 365 tenant (another authority) beside the fixtures' one, with a channel and a person of its own. */
const OTHER_TENANT = '7d3c1f0e-5a2b-4c69-8e11-0f2a9b6c4d21';
const OTHER_CHANNEL = '19:0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d@thread.tacv2';
const OTHER_PERSON = { id: '29:1otherTenantPersonTeamsId-abc', name: 'Olli Other', aadObjectId: '9a8b7c6d-5e4f-4321-8abc-def012345678' };

/**
 * One deployment, two tenants at once: each activity names its tenant (channelData.tenant.id), every key in
 * Redis carries it, and nothing of one tenant reaches the other, whatever the activity or button says.
 */
describe('Teams: two Microsoft 365 tenants on one deployment', () => {
  let h: TeamsHarness;
  afterEach(async () => h?.cleanup());

  /** A channel message from the other tenant, shaped as Teams sends it. */
  function fromOtherTenant(text: string) {
    const a = h.channelMessage(text, { from: OTHER_PERSON });
    a.conversation = { ...a.conversation, id: `${OTHER_CHANNEL};messageid=1759881511999`, tenantId: OTHER_TENANT };
    a.channelData = { ...a.channelData, tenant: { id: OTHER_TENANT }, channel: { id: OTHER_CHANNEL }, teamsChannelId: OTHER_CHANNEL };
    return a;
  }

  it('keeps each tenant’s projects, people and conversations apart, and refuses a button that names the other tenant’s project', async () => {
    h = await teamsHarness();
    expect((await h.post(h.channelMessage('project new Authority A'))).status).toBe(200);
    expect((await h.post(fromOtherTenant('project new Authority B'))).status).toBe(200);
    const [a] = await h.store.projectIds(TENANT);
    const [b] = await h.store.projectIds(OTHER_TENANT);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect((await h.store.load(TENANT, a!))?.project.name).toBe('Authority A');
    expect((await h.store.load(OTHER_TENANT, b!))?.project.name).toBe('Authority B');
    // Neither tenant can read the other's project, even by its id.
    expect(await h.store.load(TENANT, b!)).toBeUndefined();
    expect(await h.store.load(OTHER_TENANT, a!)).toBeUndefined();

    // The other tenant's status shows its own project only.
    const status = fromOtherTenant('status');
    await h.post(status);
    const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === status.id);
    const text = cardText(cardOf(reply.body));
    expect(text).toContain('Authority B');
    expect(text).not.toContain('Authority A');

    // A share button of tenant A's status, pressed in tenant B with A's project id in its data: refused, nothing posted.
    const mine = h.channelMessage('status');
    await h.post(mine);
    const mineReply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === mine.id);
    const share = executeActions(cardOf(mineReply.body)).find((x) => x.verb === 'status.share');
    expect(share).toBeDefined();
    const before = h.connector.calls.length;
    const forged = h.invoke(share!, { replyToId: mineReply.createdId!, from: OTHER_PERSON });
    forged.conversation = { ...forged.conversation, id: `${OTHER_CHANNEL};messageid=1759881511999`, tenantId: OTHER_TENANT };
    forged.channelData = { ...forged.channelData, tenant: { id: OTHER_TENANT } };
    const res = await h.post(forged);
    expect(res.status).toBe(200);
    await h.teams.idle();
    expect(cardText(res.body.value)).not.toContain('Authority A');
    expect(h.connector.calls.slice(before).filter((c) => c.kind === 'send' || c.kind === 'update')).toEqual([]);

    // Each tenant's conversation is remembered under its own tenant only.
    const channelRef = await h.redis.keys(`${h.prefix}:*teams:conv:*`);
    expect(channelRef.some((k) => k.includes(OTHER_TENANT))).toBe(true);
    expect(channelRef.some((k) => k.includes(TENANT))).toBe(true);
    expect(CHANNEL).not.toBe(OTHER_CHANNEL);
  });
});
