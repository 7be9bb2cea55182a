/**
 * A small, faithful HTML preview of Block Kit, for looking at lv-bot's messages in a browser: Slack publishes no
 * offline renderer, so this draws the blocks lv-bot uses (header, section with text or fields, context, actions
 * with buttons and overflow menus, divider) and mrkdwn's basics (*bold*, _italic_, ~strike~, `code`, line breaks,
 * &amp; entities, <@U…> mentions and <#C…> channels by name, :emoji: codes) the way Slack's mobile app lays them out:
 * 15 px Lato-like text, buttons 36 px high in rows that wrap, a label that does not fit its button cut with an
 * ellipsis. It is only as exact as Slack's documentation: button text may be cut at about 30 characters.
 */

/** The emoji codes lv-bot's cards use, as the characters Slack shows. */
const EMOJI: Record<string, string> = {
  white_circle: '⚪',
  large_blue_circle: '🔵',
  no_entry: '⛔',
  white_check_mark: '✅',
  heavy_minus_sign: '➖',
  x: '❌',
  warning: '⚠️',
  information_source: 'ℹ️',
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const emoji = (html: string) => html.replace(/:([a-z_]+):/g, (m, code: string) => EMOJI[code] ?? m);

/** The display names of people (`U…` → name) and channels (`C…` → name), as Slack resolves `<@U…>` and `<#C…>`. */
export interface PreviewNames {
  people: Record<string, string>;
  channels: Record<string, string>;
}

/** mrkdwn (already escaped for Slack: &amp; &lt; &gt;) as HTML. */
export function mrkdwnHtml(text: string, names: PreviewNames): string {
  const codes: string[] = [];
  let html = text.replace(/`([^`\n]+)`/g, (_, code: string) => `\uE000${codes.push(code) - 1}\uE000`);
  html = html
    .replace(/"/g, '&quot;')
    .replace(/<@([A-Z0-9]+)>/g, (_, id: string) => `<span class="mention">@${escapeHtml(names.people[id] ?? id)}</span>`)
    .replace(/<#([A-Z0-9]+)>/g, (_, id: string) => `<span class="channel">#${escapeHtml(names.channels[id] ?? id)}</span>`)
    .replace(/(^|[\s(“”])\*([^*\n]+)\*(?=$|[\s.,:;!?)“”])/gm, '$1<b>$2</b>')
    .replace(/(^|[\s(“”])_([^_\n]+)_(?=$|[\s.,:;!?)“”])/gm, '$1<i>$2</i>')
    .replace(/(^|\s)~([^~\n]+)~(?=$|\s)/gm, '$1<s>$2</s>')
    .replace(/\n/g, '<br>');
  html = emoji(html);
  return html.replace(/\uE000(\d+)\uE000/g, (_, i: string) => `<code>${codes[Number(i)]}</code>`);
}

type Obj = Record<string, unknown>;

const textOf = (x: unknown): string =>
  x && typeof x === 'object' && typeof (x as Obj).text === 'string' ? ((x as Obj).text as string) : '';
const plain = (x: unknown): string => emoji(escapeHtml(textOf(x)));
const rich = (x: unknown, names: PreviewNames): string =>
  (x as Obj | undefined)?.type === 'mrkdwn' ? mrkdwnHtml(textOf(x), names) : plain(x);

function element(e: Obj): string {
  if (e.type === 'overflow') return '<span class="overflow" title="more"><span class="dots">⋯</span></span>';
  const style = typeof e.style === 'string' ? ` ${e.style}` : '';
  return `<button class="btn${style}"><span class="label">${plain(e.text)}</span></button>`;
}

function block(b: Obj, names: PreviewNames): string {
  switch (b.type) {
    case 'header':
      return `<div class="header">${plain(b.text)}</div>`;
    case 'section': {
      const fields = (b.fields as Obj[] | undefined) ?? [];
      const text = b.text ? `<div class="text">${rich(b.text, names)}</div>` : '';
      const grid = fields.length ? `<div class="fields">${fields.map((f) => `<div>${rich(f, names)}</div>`).join('')}</div>` : '';
      return `<div class="section">${text}${grid}</div>`;
    }
    case 'context':
      return `<div class="context">${((b.elements as Obj[] | undefined) ?? []).map((e) => `<span>${rich(e, names)}</span>`).join(' ')}</div>`;
    case 'actions': {
      const els = (b.elements as Obj[] | undefined) ?? [];
      // An overflow menu's options, as the app lists them when ⋯ is tapped (shown only with the menus open).
      const menus = els
        .filter((e) => e.type === 'overflow')
        .map((e) => `<ul class="menu">${((e.options as Obj[] | undefined) ?? []).map((o) => `<li>${plain(o.text)}</li>`).join('')}</ul>`);
      return `<div class="actions">${els.map(element).join('')}</div>${menus.join('')}`;
    }
    case 'divider':
      return '<hr>';
    default:
      return `<div class="unknown">${escapeHtml(String(b.type))}</div>`;
  }
}

