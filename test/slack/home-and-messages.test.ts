/**
 * Issue 13 on Slack, through Bolt's HTTP receiver with Events API envelopes: the App Home tab, commands typed in the
 * bot's Messages tab, direct messages in each person's language with every copy of a request kept current, and the
 * channels announcements go to checked when they are named.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { CHANNEL, dmOf, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

const actionsIn = (blocks: unknown[]) => (blocks as Array<{ type: string }>).filter((b) => b.type === 'actions');

describe('Slack: App Home, Messages and direct messages (issue 13)', () => {
  let h: Harness;
  afterEach(async () => h?.cleanup());

  it('publishes a Home tab with the person’s own tasks, the sign-offs waiting for them and each project’s state, in their language', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo City permits');
    await h.run('coord', 'golive 2.3.2027');
    await h.run('coord', `assign process.review <@${PEOPLE.anna.id}|anna> 2026-11-30`);
    await h.run('coord', `assign comms.plan <@${PEOPLE.anna.id}|anna> 2027-01-15`);
    await h.run('coord', `assign support.adoption <@${PEOPLE.sven.id}|sven>`);
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna>`);

    const sent = await h.slack.event(h.homeOpenedPayload('anna'));
    expect(sent.status).toBe(200);
    await h.adapter.idle();
    const home = h.fake.homes.get(PEOPLE.anna.id);
    expect(home?.type).toBe('home');
    expect(home!.blocks.length).toBeLessThanOrEqual(100);
    const text = textsOf(home!.blocks);
    const fi = catalog('fi');
    expect(text).toContain('Demo City permits');
    expect(text).toContain(fi.chat.homeTasks);
    expect(text).toContain('process.review');
    expect(text).toContain('comms.plan');
    expect(text).not.toContain('support.adoption'); // Sven's
    expect(text).toContain(fi.chat.homeSignoffs);
    expect(text).toContain(`s1: ${fi.signoffKind.functional}`);
    expect(text).toContain(`<#${CHANNEL}>`);
    expect(actionsIn(home!.blocks)).toHaveLength(0);

    // Someone in no project is told how to start, in their language (Mallory's Slack is English).
    await h.slack.event(h.homeOpenedPayload('mallory'));
    await h.adapter.idle();
    expect(textsOf(h.fake.homes.get(PEOPLE.mallory.id)!.blocks)).toContain(catalog('en').chat.homeNone.split('.')[0]!);
    expect(h.log.errors).toEqual([]);
  });

  it('takes commands typed in the Messages tab, on the one project the person is in, and answers there', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo');
    await h.run('coord', `assign process.review <@${PEOPLE.anna.id}|anna> 2027-02-01`);
    const posts = () => h.fake.history(dmOf('anna'));

    await h.slack.event(h.dmPayload('anna', 'tasks mine'));
    await h.adapter.idle();
    expect(posts()).toHaveLength(1);
    const fi = catalog('fi');
    expect(textsOf(posts()[0]!.blocks)).toContain(fi.tasksCard.mine);
    expect(textsOf(posts()[0]!.blocks)).toContain('process.review');
    // Her change acts on that project, as if typed in its channel (with her rights there).
    await h.slack.event(h.dmPayload('anna', 'done review'));
    await h.adapter.idle();
    expect((await h.store.load(TEAM, await h.projectId()))!.project.tasks.find((t) => t.id === 'process.review')?.status).toBe('done');
    expect(h.fake.answered('chat.postEphemeral')).toHaveLength(0);

    // Its own messages, edits and other bots are not commands; a redelivered event is answered once.
    const count = posts().length;
    await h.slack.event(h.dmPayload('anna', 'help', { event: { bot_id: 'BOTHER', subtype: 'bot_message' } }));
    await h.slack.event(h.dmPayload('anna', 'help', { event: { subtype: 'message_changed' } }));
    await h.slack.event(h.dmPayload('anna', 'help', { event: { user: h.fake.team.botUserId } }));
    const again = h.dmPayload('anna', 'help');
    await h.slack.event(again);
    await h.slack.event(again, { retry: 1 });
    await h.adapter.idle();
    expect(posts()).toHaveLength(count + 1);

    // Someone in two projects is asked to use the project's channel.
    await h.slack.command(h.slashFields('coord', 'project new Other', 'C0OTHER01'));
    await h.adapter.idle();
    await h.slack.event(h.dmPayload('coord', 'status'));
    await h.adapter.idle();
    expect(textsOf(h.fake.history(dmOf('coord')).at(-1)!.blocks)).toContain(
      catalog('en').chat.severalProjects({ projects: 'Demo and Other' }),
    );
  });

  it('asks each approver in their own language and keeps every copy of the request current when one answers', async () => {
    h = await slackHarness({ jobs: true });
    await h.run('coord', 'project new Demo');
    await h.run('sven', 'lang en'); // his choice beats his Swedish Slack
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}|anna> <@${PEOPLE.sven.id}|sven>`);
    const request = h.lastPosted();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200 && /^U|^D/.test(String(c.body.channel)), 2);
    await h.quiet();
    const fi = catalog('fi');
    const en = catalog('en');
    const dm = (who: 'anna' | 'sven') => h.fake.history(dmOf(who))[0]!;
    expect(textsOf(dm('anna').blocks)).toContain(fi.signoff.title({ kind: fi.signoffKind.functional }));
    expect(textsOf(dm('sven').blocks)).toContain(en.signoff.title({ kind: en.signoffKind.functional }));

    // Anna approves in the channel: her DM copy loses its buttons, Sven's keeps his and shows her answer.
    await h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'));
    await h.adapter.idle();
    const channelCopy = h.fake.messages.get(`${CHANNEL}:${request.ts}`)!;
    expect(textsOf(channelCopy.blocks)).toContain(fi.signoff.response.approve);
    expect(actionsIn(dm('anna').blocks)).toHaveLength(0);
    expect(textsOf(dm('anna').blocks)).toContain(fi.signoff.response.approve);
    expect(actionsIn(dm('sven').blocks).length).toBeGreaterThan(0);
    expect(textsOf(dm('sven').blocks)).toContain(en.signoff.response.approve);

    // Sven rejects in his DM (the form opens there); the channel's copy shows it, and nobody has buttons left.
    await h.slack.interaction(h.clickPayload('sven', dm('sven'), 'signoff.reject'));
    const [opened] = await h.fake.waitForMethod('views.open');
    await h.slack.interaction(h.submitPayload('sven', opened!, { reason: 'Virtu login fails' }));
    await h.adapter.idle();
    for (const blocks of [h.fake.messages.get(`${CHANNEL}:${request.ts}`)!.blocks, dm('anna').blocks, dm('sven').blocks]) {
      expect(textsOf(blocks)).toContain('Virtu login fails');
      expect(actionsIn(blocks)).toHaveLength(0);
    }
    expect(h.fake.history(CHANNEL)).toHaveLength(2);
    expect(h.log.errors).toEqual([]);
  });

  it('checks, when a channel is named for announcements, that lv-bot can post there, and says how to invite it', async () => {
    h = await slackHarness();
    h.fake.addChannel('C0PRIV001', { isPrivate: true, isMember: false });
    h.fake.addChannel('C0PUBL001', { isPrivate: false, isMember: false });
    await h.run('coord', 'project new Demo');
    const en = catalog('en');
    const last = () => textsOf(h.fake.answered('response_url').at(-1)?.body.blocks);
    await h.run('coord', 'comms channel customers <#C0PRIV001|asiakkaat>');
    expect(last()).toContain(en.chat.notInChannel({ channel: '<#C0PRIV001>' }));
    expect(last()).toContain('/invite @lv-bot');
    // A public channel it is not in can be posted to all the same (chat:write.public); nothing to do.
    await h.run('coord', 'comms channel staff <#C0PUBL001|henkilosto>');
    expect(last()).not.toContain('/invite');
    await h.run('coord', `comms channel others <#${CHANNEL}|kayttoonotto>`);
    expect(last()).not.toContain('/invite');
    expect(h.fake.answered('conversations.info').map((c) => c.body.channel)).toEqual(['C0PRIV001', 'C0PUBL001', CHANNEL]);
  });

  it('reports a broadcast as delivered only for what was: the decision says it is on its way, the report counts the ledger', async () => {
    h = await slackHarness({ jobs: true });
    h.fake.addChannel('C0PRIV001', { isPrivate: true, isMember: false });
    h.fake.addChannel('C0PUBL001', { isPrivate: false, isMember: false });
    await h.run('coord', 'project new Demo');
    await h.run('coord', 'golive 2.3.2027');
    await h.run('coord', `role <@${PEOPLE.coord.id}|kaisa> decider`);
    await h.run('coord', 'comms channel customers <#C0PRIV001|asiakkaat>');
    await h.run('coord', 'comms channel staff <#C0PUBL001|henkilosto>');
    await h.run('coord', 'decide go override The board accepts the open items');
    const fi = catalog('fi');
    const decided = textsOf(h.fake.history(CHANNEL).flatMap((m) => m.blocks));
    expect(decided).toContain(fi.comms.announced({ count: '4' }));
    expect(decided).toContain(fi.chat.reportFollows);
    await h.quiet();
    await h.adapter.idle();
    // The public channel got its two languages (chat:write.public); the private one, which lv-bot is not in, none.
    expect(h.fake.history('C0PUBL001')).toHaveLength(2);
    expect(h.fake.history('C0PRIV001')).toHaveLength(0);
    const report = h.fake.history(CHANNEL).at(-1)!;
    const said = textsOf(report.blocks);
    expect(said).toContain(fi.chat.reportSome({ sent: '2', total: '4', failed: '2' }));
    expect(said).toContain('<#C0PRIV001>');
    expect(said).toContain(fi.comms.failure.gone);
    expect(report.text).toContain(fi.chat.reportSome({ sent: '2', total: '4', failed: '2' }));
    // Once: however many workers saw the batch end.
    expect(h.fake.history(CHANNEL).filter((m) => textsOf(m.blocks).includes(fi.chat.reportNext))).toHaveLength(1);
  });
});
