import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import type { StoredMessage } from './fake-slack-api.js';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

/**
 * Forged buttons over Slack's HTTP interface (Bolt's receiver, signed requests, the fake Web API): a button whose
 * value names the project channel's project, pressed in another channel of the workspace or in someone's direct
 * messages with the bot. Nothing of the project reaches that conversation, and nothing changes.
 */

type Harness = Awaited<ReturnType<typeof slackHarness>>;
const OTHER = 'C0OTHER01';
const en = catalog('en');

/** Every text Slack was asked to show in a conversation since the `since`th call: posts, ephemerals, updates, and response_url answers (which go where the press was). */
function shownIn(h: Harness, channel: string, since: number): string {
  return h.fake
    .answered()
    .slice(since)
    .filter((c) => c.body.channel === channel || c.method === 'response_url')
    .map((c) => `${String(c.body.text ?? '')}\n${textsOf(c.body.blocks)}`)
    .join('\n');
}

/** The same message, as if it were in another conversation: what a forged press there reports. */
const movedTo = (m: StoredMessage, channel: string): StoredMessage => ({ ...m, channel });

describe('Slack: a button acts only on the project of the conversation it is pressed in', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo City');
    await h.run('coord', 'golive 2027-03-01');
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("Share from another channel posts nothing there and answers the presser privately; in the project's channel it shares", async () => {
    await h.run('coord', 'status');
    const answers = [...h.fake.answered('chat.postEphemeral'), ...h.fake.answered('response_url')];
    const blocks = answers.map((c) => c.body.blocks).find((b) => JSON.stringify(b ?? '').includes('status.share'));
    expect(blocks).toBeDefined();
    const status: StoredMessage = { channel: CHANNEL, ts: `${Date.now() / 1000}`, text: '', blocks: blocks as unknown[] };
    const audit = await h.store.auditTrail(TEAM, await h.projectId());
    const calls = h.fake.answered().length;

    // Mallory, in a channel of her own, presses a Share whose value names the project channel's project.
    const forged = h.clickPayload('mallory', movedTo(status, OTHER), 'status.share', { ephemeral: true });
    const sent = await h.slack.interaction(forged);
    expect(sent.status).toBe(200);
    await h.adapter.idle();
    const after = h.fake.answered().slice(calls);
    expect(after.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    const said = after.map((c) => textsOf(c.body.blocks)).join('\n');
    expect(said).toContain(en.refusal['action.elsewhere'].slice(0, 40));
    expect(shownIn(h, OTHER, calls)).not.toContain('Demo City');
    expect(await h.store.auditTrail(TEAM, await h.projectId())).toEqual(audit);

    // The same press in the project's channel, by the same member without a role, shares the status there.
    await h.slack.interaction(h.clickPayload('mallory', status, 'status.share', { ephemeral: true }));
    await h.adapter.idle();
    const shared = h.fake.answered('chat.postMessage').filter((c) => c.body.channel === CHANNEL);
    expect(textsOf(shared.at(-1)?.body.blocks)).toContain('Demo City');
  });

  it("a sign-off request's Approve, pressed in direct messages: the approver's counts, anyone else's is refused", async () => {
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna>`);
    const request = h.lastPosted();
    const audit = await h.store.auditTrail(TEAM, await h.projectId());
    const calls = h.fake.answered().length;
    await h.slack.interaction(h.clickPayload('mallory', movedTo(request, 'D0MALLORY'), 'signoff.approve'));
    await h.slack.interaction(h.clickPayload('anna', movedTo(request, OTHER), 'signoff.approve'));
    await h.adapter.idle();
    expect(await h.store.auditTrail(TEAM, await h.projectId())).toEqual(audit);
    expect(shownIn(h, 'D0MALLORY', calls)).toContain(en.refusal['action.elsewhere'].slice(0, 40));

    await h.slack.interaction(h.clickPayload('anna', movedTo(request, 'D0ANNA001'), 'signoff.approve'));
    await h.adapter.idle();
    const trail = await h.store.auditTrail(TEAM, await h.projectId());
    expect(trail.slice(audit.length).map((e) => `${e.action} ${e.actor}`)).toEqual([`signoff.approve ${PEOPLE.anna.id}`]);
  });
});
