import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { JobQueues } from './job-queues.js';

/** Where operators open the queue dashboard. */
export const DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'lv_admin';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: Request): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Bull Board for operators, behind the admin token: `Authorization: Bearer <token>`, or open
 * `/admin/queues?token=<token>` once in a browser, which sets an HttpOnly cookie for the dashboard only.
 */
export function queueDashboard(queues: JobQueues, token: string): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [queues.planner, queues.reminders, queues.deliveries].map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter: adapter,
  });
  const guard = (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (query !== undefined && same(query, token)) {
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: DASHBOARD_PATH, secure: req.secure });
      res.redirect(DASHBOARD_PATH);
      return;
    }
    const given = bearer ?? cookieToken(req);
    if (given !== undefined && same(given, token)) {
      next();
      return;
    }
    res.status(401).json({ error: 'the queue dashboard needs the admin token (LV_ADMIN_TOKEN)' });
  };
  const router = Router();
  router.use(DASHBOARD_PATH, guard, adapter.getRouter() as Router);
  return router;
}
