/**
 * The queue dashboard as an operator sees it: /admin/queues opened in headless Chromium (playwright-core
 * driving the system's Chromium), rendered by Bull Board's own page and scripts, listing the bot's queues
 * once the admin token was given, and refusing a browser that has none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type JobQueues } from '../../jobs/index.js';
import { queueDashboard } from '../../jobs/queue-dashboard.js';
import { HttpServer } from '../../app/http-server.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';

const TOKEN = 'browser-admin-token-0123456789';
/** Debian's Chromium; CHROMIUM_PATH points elsewhere on another system. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches the system Chromium, or fails saying exactly what to install. */
async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: this test opens the queue dashboard in headless Chromium. ` +
        'Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu; `bash .ci/run` does this), ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

describe('the queue dashboard in headless Chromium', () => {
  let fresh: FreshRedis;
  let queues: JobQueues;
  let http: HttpServer;
  let browser: Browser | undefined;
  let base: string;
  // Launched inside the tests, not in a hook: without Chromium each test fails with the message above.
  const newContext = async () => (browser ??= await launch()).newContext();
  beforeAll(async () => {
    fresh = freshRedis();
    queues = createQueues({ redis: fresh.redis, prefix: fresh.prefix });
    http = new HttpServer({});
    http.app.use(queueDashboard(queues, TOKEN));
    http.finish();
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await queues?.close();
    await fresh?.cleanup();
  });

  it('shows the planner, reminders and deliveries queues once opened with the token', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const opened = await page.goto(`${base}/admin/queues?token=${TOKEN}`);
      expect(opened?.status()).toBe(200);
      // The token was traded for a cookie and dropped from the address bar.
      expect(new URL(page.url()).search).toBe('');
      for (const name of ['planner', 'reminders', 'deliveries']) {
        await page.getByText(name, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
      }
      const text = await page.locator('body').innerText();
      expect(text).not.toContain(TOKEN);
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'lv_admin')).toMatchObject({ httpOnly: true, path: '/admin/queues' });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a browser without the token, or with a wrong one, and shows no queue', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      for (const url of [
        `${base}/admin/queues`,
        `${base}/admin/queues?token=not-the-admin-token-at-all`,
        `${base}/admin/queues/api/queues`,
      ]) {
        const res = await page.goto(url);
        expect(res?.status(), url).toBe(401);
        const text = await page.locator('body').innerText();
        expect(text).toContain('needs the admin token');
        for (const name of ['planner', 'reminders', 'deliveries']) expect(text).not.toContain(name);
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
