import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botHarness, consoleSession as session, type BotHarness } from '../support/bot-harness.js';

describe('console shell', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await botHarness();
  });
  afterEach(async () => h.cleanup());

  it('numbers buttons and presses one when its number is typed, asking for the form text', async () => {
    const out = await session(h, ['project new Demo', 'signoff functional anna confirm', 'as anna 3', 'Login fails for Virtu users']);
    expect(out).toMatch(/\[1\] Approve {2}\[2\] Approve with remarks {2}\[3\] Reject/);
    expect(out).toContain('Reason for the rejection: Login fails for Virtu users');
    expect(out).toMatch(/@anna: rejected .* – “Login fails for Virtu users”/);
    const id = await h.store.projectIdFor('T1', { platform: 'console', id: 'console' });
    const p = (await h.store.load('T1', id ?? ''))?.project;
    expect(p?.signoffs[0]?.responses[0]).toMatchObject({ by: 'anna', kind: 'reject', text: 'Login fails for Virtu users' });
  });

  it('acts as a person whose name is a member of Object.prototype, and presses their buttons', async () => {
    const out = await session(h, [
      'project new Demo',
      'role constructor decider',
      'signoff functional hasOwnProperty confirm',
      'as hasOwnProperty 1',
      'as constructor decide postpone 2027-04-01',
      'as __proto__ status',
      'unrole constructor decider',
      'people',
    ]);
    expect(out).not.toContain('Something went wrong');
    expect(out).toMatch(/@hasOwnProperty: approved/);
    expect(out).toContain('Decision recorded: postponed');
    expect(out).toContain('@constructor is no longer decision maker.');
    expect(out).toMatch(/@hasOwnProperty \(approver\)/);
  });

  it('answers bad input with usage and goes on to the next line', async () => {
    const out = await session(h, ['project new Demo', 'due process.review 31.2.2027', 'due process.review 28.2.2027', 'tasks process']);
    expect(out).toContain('“31.2.2027” is not a date I can read');
    expect(out).toContain('due <task> <date>');
    expect(out).toMatch(/process\.review: .*due 28 Feb 2027/);
  });
});
