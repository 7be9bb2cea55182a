import { afterEach, describe, expect, it } from 'vitest';
import { JobKeys } from '../../jobs/job-keys.js';
import { startWorkers } from '../../jobs/job-workers.js';
import { calendar, helsinki, jobsHarness, type JobsHarness } from './support/jobs-harness.js';
import { text } from './support/recording-chat.js';

// Independence Day 2027 is Monday 6 December; Good Friday 26 March and Easter Monday 29 March 2027.
describe('task reminders on Finnish working days', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  async function project(now: string, lines: string[]): Promise<string> {
    h = await jobsHarness({ now: new Date(now) });
    await h.say('coord', 'project new Demo');
    for (const person of ['coord', 'anna', 'ben', 'boss']) await h.say(person, 'lang en'); // else the project's first language, Finnish
    for (const line of lines) await h.say('coord', line);
    await h.idle();
    return h.projectId();
  }

  /**
   * Plans each date in turn and returns what was planned for it as "date kind task Helsinki-time", then runs
   * the day's reminders, as the bot does: a due-soon or escalation sent is not planned again on a later day.
   */
  async function planEach(dates: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const date of dates) {
      await h.planDay(date);
      for (const job of await h.delayed()) {
        const d = job.data;
        if (d.type !== 'task-reminder' || d.date !== date) continue;
        out.push(`${date} ${d.kind} ${d.task ?? '-'} ${helsinki(d.at)}`);
      }
      await h.runUntil(date, '23:00');
    }
    return out.sort();
  }

  const days = (from: string, to: string): string[] => {
    const out: string[] = [];
    for (let d = from; d <= to; d = calendar.addDays(d, 1)) out.push(d);
    return out;
  };

  it('puts the due-soon reminder of a task due on the Friday before a holiday Monday on the right earlier working day', async () => {
    await project('2027-11-26T10:00:00Z', [
      'assign process.review anna 2027-12-03 confirm', // Friday before Independence Day Monday: due-soon (2 wd) Wed 1 Dec
      'assign comms.plan anna 2027-12-07 confirm', // the Tuesday after it: two working days before is Thursday 2 Dec (not Sunday 5 Dec)
      'reminders escalate 9',
    ]);
    const planned = await planEach(days('2027-11-29', '2027-12-08'));
    expect(planned.filter((p) => p.includes('due-soon'))).toEqual([
      '2027-12-01 due-soon process.review 2027-12-01 09:00',
      '2027-12-02 due-soon comms.plan 2027-12-02 09:00',
    ]);
    // The first overdue morning after Friday 3 December is Tuesday 7 December: not Saturday, Sunday or the holiday.
    expect(planned.filter((p) => p.includes('overdue process.review'))).toEqual([
      '2027-12-07 overdue process.review 2027-12-07 09:00',
      '2027-12-08 overdue process.review 2027-12-08 09:00',
    ]);
  });

  it('with one working day of notice, announces a task due on the Tuesday after a holiday Monday on the Friday before', async () => {
    await project('2027-11-26T10:00:00Z', ['assign comms.plan anna 2027-12-07 confirm', 'reminders escalate 9']);
    // A change re-plans today: the Tuesday task is announced on the Friday before the long weekend.
    h.at('2027-12-03', '07:30');
    await h.say('coord', 'reminders duesoon 1');
    await h.idle();
    const planned = (await h.delayed())
      .filter((j) => j.data.type === 'task-reminder' && j.data.kind === 'due-soon')
      .map((j) => `${j.data.type === 'task-reminder' ? j.data.task : ''} ${helsinki(j.data.at)}`);
    expect(planned).toEqual(['comms.plan 2027-12-03 09:00']);
  });

  it('handles a due date that is itself a holiday: Good Friday before Easter Monday', async () => {
    await project('2027-03-15T10:00:00Z', ['assign process.review anna 2027-03-26 confirm', 'reminders escalate 9']);
    const planned = await planEach(days('2027-03-22', '2027-03-31'));
    expect(planned.filter((p) => !p.includes('digest'))).toEqual([
      '2027-03-24 due-soon process.review 2027-03-24 09:00', // Thu 25 is one working day before, Wed 24 two
      '2027-03-30 overdue process.review 2027-03-30 09:00', // not Good Friday, the weekend or Easter Monday
      '2027-03-31 overdue process.review 2027-03-31 09:00',
    ]);
  });

  it('plans a whole month with nothing on a weekend or a holiday, every reminder at 09:00 Helsinki time across DST', async () => {
    // March 2027: Good Friday 26, Easter Monday 29, summer time from Sunday 28 (09:00 is 07:00Z before, 06:00Z after).
    await project('2027-02-20T10:00:00Z', [
      'assign process.review anna 2027-03-05 confirm',
      'assign process.instructions ben 2027-03-12 confirm',
      'assign comms.plan anna 2027-03-26 confirm',
      'assign comms.content ben 2027-03-29 confirm',
      'assign support.adoption anna 2027-04-02 confirm',
      'assign guidance.channels ben 2027-02-26 confirm',
      'role me coordinator',
    ]);
    const all: Array<{ date: string; kind: string; at: string; delay: number; plannedAt: number }> = [];
    for (const date of days('2027-03-01', '2027-03-31')) {
      await h.planDay(date);
      const plannedAt = h.clock.now().getTime();
      for (const job of await h.delayed()) {
        if (job.data.type === 'task-reminder' && job.data.date === date)
          all.push({ date, kind: job.data.kind, at: job.data.at, delay: job.opts.delay ?? -1, plannedAt });
      }
    }
    expect(all.length).toBeGreaterThan(40);
    for (const r of all) {
      expect(calendar.isWorkingDay(r.date), r.date).toBe(true);
      expect(helsinki(r.at)).toBe(`${r.date} 09:00`);
      expect(r.delay).toBe(Date.parse(r.at) - r.plannedAt); // delay = target instant − clock.now()
    }
    expect(new Set(all.map((r) => new Date(r.at).toISOString().slice(11, 16)))).toEqual(new Set(['07:00', '06:00']));
    expect(new Set(all.map((r) => r.kind))).toEqual(new Set(['due-soon', 'overdue', 'escalation', 'digest']));
    // The weekly digest: Mondays, and Tuesday 30 March because Monday 29 is Easter Monday.
    expect(all.filter((r) => r.kind === 'digest').map((r) => r.date)).toEqual([
      '2027-03-01',
      '2027-03-08',
      '2027-03-15',
      '2027-03-22',
      '2027-03-30',
    ]);
    const off = days('2027-03-01', '2027-03-31').filter((d) => !calendar.isWorkingDay(d));
    expect(off).toEqual([
      '2027-03-06',
      '2027-03-07',
      '2027-03-13',
      '2027-03-14',
      '2027-03-20',
      '2027-03-21',
      '2027-03-26',
      '2027-03-27',
      '2027-03-28',
      '2027-03-29',
    ]);
    expect(all.filter((r) => off.includes(r.date))).toEqual([]);
  });

  it('cancels the old reminder when the due date moves: it never reaches the chat', async () => {
    const id = await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-03 confirm']);
    await h.planDay('2027-12-01');
    const jobId = JobKeys.reminderJobId('2027-12-01', 'T1', id, 'process.review', 'due-soon');
    expect(await h.queues.reminders.getJob(jobId)).toBeDefined();
    h.at('2027-12-01', '08:00');
    await h.say('coord', 'due process.review 2027-12-10');
    await h.idle();
    expect(await h.queues.reminders.getJob(jobId)).toBeUndefined(); // the re-plan removed it by id
    await h.runUntil('2027-12-01', '09:00');
    expect(h.chat.posts).toEqual([]);
    // The new due date has its own due-soon reminder, two working days before 10 December.
    await h.planDay('2027-12-08');
    await h.runUntil('2027-12-08', '09:00');
    expect(h.chat.to('anna').map((p) => p.card.title)).toEqual([
      'Due soon: review the process at the level of daily work and update the process description',
    ]);
  });

  it('drops a reminder planned for a stale state even when nobody re-planned (owner changed behind its back)', async () => {
    const id = await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-03 confirm']);
    await h.planDay('2027-12-01');
    // Change the task straight in the store, as a process without the jobs layer (or a lost re-plan) would.
    const loaded = (await h.store.load('T1', id))!;
    const next = structuredClone(loaded.project);
    next.tasks.find((t) => t.id === 'process.review')!.owner = 'ben';
    expect(
      await h.store.commit(loaded, next, { at: new Date().toISOString(), actor: 'coord', platform: 'console', action: 'task.assign' }),
    ).toBe('ok');
    await h.runUntil('2027-12-01', '09:00');
    const done = await h.queues.reminders.getCompleted();
    expect(done.map((j) => j.returnvalue)).toContainEqual({ dropped: 'stale-state' });
    expect(h.chat.posts).toEqual([]);
  });

  it('a plan after a change made behind its back sends the reminder to the new owner; a plan with nothing changed changes nothing', async () => {
    const id = await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-03 confirm']);
    await h.planDay('2027-12-01');
    const jobId = JobKeys.reminderJobId('2027-12-01', 'T1', id, 'process.review', 'due-soon');
    const loaded = (await h.store.load('T1', id))!;
    const next = structuredClone(loaded.project);
    next.tasks.find((t) => t.id === 'process.review')!.owner = 'ben';
    expect(
      await h.store.commit(loaded, next, { at: new Date().toISOString(), actor: 'coord', platform: 'console', action: 'task.assign' }),
    ).toBe('ok');
    expect(await h.running.planner.plan('T1', id, '2027-12-01')).toMatchObject({ added: 0, replaced: 1, removed: 0 });
    expect(await h.running.planner.plan('T1', id, '2027-12-01')).toMatchObject({ added: 0, replaced: 0, removed: 0 });
    expect((await h.delayed()).filter((j) => j.id === jobId)).toHaveLength(1);
    await h.runUntil('2027-12-01', '09:00');
    expect(h.chat.to('ben').map((p) => p.card.title)).toEqual([
      'Due soon: review the process at the level of daily work and update the process description',
    ]);
    expect(h.chat.to('anna')).toEqual([]);
  });
  it('brings a snoozed reminder back on the next working day, and escalates to the coordinator meanwhile', async () => {
    await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-01 confirm', 'role boss coordinator']);
    await h.planDay('2027-12-03'); // Friday: overdue 2 working days
    await h.runUntil('2027-12-03', '09:00');
    const [reminder] = h.chat.to('anna');
    expect(reminder?.card.title).toBe('Overdue: review the process at the level of daily work and update the process description');
    expect(text(reminder!.card)).toContain('was due 1 Dec 2027 and is now 2 working days overdue');
    const snooze1 = reminder!.card.buttons?.find((b) => b.value.endsWith('|1wd'));
    expect(reminder!.card.buttons?.map((b) => b.action)).toEqual(['task.done', 'task.start', 'task.snooze', 'task.snooze', 'task.snooze']);
    h.at('2027-12-03', '09:05');
    const reply = await h.click('anna', snooze1!.action, snooze1!.value);
    expect(text(reply.cards[0]!)).toContain('they come again on 7 Dec 2027'); // Monday 6 December is Independence Day
    await h.idle();
    await h.planDay('2027-12-06');
    expect(await h.delayed()).toEqual([]); // a holiday: nothing at all
    await h.planDay('2027-12-07');
    await h.runUntil('2027-12-07', '09:00');
    const anna = h.chat.to('anna').map((p) => p.card.title);
    expect(anna).toHaveLength(2);
    expect(anna[1]).toBe(anna[0]);
    // Tuesday 7 December is the third working day overdue: both coordinators hear of it.
    for (const c of ['coord', 'boss']) {
      const [escalation] = h.chat.to(c);
      expect(escalation?.card.title).toBe(
        'Still overdue: review the process at the level of daily work and update the process description',
      );
      expect(text(escalation!.card)).toContain('overdue for 3 working days. Owner: @anna');
      expect(escalation!.card.buttons).toBeUndefined();
    }
  });

  it('snoozes until a date typed into the form, quiet until then', async () => {
    const id = await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-01 confirm']);
    h.at('2027-12-02', '10:00');
    const bad = await h.click('anna', 'task.snooze', `${id}|process.review|until`, { date: '31.2.2027' });
    expect(text(bad.cards[0]!)).toContain('is not a date I can read');
    await h.click('anna', 'task.snooze', `${id}|process.review|until`, { date: '9.12.2027' });
    await h.idle();
    for (const d of ['2027-12-03', '2027-12-07', '2027-12-08']) {
      await h.planDay(d);
      expect(
        (await h.delayed()).filter((j) => j.data.type === 'task-reminder' && j.data.kind === 'overdue'),
        d,
      ).toEqual([]);
    }
    await h.planDay('2027-12-09');
    expect((await h.delayed()).map((j) => (j.data.type === 'task-reminder' ? j.data.kind : ''))).toContain('overdue');
    const trail = await h.store.auditTrail('T1', id);
    expect(trail.filter((e) => e.action === 'task.snooze').map((e) => e.after)).toEqual([{ snoozedUntil: '2027-12-09' }]);
  });

  it('plans every night shortly after midnight Helsinki time, by one job scheduler however many workers start', async () => {
    h = await jobsHarness({ now: new Date('2027-03-27T12:00:00Z'), workers: { dailyPlan: '5 0 * * *' } });
    const second = await startWorkers({
      redis: h.fresh.redis,
      prefix: h.fresh.prefix,
      store: h.store,
      clock: h.clock,
      calendar,
      chats: new Map(),
      dailyPlan: '5 0 * * *',
    });
    await second.close();
    const schedulers = await h.queues.planner.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'daily-plan', pattern: '5 0 * * *', tz: 'Europe/Helsinki' });
    // The next run is at 00:05 in Helsinki, whatever the season.
    expect(helsinki(new Date(schedulers[0]!.next!)).slice(11)).toBe('00:05');
  });
});
