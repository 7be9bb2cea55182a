import { afterEach, describe, expect, it } from 'vitest';
import { decodeButtonValue } from '../../adapters/slack/forms.js';
import type { ApiCall, StoredMessage } from './fake-slack-api.js';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

const CUSTOMERS = 'C0CUST001';

/** The private answer (response_url) whose blocks hold a button for `action`, as an ephemeral message one can click. */
function privateCardWith(h: Harness, action: string): StoredMessage {
  const call = h.fake.answered('response_url').findLast((c) => JSON.stringify(c.body.blocks ?? []).includes(`\\"a\\":\\"${action}\\"`));
  if (!call) throw new Error(`no private answer with a ${action} button`);
  return { channel: CHANNEL, ts: '1763892000.000100', text: String(call.body.text ?? ''), blocks: call.body.blocks as unknown[] };
}

const announcementsTo = (h: Harness, channel: string): ApiCall[] =>
  h.fake.answered('chat.postMessage').filter((c) => c.body.channel === channel);
const keyOf = (c: ApiCall): string => String((c.body.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key);

describe('the decision through Slack (Bolt over HTTP, real Redis, delivery workers)', () => {
  let h: Harness;
  afterEach(async () => h?.cleanup());

  it("a Go from the decision form announces to the group's Slack channel once per language, even when double-clicked", async () => {
    h = await slackHarness({ jobs: true });
    await h.run('coord', 'project new Demo City permits');
    await h.run('coord', 'golive 2027-03-02');
    await h.run('coord', `role <@${PEOPLE.coord.id}|kaisa> decider`);

    // A sign-off, approved by its approver with the button.
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna>`);
    const request = h.lastPosted();
    await h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'));
    await h.fake.waitForMethod('chat.update');
    await h.adapter.idle();

    // The customers are told in Finnish and Swedish in their own Slack channel; the other groups have no channel.
    await h.run('coord', `comms channel customers <#${CUSTOMERS}|asiakkaat>`);
    await h.run('coord', 'comms langs customers fi sv');

    // The decision card comes privately, with Go / No-go / Postpone; Go opens its form.
    await h.run('coord', 'decide');
    const card = privateCardWith(h, 'decision.go');
    const go = (card.blocks as Array<{ type: string; elements?: Array<{ value: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .map((e) => decodeButtonValue(e.value))
      .find((p) => p?.a === 'decision.go');
    expect(go?.f?.inputs.map((i) => i.id)).toEqual(['date', 'override']);

    // Double click: two modals open; both are submitted with the same justification.
    await h.slack.interaction(h.clickPayload('coord', card, 'decision.go', { ephemeral: true }));
    await h.slack.interaction(h.clickPayload('coord', card, 'decision.go', { ephemeral: true }));
    const opened = await h.fake.waitForMethod('views.open', 2);
    await h.adapter.idle();
    const justification = 'The board accepts the open items';
    const before = h.fake.calls.length;
    for (const view of opened) {
      const sent = await h.slack.interaction(h.submitPayload('coord', view, { date: '', override: justification }));
      expect(sent.status).toBe(200);
      await h.adapter.idle();
    }

    // The decision is posted to the channel once, in the project's language, and the private decide card goes away;
    // the second submission is told privately, in the decider's English, that it already was recorded.
    const after = h.fake.calls.slice(before).filter((c) => c.status === 200);
    const toChannel = after.filter((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL).map((c) => textsOf(c.body.blocks));
    expect(toChannel.filter((t) => t.includes('Päätös kirjattu: myönteinen, 2.3.2027.'))).toHaveLength(1);
    expect(after.filter((c) => c.method === 'response_url' && c.body.delete_original === true)).toHaveLength(1);
    const privately = after
      .filter((c) => (c.method === 'response_url' && c.body.response_type === 'ephemeral') || c.method === 'chat.postEphemeral')
      .map((c) => textsOf(c.body.blocks));
    expect(privately.filter((t) => t.includes('already recorded'))).toHaveLength(1);

    // The announcement reaches the fake Slack API: one chat.postMessage per language, to the customers' channel.
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200 && c.body.channel === CUSTOMERS, 2);
    await h.quiet();
    const posts = announcementsTo(h, CUSTOMERS);
    expect(posts.map((c) => keyOf(c).split('|').at(-1)).sort()).toEqual(['fi', 'sv']);
    expect(new Set(posts.map(keyOf)).size).toBe(2);
    const textIn = (lang: string) => textsOf(posts.find((c) => keyOf(c).endsWith(`|${lang}`))!.body.blocks);
    expect(textIn('fi')).toContain('Demo City permits: käyttöönotosta on päätetty. Palvelu otetaan käyttöön 2.3.2027.');
    expect(textIn('sv')).toContain('Tjänsten tas i bruk 2.3.2027.');
    expect(h.fake.history(CUSTOMERS)).toHaveLength(2);

    // One decision, with its justification, and one audit event for it.
    const loaded = (await h.store.load(TEAM, await h.projectId()))!.project;
    expect(loaded.decisions).toHaveLength(1);
    expect(loaded.decisions[0]).toMatchObject({ outcome: 'go', override: justification, by: PEOPLE.coord.id });
    const decided = (await h.store.auditTrail(TEAM, await h.projectId())).filter((e) => e.action.startsWith('decision.'));
    expect(decided).toHaveLength(1);
    expect(h.log.errors).toEqual([]);
  });
});
