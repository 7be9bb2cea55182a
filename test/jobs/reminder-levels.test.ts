import { afterEach, describe, expect, it } from 'vitest';
import { JobKeys } from '../../jobs/job-keys.js';
import { startWorkers } from '../../jobs/job-workers.js';
import { calendar, jobsHarness, type JobsHarness } from './support/jobs-harness.js';

// Issue 14: "due soon" fired only exactly N working days before and escalation only on exactly the Nth overdue
// day, so a task due tomorrow never got the one and a task five days overdue never reached the coordinator.
// Each level now fires once when its condition first holds, is caught up after a day the bot was down, never twice.
describe('due-soon and escalation: once, when their condition first holds', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  const TITLE = 'review the process at the level of daily work and update the process description';

  async function project(now: string, lines: string[]): Promise<string> {
    h = await jobsHarness({ now: new Date(now) });
    await h.say('coord', 'project new Demo');
    for (const person of ['coord', 'anna']) await h.say(person, 'lang en');
    await h.say('coord', 'role anna owner');
    for (const line of lines) await h.say('coord', line);
    await h.idle();
    return h.projectId();
  }

  const titles = (person: string) => h.chat.to(person).map((p) => p.card.title);
  /** Plans a working day as the nightly job does and runs everything due by the evening. */
  async function day(date: string): Promise<void> {
    await h.planDay(date);
    await h.runUntil(date, '18:00');
  }

  it('sends the due-soon reminder of a task due tomorrow today (due-soon 2), once', async () => {
    // Wednesday 1 December 2027, 10:00: the task is due on Thursday, within two working days.
    await project('2027-12-01T08:00:00Z', ['assign process.review anna 2027-12-02']);
    await h.runUntil('2027-12-01', '10:00');
    expect(titles('anna')).toEqual([`Due soon: ${TITLE}`]);
    await h.running.planner.plan('T1', await h.projectId(), '2027-12-01');
    await day('2027-12-02');
    expect(titles('anna')).toEqual([`Due soon: ${TITLE}`]);
  });

  it('escalates a task five working days overdue (escalate 3) once, on the day the bot first plans it', async () => {
    await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-01']);
    // The bot was away from Thursday 2 to Wednesday 8 December: Thursday 9th is the fifth working day overdue.
    await day('2027-12-09');
    expect(titles('coord')).toEqual([`Still overdue: ${TITLE}`]);
    expect(
      h.chat
        .to('coord')[0]!
        .card.blocks.map((b) => ('text' in b ? b.text : ''))
        .join(' '),
    ).toContain('overdue for 5 working days');
    await day('2027-12-10');
    await day('2027-12-13');
    expect(titles('coord')).toEqual([`Still overdue: ${TITLE}`]);
    // The owner still hears of it every working morning.
    expect(titles('anna').filter((t) => t?.startsWith('Overdue'))).toHaveLength(3);
  });

  it('catches up a due-soon reminder and an escalation missed while the bot was down', async () => {
    await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-03', 'reminders escalate 1']);
    // Wednesday 1 December (two working days before Friday 3rd) the bot is down; Thursday it catches up.
    await day('2027-12-02');
    expect(titles('anna')).toEqual([`Due soon: ${TITLE}`]);
    await day('2027-12-03');
    expect(titles('anna')).toEqual([`Due soon: ${TITLE}`]);
    // Tuesday 7 December (Monday 6th is Independence Day) would be the first overdue day; the bot is back on Wednesday.
    await day('2027-12-08');
    expect(titles('coord')).toEqual([`Still overdue: ${TITLE}`]);
    await day('2027-12-09');
    expect(titles('coord')).toEqual([`Still overdue: ${TITLE}`]);
  });

  it('never sends a level twice: re-plans, a restarted worker, a record lost between sending and writing it', async () => {
    const id = await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-03']);
    await day('2027-12-01');
    expect(titles('anna')).toEqual([`Due soon: ${TITLE}`]);
    for (let i = 0; i < 3; i++) expect(await h.running.planner.plan('T1', id, '2027-12-01')).toMatchObject({ added: 0 });
    // Workers stop and others start, as after a deploy.
    await h.running.close();
    const again = await startWorkers({
      redis: h.fresh.redis,
      prefix: h.fresh.prefix,
      store: h.store,
      clock: h.clock,
      calendar,
      chats: new Map([['console', h.chat]]),
      dailyPlan: false,
    });
    try {
      expect(await again.planner.plan('T1', id, '2027-12-02')).toMatchObject({ added: 0 });
      // A worker that stopped after queueing the reminder but before recording it: the next day plans it again,
      // and the delivery ledger (one batch per task, level and due date) keeps the owner from reading it twice.
      await h.fresh.redis.del(new JobKeys(h.fresh.prefix).reminded('T1', id));
      h.at('2027-12-02', '00:05');
      expect(await again.planner.plan('T1', id, '2027-12-02')).toMatchObject({ added: 1 });
      h.at('2027-12-02', '09:00');
      for (const job of await again.queues.reminders.getDelayed()) await job.promote();
      await h.idle();
      expect(titles('anna')).toEqual([`Due soon: ${TITLE}`]);
    } finally {
      await again.close();
    }
  });

  it('starts the levels again when the due date or the owner changes', async () => {
    await project('2027-11-26T10:00:00Z', ['assign process.review anna 2027-12-03', 'role ben owner']);
    await h.say('ben', 'lang en');
    await day('2027-12-01');
    h.at('2027-12-01', '12:00');
    await h.say('coord', 'due process.review 2027-12-08');
    await h.idle();
    await day('2027-12-02');
    await day('2027-12-03');
    await day('2027-12-07');
    expect(titles('anna')).toEqual([`Due soon: ${TITLE}`, `Due soon: ${TITLE}`]);
    h.at('2027-12-07', '12:00');
    await h.say('coord', 'assign process.review ben');
    await h.idle();
    expect(titles('ben')).toEqual([`Due soon: ${TITLE}`]);
  });
});
