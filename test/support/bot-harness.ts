import { PassThrough } from 'node:stream';
import { ConsoleShell } from '../../adapters/console/console-shell.js';
import type { Platform } from '../../src/domain/types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Inbound } from '../../src/use-cases/context.js';
import type { Card, Reply } from '../../messages/card.js';
import { renderText } from '../../adapters/console/render-text.js';
import { composeOnTestRedis } from './composed.js';

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

/**
 * lv-bot composed as a web process (no workers, no platform) on the shared test Redis under a fresh key
 * prefix, with helpers to speak and click as people.
 */
export async function botHarness(opts: { now?: Date; tenant?: string } = {}) {
  const clock = new TestClock(opts.now ?? new Date('2026-11-23T10:00:00Z'));
  const { app, fresh, cleanup } = await composeOnTestRedis({}, { role: 'web', clock, adapters: [] });
  const { bot, store } = app;
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
    cleanup,
    say(user: string, text: string, o: { tenant?: string; locale?: string; idemKey?: string } = {}): Promise<Reply> {
      const inbound: Inbound = {
        ...base(user, o.tenant ?? tenant, 'console', o.locale),
        ...(o.idemKey ? { idemKey: o.idemKey } : {}),
        input: { kind: 'text', text },
      };
      return bot.handle(inbound);
    },
    click(
      user: string,
      action: string,
      value: string,
      o: { tenant?: string; fields?: Record<string, string>; idemKey?: string; locale?: string } = {},
    ): Promise<Reply> {
      return bot.handle({
        ...base(user, o.tenant ?? tenant, 'console', o.locale),
        ...(o.idemKey ? { idemKey: o.idemKey } : {}),
        input: { kind: 'action', action, value, ...(o.fields ? { fields: o.fields } : {}) },
      });
    },
    async projectId(t = tenant): Promise<string> {
      const id = await store.projectIdFor(t, { platform: 'console', id: 'C1' });
      if (!id) throw new Error('no project in C1');
      return id;
    },
  };
}

/** The bot harness's type. */
export type BotHarness = Awaited<ReturnType<typeof botHarness>>;

/** Feeds lines to a console shell and collects what it prints. */
export async function consoleSession(h: BotHarness, lines: string[], user = 'coord'): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const shell = new ConsoleShell(h.bot, { tenant: 'T1', user, input, output, interactive: false });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await shell.run();
  return out;
}
