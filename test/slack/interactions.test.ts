import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMeta } from '../../adapters/slack/forms.js';
import { renderBlockKit } from '../../adapters/slack/render-block-kit.js';
import { catalog, Format } from '../../messages/i18n.js';
import { reminderButtons } from '../../src/views/reminder-cards.js';
import type { StoredMessage } from './fake-slack-api.js';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

/** A project whose coordinator asked Anna to sign off functional testing; returns the posted request. */
async function signoffRequested(h: Harness): Promise<StoredMessage> {
  await h.run('coord', 'project new Demo');
  await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna>`);
  const request = h.lastPosted();
  expect(request.blocks.some((b) => (b as { type: string }).type === 'actions')).toBe(true);
  return request;
}

const actionsIn = (blocks: unknown) => (blocks as Array<{ type: string }>).filter((b) => b.type === 'actions');

async function signoffEvents(h: Harness): Promise<string[]> {
  return (await h.store.auditTrail(TEAM, await h.projectId()))
    .map((e) => e.action)
    .filter((a) => a.startsWith('signoff.') && a !== 'signoff.request');
}

describe('Slack buttons and modals over HTTP', () => {
  let h: Harness;
  afterEach(async () => {
    await h.cleanup();
  });

  describe('on one adapter', () => {
    beforeEach(async () => {
      h = await slackHarness();
    });

    it('an approve click updates the original message in place, without buttons, and records one audit event', async () => {
      const request = await signoffRequested(h);
      const before = (await h.store.auditTrail(TEAM, await h.projectId())).length;
      const sent = await h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'));
      expect(sent.status).toBe(200);
      const [update] = await h.fake.waitForMethod('chat.update');
      expect(update?.body).toMatchObject({ channel: CHANNEL, ts: request.ts });
      expect(actionsIn(update?.body.blocks)).toHaveLength(0);
      const fi = catalog('fi');
      // The project's language is Finnish; the updated card says who approved, by name (nobody is left to notify).
      expect(textsOf(update?.body.blocks)).toContain('@anna');
      expect(textsOf(update?.body.blocks)).not.toContain(`<@${PEOPLE.anna.id}>`);
      expect(textsOf(update?.body.blocks)).toContain(fi.signoffState.approved);
      await h.adapter.idle();
      const after = await h.store.auditTrail(TEAM, await h.projectId());
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toMatchObject({ action: 'signoff.approve', actor: PEOPLE.anna.id, platform: 'slack' });
      expect(h.fake.messages.get(`${CHANNEL}:${request.ts}`)?.blocks).toEqual(update?.body.blocks);
      expect(h.fake.answered('chat.postEphemeral')).toHaveLength(0);
      expect(h.log.errors).toEqual([]);
    });

    it('refuses a click by a non-approver privately and changes nothing', async () => {
      const request = await signoffRequested(h);
      const before = await h.store.auditTrail(TEAM, await h.projectId());
      const click = h.clickPayload('mallory', request, 'signoff.approve');
      await h.slack.interaction(click);
      // Answered through the click's own response_url, which shows it to the clicker alone (no Web API call).
      const [ephemeral] = await h.fake.waitForMethod('response_url');
      await h.adapter.idle();
      expect(ephemeral?.path).toBe(new URL(click.response_url).pathname);
      expect(ephemeral?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(h.fake.answered('chat.postEphemeral')).toHaveLength(0);
      expect(textsOf(ephemeral?.body.blocks)).toContain('Only the named approvers may sign off functional testing (E2E)');
      expect(h.fake.answered('chat.update')).toHaveLength(0);
      expect(await h.store.auditTrail(TEAM, await h.projectId())).toEqual(before);
      expect(h.fake.messages.get(`${CHANNEL}:${request.ts}`)?.blocks).toEqual(request.blocks);
    });

    it("reject opens a modal; submitting it without a reason returns the inline error in the reader's language", async () => {
      const request = await signoffRequested(h);
      await h.slack.interaction(h.clickPayload('anna', request, 'signoff.reject'));
      const [opened] = await h.fake.waitForMethod('views.open');
      const view = opened?.body.view as {
        callback_id: string;
        private_metadata: string;
        blocks: Array<{ type: string; block_id: string; label: { text: string } }>;
      };
      expect(opened?.body.trigger_id).toBeTruthy();
      const meta = decodeMeta(view.private_metadata);
      expect(meta).toMatchObject({ a: 'signoff.reject', v: `${await h.projectId()}|s1`, c: CHANNEL, ts: request.ts, l: 'fi' });
      const input = view.blocks.find((b) => b.type === 'input')!;

      for (const empty of [null, '   \n ']) {
        const sent = await h.slack.interaction(h.submitPayload('anna', opened!, { reason: empty }));
        expect(sent.status).toBe(200);
        const body = JSON.parse(sent.text) as { response_action: string; errors: Record<string, string> };
        expect(body.response_action).toBe('errors');
        expect(body.errors).toEqual({ [input.block_id]: catalog('fi').common.required({ field: input.label.text }) });
        expect(body.errors[input.block_id]).not.toBe(catalog('en').common.required({ field: input.label.text }));
      }
      await h.adapter.idle();
      expect(await signoffEvents(h)).toEqual([]);

      // Sven chose Swedish; an approver he is not, but his modal errors are Swedish all the same.
      await h.run('sven', 'lang sv');
      await h.slack.interaction(h.clickPayload('sven', request, 'signoff.reject'));
      const opens = await h.fake.waitForMethod('views.open', 2);
      expect(decodeMeta((opens[1]?.body.view as { private_metadata: string }).private_metadata)?.l).toBe('sv');
      const sv = await h.slack.interaction(h.submitPayload('sven', opens[1]!, { reason: '' }));
      expect(JSON.parse(sv.text)).toMatchObject({
        response_action: 'errors',
        errors: { [input.block_id]: catalog('sv').common.required({ field: input.label.text }) },
      });

      // With a reason, the request is rejected and the original message shows it, without buttons.
      const ok = await h.slack.interaction(h.submitPayload('anna', opened!, { reason: 'Virtu login fails for every official' }));
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('');
      const [update] = await h.fake.waitForMethod('chat.update');
      expect(update?.body).toMatchObject({ channel: CHANNEL, ts: request.ts });
      expect(textsOf(update?.body.blocks)).toContain('Virtu login fails for every official');
      expect(actionsIn(update?.body.blocks)).toHaveLength(0);
      await h.adapter.idle();
      expect(await signoffEvents(h)).toEqual(['signoff.reject']);
    });

    it('records 10 concurrent identical clicks once', async () => {
      const request = await signoffRequested(h);
      const sent = await Promise.all(
        Array.from({ length: 10 }, () => h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'))),
      );
      expect(sent.map((s) => s.status)).toEqual(Array(10).fill(200));
      await h.adapter.idle();
      expect(await signoffEvents(h)).toEqual(['signoff.approve']);
      const updates = h.fake.answered('chat.update');
      expect(updates.length).toBeGreaterThanOrEqual(1);
      expect(updates.every((u) => u.body.ts === request.ts && actionsIn(u.body.blocks).length === 0)).toBe(true);
      const p = (await h.store.load(TEAM, await h.projectId()))?.project;
      expect(p?.signoffs[0]?.responses).toHaveLength(1);
    });

    it('records a retried delivery (X-Slack-Retry-Num) once', async () => {
      const request = await signoffRequested(h);
      const payload = h.clickPayload('anna', request, 'signoff.approve');
      await h.slack.interaction(payload);
      await h.slack.interaction(payload, { retry: 1 });
      await h.slack.interaction(payload, { retry: 2 });
      await h.adapter.idle();
      expect(await signoffEvents(h)).toEqual(['signoff.approve']);
      expect(h.fake.answered('chat.update')).toHaveLength(1);
    });

    it('an overflow menu option acts as its button: Snooze 1 working day from a reminder’s ⋯ menu', async () => {
      await h.run('coord', 'project new Demo');
      await h.run('coord', `assign process.review <@${PEOPLE.coord.id}|kaisa> 2026-11-20`);
      const pid = await h.projectId();
      const p = (await h.store.load(TEAM, pid))!.project;
      const task = p.tasks.find((t) => t.id === 'process.review')!;
      const en = catalog('en');
      const rendered = renderBlockKit(
        { blocks: [{ type: 'text', text: 'Overdue' }], buttons: reminderButtons({ t: en, f: new Format('en') }, p, task) },
        'en',
      );
      const message: StoredMessage = { channel: CHANNEL, ts: '1700000000.000300', text: '', blocks: rendered.pages[0]! };
      h.fake.messages.set(`${CHANNEL}:${message.ts}`, message);
      const payload = h.clickPayload('coord', message, 'task.snooze');
      expect(payload.actions[0]).toMatchObject({ type: 'overflow', selected_option: { text: { text: en.reminder.snooze1 } } });
      expect((await h.slack.interaction(payload)).status).toBe(200);
      await h.adapter.idle();
      expect((await h.store.load(TEAM, pid))!.project.tasks.find((t) => t.id === 'process.review')?.snoozedUntil).toBe('2026-11-24');
      // The reminder it was pressed on is replaced by the answer, in place.
      expect(h.fake.answered('chat.update').at(-1)?.body).toMatchObject({ channel: CHANNEL, ts: message.ts });
    });

    it('task buttons work the same way: a task card button marks the task done once', async () => {
      await h.run('coord', 'project new Demo');
      // No task card carries buttons yet; a done click as the core defines it records once, however often it arrives.
      const pid = await h.projectId();
      const message: StoredMessage = {
        channel: CHANNEL,
        ts: '1700000000.000200',
        text: '',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'task.done',
                text: { type: 'plain_text', text: 'Done' },
                value: JSON.stringify({ a: 'task.done', v: `${pid}|process.review` }),
              },
            ],
          },
        ],
      };
      h.fake.messages.set(`${CHANNEL}:${message.ts}`, message);
      const payload = h.clickPayload('coord', message, 'task.done');
      await Promise.all([h.slack.interaction(payload), h.slack.interaction(payload, { retry: 1 })]);
      await h.adapter.idle();
      const trail = await h.store.auditTrail(TEAM, pid);
      expect(trail.filter((e) => e.action === 'task.status' && e.target === 'process.review')).toHaveLength(1);
      expect((await h.store.load(TEAM, pid))?.project.tasks.find((t) => t.id === 'process.review')?.status).toBe('done');
    });
  });

  it('records a delivery retried to another replica once (the store recognises the idempotency key)', async () => {
    h = await slackHarness({ instances: 2 });
    const request = await signoffRequested(h);
    const payload = h.clickPayload('anna', request, 'signoff.approve');
    const [a, b] = await Promise.all([h.senders[0]!.interaction(payload), h.senders[1]!.interaction(payload, { retry: 1 })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await Promise.all(h.adapters.map((x) => x.idle()));
    expect(await signoffEvents(h)).toEqual(['signoff.approve']);
    const audit = await h.store.auditTrail(TEAM, await h.projectId());
    expect(audit.at(-1)?.idem).toBe(`slack:${payload.trigger_id}`);
  });
});
