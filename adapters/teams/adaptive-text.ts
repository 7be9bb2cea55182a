import { CHANNEL_MENTION } from '../../messages/i18n.js';
import { own } from '../../src/domain/dict.js';

/**
 * The neutral text conventions as Teams shows them. `<@id>` is a person: a real mention (`<at>Name</at>`
 * with a mention entity, which notifies them) for the people a card is meant to reach, their name for
 * anyone else. `<#teams:id>` is a channel: its name. `` `…` `` is a command example: Adaptive Cards'
 * Markdown has no code spans (backticks would show as they are), so examples are bold in Markdown texts
 * and plain in buttons, labels and notifications. Pure: no botbuilder, so cards can be tested on their own.
 */

/** A mention entity as Teams reads it from a card's `msteams.entities`. */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** What the texts of one card need: display names, who is notified, the people's Teams ids and channel names. */
export interface InlineContext {
  people: Record<string, string>;
  notify: ReadonlySet<string>;
  /** Teams ids (`29:…`) by user id; a mention names the user id itself (an Entra object id, which Teams also takes) when the Teams id is unknown. */
  teamsIds: Record<string, string>;
  /** Display names of Teams channels by conversation id. */
  channels: Record<string, string>;
}

const PERSON = /<@([^>|]+)(?:\|([^>]*))?>/g;
const CODE = /`([^`\n]+)`/g;

/** A display name that cannot break the `<at>…</at>` markup or Markdown around it. */
const safeName = (name: string): string => name.replace(/[<>*_`[\]]/g, '').trim() || '?';

/** Turns the neutral conventions into Teams text, collecting the mention entities the card must carry. */
export class InlineText {
  private readonly mentions = new Map<string, MentionEntity>();
  constructor(private readonly ctx: InlineContext) {}

  /** The mention entities of every real mention made so far, one per person. */
  entities(): MentionEntity[] {
    return [...this.mentions.values()];
  }

  private name(id: string, label?: string): string {
    return own(this.ctx.people, id) ?? label ?? id;
  }

  private channel(platform: string, id: string): string {
    return platform === 'teams' ? (own(this.ctx.channels, id) ?? `teams:${id}`) : `${platform}:${id}`;
  }

  /** For TextBlock and Fact texts (Markdown, where Teams renders mentions). */
  markdown(text: string): string {
    return text
      .replace(PERSON, (_, id: string, label?: string) => {
        if (!this.ctx.notify.has(id)) return this.name(id, label);
        const at = `<at>${safeName(this.name(id, label))}</at>`;
        if (!this.mentions.has(id)) {
          this.mentions.set(id, {
            type: 'mention',
            text: at,
            mentioned: { id: own(this.ctx.teamsIds, id) ?? id, name: this.name(id, label) },
          });
        }
        return at;
      })
      .replace(CHANNEL_MENTION, (_, platform: string, id: string) => this.channel(platform, id))
      .replace(CODE, (_, code: string) => `**${code.trim()}**`);
  }

  /** For button titles, input labels, placeholders and notifications: no Markdown, no mentions. */
  plain(text: string): string {
    return plainText(text, this.ctx);
  }
}

/** A neutral text as plain text: people and channels by name, command examples without their backticks. */
export function plainText(text: string, ctx: Pick<InlineContext, 'people' | 'channels'>): string {
  return text
    .replace(PERSON, (_, id: string, label?: string) => own(ctx.people, id) ?? label ?? id)
    .replace(CHANNEL_MENTION, (_, platform: string, id: string) =>
      platform === 'teams' ? (own(ctx.channels, id) ?? `teams:${id}`) : `${platform}:${id}`,
    )
    .replace(CODE, '$1');
}

/** Every `<#teams:id>` channel a text names, so the adapter can look up the names a card needs. */
export function teamsChannelsIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(CHANNEL_MENTION)].filter((m) => m[1] === 'teams').map((m) => m[2]!);
}

/** Every `<@id>` person a text names. */
export function peopleIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(PERSON)].map((m) => m[1]!);
}