/** The CSS of the preview: Slack's mobile message layout at `width` pixels. */
export function previewCss(width: number): string {
  return `
  body { margin: 0; background: #fff; font: 15px/1.46668 Lato, 'Liberation Sans', Arial, 'Noto Color Emoji', sans-serif; color: #1d1c1d; }
  .message { width: ${width}px; box-sizing: border-box; padding: 12px 16px 16px; display: flex; gap: 8px; background: #fff; }
  .avatar { flex: 0 0 36px; height: 36px; border-radius: 6px; background: #003580; color: #fff; font: 700 13px 'Liberation Sans', Arial;
    display: flex; align-items: center; justify-content: center; }
  .body { flex: 1 1 auto; min-width: 0; }
  .who { font-weight: 900; } .app { font: 700 10px 'Liberation Sans', Arial; background: #e8e8e8; color: #616061; padding: 1px 3px;
    border-radius: 2px; margin-left: 4px; vertical-align: 2px; } .time { color: #616061; font-size: 12px; margin-left: 4px; }
  .header { font-weight: 900; font-size: 18px; line-height: 1.33; margin: 4px 0 6px; overflow-wrap: anywhere; }
  .section { margin: 4px 0; overflow-wrap: anywhere; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 12px; margin-top: 2px; }
  .context { color: #616061; font-size: 13px; line-height: 1.38; margin: 6px 0; overflow-wrap: anywhere; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 4px; max-width: 100%; }
  .btn { font: 700 15px Lato, 'Liberation Sans', Arial, sans-serif; height: 36px; padding: 0 12px; border: 1px solid rgba(29,28,29,.3);
    border-radius: 8px; background: #fff; color: #1d1c1d; max-width: 100%; min-width: 0; display: inline-flex; align-items: center; }
  .btn .label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; display: block; }
  .btn.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
  .btn.danger { color: #e01e5a; }
  .overflow { position: relative; box-sizing: border-box; width: 36px; height: 36px; border: 1px solid rgba(29,28,29,.3); border-radius: 8px; display: inline-flex;
    align-items: center; justify-content: center; font-weight: 900; }
  .menu { display: none; }
  .open .menu { display: block; list-style: none; margin: 8px 0 0; padding: 4px 0; border: 1px solid #ddd;
    border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.12); }
  .open .menu li { padding: 8px 16px; overflow-wrap: anywhere; }
  .open .menu li + li { border-top: 1px solid #f0f0f0; }
  .mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
  .channel { color: #1264a3; }
  code { font: 12px Monaco, 'DejaVu Sans Mono', monospace; color: #e01e5a; background: #f8f8f8; border: 1px solid #e8e8e8; border-radius: 3px; padding: 0 3px; }
  hr { border: 0; border-top: 1px solid #e8e8e8; margin: 10px 0; }
  .modal { width: ${width}px; box-sizing: border-box; padding: 16px; }
  .modal .title { font: 900 18px 'Liberation Sans', Arial; margin-bottom: 12px; }
`;
}

/** One Slack message from lv-bot (its avatar, name and blocks) as HTML. */
export function messageHtml(blocks: unknown[], names: PreviewNames, time = '12:00'): string {
  const body = blocks.map((b) => block(b as Obj, names)).join('');
  return `<div class="message"><div class="avatar">lv</div><div class="body"><div><span class="who">lv-bot</span><span class="app">APP</span><span class="time">${time}</span></div>${body}</div></div>`;
}

/** A Home tab or modal view (no avatar, a title for a modal) as HTML. */
export function viewHtml(blocks: unknown[], names: PreviewNames, title?: string): string {
  const body = blocks.map((b) => block(b as Obj, names)).join('');
  return `<div class="modal">${title ? `<div class="title">${escapeHtml(title)}</div>` : ''}${body}</div>`;
}
