import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueues, type JobQueues } from '../../jobs/index.js';
import { queueDashboard } from '../../jobs/queue-dashboard.js';
import { HttpServer } from '../../app/http-server.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';

const TOKEN = 'a-long-enough-admin-token';

describe('operators: health probes and the queue dashboard', () => {
  let fresh: FreshRedis;
  let queues: JobQueues;
  let http: HttpServer;
  let base: string;
  beforeEach(async () => {
    fresh = freshRedis();
    queues = createQueues({ redis: fresh.redis, prefix: fresh.prefix });
    http = new HttpServer({ redis: async () => void (await fresh.redis.ping()) });
    http.app.use(queueDashboard(queues, TOKEN));
    http.finish();
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterEach(async () => {
    await http.close();
    await queues.close();
    await fresh.cleanup();
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { redis: 'ok' } });
  });

  it('refuses the dashboard without the token and lists the queues with it', async () => {
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    const page = await fetch(`${base}/admin/queues`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['deliveries', 'planner', 'reminders']);
  });

  it('lets a browser in with ?token= once, through an HttpOnly cookie', async () => {
    const login = await fetch(`${base}/admin/queues?token=${TOKEN}`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/lv_admin=.*HttpOnly/i);
    const page = await fetch(`${base}/admin/queues`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
  });

  it('answers unknown paths with a JSON 404, never a stack trace', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});
