/** What Slack says about people (users.info, cached an hour): their locale for the language, their name for cards. */
import type { webApi } from '@slack/bolt';
import type { Card } from '../../messages/card.js';
import { dict, own, put } from '../../src/domain/dict.js';
import { LookupCache } from './memory.js';

/** One person as users.info describes them. */
export interface SlackPerson {
  locale?: string;
  name?: string;
}

/** How many people one card looks up at most, and how many at once (users.info is Tier 4, but a card should not wait long). */
const LOOKUPS_PER_CARD = 30;
const AT_ONCE = 8;

const MENTIONED = /<@([A-Za-z0-9._-]+)>/g;

/** Every text of a card, where `<@id>` may stand. */
function textsOf(card: Card): string[] {
  const out = [card.title ?? '', card.summary ?? ''];
  for (const b of card.blocks) {
    if (b.type === 'text' || b.type === 'context') out.push(b.text);
    else if (b.type === 'fields') out.push(...b.fields.flatMap((f) => [f.label, f.value]));
    else if (b.type === 'progress') out.push(b.label);
    else if (b.type === 'list') out.push(...b.items.flatMap((i) => [i.text, i.detail ?? '']));
  }
  return out;
}

/** The people of the workspaces, as users.info tells them; a call that fails is not remembered. */
export class SlackPeople {
  private readonly cache = new LookupCache<SlackPerson>();

  /** A person (their locale with include_locale, their display name); `token` for a workspace other than the client's. */
  person(client: webApi.WebClient, tenant: string, userId: string, token?: string): Promise<SlackPerson | undefined> {
    return this.cache.get(`${tenant}|${userId}`, async () => {
      const u = (await client.users.info({ ...(token ? { token } : {}), user: userId, include_locale: true })).user;
      if (!u) return undefined;
      const name = u.profile?.display_name || u.real_name || u.name;
      return { ...(u.locale ? { locale: u.locale } : {}), ...(name ? { name } : {}) };
    });
  }

  /**
   * Names for the people a card shows by name (mentioned, not among those it notifies, and not named by the card),
   * so a channel sees "@Anna Virtanen" rather than an id; at most 30 per card, and none when Slack cannot say.
   */
  async namesFor(client: webApi.WebClient, tenant: string, card: Card, token?: string): Promise<Record<string, string>> {
    const notify = new Set(card.notify ?? []);
    const known = card.people ?? {};
    const ids = new Set<string>();
    for (const text of textsOf(card))
      for (const m of text.matchAll(MENTIONED)) {
        const id = m[1]!;
        const name = own(known, id);
        if (!notify.has(id) && (!name || name === id)) ids.add(id);
      }
    const wanted = [...ids].slice(0, LOOKUPS_PER_CARD);
    const out = dict<string>();
    for (let i = 0; i < wanted.length; i += AT_ONCE) {
      const batch = wanted.slice(i, i + AT_ONCE);
      const found = await Promise.all(batch.map((id) => this.person(client, tenant, id, token).catch(() => undefined)));
      found.forEach((p, j) => {
        if (p?.name) put(out, batch[j]!, p.name);
      });
    }
    return out;
  }
}
