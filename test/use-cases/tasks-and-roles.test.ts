import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';

describe('tasks, roles and status', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await botHarness({ now: new Date('2026-11-23T10:00:00Z') });
    await h.say('coord', 'project new Demo');
  });
  afterEach(async () => h.cleanup());

  it('derives a group status from its tasks and counts progress', async () => {
    await h.say('coord', 'done process.review');
    let status = textOf(await h.say('coord', 'status'));
    expect(status).toMatch(/\[~\] service process changes: 1\/4/);
    for (const t of ['instructions', 'system-changes', 'training-needs']) await h.say('coord', `done ${t}`);
    status = textOf(await h.say('coord', 'status'));
    expect(status).toMatch(/\[x\] service process changes: 4\/4/);
    const group = await h.say('coord', 'done process');
    expect(textOf(group)).toContain('is a group');
  });

  it('needs a reason to block or mark not applicable, and shows it', async () => {
    expect(textOf(await h.say('coord', 'block process.review'))).toContain('The reason is missing');
    await h.say('coord', 'block process.review waiting for IT');
    expect(textOf(await h.say('coord', 'tasks process'))).toContain('reason: waiting for IT');
  });

  it('lets only the owner or a coordinator change a task, and says who may', async () => {
    await h.say('coord', 'assign process.review anna 2026-11-30 confirm');
    const refused = await h.say('ben', 'done process.review');
    expect(refused.visibility).toBe('private');
    // Each person is named with the role they would act in (issue 14: the coordinator is not "the task owner").
    expect(textOf(refused)).toContain('Only the task owner or coordinator may do that: @anna (task owner) and @coord (coordinator).');
    await h.say('anna', 'done process.review');
    expect(textOf(await h.say('anna', 'tasks mine'))).toContain('[x] process.review');
    const config = await h.say('anna', 'golive 2027-03-01');
    expect(textOf(config)).toContain('Only the coordinator may do that: @coord.');
  });

  it('shows overdue tasks and working days to go-live', async () => {
    await h.say('coord', 'golive 2027-01-08');
    await h.say('coord', 'assign comms.plan anna 2026-11-24 confirm');
    h.clock.current = new Date('2026-11-25T10:00:00Z');
    const status = textOf(await h.say('coord', 'status'));
    // 26.11.2026 → 8.1.2027 less weekends, Independence Day, Christmas Eve to St Stephen's, New Year, Epiphany.
    expect(status).toContain('Working days to go-live: 28');
    expect(status).toContain('Overdue: 1');
    expect(status).toMatch(/comms\.plan .*due 24 Nov 2026, @anna/);
  });

  it('hides the technical items for the light connection method', async () => {
    expect(textOf(await h.say('coord', 'tasks'))).toContain('testing.technical');
    await h.say('coord', 'project connection light');
    const tasks = textOf(await h.say('coord', 'tasks'));
    expect(tasks).not.toContain('testing.technical');
    expect(tasks).not.toContain('systems.integration');
    expect(textOf(await h.say('coord', 'done testing.technical'))).toContain('does not apply');
  });

  it('answers a second identical change with "already recorded" and writes one audit event', async () => {
    await h.say('coord', 'done process.review');
    expect(textOf(await h.say('coord', 'done process.review'))).toContain('already recorded');
    const trail = await h.store.auditTrail('T1', await h.projectId());
    expect(trail.filter((e) => e.action === 'task.status')).toHaveLength(1);
  });

  it('refuses a go decision without evidence unless justified, and records the override', async () => {
    await h.say('coord', 'role me decider');
    const refused = textOf(await h.say('coord', 'decide go 2027-02-01'));
    expect(refused).toContain('A go decision needs the readiness material');
    expect(refused).toContain('functional testing sign-off');
    const ok = textOf(await h.say('coord', 'decide go 2027-02-01 override pilot with two services only'));
    expect(ok).toContain('Decision recorded: go, 1 Feb 2027');
    const p = (await h.store.load('T1', await h.projectId()))?.project;
    expect(p?.decisions[0]).toMatchObject({ outcome: 'go', override: 'pilot with two services only' });
  });

  it('says what to type for a project-less channel and for unknown commands', async () => {
    expect(textOf(await h.say('x', 'status', { tenant: 'T9' }))).toContain('project new <name>');
    expect(textOf(await h.say('coord', 'frobnicate'))).toContain('“frobnicate”');
  });
});
