/** Every copy of a card about one subject (a sign-off request in the channel and in each approver's DM), kept current. */
import type { webApi } from '@slack/bolt';
import type { Card } from '../../messages/card.js';
import type { ConversationDirectory } from '../../src/ports/conversations.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';
import type { SlackPeople } from './people.js';
import { renderBlockKit } from './render-block-kit.js';

/** Where the copies are kept: the Slack side of the conversation directory (Redis, per tenant, for 120 days). */
export type CopyStore = Pick<ConversationDirectory, 'saveCopy' | 'copies'>;

const isDirect = (channel: string): boolean => channel.startsWith('D');

/**
 * The messages that show a subject. Each post of a card with a subject is remembered (its channel and ts, and whose
 * DM it is in); when one is answered, every other copy is made again as its reader should see it (the channel's in
 * the project's language, an approver's in theirs, their buttons only while they still have to answer) and replaced
 * with chat.update, so nobody is left with a stale request and its buttons.
 */
export class SubjectCopies {
  constructor(
    private readonly store: CopyStore,
    private readonly bot: Pick<Bot, 'handle'>,
    private readonly people: SlackPeople,
    private readonly log: Logger,
  ) {}

  /** Remembers a posted copy; a failure to remember costs only its later update. */
  async remember(tenant: string, card: Card, channel: string, ts: string, viewer?: string): Promise<void> {
    if (!card.subject || !ts) return;
    await this.store
      .saveCopy(tenant, card.subject.key, { reference: { channel }, messageId: `${channel}:${ts}`, ...(viewer ? { viewer } : {}) })
      .catch((e: unknown) => this.log.warn({ err: e, channel }, 'slack: a copy of a card could not be remembered'));
  }

  /**
   * Brings every copy of the card's subject but `except` (the message just replaced) up to date, asking the bot for
   * each reader's view (`by` reads the shared copies); resolves with the channels whose shared copy was updated.
   */
  async refresh(client: webApi.WebClient, tenant: string, card: Card, by: string, except?: string): Promise<Set<string>> {
    const updated = new Set<string>();
    const subject = card.subject;
    if (!subject) return updated;
    const copies = await this.store.copies(tenant, subject.key).catch(() => []);
    for (const copy of copies) {
      if (copy.messageId === except) continue;
      const cut = copy.messageId.lastIndexOf(':');
      const [channel, ts] = [copy.messageId.slice(0, cut), copy.messageId.slice(cut + 1)];
      const reader = copy.viewer ?? by;
      try {
        const locale = (await this.people.person(client, tenant, reader).catch(() => undefined))?.locale;
        const reply = await this.bot.handle({
          actor: { tenant, userId: reader, platform: 'slack', ...(locale ? { locale } : {}) },
          channel: { platform: 'slack', id: channel },
          direct: isDirect(channel),
          shared: !copy.viewer,
          input: { kind: 'action', action: subject.view.action, value: subject.view.value },
        });
        const shown = reply.cards[0];
        if (!shown?.subject) continue; // refused (the request is gone, the reader left): that copy stays as it is
        const names = copy.viewer ? {} : await this.people.namesFor(client, tenant, shown);
        const { pages, text } = renderBlockKit(shown, reply.lang, {
          mentions: 'notify',
          names,
          single: true,
          ...(copy.viewer ? { viewer: copy.viewer } : {}),
        });
        await client.chat.update({ channel, ts, blocks: pages[0] ?? [], text });
        if (!copy.viewer) updated.add(channel);
      } catch (e) {
        this.log.warn({ channel, err: e }, 'slack: a copy of a card could not be brought up to date');
      }
    }
    return updated;
  }
}
