import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { jobsHarness, type JobsHarness } from '../jobs/support/jobs-harness.js';
import { RecordingChatPort, text } from '../jobs/support/recording-chat.js';

/**
 * The language of a message the bot sends unasked is decided once, where the message is built, and travels
 * with it through the delivery job to the platform's renderer: the person's own `lang` choice, else their
 * platform's language setting, else the project's first language; a message to the channel is in the
 * project's language. The renderer is never left to guess.
 */
describe('the language of outbound messages', () => {
  let h: JobsHarness;
  afterEach(async () => h?.close());

  it('follows the person’s choice, else their platform locale, else the project’s language, and is carried to the platform', async () => {
    // sven's platform says Swedish, erin's English, fredrik's nothing; greta chose English herself.
    const chat = new RecordingChatPort('console', { locales: { sven: 'sv-SE', erin: 'en-US', greta: 'fi-FI' } });
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z'), chat });
    await h.say('coord', 'project new Demo');
    await h.say('coord', 'project languages fi sv');
    await h.say('coord', 'project login virtu');
    await h.say('greta', 'lang en');
    await h.say('coord', 'staff add sven erin fredrik greta');
    await h.idle();

    const asked = (who: string) => h.chat.to(who)[0]!;
    expect(asked('sven').lang).toBe('sv');
    expect(text(asked('sven').card)).toContain(catalog('sv').staff.askTitle({ project: 'Demo' }));
    expect(asked('erin').lang).toBe('en');
    expect(asked('fredrik').lang).toBe('fi');
    expect(text(asked('fredrik').card)).toContain(catalog('fi').staff.askTitle({ project: 'Demo' }));
    expect(asked('greta').lang).toBe('en');
  });

  it('writes an announcement to each group channel in each of the group’s languages, and says so to the renderer', async () => {
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z') });
    await h.say('coord', 'project new Demo');
    await h.say('coord', 'role dora decider');
    await h.say('coord', 'golive 2027-03-02');
    await h.say('coord', 'comms channel customers C-cust');
    await h.say('coord', 'comms langs customers fi sv en');
    await h.say('dora', 'decide postpone 2027-04-06');
    await h.idle();
    const toCustomers = h.chat.posts.filter((p) => p.target.conversation === 'C-cust');
    expect(toCustomers.map((p) => p.lang).sort()).toEqual(['en', 'fi', 'sv']);
    for (const p of toCustomers) expect(p.key).toMatch(new RegExp(`\\|${p.lang}$`));
  });
});
