/**
 * The main Teams cards as a phone shows them: rendered by the official Adaptive Cards renderer
 * (`adaptivecards`, its browser bundle) in headless Chromium, 340 px wide, with a host config like Teams'
 * (Teams' light host config, published in microsoft/AdaptiveCards samples/HostConfig: 16 px padding, 14 px
 * text, buttons in one row from the left) and a font with Segoe UI's metrics where Segoe UI is missing
 * (Liberation Sans, from fonts-liberation). It fails when a button label is cut (the renderer ends a label
 * that does not fit with an ellipsis) or a card passes Teams' message size, in Finnish, Swedish and English,
 * including the cards a "More" or form button opens.
 *
 * `LV_WRITE_SCREENSHOTS=1` writes the English cards to docs/screenshots/teams-*.png, which the README shows.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGS, type Decision, type Lang, type Project } from '../../src/domain/types.js';
import type { PlannedReminder } from '../../src/domain/reminders.js';
import { recipients } from '../../src/domain/comms.js';
import { statusCard, signoffCard } from '../../src/views/cards.js';
import { announcementCard, commsPreviewCard, decideCard } from '../../src/views/comms-cards.js';
import { taskReminderCard } from '../../src/views/reminder-cards.js';
import type { Card } from '../../messages/card.js';
import { catalog, Format } from '../../messages/i18n.js';
import { cardBytes, TEAMS_MESSAGE_LIMIT_BYTES } from '../../adapters/teams/card-size.js';
import { renderAdaptiveCard, type AcElement, type AdaptiveCard } from '../../adapters/teams/render-adaptive-card.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WIDTH = 340;
const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);

/** Teams' light host config, in the parts that decide the layout; the font falls back to one with Segoe UI's metrics. */
const HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Liberation Sans', Arial, sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: { default: { default: '#252424', subtle: '#bf252424' } } },
    emphasis: { backgroundColor: '#f9f8f7', foregroundColors: { default: { default: '#252424', subtle: '#bf252424' } } },
    good: { backgroundColor: '#92c353' },
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  factSet: { title: { weight: 'Bolder', wrap: true }, value: { wrap: true }, spacing: 16 },
};

/** Buttons as Teams draws them: 32 px high, 14 px semibold, 12 px side padding, a thin border. */
const CSS = `
  body { margin: 0; background: #f5f5f5; font-family: 'Liberation Sans', Arial, sans-serif; }
  #card { width: ${WIDTH}px; background: #fff; border: 1px solid #e1dfdd; border-radius: 6px; overflow: hidden; }
  .ac-pushButton { font: 600 14px 'Liberation Sans', Arial, sans-serif; height: 32px; padding: 0 12px; border: 1px solid #e1dfdd;
    border-radius: 4px; background: #fff; color: #242424; min-width: 0; display: flex; align-items: center; justify-content: center; }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #5b5fc7; color: #fff; border-color: #5b5fc7; }
  .ac-pushButton.style-destructive { color: #c4314b; }
  .ac-pushButton.expanded { background: #edebe9; }
  .mention { color: #5b5fc7; font-weight: 600; }
`;

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

