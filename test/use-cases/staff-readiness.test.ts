import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from '../support/bot-harness.js';
import { jobsHarness, type JobsHarness } from '../jobs/support/jobs-harness.js';
import { text } from '../jobs/support/recording-chat.js';

describe('staff readiness: officials asked privately whether they can log in', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  it('rolls three answers up into joining.staff-login, tells the coordinator of a problem and reminds the silent one on the next working day', async () => {
    h = await jobsHarness({ now: new Date('2026-11-27T08:00:00Z') }); // Friday 10:00 in Helsinki
    await h.say('coord', 'project new Demo');
    for (const p of ['coord', 'o1', 'o2', 'o3']) await h.say(p, 'lang en');
    await h.say('o2', 'lang fi');
    await h.say('coord', 'project login virtu');
    const id = await h.projectId();
    expect(textOf(await h.say('o1', 'staff add o2'))).toContain('Only the coordinator');
    expect(textOf(await h.say('coord', 'staff add o1 o2 o3'))).toContain('0 of 3 ready.');
    expect(textOf(await h.say('coord', 'staff add o1'))).toContain('already recorded');
    await h.idle();
    for (const o of ['o1', 'o2', 'o3']) expect(h.chat.to(o)).toHaveLength(1);
    const question = h.chat.to('o1')[0]!.card;
    expect(text(question)).toContain('Can you log in to it with Virtu login and act on behalf of the authority?');
    expect(question.buttons?.map((b) => b.action)).toEqual(['staff.yes', 'staff.problem']);
    expect(text(h.chat.to('o2')[0]!.card)).toContain('Pystytkö kirjautumaan palveluun (Virtu-kirjautuminen)');

    expect(textOf(await h.click('o1', 'staff.yes', `${id}|staff`))).toContain('1 of 3 ready.');
    expect(textOf(await h.click('o2', 'staff.problem', `${id}|staff`, {}))).toContain('Kuvaile ongelma');
    expect(textOf(await h.click('o2', 'staff.problem', `${id}|staff`, { text: 'Virtu-tunnukseni puuttuu' }))).toContain(
      'käyttöönottovastaavalle',
    );
    expect(textOf(await h.say('coord', 'staff yes'))).toContain('You have not been asked');
    await h.idle();
    const told = h.chat.to('coord');
    expect(told.map((m) => text(m.card))).toEqual([
      expect.stringContaining('cannot log in or act as the authority: “Virtu-tunnukseni puuttuu”'),
    ]);

    expect(textOf(await h.say('coord', 'tasks joining'))).toContain('1 of 3 ready.');
    const staff = textOf(await h.say('coord', 'staff'));
    expect(staff).toContain('has a problem');
    expect(staff).toContain('no answer yet');
    let p = (await h.store.load('T1', id))!.project;
    expect(p.tasks.find((t) => t.id === 'joining.staff-login')?.status).toBe('in_progress');

    // The weekend passes quietly; on Monday, the next working day, only the silent official is asked again.
    for (const day of ['2026-11-28', '2026-11-29']) {
      await h.planDay(day);
      await h.runUntil(day, '23:00');
    }
    expect(h.chat.to('o3')).toHaveLength(1);
    await h.planDay('2026-11-30');
    await h.runUntil('2026-11-30', '09:05');
    expect(h.chat.to('o3')).toHaveLength(2);
    expect(h.chat.to('o3')[1]!.card.buttons?.map((b) => b.action)).toEqual(['staff.yes', 'staff.problem']);
    expect(h.chat.to('o1')).toHaveLength(1);
    expect(h.chat.to('o2')).toHaveLength(1);

    // Everyone ready: the task is done.
    await h.click('o3', 'staff.yes', `${id}|staff`);
    await h.say('o2', 'staff yes');
    p = (await h.store.load('T1', id))!.project;
    expect(p.tasks.find((t) => t.id === 'joining.staff-login')?.status).toBe('done');
  });

  it('tracks the joining form and reminds the coordinators every five working days until it is confirmed', async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') }); // Monday
    await h.say('coord', 'project new Demo');
    await h.say('coord', 'lang en');
    const id = await h.projectId();
    expect(textOf(await h.say('coord', 'form confirmed'))).toContain('has not been recorded as sent');
    expect(textOf(await h.say('coord', 'form sent 23.11.2026'))).toContain('Joining form sent on 23 Nov 2026');
    let p = (await h.store.load('T1', id))!.project;
    expect(p.tasks.find((t) => t.id === 'joining.services.form-sent')?.status).toBe('in_progress');
    for (const day of ['2026-11-24', '2026-11-27', '2026-11-30']) {
      await h.planDay(day);
      await h.runUntil(day, '23:00');
    }
    const follow = h.chat.to('coord');
    expect(follow.map((m) => m.card.title)).toEqual(['Follow up the joining form: Demo']);
    expect(text(follow[0]!.card)).toContain('(5 working days)');
    expect(textOf(await h.say('coord', 'form confirmed'))).toContain('confirmed');
    p = (await h.store.load('T1', id))!.project;
    expect(p.tasks.find((t) => t.id === 'joining.services.form-sent')?.status).toBe('done');
    await h.planDay('2026-12-07');
    await h.runUntil('2026-12-07', '23:00');
    expect(h.chat.to('coord')).toHaveLength(1);
  });
});
