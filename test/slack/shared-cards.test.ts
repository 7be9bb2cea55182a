/**
 * Issue 13 on Slack, through Bolt's HTTP receiver against the fake Web API: a shared card stays one message, in the
 * project's language; private answers page inside one message; big texts survive the Write the texts modal; a wrong
 * date is answered inside the modal; routine confirmations do not flood the channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMeta } from '../../adapters/slack/forms.js';
import { catalog } from '../../messages/i18n.js';
import type { ApiCall, StoredMessage } from './fake-slack-api.js';
import { messageViolations, modalViolations } from './block-kit-checker.js';
import { CHANNEL, dmOf, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

/** Realistic prose of exactly `n` characters. */
const prose = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => 'Virtu-kirjautuminen epäonnistuu, kun valtuutus puuttuu. '[(i + seed) % 55])
    .join('')
    .replace(/^\s|\s$/g, 'x');

/** A private answer (response_url) as a message one can press, the latest that has a control for `action`. */
function privateMessage(h: Harness, action: string): StoredMessage {
  const call = h.fake.answered('response_url').findLast((c) => JSON.stringify(c.body.blocks ?? []).includes(`\\"a\\":\\"${action}\\"`));
  if (!call) throw new Error(`no private answer with ${action}`);
  return { channel: CHANNEL, ts: '1763892000.000100', text: String(call.body.text ?? ''), blocks: call.body.blocks as unknown[] };
}

const view = (c: ApiCall | undefined) =>
  c?.body.view as { title: { text: string }; blocks: Array<Record<string, unknown>>; private_metadata?: string };