/** The page with the official renderer loaded, and Markdown as Teams shows it: bold, line breaks, mentions. */
async function rendererPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: WIDTH + 40, height: 800 }, deviceScaleFactor: 2 });
  await page.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><div id="card"></div></body></html>`,
  );
  const bundle = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
  await page.addScriptTag({ path: bundle });
  await page.evaluate(() => {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    (globalThis as any).AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text: string, result: any) => {
      result.outputHtml = `<p style="margin:0">${esc(text)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/&lt;at&gt;([^&]*)&lt;\/at&gt;/g, '<span class="mention">$1</span>')
        .replace(/\n/g, '<br>')}</p>`;
      result.didProcess = true;
    };
  });
  return page;
}

/** Renders a card into #card and returns the labels the renderer had to cut (a title wider than its button). */
async function cutLabels(page: Page, card: AcElement | AdaptiveCard): Promise<string[]> {
  return page.evaluate(
    ({ card, hostConfig }) => {
      const AC = (globalThis as any).AdaptiveCards;
      const document = (globalThis as any).document;
      const adaptive = new AC.AdaptiveCard();
      adaptive.hostConfig = new AC.HostConfig(hostConfig);
      adaptive.parse(card);
      const target = document.getElementById('card');
      target.innerHTML = '';
      target.appendChild(adaptive.render());
      const titles: Array<{ scrollWidth: number; clientWidth: number; textContent: string | null }> = [
        ...target.querySelectorAll('.ac-pushButton > div'),
      ];
      return titles.filter((title) => title.scrollWidth > title.clientWidth + 1).map((title) => title.textContent ?? '');
    },
    { card: { version: '1.5', ...card }, hostConfig: HOST_CONFIG },
  );
}

/** A card and every card its buttons open ("More", forms), each to be checked at the full width. */
function withOpened(card: AcElement | AdaptiveCard): Array<AcElement | AdaptiveCard> {
  const out: Array<AcElement | AdaptiveCard> = [card];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'Action.ShowCard' && o.card) out.push(...withOpened(o.card as AcElement));
    else for (const v of Object.values(o)) walk(v);
  };
  walk((card as { body?: unknown }).body);
  walk((card as { actions?: unknown }).actions);
  return out;
}

/** The main cards of a project in one language, as the bot makes them: what each person is shown. */
async function mainCards(lang: Lang, fresh: FreshRedis): Promise<Array<{ name: string; card: AdaptiveCard }>> {
  // The tasks are assigned before their due dates (a date in the past is refused); the cards are drawn on 23 November, when they are overdue.
  const clock = new TestClock(new Date('2026-11-10T10:00:00Z'));
  const { app } = await composeOnTestRedis({}, { fresh, role: 'web', clock, adapters: [] });
  const tenant = `browser-${lang}`;
  const channel = { platform: 'teams' as const, id: '19:browser@thread.tacv2' };
  const say = (user: string, text: string) =>
    app.bot.handle({ actor: { tenant, userId: user, name: user, platform: 'teams' }, channel, input: { kind: 'text', text } });
  for (const user of ['coord', 'anna', 'ben', 'dora']) await say(user, `lang ${lang}`);
  for (const line of [
    'project new Demo City permits',
    'golive 2027-03-02',
    'project languages fi sv',
    'role anna approver',
    'role ben approver',
    'role dora decider',
    'assign process.review anna 2026-11-18',
    'assign process.instructions ben 2026-11-20',
    'done comms.plan',
    'start support.adoption',
    'signoff functional anna ben',
    `comms channel customers teams:${channel.id}`,
    'comms channel staff teams:19:staff@thread.tacv2',
  ])
    await say('coord', line);
  const project: Project = (await app.store.load(tenant, (await app.store.projectIds(tenant))[0]!))!.project;
  await app.stop();
  const v = { t: catalog(lang), f: new Format(lang) };
  const names = { coord: 'Cora Coordinator', anna: 'Anna Approver', ben: 'Ben Builder', dora: 'Dora Decider' };
  const options = {
    lang,
    names,
    teamsIds: { anna: '29:anna', ben: '29:ben' },
    channels: { [channel.id]: 'Go-live', '19:staff@thread.tacv2': 'All staff' },
  };
  const task = project.tasks.find((t) => t.id === 'process.review')!;
  const signoff = project.signoffs.at(-1)!;
  const go: Decision = { id: 'd1', outcome: 'go', date: '2027-03-02', by: 'dora', at: '2026-11-23T10:00:00.000Z' };
  const reminder: PlannedReminder = {
    kind: 'overdue',
    task: task.id,
    date: '2026-11-23',
    at: '2026-11-23T07:00:00.000Z',
    to: ['anna'],
    fingerprint: 'f',
  };
  const cards: Array<{ name: string; card: Card; viewer?: string }> = [
    { name: 'status', card: statusCard(v, project, app.calendar, '2026-11-23', lang) },
    { name: 'signoff-request', card: signoffCard(v, project, signoff), viewer: 'anna' },
    { name: 'signoff-request-channel', card: signoffCard(v, project, signoff) },
    {
      name: 'reminder',
      card: taskReminderCard(v, project, task, reminder, app.calendar, lang),
    },
    { name: 'decision', card: decideCard(v, project) },
    { name: 'announcement', card: announcementCard(project, recipients(project)[0]!, 'go', go) },
    { name: 'comms-preview', card: commsPreviewCard(v, project, 'go') },
  ];
  return cards.map(({ name, card, viewer }) => ({ name, card: renderAdaptiveCard(card, { ...options, ...(viewer ? { viewer } : {}) }) }));
}

describe('the main Teams cards in the official Adaptive Cards renderer, 340 px wide', () => {
  let browser: Browser | undefined;
  let page: Page;
  const fresh: FreshRedis[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'lv-cards-'));

  beforeAll(async () => {
    browser = await launch();
    page = await rendererPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    for (const f of fresh) await f.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('sees a cut label: five reminder buttons in one row, as the bot drew them before', async () => {
    const t = catalog('en').reminder;
    const buttons = [t.done, t.start, t.snooze1, t.snooze3, t.snoozeUntil].map((title) => ({ type: 'Action.Execute', title, verb: 'x' }));
    const cut = await cutLabels(page, { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Overdue' }], actions: buttons });
    expect(cut.length).toBeGreaterThan(0);
    expect(cut).toContain(t.snooze3);
  });

  for (const lang of LANGS) {
    it(`in ${lang}: no button label is cut and no card passes Teams' size`, { timeout: 60_000 }, async () => {
      const f = freshRedis();
      fresh.push(f);
      const cards = await mainCards(lang, f);
      const problems: string[] = [];
      for (const { name, card } of cards) {
        if (cardBytes(card) > TEAMS_MESSAGE_LIMIT_BYTES) problems.push(`${name}: ${cardBytes(card)} bytes`);
        for (const [i, shown] of withOpened(card).entries()) {
          for (const label of await cutLabels(page, shown))
            problems.push(`${name}${i > 0 ? ` (opened card ${i})` : ''}: “${label}” is cut`);
        }
      }
      expect(problems).toEqual([]);
      // The approver's view has its buttons; the channel's copy shows the state only.
      expect(cards.find((c) => c.name === 'signoff-request')!.card.actions?.length).toBeGreaterThan(0);
      expect(cards.find((c) => c.name === 'signoff-request-channel')!.card.actions).toBeUndefined();

      if (lang !== 'en') return;
      const dir = process.env.LV_WRITE_SCREENSHOTS ? SCREENSHOTS.pathname : tmp;
      mkdirSync(dir, { recursive: true });
      for (const { name, card } of cards) {
        await cutLabels(page, card);
        await page.locator('#card').screenshot({ path: join(dir, `teams-${name}.png`) });
      }
    });
  }
});
