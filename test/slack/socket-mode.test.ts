import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { APP_TOKEN, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

describe('Slack Socket Mode (an app-level token instead of a public URL)', () => {
  let h: Awaited<ReturnType<typeof slackHarness>>;
  beforeEach(async () => {
    h = await slackHarness({ socketMode: true });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('connects with the app token and listens on no HTTP port', async () => {
    await h.socket!.connected;
    const open = h.fake.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.auth).toBe(`Bearer ${APP_TOKEN}`);
    expect(h.senders).toEqual([]);
  });

  it('acknowledges a slash command envelope, then answers through the response_url', async () => {
    const ack = await h.socket!.push('slash_commands', h.slashFields('coord', 'project new Socket project'));
    expect(typeof ack.envelope_id).toBe('string');
    await h.adapter.idle();
    expect(await h.store.projectIds(TEAM)).toHaveLength(1);
    await h.socket!.push('slash_commands', h.slashFields('coord', 'status'));
    const [reply] = await h.fake.waitForMethod('response_url');
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(textsOf(reply?.body.blocks)).toContain('Status: Socket project');
  });

  it("returns a modal's inline error in the envelope ack, in the reader's language", async () => {
    await h.socket!.push('slash_commands', h.slashFields('coord', 'project new Demo'));
    await h.adapter.idle();
    await h.socket!.push('slash_commands', h.slashFields('coord', `signoff functional <@${PEOPLE.anna.id}>`));
    await h.adapter.idle();
    await h.socket!.push('interactive', h.clickPayload('anna', h.lastPosted(), 'signoff.reject'));
    const [opened] = await h.fake.waitForMethod('views.open');
    const ack = await h.socket!.push('interactive', h.submitPayload('anna', opened!, { reason: '' }));
    const label =
      (opened?.body.view as { blocks: Array<{ type: string; label?: { text: string } }> }).blocks.find((b) => b.type === 'input')?.label
        ?.text ?? '';
    expect(ack.payload).toEqual({ response_action: 'errors', errors: { 'lv.in.reason': catalog('fi').common.required({ field: label }) } });
  });
});
