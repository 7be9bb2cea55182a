import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/grammar.js';
import { digestDate, remindersFor } from '../../src/domain/reminders.js';
import { snoozeEnd } from '../../src/domain/snooze.js';
import { trainingSlot } from '../../src/domain/trainings.js';
import { ProjectSchema } from '../../src/domain/types.js';
import { jitterBackoff } from '../../jobs/backoff.js';
import { JobKeys } from '../../jobs/job-keys.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { botHarness } from '../support/bot-harness.js';
import { calendar } from './support/jobs-harness.js';

const ok = (line: string) => {
  const r = parseCommand(line);
  if (!r.ok) throw new Error(`${line}: ${JSON.stringify(r.error)}`);
  return r.command;
};

describe('the planning commands', () => {
  it('parses training add with a multi-word name, offsets in working days (wd, tp, ad) or a date, times and durations', () => {
    expect(ok('training add Case handling for officials -10wd 13:00 90min staff')).toEqual({
      name: 'training-add',
      input: {
        name: 'Case handling for officials',
        when: { kind: 'relative', offset: -10 },
        time: '13:00',
        minutes: 90,
        audience: 'staff',
      },
    });
    expect(ok('training add "Käsittelijäkoulutus" -8tp 9.30 1h30 all')).toMatchObject({
      input: { name: 'Käsittelijäkoulutus', when: { kind: 'relative', offset: -8 }, time: '09:30', minutes: 90, audience: 'all' },
    });
    expect(ok('training add Utbildning 2.3.2027 14:00 2h approver')).toMatchObject({
      input: { when: { kind: 'fixed', date: '2027-03-02' }, minutes: 120 },
    });
    expect(ok('training move t2 +2ad 10:00')).toEqual({
      name: 'training-move',
      ref: 't2',
      when: { kind: 'relative', offset: 2 },
      time: '10:00',
    });
    expect(ok('training')).toEqual({ name: 'training-list' });
    expect(ok('training decline t1')).toEqual({ name: 'training-answer', ref: 't1', answer: 'no' });
    expect(parseCommand('training add Basics -10wd 25:00 90min staff')).toMatchObject({
      ok: false,
      error: { code: 'invalid', arg: 'time', token: '25:00' },
    });
    expect(parseCommand('training add Basics -10wd 13:00 forever staff')).toMatchObject({
      ok: false,
      error: { code: 'invalid', arg: 'duration' },
    });
    expect(parseCommand('training add Basics -10wd 13:00 90min interns')).toMatchObject({
      ok: false,
      error: { code: 'invalid', arg: 'audience', token: 'interns' },
    });
    expect(parseCommand('training add -10wd 13:00 90min staff')).toMatchObject({ ok: false, error: { code: 'missing', arg: 'audience' } });
  });

  it('parses snooze and the reminder settings', () => {
    expect(ok('snooze review 3wd')).toEqual({ name: 'snooze', task: 'review', span: { workingDays: 3 } });
    expect(ok('snooze review 2027-03-02')).toEqual({ name: 'snooze', task: 'review', span: { date: '2027-03-02' } });
    expect(parseCommand('snooze review -1wd')).toMatchObject({ ok: false, error: { code: 'invalid', arg: 'span' } });
    expect(ok('reminders digest ma 8.30')).toEqual({ name: 'reminders-set', patch: { digestDay: 1, digestTime: '08:30' } });
    expect(ok('reminders escalate 5')).toEqual({ name: 'reminders-set', patch: { escalateAfter: 5 } });
    expect(ok('reminders off')).toEqual({ name: 'reminders-set', patch: { enabled: false } });
  });
});