describe('Slack: shared cards and private answers (issue 13)', () => {
  let h: Harness;
  afterEach(async () => h?.cleanup());

  it('keeps a sign-off request one message through nine long remarks, shortened, with the full texts in a modal', async () => {
    h = await slackHarness();
    const approvers = Array.from({ length: 9 }, (_, i) => ({ id: `UAPPR00${i + 1}`, name: `approver${i + 1}`, locale: 'fi-FI' }));
    for (const a of approvers) h.fake.addUser(a);
    await h.run('coord', 'project new Demo');
    await h.run('coord', `signoff functional ${approvers.map((a) => `<@${a.id}|${a.name}>`).join(' ')} <@${PEOPLE.anna.id}|anna>`);
    const request = h.lastPosted();
    const remarks = approvers.map((_, i) => prose(1500, i));
    for (const [i, a] of approvers.entries()) {
      await h.slack.command({ ...h.slashFields('coord', `remarks functional ${remarks[i]}`), user_id: a.id, user_name: a.name });
      await h.adapter.idle();
    }
    // Still the two messages of the channel: the project's creation and the request, updated in place every time.
    expect(h.fake.history(CHANNEL).map((m) => m.ts)).toEqual([h.fake.history(CHANNEL)[0]!.ts, request.ts]);
    const updates = h.fake.answered('chat.update');
    expect(updates).toHaveLength(9);
    expect(updates.every((u) => u.body.ts === request.ts)).toBe(true);
    const now = h.fake.messages.get(`${CHANNEL}:${request.ts}`)!;
    expect(messageViolations({ blocks: now.blocks, text: now.text })).toEqual([]);
    const fi = catalog('fi');
    expect(textsOf(now.blocks)).toContain(fi.chat.cutToFit);
    expect(textsOf(now.blocks)).not.toContain(remarks[0]);
    expect(textsOf(now.blocks)).toContain(remarks[0]!.slice(0, 200));
    // Anna still has to answer: she is the one mention; the approvers who answered are shown by name.
    expect(textsOf(now.blocks)).toContain(`<@${PEOPLE.anna.id}>`);
    expect(textsOf(now.blocks)).toContain('@approver1');
    expect(textsOf(now.blocks)).not.toContain(`<@${approvers[0]!.id}>`);

    // Show in full (behind the overflow menu beside Approve and Reject) opens every remark whole, in Sven's Swedish.
    await h.run('sven', 'lang sv');
    await h.slack.interaction(h.clickPayload('sven', now, 'signoff.view', { modal: true }));
    const [opened] = await h.fake.waitForMethod('views.open');
    const modal = view(opened);
    expect(modalViolations(modal as unknown as Record<string, unknown>)).toEqual([]);
    const shown = textsOf(modal.blocks);
    for (const r of remarks) expect(shown).toContain(r);
    expect(shown).toContain(catalog('sv').signoff.title({ kind: catalog('sv').signoffKind.functional }));
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    await h.adapter.idle();
    expect(h.fake.history(CHANNEL)).toHaveLength(2);
    expect(h.log.errors).toEqual([]);
  });

  it("writes a card everyone sees in the project's language, never the presser's; a modal in the presser's", async () => {
    h = await slackHarness();
    const en = catalog('en');
    const fi = catalog('fi');
    const sv = catalog('sv');
    await h.run('coord', 'project new Demo');
    // The coordinator reads English; the channel is told in Finnish, the project's first language.
    expect(textsOf(h.lastPosted().blocks)).toContain(fi.project.created({ name: 'Demo' }));
    await h.run('coord', 'project languages sv fi');
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna> <@${PEOPLE.sven.id}|sven>`);
    const request = h.lastPosted();
    expect(textsOf(request.blocks)).toContain(sv.signoff.title({ kind: sv.signoffKind.functional }));

    // Anna (Finnish) approves: the channel's card stays Swedish.
    await h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'));
    const [update] = await h.fake.waitForMethod('chat.update');
    expect(textsOf(update?.body.blocks)).toContain(sv.signoff.response.approve);
    expect(textsOf(update?.body.blocks)).not.toContain(fi.signoff.response.approve);
    await h.adapter.idle();

    // Approve with remarks (in the overflow menu) opens its form in the presser's language: Kaisa's English.
    const updated = h.fake.messages.get(`${CHANNEL}:${request.ts}`)!;
    await h.slack.interaction(h.clickPayload('coord', updated, 'signoff.remarks'));
    const [opened] = await h.fake.waitForMethod('views.open');
    const modal = view(opened);
    expect(JSON.stringify(modal.blocks)).toContain(en.signoff.remarksLabel);
    expect(decodeMeta(modal.private_metadata)).toMatchObject({ a: 'signoff.remarks', l: 'en' });
    expect(h.log.errors).toEqual([]);
  });

  it('answers a long private list in one message whose Previous and Next replace it (response_url replace_original)', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo');
    for (let i = 0; i < 20; i++) await h.run('coord', `item add testing Lisätesti ${i + 1} ${prose(120, i)}`);
    const before = h.fake.calls.length;
    await h.run('coord', 'tasks');
    const answers = h.fake.calls.slice(before).filter((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const en = catalog('en');
    const first = textsOf(answers[0]?.body.blocks);
    expect(first).toContain(en.common.page({ page: '1', pages: '2' }));

    const page1 = privateMessage(h, 'view.page');
    const pressedAt = h.fake.calls.length;
    await h.slack.interaction(h.clickPayload('coord', page1, 'view.page', { ephemeral: true }));
    await h.adapter.idle();
    const replaced = h.fake.calls.slice(pressedAt).filter((c) => c.status === 200 && c.method !== 'users.info');
    expect(replaced.map((c) => c.method)).toEqual(['response_url']);
    expect(replaced[0]?.body.replace_original).toBe(true);
    expect(textsOf(replaced[0]?.body.blocks)).toContain(en.common.page({ page: '2', pages: '2' }));
    expect(textsOf(replaced[0]?.body.blocks)).toContain('Lisätesti 20');
    // Page 2 has a Previous button, and it brings back page 1 in the same place.
    const page2 = { ...page1, blocks: replaced[0]?.body.blocks as unknown[] };
    const labels = page2.blocks.flatMap((b) =>
      ((b as { elements?: Array<{ text?: { text: string } }> }).elements ?? []).map((e) => e.text?.text),
    );
    expect(labels).toContain(en.chat.previous);
    expect(h.fake.answered('chat.postMessage')).toHaveLength(1); // the project's creation only
  });

  it('keeps announcement texts of 2,900 characters whole through the Write the texts modal (made when pressed, not carried)', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo');
    const texts = { fi: prose(2900, 1), sv: prose(2900, 7) };
    await h.run('coord', `comms text customers go fi ${texts.fi}`);
    await h.run('coord', `comms text customers go sv ${texts.sv}`);
    await h.run('coord', 'comms preview go');
    const preview = privateMessage(h, 'comms.texts');
    // The button (an overflow option: less used) carries no text, only what to make.
    const option = JSON.stringify(preview.blocks).length;
    expect(option).toBeLessThan(texts.fi.length * 3);
    await h.slack.interaction(h.clickPayload('coord', preview, 'comms.texts', { ephemeral: true }));
    const [opened] = await h.fake.waitForMethod('views.open');
    const modal = view(opened);
    expect(modalViolations(modal as unknown as Record<string, unknown>)).toEqual([]);
    const initial = (id: string) =>
      (modal.blocks.find((b) => b.block_id === `lv.in.${id}`) as { element: { initial_value: string } }).element.initial_value;
    expect(initial('fi')).toBe(texts.fi);
    expect(initial('sv')).toBe(texts.sv);

    const changed = `${texts.fi.slice(0, 2890)} muutettu`;
    const sent = await h.slack.interaction(h.submitPayload('coord', opened!, { fi: changed, sv: texts.sv }));
    expect(sent.status).toBe(200);
    await h.adapter.idle();
    const group = (await h.store.load(TEAM, await h.projectId()))!.project.comms.find((g) => g.id === 'customers')!;
    expect(group.texts.go).toEqual({ fi: changed, sv: texts.sv });
  });

  it('answers a modal with a wrong date inside the modal (response_action errors), in the presser’s language', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo');
    await h.run('coord', `role <@${PEOPLE.anna.id}|anna> decider`);
    await h.slash('anna', 'decide');
    await h.adapter.idle();
    const card = privateMessage(h, 'decision.postpone');
    await h.slack.interaction(h.clickPayload('anna', card, 'decision.postpone', { ephemeral: true }));
    const [opened] = await h.fake.waitForMethod('views.open');
    const fi = catalog('fi');
    const before = (await h.store.auditTrail(TEAM, await h.projectId())).length;
    for (const [date, says] of [
      ['31.2.2027', fi.chat.notADate({ token: '31.2.2027' })],
      ['huomenna', fi.chat.notADate({ token: 'huomenna' })],
      ['1.1.2020', fi.refusal['decision.date-past']({ date: '1.1.2020' })],
    ] as const) {
      const answer = await h.slack.interaction(h.submitPayload('anna', opened!, { date }));
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.text) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(Object.keys(body.errors)).toEqual(['lv.in.date']);
      expect(body.errors['lv.in.date']).toContain(says);
    }
    await h.adapter.idle();
    expect(await h.store.auditTrail(TEAM, await h.projectId())).toHaveLength(before);
    expect(h.fake.answered('chat.postEphemeral')).toHaveLength(0);
    // A good date closes the modal and records the decision, for the channel to see.
    const ok = await h.slack.interaction(h.submitPayload('anna', opened!, { date: '2.3.2027' }));
    expect(ok.text).toBe('');
    await h.adapter.idle();
    expect((await h.store.load(TEAM, await h.projectId()))!.project.decisions).toHaveLength(1);
    expect(textsOf(h.fake.history(CHANNEL).flatMap((m) => m.blocks))).toContain(
      fi.decisionMsg.recorded({ outcome: fi.outcome.postpone, date: '2.3.2027' }),
    );
  });

  it('answers routine changes typed in the channel privately: setting up tasks posts nothing to the channel', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo');
    const setup = [
      `role <@${PEOPLE.anna.id}|anna> owner`,
      `assign process.review <@${PEOPLE.anna.id}|anna> 2027-02-01`,
      'due process.review 2027-02-02',
      'note process.review checked with the permit team',
      'item add testing Load test',
      'start process.instructions',
      'project connection integration',
      'comms group add partners Partner authorities',
      'risk add Virtu login fails fallback Suomi.fi login',
      'reminders time 08:30',
    ];
    for (const line of setup) await h.run('coord', line);
    const replies = h.fake.answered('response_url');
    expect(replies).toHaveLength(setup.length);
    expect(replies.every((r) => r.body.response_type === 'ephemeral')).toBe(true);
    expect(textsOf(replies[1]?.body.blocks)).toContain(`<@${PEOPLE.anna.id}>`);
    expect(h.fake.history(CHANNEL)).toHaveLength(1); // the project's creation
    // The go-live date and sign-off requests are for everyone.
    await h.run('coord', 'golive 2.3.2027');
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna>`);
    expect(h.fake.history(CHANNEL)).toHaveLength(3);
    // In a direct message with the bot, no channel to flood: the answer is an ordinary message there.
    expect(h.fake.history(dmOf('coord'))).toHaveLength(0);
  });
});
