import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import type { Platform } from '../../src/domain/types.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import type { Clock } from '../../src/ports/clock.js';
import { Bot } from '../../src/use-cases/bot.js';
import type { Inbound } from '../../src/use-cases/context.js';
import type { Card, Reply } from '../../messages/card.js';
import { renderText } from '../../adapters/console/render-text.js';
import { freshRedis } from './redis.js';

/** A settable clock for tests. */
export class TestClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return this.current;
  }
}

/** The whole text of a reply, mentions shown as @name, for assertions on what a person would read. */
export function textOf(reply: Reply | Card): string {
  const cards = 'cards' in reply ? reply.cards : [reply];
  return cards.map((c) => renderText(c, () => 0)).join('\n');
}

/** A bot on the shared test Redis under a fresh key prefix, with helpers to speak and click as people. */
export function botHarness(opts: { now?: Date; tenant?: string } = {}) {
  const fresh = freshRedis();
  const store = new RedisStore(fresh.redis, fresh.prefix);
  const clock = new TestClock(opts.now ?? new Date('2026-11-23T10:00:00Z'));
  const bot = new Bot({ store, clock, calendar: new WorkingDayCalendar() });
  const base = (user: string, tenant: string, platform: Platform, locale?: string) => ({
    actor: { tenant, userId: user, name: user, platform, ...(locale ? { locale } : {}) },
    channel: { platform, id: 'C1' },
  });
  const tenant = opts.tenant ?? 'T1';
  return {
    bot,
    store,
    clock,
    redis: fresh.redis,
    cleanup: fresh.cleanup,
    say(user: string, text: string, o: { tenant?: string; locale?: string; idemKey?: string } = {}): Promise<Reply> {
      const inbound: Inbound = { ...base(user, o.tenant ?? tenant, 'console', o.locale), ...(o.idemKey ? { idemKey: o.idemKey } : {}), input: { kind: 'text', text } };
      return bot.handle(inbound);
    },
    click(user: string, action: string, value: string, o: { tenant?: string; fields?: Record<string, string>; idemKey?: string; locale?: string } = {}): Promise<Reply> {
      return bot.handle({ ...base(user, o.tenant ?? tenant, 'console', o.locale), ...(o.idemKey ? { idemKey: o.idemKey } : {}), input: { kind: 'action', action, value, ...(o.fields ? { fields: o.fields } : {}) } });
    },
    async projectId(t = tenant): Promise<string> {
      const id = await store.projectIdFor(t, { platform: 'console', id: 'C1' });
      if (!id) throw new Error('no project in C1');
      return id;
    },
  };
}
