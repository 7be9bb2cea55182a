import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';
import { jobsHarness, type JobsHarness } from '../jobs/support/jobs-harness.js';
import { text } from '../jobs/support/recording-chat.js';

// Issue 14: what a coordinator trying the phase in the console found let through, each pinned here.
describe('rules that keep wrong things out (issue 14)', () => {
  let h: BotHarness;
  let pid: string;
  const say = async (user: string, line: string) => textOf(await h.say(user, line));
  const audit = async () => (await h.store.auditTrail('T1', pid)).map((e) => e.action);
  const project = async () => (await h.store.load('T1', pid))!.project;

  beforeEach(async () => {
    h = await botHarness({ now: new Date('2026-11-23T10:00:00Z') });
    await h.say('coord', 'project new Demo');
    pid = await h.projectId();
    for (const line of ['role anna owner', 'role ben owner', 'role dora decider']) await h.say('coord', line);
  });
  afterEach(async () => h.cleanup());

  it('asks for the remarks of an approval with remarks, typed or from an empty form, and records nothing without them', async () => {
    await say('coord', 'signoff functional anna');
    expect(await say('anna', 'remarks s1')).toContain('The text is missing');
    const form = await h.click('anna', 'signoff.remarks', `${pid}|s1`, { fields: { text: '  ' } });
    expect(form.visibility).toBe('private');
    expect(textOf(form)).toContain('Approving functional testing (E2E) with remarks needs the remarks');
    expect((await project()).signoffs[0]!.responses).toEqual([]);
    await say('anna', 'remarks s1 two typos');
    expect((await project()).signoffs[0]!.responses[0]).toMatchObject({ kind: 'remarks', text: 'two typos' });
  });

  it('answers a second answer and a repeated decision with what was recorded and what stands', async () => {
    await say('coord', 'signoff functional anna ben need 1');
    await say('anna', 'reject s1 login fails');
    await say('ben', 'approve s1');
    const again = await h.say('anna', 'approve s1');
    expect(again.visibility).toBe('private');
    expect(textOf(again)).toMatch(/You already answered the sign-off request for functional testing \(E2E\) \(s1\): rejected, 23 Nov 2026/);
    expect(textOf(again)).toContain('the request is approved');
    const before = await audit();
    await say('dora', 'decide postpone 2027-06-01');
    for (const who of ['dora', 'dora', 'coord']) {
      if (who === 'coord') await say('coord', 'role coord decider');
      h.clock.current = new Date(h.clock.current.getTime() + 3600_000); // an hour later: still the decision in force
      expect(await say(who, 'decide postpone 2027-06-01')).toMatch(
        /That decision was already recorded: postponed, 1 Jun 2027 \(d\d+\), decided by @dora on 23 Nov 2026.*It is the decision in force/,
      );
    }
    expect((await audit()).filter((a) => a.startsWith('decision.'))).toEqual(['decision.postpone']);
    expect((await audit()).length).toBe(before.length + 2); // the decision and the role
  });

  it('names only people the project knows, or new ones confirmed; a replaced request takes back the approver role it gave', async () => {
    const typo = await h.say('coord', 'signoff technical anna tuntematon');
    expect(typo.visibility).toBe('private');
    expect(textOf(typo)).toContain('Not known in this project: @tuntematon.');
    expect(textOf(typo)).toContain('`signoff technical anna tuntematon confirm`');
    expect(await say('coord', 'assign process.review ana')).toContain('Did you mean @anna?');
    expect((await project()).people['tuntematon']).toBeUndefined();
    expect(await audit()).not.toContain('signoff.request');
    await say('coord', 'signoff technical anna tuntematon confirm');
    expect((await project()).people['tuntematon']?.roles).toEqual(['approver']);
    // The request is asked again without the typo: tuntematon loses the role, anna (an owner before) keeps hers.
    expect(await say('coord', 'signoff technical anna')).toContain(
      'No longer approvers, since the request that named them was replaced: @tuntematon.',
    );
    const people = (await project()).people;
    expect(people['tuntematon']?.roles).toEqual([]);
    expect(people['anna']?.roles).toEqual(['owner', 'approver']);
    expect((await h.store.auditTrail('T1', pid)).at(-1)?.after).toMatchObject({ replaces: 's1', revoked: ['tuntematon'] });
    // …and is not invited to a training for everyone.
    expect(await say('coord', 'training add Basics 2027-01-20 13:00 60min all')).not.toContain('tuntematon');
    // A Slack or Teams mention is a real account: no confirmation needed.
    expect(await say('coord', 'assign process.instructions <@U0NEW>')).toContain('is assigned to @U0NEW');
  });

  it('asks before an approved sign-off is replaced', async () => {
    await say('coord', 'signoff functional anna');
    await say('anna', 'approve s1');
    const asked = await h.say('coord', 'signoff functional ben');
    expect(asked.visibility).toBe('private');
    expect(textOf(asked)).toContain('The sign-off request for functional testing (E2E) (s1) is approved.');
    expect(textOf(asked)).toContain('`signoff functional ben confirm`');
    expect((await project()).signoffs).toHaveLength(1);
    await say('coord', 'signoff functional ben confirm');
    const p = await project();
    expect(p.signoffs.map((s) => s.id)).toEqual(['s1', 's2']);
    // testing.functional follows its evidence: done with the approval, open again once a new request replaces it.
    expect(p.tasks.find((t) => t.id === 'testing.functional')?.status).toBe('in_progress');
  });

  it('refuses go-live and due dates in the past and warns of a go-live on a weekend or holiday', async () => {
    expect(await say('coord', 'golive 1.12.2025')).toContain('1 Dec 2025 is in the past. Give a date from today on.');
    expect(await say('coord', 'assign process.review anna 2026-11-20')).toContain('is in the past');
    expect(await say('coord', 'due process.review 2026-11-22')).toContain('is in the past');
    expect((await project()).goLive).toBeUndefined();
    // 1 May 2027 is a Saturday and May Day: accepted, with a warning.
    const weekend = await say('coord', 'golive 2027-05-01');
    expect(weekend).toContain('Go-live date set to 1 May 2027.');
    expect(weekend).toContain('1 May 2027 is not a working day');
    expect(await say('coord', 'due process.review 2026-12-06')).toContain('6 Dec 2026 is not a working day'); // Independence Day
    expect(await say('coord', 'golive 2027-05-04')).not.toContain('not a working day');
    expect(await say('coord', 'due process.review 2026-11-23')).toContain('is due 23 Nov 2026'); // today is fine
  });

  it('closes the decision and test items by their evidence only', async () => {
    expect(await say('coord', 'done decision')).toContain('“decision” is closed by the decision itself');
    expect(await say('coord', 'done testing.functional')).toContain('“testing.functional” is closed by its sign-off');
    expect(await say('coord', 'done testing.functional')).toContain('`signoff functional <approvers…>`');
    await say('coord', 'signoff functional anna');
    await say('anna', 'approve s1');
    expect((await project()).tasks.find((t) => t.id === 'testing.functional')?.status).toBe('done');
    expect(await say('coord', 'reopen testing.functional')).toContain('is closed by its sign-off');
    expect(await audit()).not.toContain('task.status');
  });

  it('keeps free text verbatim: quotes and spacing in notes, reasons and announcement texts', async () => {
    await say('coord', 'note process.review "quoted  text" and \'more\'');
    await say('coord', 'block process.instructions ”waiting” for IT');
    await say('coord', 'comms text customers go en "Welcome!" says {project}');
    const p = await project();
    expect(p.tasks.find((t) => t.id === 'process.review')?.notes[0]?.text).toBe('"quoted  text" and \'more\'');
    expect(p.tasks.find((t) => t.id === 'process.instructions')?.reason).toBe('”waiting” for IT');
    expect(p.comms.find((g) => g.id === 'customers')?.texts.go?.en).toBe('"Welcome!" says {project}');
  });

  it('refuses a channel left out, and removes channels, groups, risks, notes and items, each audited; lists risks', async () => {
    expect(await say('coord', 'comms channel customers slack:')).toContain('“slack:” is not a valid value');
    expect((await project()).comms.find((g) => g.id === 'customers')?.channels).toEqual([]);
    await say('coord', 'comms channel customers slack:C1');
    expect(await say('coord', 'comms remove channel customers slack:C2')).toContain('customers is not told in');
    expect(await say('coord', 'comms remove channel customers slack:C1')).toContain('is no longer told in');
    expect(await say('coord', 'comms remove group others')).toContain('Target group other stakeholders removed');
    await say('coord', 'risk add critical outage');
    expect(await say('coord', 'risk list')).toMatch(/r\d+ \(critical\): outage \(no fallback plan\)/);
    const risk = (await project()).risks[0]!.id;
    expect(await say('coord', `risk remove ${risk}`)).toContain(`Risk ${risk} removed.`);
    expect(await say('coord', 'risk')).toContain('No risks recorded yet');
    await say('coord', 'note process.review first');
    await say('coord', 'note process.review second');
    expect(await say('coord', 'note list process.review')).toMatch(/first \(1 · @coord · .*second \(2 · @coord/s);
    expect(await say('coord', 'note remove process.review 1')).toContain('Note 1 removed from process.review.');
    expect(await say('coord', 'note remove process.review 5')).toContain('process.review has no note 5');
    await say('coord', 'item add process Local step');
    expect(await say('coord', 'item remove process.review')).toContain('is on the checklist every project starts from');
    expect(await say('coord', 'item remove process.local-step')).toContain('Item process.local-step removed');
    const p = await project();
    expect(p.comms.map((g) => g.id)).toEqual(['customers', 'staff']);
    expect(p.tasks.find((t) => t.id === 'process.review')?.notes.map((n) => n.text)).toEqual(['second']);
    expect(p.tasks.some((t) => t.id === 'process.local-step')).toBe(false);
    const trail = await h.store.auditTrail('T1', pid);
    for (const action of ['comms.channel-remove', 'comms.group-remove', 'risk.remove', 'task.note-remove', 'task.remove'])
      expect(trail.find((e) => e.action === action)?.before, action).toBeDefined();
    // A member without a role removes nothing.
    expect(await say('mike', 'comms remove group staff')).toContain('Only the coordinator or decision maker may do that');
  });

  it('finds a training by its exact name even when another starts with it', async () => {
    await say('coord', 'golive 2027-03-01');
    await say('coord', 'training add Perehdytys 2027-01-20 10:00 60min all');
    await say('coord', 'training add Perehdytys2 2027-01-21 10:00 60min all');
    expect(await say('coord', 'training cancel Perehdytys')).toContain('“Perehdytys” is cancelled');
    expect((await project()).trainings.map((t) => [t.name, t.cancelled])).toEqual([
      ['Perehdytys', true],
      ['Perehdytys2', false],
    ]);
    await say('coord', 'training add Intro A 2027-01-22 10:00 60min all');
    await say('coord', 'training add Intro B 2027-01-25 10:00 60min all');
    expect(await say('coord', 'training cancel Intro')).toMatch(/“Intro” matches several trainings: t\d+ \(Intro A\), t\d+ \(Intro B\)/);
  });

  it('shows a rejection in readiness when one approval carries the request (need 1)', async () => {
    await say('coord', 'signoff functional anna ben need 1');
    await say('ben', 'reject s1 login fails for Virtu users');
    await say('anna', 'approve s1');
    expect(await say('dora', 'readiness')).toContain(
      'Sign-off, functional testing (E2E): approved (rejected by @ben: “login fails for Virtu users”)',
    );
  });

  it('answers plainly: the last coordinator, the roles that may act, help for one command, names too long', async () => {
    expect(await say('coord', 'unrole me coordinator')).toContain('@coord is the only coordinator, and a project needs one.');
    await say('coord', 'assign process.review anna');
    expect(await say('ben', 'done process.review')).toContain(
      'Only the task owner or coordinator may do that: @anna (task owner) and @coord (coordinator).',
    );
    expect(await say('ben', 'risk add slow search')).toContain(
      'Only the coordinator or decision maker may do that: @coord (coordinator) and @dora (decision maker).',
    );
    const help = await say('coord', 'help signoff');
    expect(help).toContain('signoff technical|functional|acceptance <approvers…> [need <number>]');
    expect(help).toContain('signoff … confirm');
    expect(help).not.toContain('golive <date>');
    const name = 'x'.repeat(20_000);
    for (const line of [
      `role ${name} approver`,
      `assign process.review ${name}`,
      `signoff technical ${name}`,
      `staff add ${name}`,
      `role <@${name}> staff`,
    ])
      expect(await say('coord', line), line.slice(0, 20)).toMatch(/is not a valid person/);
    expect(Object.keys((await project()).people).every((id) => id.length <= 64)).toBe(true);
  });

  it('shows at a glance the blocked tasks and why, the decision in force, sign-offs waiting, staff readiness, the next training and tasks nobody owns', async () => {
    await say('coord', 'golive 2027-03-01');
    await say('coord', 'block process.review waiting for the IT department');
    await say('coord', 'signoff functional anna ben');
    await say('anna', 'approve s1');
    await say('coord', 'staff add olli pekka');
    await say('olli', 'staff yes');
    await say('coord', 'training add Basics 2027-01-20 13:00 90min all');
    await say('dora', 'decide postpone 2027-03-08');
    const status = await say('coord', 'status');
    expect(status).toContain('Decision in force: postponed, 8 Mar 2027 (@dora)');
    expect(status).toContain('Staff ready to log in: 1 of 2');
    expect(status).toContain('Next training: Basics, 20 Jan 2027, 13:00');
    expect(status).toMatch(/Without an owner: 23: process\.review, process\.instructions, .*, …/);
    expect(status).toContain(
      'process.review review the process at the level of daily work and update the process description: waiting for the IT department',
    );
    expect(status).toContain('functional testing (E2E): waiting for @ben');
  });
});

describe('a postponement announces what the preview showed (issue 14)', () => {
  let j: JobsHarness;
  afterEach(async () => j?.close());

  it('sends the postponement text, own or default, not the "moved" one', async () => {
    j = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    await j.say('coord', 'project new Demo');
    for (const line of ['lang en', 'role coord decider', 'comms channel customers C-cust', 'comms langs customers en fi'])
      await j.say('coord', line);
    await j.say('coord', 'comms text customers postpone en {project} waits: the new date is {date}.');
    const preview = textOf(await j.say('coord', 'comms preview postpone'));
    expect(preview).toContain('Demo waits: the new date is');
    await j.say('coord', 'decide postpone 2027-05-04');
    await j.idle();
    const sent = j.chat.posts.filter((p) => p.target.conversation === 'C-cust').map((p) => text(p.card));
    expect(sent).toHaveLength(2);
    expect(sent).toContainEqual(expect.stringContaining('Demo waits: the new date is 4 May 2027.'));
    expect(sent).toContainEqual(expect.stringContaining('Demo: käyttöönottoa on siirretty. Uusi käyttöönottopäivä on 4.5.2027.'));
    expect(sent.join('\n')).not.toContain('käyttöönottopäivä on muuttunut');
  });
});
