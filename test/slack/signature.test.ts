import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackHarness, TEAM } from './harness.js';
import { fixture, sign, SlackSender } from './slack-requests.js';

describe('Slack request signatures', () => {
  it('are computed as Slack documents (the official example reproduces)', () => {
    const doc = fixture<{ secret: string; timestamp: string; body: string; signature: string }>('slack-signing.json');
    expect(sign(doc.secret, doc.timestamp, doc.body)).toBe(doc.signature);
    const signed = fixture<{ raw_body: string; fields: Record<string, string> }>('slack-slash-command-signed.json');
    expect(signed.raw_body).toBe(doc.body);
    // URLSearchParams encodes a slash command the way Slack's own example does.
    expect(new URLSearchParams(signed.fields).toString()).toBe(doc.body);
  });

  describe('on the running adapter', () => {
    let h: Awaited<ReturnType<typeof slackHarness>>;
    beforeEach(async () => {
      h = await slackHarness();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const nothingHappened = async () => {
      await h.adapter.idle();
      expect(await h.store.projectIds(TEAM)).toEqual([]);
      expect(h.fake.calls.map((c) => c.method)).toEqual(['auth.test']);
    };

    it('refuses a tampered request with 401 and changes nothing', async () => {
      const sent = await h.slash('coord', 'project new Demo', { tamper: (body) => body.replace('Demo', 'Evil') });
      expect(sent.status).toBe(401);
      await nothingHappened();
    });

    it('refuses a tampered interaction payload with 401', async () => {
      const payload = { type: 'block_actions', user: { id: 'UANNA001' }, trigger_id: '1.2.3', actions: [] };
      const sent = await h.slack.interaction(payload, { tamper: (body) => body.replace('UANNA001', 'UEVE0001') });
      expect(sent.status).toBe(401);
      await nothingHappened();
    });

    it('refuses a correctly signed request that is five minutes old with 401', async () => {
      const sent = await h.slash('coord', 'project new Demo', { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 1 });
      expect(sent.status).toBe(401);
      await nothingHappened();
    });

    it('refuses a correctly signed request dated more than five minutes in the future with 401, as Slack’s SDKs do', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sent = await h.slash('coord', 'project new Demo', { timestamp: now + 5 * 60 + 30 });
      expect(sent.status).toBe(401);
      const interaction = await h.slack.interaction(
        { type: 'block_actions', user: { id: 'UANNA001' }, actions: [] },
        { timestamp: now + 3600 },
      );
      expect(interaction.status).toBe(401);
      await nothingHappened();
      // A clock a little ahead (within five minutes) is still Slack's.
      expect((await h.slash('coord', 'project new Demo', { timestamp: now + 4 * 60 })).status).toBe(200);
      await h.adapter.idle();
      expect(await h.store.projectIds(TEAM)).toHaveLength(1);
    });

    it('refuses a request signed with another secret, or not signed at all, with 401', async () => {
      expect((await h.slash('coord', 'project new Demo', { secret: 'ffffffffffffffffffffffffffffffff' })).status).toBe(401);
      const unsigned = await fetch(h.slack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(h.slashFields('coord', 'project new Demo')).toString(),
      });
      expect(unsigned.status).toBe(401);
      await nothingHappened();
    });

    it('accepts the same request when it is signed correctly and fresh', async () => {
      const sent = await h.slash('coord', 'project new Demo');
      expect(sent.status).toBe(200);
      await h.adapter.idle();
      expect(await h.store.projectIds(TEAM)).toHaveLength(1);
    });

    it("answers Slack's url_verification challenge", async () => {
      const doc = fixture<{ challenge: string }>('slack-url-verification.json');
      const sent = await h.slack.event(doc);
      expect(sent.status).toBe(200);
      expect(JSON.parse(sent.text)).toEqual({ challenge: doc.challenge });
    });
  });

  it('takes any non-empty signing secret, as Bolt does, and warns at start-up when it does not look like one', async () => {
    const odd = 'not-hex-but-what-slack-gave';
    const h = await slackHarness({ env: { SLACK_SIGNING_SECRET: odd } });
    try {
      expect(h.log.warnings).toContainEqual(
        expect.objectContaining({ msg: expect.stringContaining('does not look like a Slack signing secret') }),
      );
      const sender = new SlackSender(h.slack.url, odd);
      expect((await sender.command(h.slashFields('coord', 'project new Demo'))).status).toBe(200);
      await h.adapter.idle();
      expect(await h.store.projectIds(TEAM)).toHaveLength(1);
    } finally {
      await h.cleanup();
    }
  });
});
