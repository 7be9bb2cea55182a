import { ANNOUNCEMENTS, LANGS, PLATFORMS, type Lang, type Platform } from '../domain/types.js';
import type { CommsOp } from './command-types.js';
import { subWord } from './sub-words.js';
import type { Words } from './words.js';

/** `comms …`: the sub-commands of the communications plan. */
export function commsOp(w: Words): CommsOp {
  if (!w.has()) return { op: 'show' };
  const sub = w.oneOf(
    'setting',
    ['show', 'list', 'group', 'channel', 'langs', 'text', 'preview', 'status', 'retry', 'remove'] as const,
    'comms',
  );
  // A standard group may be named in any language (`asiakkaat`, `kunder`); its id is what is stored.
  const group = () =>
    w.parsed('group', w.next('group'), (g) => subWord('group', g) ?? (/^[a-z0-9][a-z0-9-]{0,30}$/i.test(g) ? g.toLowerCase() : undefined));
  switch (sub) {
    case 'list':
      w.end();
      return { op: 'show' };
    case 'remove': {
      // `comms remove channel <group> <channel>`, `comms remove group <group>`: the thing removed first, so no group id can be mistaken for it.
      const what = w.oneOf('setting', ['channel', 'group'] as const, 'commsRemove');
      const g = group();
      if (what === 'group') return (w.end(), { op: 'group-remove', group: g });
      const ref = w.parsed('value', w.next('value'), parseChannelRef);
      w.end();
      return { op: 'channel-remove', group: g, ...ref };
    }
    case 'show':
    case 'status':
    case 'retry':
      w.end();
      return { op: sub };
    case 'group': {
      w.oneOf('setting', ['add'] as const, 'commsGroupAdd');
      const id = group();
      const title = w.rest();
      return { op: 'group-add', group: id, ...(title ? { title } : {}) };
    }
    case 'channel': {
      const g = group();
      const ref = w.parsed('value', w.next('value'), parseChannelRef);
      w.end();
      return { op: 'channel', group: g, ...ref };
    }
    case 'langs': {
      const g = group();
      const langs: Lang[] = [w.oneOf('lang', LANGS, 'lang')];
      while (w.has()) langs.push(w.oneOf('lang', LANGS, 'lang'));
      return { op: 'langs', group: g, langs: [...new Set(langs)] };
    }
    case 'text': {
      const g = group();
      const kind = w.oneOf('outcome', ANNOUNCEMENTS, 'announcement');
      const lang = w.oneOf('lang', LANGS, 'lang');
      return { op: 'text', group: g, kind, lang, text: w.restRequired('text') };
    }
    case 'preview': {
      const kind = w.oneOf('outcome', ANNOUNCEMENTS, 'announcement');
      w.end();
      return { op: 'preview', kind };
    }
  }
}

/** `slack:C123`, `teams:19:abc@thread.tacv2`, `C123` (the adapter's own platform) or Slack's `<#C123|name>`. */
export function parseChannelRef(word: string): { channel: string; platform?: Platform } | undefined {
  const slack = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  if (slack) return { channel: slack[1]!, platform: 'slack' };
  // `slack:` with nothing after it is a channel left out, not a channel named `slack:` on this platform.
  if (/^[a-z]+:$/i.test(word)) return undefined;
  const m = /^([a-z]+):(.+)$/i.exec(word);
  const platform = m ? ((PLATFORMS as readonly string[]).find((x) => x === m[1]!.toLowerCase()) as Platform | undefined) : undefined;
  const id = platform ? m![2]! : word;
  if (!/^[\w:@.#-]{1,200}$/.test(id)) return undefined;
  return { channel: id, ...(platform ? { platform } : {}) };
}
