/**
 * The main Slack cards as a phone shows them: rendered to Block Kit by the adapter's renderer and drawn by the
 * Block Kit preview (test/slack/block-kit-preview.ts; Slack has no offline renderer) in headless Chromium, 360 px
 * wide like Slack's mobile app. It fails when a button label is cut (it does not fit its button, or is longer than
 * the ~30 characters Slack's documentation says a button shows), a button sticks out of the message, or a message
 * breaks a documented Block Kit limit (test/slack/block-kit-checker.ts), in Finnish, Swedish and English.
 *
 * `LV_WRITE_SCREENSHOTS=1` writes the English cards to docs/screenshots/slack-*.png, which the README shows.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBlockKit, renderViewBlocks } from '../../adapters/slack/render-block-kit.js';
import { LANGS, type Decision, type Lang, type Project } from '../../src/domain/types.js';
import type { PlannedReminder } from '../../src/domain/reminders.js';
import { recipients } from '../../src/domain/comms.js';
import { signoffCard, statusCard } from '../../src/views/cards.js';
import { announcementCard, commsPreviewCard, decideCard } from '../../src/views/comms-cards.js';
import { homeCards } from '../../src/views/home-cards.js';
import { taskReminderCard } from '../../src/views/reminder-cards.js';
import type { Card } from '../../messages/card.js';
import { catalog, Format } from '../../messages/i18n.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';
import { messageViolations } from './block-kit-checker.js';
import { messageHtml, previewCss, viewHtml, type PreviewNames } from './block-kit-preview.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WIDTH = 360;
/** Slack's button reference: "text may truncate with ~30 characters". */
const BUTTON_CHARS = 30;
const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);

const PEOPLE = { UCORA001: 'Cora Coordinator', UANNA001: 'Anna Approver', UBEN0001: 'Ben Builder', UDORA001: 'Dora Decider' };
const CHANNELS = { C0GOLIVE1: 'go-live', C0STAFF01: 'all-staff' };
const NAMES: PreviewNames = { people: PEOPLE, channels: CHANNELS };

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\`, or set CHROMIUM_PATH.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Draws one message (or view) into the page and returns what is wrong with its buttons as Slack's app would show them. */
async function draw(page: Page, html: string, openMenus = false): Promise<string[]> {
  await page.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>${previewCss(WIDTH)}</style></head><body${openMenus ? ' class="open"' : ''}>${html}</body></html>`,
  );
  return page.evaluate((max) => {
    const out: string[] = [];
    const doc = (globalThis as any).document;
    const frame = doc.body.firstElementChild.getBoundingClientRect();
    for (const btn of doc.querySelectorAll('.btn')) {
      const label = btn.querySelector('.label');
      const text = (label.textContent ?? '') as string;
      if (label.scrollWidth > label.clientWidth + 1) out.push(`“${text}” does not fit its button`);
      if ([...text].length > max) out.push(`“${text}” is longer than the ${max} characters a Slack button shows`);
      if (btn.getBoundingClientRect().right > frame.right + 0.5) out.push(`“${text}” sticks out of the message`);
    }
    for (const menu of doc.querySelectorAll('.overflow'))
      if (menu.getBoundingClientRect().right > frame.right + 0.5) out.push('a ⋯ menu sticks out');
    return out;
  }, BUTTON_CHARS);
}

