import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from '../support/bot-harness.js';
import { helsinki, jobsHarness, type JobsHarness } from '../jobs/support/jobs-harness.js';
import { text } from '../jobs/support/recording-chat.js';
import { decide } from '../../src/domain/decision.js';
import { isRefusal } from '../../src/domain/change.js';

/** Announcement texts written in a form, the "moved" announcement of a later date change, and the go-live-day announcement. */
describe('announcement texts and occasions beyond the decision (console, real Redis, delivery workers)', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  async function project(): Promise<string> {
    await h.say('coord', 'project new Demo');
    for (const p of ['coord', 'dora', 'eve']) await h.say(p, 'lang en');
    await h.say('coord', 'role dora decider');
    await h.say('coord', 'comms channel customers C-cust');
    await h.say('coord', 'comms channel staff C-staff');
    await h.say('coord', 'comms langs staff fi');
    return h.projectId();
  }

  it('offers each group a form prefilled with the text in force, and saves what is written there', async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    const id = await project();
    await h.say('coord', 'golive 2027-03-02');
    const preview = (await h.say('coord', 'comms preview go')).cards[0]!;
    const customers = preview.buttons?.find((b) => b.value === `${id}|customers|go`);
    expect(customers?.label).toBe('Write the texts: customers');
    // One input per language of the group, starting from the catalogue's default in that language.
    expect(customers?.form?.inputs.map((i) => i.id)).toEqual(['fi', 'sv']);
    expect(customers?.form?.inputs[0]?.initial).toContain('käyttöönotosta on päätetty');
    expect(customers?.form?.inputs[1]?.initial).toContain('tas i bruk');
    expect(preview.buttons?.find((b) => b.value === `${id}|staff|go`)?.form?.inputs.map((i) => i.id)).toEqual(['fi']);

    // Someone without a role cannot change the texts; the coordinator can, and the preview shows the own text.
    expect(textOf(await h.click('eve', 'comms.texts', `${id}|customers|go`, { fi: 'x', sv: 'y' }))).toContain('Only');
    const saved = textOf(
      await h.click('coord', 'comms.texts', `${id}|customers|go`, {
        fi: customers!.form!.inputs[0]!.initial!,
        sv: '{project} tas i bruk {date}. Välkommen!',
      }),
    );
    expect(saved).toBe('The announcement (go decision, Swedish) for customers is saved.');
    const after = textOf(await h.say('coord', 'comms preview go'));
    expect(after).toContain('Demo tas i bruk 2.3.2027. Välkommen!');
    expect(after).toContain('C-cust (Swedish, own text)');
    // The next form starts from the own text, and submitting it unchanged changes nothing.
    const again = (await h.say('coord', 'comms preview go')).cards[0]!.buttons!.find((b) => b.value === `${id}|customers|go`)!;
    expect(again.form?.inputs[1]?.initial).toBe('{project} tas i bruk {date}. Välkommen!');
    expect(
      textOf(await h.click('coord', 'comms.texts', `${id}|customers|go`, { sv: '{project} tas i bruk {date}. Välkommen!' })),
    ).toContain('already');
    // A forged kind is not a button the bot made.
    expect(textOf(await h.click('coord', 'comms.texts', `${id}|customers|launch`, { fi: 'x' }))).toContain(
      'That button is no longer valid',
    );
  });

  it('announces a moved go-live date once people were told one, once per move, and not before any decision', async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    await project();
    const moved = () => h.chat.posts.filter((x) => x.key?.startsWith('ann|') && x.key.includes('|moved-'));
    expect(textOf(await h.say('coord', 'golive 2027-03-02'))).not.toContain('announced');
    await h.idle();
    expect(moved()).toEqual([]);

    expect(textOf(await h.say('dora', 'decide go override Ready enough'))).toContain('The announcement is being sent: 3 messages');
    const reply = textOf(await h.say('coord', 'golive 2027-03-09'));
    expect(reply).toContain('the move is announced too: 3 messages');
    await h.idle();
    expect(
      moved()
        .map((x) => `${x.target.conversation} ${x.key?.split('|').at(-1)}`)
        .sort(),
    ).toEqual(['C-cust fi', 'C-cust sv', 'C-staff fi']);
    expect(text(moved().find((x) => x.target.conversation === 'C-staff')!.card)).toContain('Uusi päivä on 9.3.2027.');

    // The same date again changes nothing and tells nobody; another move is told again.
    expect(textOf(await h.say('coord', 'golive 2027-03-09'))).toContain('already');
    await h.idle();
    expect(moved()).toHaveLength(3);
    await h.say('coord', 'golive 2027-03-02');
    await h.idle();
    expect(moved()).toHaveLength(6);
    expect([...h.chat.perKey()].filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('sends the go-live-day announcement on the go-live day only, once, and not for a date that moved away', async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    await project();
    await h.say('coord', 'golive 2027-03-02');
    await h.say('dora', 'decide go override Ready enough');
    await h.idle();
    const day = () => h.chat.posts.filter((x) => x.key?.startsWith('ann|') && x.key.includes('|golive-day-'));

    await h.planDay('2027-03-01');
    expect((await h.delayed()).filter((j) => j.data.type === 'golive-day')).toEqual([]);
    await h.planDay('2027-03-02');
    const planned = (await h.delayed()).filter((j) => j.data.type === 'golive-day');
    expect(planned.map((j) => helsinki(j.data.at))).toEqual(['2027-03-02 09:00']);
    await h.runUntil('2027-03-02', '09:00');
    expect(
      day()
        .map((x) => `${x.target.conversation} ${x.key?.split('|').at(-1)}`)
        .sort(),
    ).toEqual(['C-cust fi', 'C-cust sv', 'C-staff fi']);
    expect(text(day().find((x) => x.target.conversation === 'C-staff')!.card)).toMatch(/Demo/);
    // Planning the day again (a second planner, a restart) sends nothing twice.
    await h.planDay('2027-03-02', '09:30');
    await h.runUntil('2027-03-02', '10:00');
    expect(day()).toHaveLength(3);

    // A go-live date moved away before its morning: the planned announcement is dropped, not sent.
    await h.say('coord', 'golive 2027-03-16');
    await h.idle();
    await h.planDay('2027-03-16');
    expect((await h.delayed()).filter((j) => j.data.type === 'golive-day')).toHaveLength(1);
    await h.say('dora', 'decide postpone 2027-04-06');
    await h.runUntil('2027-03-16', '09:00');
    expect(day().filter((x) => x.key?.includes('golive-day-2027-03-16'))).toEqual([]);
  });

  it("completes a decision's broadcast that a crash right after recording it left unqueued, once", async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    const id = await project();
    await h.say('coord', 'golive 2027-03-02');
    await h.idle();
    // The decision is committed as the bot would, and the process "dies" before the broadcast is queued.
    const loaded = (await h.store.load('T1', id))!;
    const change = decide(loaded.project, 'dora', { outcome: 'go', override: 'Ready enough' }, h.clock.now().toISOString(), '2026-11-23');
    if (isRefusal(change) || change.unchanged) throw new Error('the decision should be accepted');
    expect(
      await h.store.commit(loaded, change.project, {
        at: h.clock.now().toISOString(),
        actor: 'dora',
        platform: 'console',
        ...change.audit,
      }),
    ).toBe('ok');
    await h.idle();
    expect(h.chat.posts.filter((x) => x.key?.startsWith('ann|'))).toEqual([]);

    // The next plan of the project (the nightly one here) finds the broadcast missing and queues it.
    await h.planDay('2026-11-24');
    const d = change.project.decisions.at(-1)!.id;
    expect(
      h.chat.posts
        .filter((x) => x.key?.startsWith(`ann|${d}|`))
        .map((x) => `${x.target.conversation} ${x.key?.split('|').at(-1)}`)
        .sort(),
    ).toEqual(['C-cust fi', 'C-cust sv', 'C-staff fi']);
    await h.planDay('2026-11-25');
    await h.say('coord', 'note process.review checked');
    await h.idle();
    expect([...h.chat.perKey()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(h.chat.posts.filter((x) => x.key?.startsWith('ann|'))).toHaveLength(3);
  });
});
