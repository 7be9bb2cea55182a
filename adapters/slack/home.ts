/** The App Home tab: what a person opens the app for, published with views.publish each time they open it. */
import type { App, types } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import { tenantOf } from './listeners.js';
import type { SlackPeople } from './people.js';
import { LIMITS, renderViewBlocks } from './render-block-kit.js';

/** What the Home tab needs from the adapter. */
export interface HomeDeps {
  bot: Pick<Bot, 'home'>;
  log: Logger;
  people: SlackPeople;
  track(work: () => Promise<void>): Promise<void>;
}

/**
 * `app_home_opened` on the Home tab: the person's open tasks, the sign-offs waiting for them and how each of their
 * projects stands, across the workspace's projects, in their language (`lang`, else their Slack locale). Read-only:
 * its answers are given in the project's channel or in Messages, where the buttons of reminders and requests are.
 */
export function registerHome(app: App, deps: HomeDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home' || typeof event.user !== 'string' || !event.user) return;
    const user = event.user;
    await deps.track(async () => {
      const tenant = tenantOf(body.team_id, body.enterprise_id);
      const locale = (await deps.people.person(client, tenant, user).catch(() => undefined))?.locale;
      const reply = await deps.bot.home({ tenant, userId: user, platform: 'slack', ...(locale ? { locale } : {}) });
      const blocks: types.KnownBlock[] = reply.cards
        .flatMap((card) => renderViewBlocks(card, reply.lang, LIMITS.blocksPerView))
        .slice(0, LIMITS.blocksPerView);
      await client.views.publish({ user_id: user, view: { type: 'home', blocks } });
    });
  });
}
