import { afterEach, describe, expect, it } from 'vitest';
import { JobKeys } from '../../jobs/job-keys.js';
import { helsinki, jobsHarness, type JobsHarness } from './support/jobs-harness.js';
import { text } from './support/recording-chat.js';

const STAFF = ['s1', 's2', 's3'];

describe('trainings pinned to the go-live date', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  async function setUp(): Promise<string> {
    h = await jobsHarness({ now: new Date('2027-02-01T08:00:00Z') });
    await h.say('coord', 'project new Demo');
    for (const p of ['coord', ...STAFF]) await h.say(p, 'lang en');
    await h.say('coord', 'golive 2027-04-20');
    for (const s of STAFF) await h.say('coord', `role ${s} staff`);
    return h.projectId();
  }

  /** Every training job in the reminders queue, in any state, as "training kind start(Helsinki) at(Helsinki)". */
  async function trainingJobs(): Promise<string[]> {
    const jobs = await h.queues.reminders.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed', 'prioritized']);
    return jobs
      .filter((j) => j.data.type === 'training-alert')
      .map((j) => `${j.data.training} ${j.data.kind} ${helsinki(j.data.start)} ${helsinki(j.data.at)}`)
      .sort();
  }

  const notices = (person: string, title: RegExp) => h.chat.to(person).filter((p) => title.test(p.card.title ?? ''));

  it('plans sessions on working days, invites the audience, and moves every relative one with go-live, telling each invitee once', async () => {
    const id = await setUp();
    expect(text((await h.say('coord', 'training add Case handling for officials -10wd 13:00 90min staff')).cards[0]!)).toContain(
      'Training t1 “Case handling for officials” planned for 6 Apr 2027, 13:00 (90 min). Invitations go to staff member.',
    );
    await h.say('coord', 'training add "Go-live info" -3wd 10.00 45min all');
    await h.say('coord', 'training add Archive 2027-03-03 14:00 1h staff');
    expect(text((await h.say('coord', 'training add Late 2027-03-29 14:00 1h staff')).cards[0]!)).toContain(
      '29 Mar 2027 is not a working day',
    ); // Easter Monday
    await h.idle();

    // Invitations: one per invitee and session, with the attendance buttons.
    for (const s of STAFF)
      expect(notices(s, /^Invitation/).map((p) => p.card.title)).toEqual([
        'Invitation to a training: Case handling for officials',
        'Invitation to a training: Go-live info',
        'Invitation to a training: Archive',
      ]);
    expect(notices('coord', /^Invitation/)).toHaveLength(1);
    const invite = notices('s2', /Case handling/)[0]!;
    expect(text(invite.card)).toContain('6 Apr 2027, 13:00 (90 min)');
    const decline = invite.card.buttons!.find((b) => b.action === 'training.decline')!;
    await h.click('s2', decline.action, decline.value);
    await h.click('s1', 'training.attend', `${id}|t1`);
    await h.idle();

    const before = await trainingJobs();
    expect(before).toEqual([
      't1 day-before 2027-04-06 13:00 2027-04-05 13:00',
      't1 hour-before 2027-04-06 13:00 2027-04-06 12:00',
      't2 day-before 2027-04-15 10:00 2027-04-14 10:00',
      't2 hour-before 2027-04-15 10:00 2027-04-15 09:00',
      't3 day-before 2027-03-03 14:00 2027-03-02 14:00',
      't3 hour-before 2027-03-03 14:00 2027-03-03 13:00',
    ]);

    // Go-live moves two weeks later: the relative sessions follow, the fixed one stays.
    const sentBefore = h.chat.posts.length;
    await h.say('coord', 'golive 2027-05-04');
    await h.idle();
    expect(await trainingJobs()).toEqual([
      't1 day-before 2027-04-20 13:00 2027-04-19 13:00',
      't1 hour-before 2027-04-20 13:00 2027-04-20 12:00',
      't2 day-before 2027-04-29 10:00 2027-04-28 10:00',
      't2 hour-before 2027-04-29 10:00 2027-04-29 09:00',
      't3 day-before 2027-03-03 14:00 2027-03-02 14:00',
      't3 hour-before 2027-03-03 14:00 2027-03-03 13:00',
    ]);
    // No job is left for the old times, in any state.
    for (const old of ['2027-04-06T10:00:00.000Z', '2027-04-15T07:00:00.000Z']) {
      for (const t of ['t1', 't2'])
        for (const k of ['day-before', 'hour-before'])
          expect(await h.queues.reminders.getJob(JobKeys.trainingJobId('T1', id, t, k, old))).toBeUndefined();
    }
    const moved = h.chat.posts.slice(sentBefore);
    expect(moved.every((p) => p.card.title?.startsWith('New time for a training'))).toBe(true);
    for (const s of STAFF) {
      expect(notices(s, /New time.*Case handling/), s).toHaveLength(1);
      expect(notices(s, /New time.*Go-live info/), s).toHaveLength(1);
      expect(notices(s, /New time.*Archive/), s).toHaveLength(0);
    }
    expect(notices('coord', /New time/)).toHaveLength(1);
    expect(text(notices('s1', /New time.*Case handling/)[0]!.card)).toContain('has moved to 20 Apr 2027, 13:00 (90 min)');

    // Planning again, by the day plan or another change, tells nobody anything twice.
    await h.queues.projectChanged('T1', id, 999);
    await h.planDay('2027-02-02', '07:00');
    await h.say('coord', 'note process.review nothing about trainings');
    await h.idle();
    expect(h.chat.posts.length).toBe(sentBefore + moved.length);

    // A postponement decision moves go-live again, and the trainings with it.
    await h.say('coord', 'role me decider');
    await h.say('coord', 'decide postpone 2027-05-18');
    await h.idle();
    for (const s of STAFF)
      expect(
        notices(s, /New time.*Case handling/).map((p) =>
          text(p.card)
            .match(/moved to ([^(]+)/)?.[1]
            ?.trim(),
        ),
        s,
      ).toEqual(['20 Apr 2027, 13:00', '3 May 2027, 13:00']); // Ascension Day 6 May is skipped
    expect((await trainingJobs()).filter((j) => j.startsWith('t1'))).toEqual([
      't1 day-before 2027-05-03 13:00 2027-04-30 13:00',
      't1 hour-before 2027-05-03 13:00 2027-05-03 12:00',
    ]);

    const list = text((await h.say('coord', 'training list')).cards[0]!);
    expect(list).toContain(
      "t1: Case handling for officials (3 May 2027, 13:00, 90 min · 10 working days before go-live · for staff member · 1 attending, 1 can't attend, 1 no answer)",
    );
    expect(list).toContain('t3: Archive (3 Mar 2027, 14:00, 60 min · fixed date');
    expect(list).toContain("t1: @s1 Attending, @s2 Can't attend");
  });

  it('reminds the expected attendees a working day and an hour before, not those who declined', async () => {
    const id = await setUp();
    await h.say('coord', 'training add Basics -10wd 13:00 90min staff'); // Tuesday 6 April 2027; Easter Monday is 29 March
    await h.click('s2', 'training.decline', `${id}|t1`);
    await h.idle();
    await h.runUntil('2027-04-05', '13:00');
    expect(STAFF.map((s) => notices(s, /^Reminder: training Basics/).length)).toEqual([1, 0, 1]);
    expect(text(notices('s1', /^Reminder/)[0]!.card)).toContain('is on the next working day, 6 Apr 2027, 13:00 (90 min)');
    await h.runUntil('2027-04-06', '12:00');
    expect(STAFF.map((s) => notices(s, /^Reminder: training Basics/).length)).toEqual([2, 0, 2]);
    expect(text(notices('s3', /^Reminder/)[1]!.card)).toContain('starts in an hour, 6 Apr 2027, 13:00');
  });

  it('tells the invitees of a cancellation once, and removes its jobs', async () => {
    const id = await setUp();
    await h.say('coord', 'training add Basics 2027-03-03 09:00 2h staff');
    await h.idle();
    await h.say('coord', 'training cancel t1');
    await h.say('coord', 'training cancel t1');
    await h.idle();
    for (const s of STAFF) expect(notices(s, /^Training cancelled: Basics/)).toHaveLength(1);
    expect((await h.delayed()).filter((j) => j.data.type === 'training-alert')).toEqual([]);
    expect(text((await h.click('s1', 'training.attend', `${id}|t1`)).cards[0]!)).toContain('Training t1 is cancelled');
  });
});