/** The main cards of a project in one language, as the bot makes them for Slack. */
async function mainCards(lang: Lang, fresh: FreshRedis): Promise<Array<{ name: string; card: Card; home?: boolean }>> {
  // The tasks are assigned before their due dates (a date in the past is refused); the cards are drawn on 23 November, when two are overdue.
  const clock = new TestClock(new Date('2026-11-10T10:00:00Z'));
  const { app } = await composeOnTestRedis({}, { fresh, role: 'web', clock, adapters: [] });
  const tenant = `slack-browser-${lang}`;
  const channel = { platform: 'slack' as const, id: 'C0GOLIVE1' };
  const say = (user: string, text: string) =>
    app.bot.handle({
      actor: { tenant, userId: user, name: PEOPLE[user as keyof typeof PEOPLE], platform: 'slack' },
      channel,
      input: { kind: 'text', text },
    });
  for (const user of Object.keys(PEOPLE)) await say(user, `lang ${lang}`);
  for (const line of [
    'project new Demo City permits',
    'golive 2027-03-02',
    'project languages fi sv',
    'role <@UANNA001> approver',
    'role <@UBEN0001> approver',
    'role <@UDORA001> decider',
    'assign process.review <@UANNA001> 2026-11-18',
    'assign process.instructions <@UBEN0001> 2026-11-20',
    'assign comms.content <@UANNA001> 2027-01-15',
    'done comms.plan',
    'start support.adoption',
    'signoff functional <@UANNA001> <@UBEN0001>',
    'signoff technical <@UANNA001> <@UBEN0001> <@UDORA001>',
    'comms channel customers slack:C0GOLIVE1',
    'comms channel staff slack:C0STAFF01',
  ])
    await say('UCORA001', line);
  const long =
    'Lomakkeen liitteet eivät siirry integraatiossa, kun hakemuksessa on yli kymmenen liitettä; korjaus on luvattu seuraavaan versioon, ja siihen asti virkailija tallentaa liitteet käsin. ';
  await say('UANNA001', `remarks technical ${long.repeat(3)}`);
  await say('UBEN0001', `remarks technical ${long.repeat(2)}`);
  const project: Project = (await app.store.load(tenant, (await app.store.projectIds(tenant))[0]!))!.project;
  await app.stop();
  clock.current = new Date('2026-11-23T10:00:00Z');
  const v = { t: catalog(lang), f: new Format(lang) };
  const task = project.tasks.find((t) => t.id === 'process.review')!;
  const go: Decision = { id: 'd1', outcome: 'go', date: '2027-03-02', by: 'UDORA001', at: '2026-11-23T10:00:00.000Z' };
  const reminder: PlannedReminder = {
    kind: 'overdue',
    task: task.id,
    date: '2026-11-23',
    at: '2026-11-23T07:00:00.000Z',
    to: ['UANNA001'],
    fingerprint: 'f',
  };
  const [functional, technical] = [
    project.signoffs.find((s) => s.kind === 'functional')!,
    project.signoffs.find((s) => s.kind === 'technical')!,
  ];
  return [
    { name: 'status', card: statusCard(v, project, app.calendar, '2026-11-23', lang) },
    { name: 'signoff-request', card: signoffCard(v, project, functional) },
    { name: 'signoff-remarks', card: signoffCard(v, project, technical) },
    { name: 'reminder', card: taskReminderCard(v, project, task, reminder, app.calendar, lang) },
    { name: 'decision', card: decideCard(v, project) },
    { name: 'announcement', card: announcementCard(project, recipients(project)[0]!, 'go', go) },
    { name: 'comms-preview', card: commsPreviewCard(v, project, 'go') },
    ...homeCards(v, [project], 'UANNA001', app.calendar, clock.now(), lang).map((card) => ({ name: 'home', card, home: true })),
  ];
}

describe('the main Slack cards in a Block Kit preview, 360 px wide (a phone)', () => {
  let browser: Browser | undefined;
  let page: Page;
  const fresh: FreshRedis[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'lv-slack-cards-'));

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: WIDTH, height: 900 }, deviceScaleFactor: 2 });
  });
  afterAll(async () => {
    await browser?.close();
    for (const f of fresh) await f.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('sees a cut label: a long snooze label in a button, and five buttons in one row', async () => {
    const t = catalog('fi').reminder;
    const elements = [t.done, t.start, t.snooze1, t.snooze3, `${t.snoozeUntil} ${t.snoozeDate} ${t.snoozeDate}`].map((text, i) => ({
      type: 'button',
      action_id: `a${i}`,
      text: { type: 'plain_text', text },
      value: 'x',
    }));
    const problems = await draw(page, messageHtml([{ type: 'actions', elements }], NAMES));
    expect(problems.length).toBeGreaterThan(0);
  });

  for (const lang of LANGS) {
    it(`in ${lang}: no button label is cut and every message keeps to Block Kit's limits`, { timeout: 60_000 }, async () => {
      const f = freshRedis();
      fresh.push(f);
      const cards = await mainCards(lang, f);
      const problems: string[] = [];
      const shots: Array<{ name: string; html: string }> = [];
      const homeBlocks: unknown[] = [];
      for (const { name, card, home } of cards) {
        if (home) {
          homeBlocks.push(...renderViewBlocks(card, lang, 100));
          continue;
        }
        const r = renderBlockKit(card, lang, { mentions: 'notify', names: PEOPLE });
        if (r.pages.length !== 1) problems.push(`${name}: ${r.pages.length} messages`);
        for (const blocks of r.pages) {
          problems.push(...messageViolations({ blocks, text: r.text }).map((p) => `${name}: ${p}`));
          const html = messageHtml(blocks, NAMES);
          problems.push(...(await draw(page, html)).map((p) => `${name}: ${p}`));
          problems.push(...(await draw(page, html, true)).map((p) => `${name} (menu open): ${p}`));
          shots.push({ name, html });
        }
      }
      expect(homeBlocks.length).toBeLessThanOrEqual(100);
      shots.push({ name: 'home', html: viewHtml(homeBlocks, NAMES) });
      expect(problems).toEqual([]);
      // The shortened request offers its full view; the short one does not need it.
      expect(shots.find((s) => s.name === 'signoff-remarks')!.html).toContain(catalog(lang).chat.cutToFit.split('*')[0]!.trim());

      if (lang !== 'en') return;
      const dir = process.env.LV_WRITE_SCREENSHOTS ? SCREENSHOTS.pathname : tmp;
      mkdirSync(dir, { recursive: true });
      for (const { name, html } of shots) {
        await draw(page, html, name === 'reminder' || name === 'comms-preview');
        await page
          .locator('body > div')
          .first()
          .screenshot({ path: join(dir, `slack-${name}.png`) });
      }
    });
  }
});
