import { afterEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../../src/ports/errors.js';
import { textOf } from '../support/bot-harness.js';
import { jobsHarness, type JobsHarness } from '../jobs/support/jobs-harness.js';
import { RecordingChatPort, text } from '../jobs/support/recording-chat.js';

/** The whole decision phase through the console: evidence, a refused go, an override, go, and the broadcasts. */
describe('decision and announcements end to end (console, real Redis, delivery workers)', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  it('records a refused go, an override and a go once each, and tells every group once in each of its languages', async () => {
    // The customers' Swedish go announcement fails once for good; `comms retry` must resend only it.
    const failOnce = new Map<string, Error>();
    const chat = new RecordingChatPort('console', { failOnce });
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z'), chat });
    const say = async (who: string, line: string) => textOf(await h.say(who, line));
    await h.say('coord', 'project new Demo City permits');
    for (const p of ['coord', 'dora', 'anna', 'ben']) await h.say(p, 'lang en');
    const id = await h.projectId();
    await say('coord', 'golive 2027-03-02');
    await say('coord', 'role dora decider');
    await say('coord', 'done golive-plan');
    await say('coord', 'done process.review');

    // Sign-offs: functional rejected with a reason, asked again and approved with remarks.
    await say('coord', 'signoff technical anna confirm');
    await say('anna', 'approve technical');
    await say('coord', 'signoff functional anna');
    expect(await say('anna', 'reject functional')).toContain('The reason is missing');
    await h.click('anna', 'signoff.reject', `${id}|s2`, { reason: 'Virtu login fails' });
    await say('coord', 'signoff functional anna');
    await h.click('anna', 'signoff.remarks', `${id}|s3`, { text: 'Attachments slow' });
    await say('coord', 'signoff acceptance ben confirm');
    await say('ben', 'approve acceptance');
    await say('ben', 'acceptance complete All e-services connected');
    await say('ben', 'acceptance effect None for customers');

    // Communications plan: customers in Finnish and Swedish (own Swedish go text), staff in Finnish only, others without a channel.
    await say('coord', 'comms channel customers C-cust');
    await say('coord', 'comms channel staff console:C-staff');
    expect(await say('coord', 'comms langs staff fi')).toContain('staff is told in: Finnish.');
    expect(await say('coord', 'comms text customers go sv {project} tas i bruk {date}. Välkommen!')).toContain('saved');
    expect(await say('coord', 'comms text nobody go fi x')).toContain('There is no target group “nobody”');
    const preview = await say('coord', 'comms preview go');
    expect(preview).toContain('Demo City permits: käyttöönotosta on päätetty. Palvelu otetaan käyttöön 2.3.2027.');
    expect(preview).toContain('Demo City permits tas i bruk 2.3.2027. Välkommen!');
    expect(preview).toContain('console:C-staff (Finnish, default text)');

    // Readiness lists what is missing, with the decision buttons and their forms.
    const ready = await h.say('dora', 'readiness');
    const readyText = textOf(ready);
    expect(readyText).toContain('Communications plan (every target group has a channel)');
    expect(readyText).toContain('no channel: other stakeholders');
    expect(readyText).toContain('Impact on customers');
    const buttons = ready.cards[0]?.buttons ?? [];
    expect(buttons.map((b) => b.action)).toEqual(['decision.go', 'decision.nogo', 'decision.postpone']);
    expect(buttons[0]?.form?.inputs.map((i) => i.id)).toEqual(['date', 'override']);

    // A go without the material is refused; nobody is told.
    expect(textOf(await h.click('dora', 'decision.go', `${id}|decide`, {}))).toContain('A go decision needs the readiness material');
    expect(textOf(await h.click('anna', 'decision.go', `${id}|decide`, { override: 'x' }))).toContain('Only the decision maker');

    // Go with a justified override, double-clicked: recorded once, announced once.
    const override = { override: 'The board accepts the open items' };
    const first = textOf(
      await h.bot.handle({
        actor: { tenant: 'T1', userId: 'dora', platform: 'console' },
        channel: { platform: 'console', id: 'C1' },
        idemKey: 'click-1',
        input: { kind: 'action', action: 'decision.go', value: `${id}|decide`, fields: override },
      }),
    );
    expect(first).toContain('Decision recorded: go, 2 Mar 2027.');
    expect(first).toContain('Recorded with a justified override of');
    expect(first).toContain('The announcement is being sent: 3 messages');
    const again = textOf(
      await h.bot.handle({
        actor: { tenant: 'T1', userId: 'dora', platform: 'console' },
        channel: { platform: 'console', id: 'C1' },
        idemKey: 'click-1',
        input: { kind: 'action', action: 'decision.go', value: `${id}|decide`, fields: override },
      }),
    );
    expect(again).toContain('already recorded');
    expect(textOf(await h.click('dora', 'decision.go', `${id}|decide`, override))).toContain('already recorded'); // a second click, a new event
    await h.idle();
    let p = (await h.store.load('T1', id))!.project;
    expect(p.decisions).toHaveLength(1);
    const d1id = p.decisions[0]!.id;
    expect(p.decisions[0]?.override).toBe('The board accepts the open items');
    expect(p.decisions[0]?.overridden).toEqual(expect.arrayContaining(['risks', 'impact-organisation', 'impact-customers', 'comms']));
    const d1 = chat.posts
      .filter((x) => x.key?.startsWith(`ann|${d1id}|`))
      .map((x) => x.key)
      .sort();
    expect(d1).toEqual([
      `ann|${d1id}|customers|console:C-cust|fi`,
      `ann|${d1id}|customers|console:C-cust|sv`,
      `ann|${d1id}|staff|console:C-staff|fi`,
    ]);

    // The material is completed and go is decided again, without override: every group, once, in its languages.
    await say('dora', 'risk add critical Service outage fallback Paper forms at the service desk');
    await say('dora', 'impact organisation Officials work in the new service from go-live');
    await say('dora', 'impact customers Customers apply online');
    await say('coord', 'comms channel others C-others');
    expect(await say('dora', 'readiness')).toContain('All the material for the decision is there.');
    h.clock.current = new Date('2026-11-23T08:05:00Z');
    const d2id = `d${(await h.store.load('T1', id))!.project.seq + 1}`;
    failOnce.set(`ann|${d2id}|customers|console:C-cust|sv`, new PermanentDeliveryError('channel_not_found'));
    expect(await say('dora', 'decide go')).toContain('The announcement is being sent: 5 messages');
    await h.idle();
    const d2 = chat.posts.filter((x) => x.key?.startsWith(`ann|${d2id}|`));
    expect(d2.map((x) => `${x.target.conversation} ${x.key?.split('|').at(-1)}`).sort()).toEqual([
      'C-cust fi',
      'C-others fi',
      'C-others sv',
      'C-staff fi',
    ]);
    expect(text(d2.find((x) => x.target.conversation === 'C-staff')!.card)).toContain(
      'Demo City permits: käyttöönotosta on päätetty. Palvelu otetaan käyttöön 2.3.2027.',
    );
    expect(text(d2.find((x) => x.key?.endsWith('C-others|sv'))!.card)).toContain('Tjänsten tas i bruk 2.3.2027.');

    // `comms status` shows the failure; `comms retry` resends only it.
    const status = await say('coord', 'comms status');
    expect(status).toContain('4 of 5 sent, 1 failed.');
    expect(status).toContain('The channel no longer exists or the bot cannot see it.');
    expect(await say('coord', 'comms retry')).toContain('1 failed messages are sent again.');
    await h.idle();
    expect(await say('coord', 'comms status')).toContain('5 of 5 sent, 0 failed.');
    expect(text(chat.posts.find((x) => x.key === `ann|${d2id}|customers|console:C-cust|sv`)!.card)).toContain(
      'Demo City permits tas i bruk 2.3.2027. Välkommen!',
    );
    expect([...chat.perKey()].filter(([k, n]) => k.startsWith('ann|') && n !== 1)).toEqual([]);

    // Postpone through the form: the go-live date moves and the postponement's announcement goes out, as `comms preview postpone` shows it.
    const postponed = textOf(await h.click('dora', 'decision.postpone', `${id}|decide`, { date: '4.5.2027' }));
    expect(postponed).toContain('Decision recorded: postponed, 4 May 2027.');
    await h.idle();
    p = (await h.store.load('T1', id))!.project;
    expect(p.goLive).toBe('2027-05-04');
    expect(p.decisions.map((d) => d.outcome)).toEqual(['go', 'go', 'postpone']);
    expect(p.decisions[0]?.override).toBe('The board accepts the open items'); // earlier decisions stay as recorded
    const moved = chat.posts.filter((x) => x.key?.startsWith(`ann|${p.decisions[2]!.id}|`) && x.target.conversation === 'C-staff');
    expect(moved.map((x) => text(x.card))).toEqual([
      expect.stringContaining('käyttöönottoa on siirretty. Uusi käyttöönottopäivä on 4.5.2027.'),
    ]);

    // The decide card shows the decision in force; a bad date in the form is quoted back.
    expect(await say('dora', 'decide')).toContain('In force: postponed');
    expect(textOf(await h.click('dora', 'decision.nogo', `${id}|decide`, { reasons: 'x', nextReview: '31.2.2027' }))).toContain(
      '“31.2.2027” is not a date I can read',
    );
  });

  it('sends nothing and records the decision when no group has a channel, and speaks Finnish and Swedish', async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    await h.say('coord', 'project new Demo');
    await h.say('coord', 'role coord decider');
    await h.say('coord', 'lang fi');
    expect(textOf(await h.say('coord', 'decide postpone 2027-05-04'))).toContain('Yhdelläkään kohderyhmällä ei ole vielä kanavaa');
    await h.say('coord', 'lang sv');
    expect(textOf(await h.say('coord', 'comms'))).toContain('kunder');
    expect(textOf(await h.say('coord', 'comms status'))).toMatch(/Meddelande om beslut d\d+/);
  });
});