describe('pure scheduling rules', () => {
  const project = ProjectSchema.parse({
    id: 'p1',
    tenant: 'T1',
    name: 'Demo',
    connection: 'integration',
    login: 'suomifi',
    languages: ['fi'],
    channel: { platform: 'slack', id: 'C1' },
    people: { coord: { id: 'coord', roles: ['coordinator'] }, anna: { id: 'anna', roles: ['owner'] } },
    tasks: [{ id: 'process.review', status: 'todo', owner: 'anna', due: '2027-12-03' }],
    createdAt: '2027-01-01T00:00:00Z',
    createdBy: 'coord',
  });

  it('gives projects stored before reminders and trainings the defaults', () => {
    expect(project.reminders).toEqual({
      enabled: true,
      time: '09:00',
      dueSoonDays: 2,
      escalateAfter: 3,
      digestDay: 1,
      digestTime: '09:00',
    });
    expect(project.trainings).toEqual([]);
  });

  it('never plans a reminder on a weekend or a holiday, and nothing once the task is done', () => {
    for (const d of ['2027-12-04', '2027-12-05', '2027-12-06', '2027-12-24']) expect(remindersFor(project, d, calendar), d).toEqual([]);
    const done = { ...project, tasks: [{ ...project.tasks[0]!, status: 'done' as const }] };
    expect(remindersFor(done, '2027-12-07', calendar).map((r) => r.kind)).toEqual(['digest']); // the weekly digest still comes
  });

  it('changes the fingerprint when the due date, owner, status or snooze changes', () => {
    const fp = (p: typeof project) => remindersFor(p, '2027-12-07', calendar).find((r) => r.kind === 'overdue')?.fingerprint;
    const base = fp(project);
    const t = project.tasks[0]!;
    for (const change of [{ due: '2027-12-02' }, { owner: 'ben' }, { status: 'in_progress' as const }, { snoozedUntil: '2027-12-07' }]) {
      expect(fp({ ...project, tasks: [{ ...t, ...change }] })).not.toBe(base);
    }
  });

  it('moves the weekly digest to the next working day of the same week, or skips a week with none', () => {
    expect(digestDate(calendar, '2027-12-07', 1)).toBe('2027-12-07'); // Monday 6 Dec is Independence Day
    expect(digestDate(calendar, '2027-12-10', 5)).toBe('2027-12-10');
    expect(digestDate(calendar, '2027-12-23', 5)).toBeUndefined(); // Christmas Eve Friday, no later working day that week
  });

  it('ends a snooze on a working day and pins trainings to go-live working days, DST-safe', () => {
    expect(snoozeEnd(calendar, '2027-12-03', { workingDays: 1 })).toBe('2027-12-07');
    expect(snoozeEnd(calendar, '2027-12-03', { date: '2027-12-25' })).toBe('2027-12-27');
    const slot = trainingSlot({ goLive: '2027-04-06' }, { when: { kind: 'relative', offset: -6 }, time: '13:00', minutes: 90 }, calendar);
    expect(slot?.date).toBe('2027-03-25'); // Easter (Friday 26 – Monday 29 March) is skipped; summer time starts on the 28th
    expect(slot?.start.toISOString()).toBe('2027-03-25T11:00:00.000Z');
    expect(slot?.end.toISOString()).toBe('2027-03-25T12:30:00.000Z');
    expect(
      trainingSlot(
        { goLive: '2027-04-06' },
        { when: { kind: 'relative', offset: -5 }, time: '13:00', minutes: 90 },
        calendar,
      )?.start.toISOString(),
    ).toBe('2027-03-30T10:00:00.000Z');
    expect(trainingSlot({}, { when: { kind: 'relative', offset: -5 }, time: '13:00', minutes: 90 }, calendar)).toBeUndefined();
  });

  it('makes job ids BullMQ accepts (no ":") and delivery ids from the key alone', () => {
    expect(JobKeys.reminderJobId('2027-12-07', 'ent:T1|x', 'p1', 'process.review', 'overdue')).toBe(
      'rem|2027-12-07|ent%3AT1%7Cx|p1|process.review|overdue',
    );
    expect(JobKeys.deliveryJobId('T1', 'k')).toBe(JobKeys.deliveryJobId('T1', 'k'));
    expect(JobKeys.deliveryJobId('T1', 'k')).not.toBe(JobKeys.deliveryJobId('T2', 'k'));
  });

  it('backs off exponentially with jitter, capped', () => {
    const lo = () => 0;
    const hi = () => 1;
    expect([1, 2, 3, 4].map((n) => jitterBackoff(n, 1_000, 300_000, lo))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => jitterBackoff(n, 1_000, 300_000, hi))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(jitterBackoff(30, 1_000, 300_000, hi)).toBe(300_000);
  });
});

describe('the tenants index the nightly plan walks', () => {
  it('lists every tenant with a project, and finds again the ones created before the index existed', async () => {
    const h = await botHarness();
    try {
      await h.say('coord', 'project new Demo', { tenant: 'T1' });
      await h.say('coord', 'project new Demo', { tenant: 'ent:E1|T2' });
      const store = new RedisStore(h.redis, h.store.keys.prefix);
      expect(await store.tenants()).toEqual(['T1', 'ent:E1|T2']);
      await h.redis.del(h.store.keys.tenants());
      expect(await store.tenants()).toEqual([]);
      expect(await store.tenants(true)).toEqual(['T1', 'ent:E1|T2']);
    } finally {
      await h.cleanup();
    }
  });
});
