/** Neutral cards → Block Kit messages that always stay within Slack's documented limits; long content is paged or shortened. */
import type { types } from '@slack/bolt';
import type { Block, Button, Card, Mark } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import { own } from '../../src/domain/dict.js';
import type { Lang } from '../../src/domain/types.js';
import { encodeButtonValue, encodeOptionValue } from './forms.js';
import { chunk, clamp, escapeMrkdwn, plainText, type Mentions } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/** Slack's documented Block Kit limits (block-kit-limits.json), plus our own per-message text budget. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  actionsElements: 25,
  overflowOptions: 5,
  optionText: 75,
  sectionFields: 10,
  fieldText: 2000,
  contextElementText: 3000,
  /** Ours, not Slack's: keeps a message readable and far below the 40,000-character truncation. */
  messageChars: 12_000,
} as const;

/** How long a list line or field of a card kept as one message may be before it is shortened (a sign-off's remarks). */
export const SHORT_TEXT = 300;

const MARKS: Record<Mark, string> = {
  todo: ':white_circle:',
  in_progress: ':large_blue_circle:',
  blocked: ':no_entry:',
  done: ':white_check_mark:',
  na: ':heavy_minus_sign:',
  ok: ':white_check_mark:',
  missing: ':x:',
  warn: ':warning:',
  info: ':information_source:',
};

/** A card as Slack messages: one block array per message (page), and the notification fallback text. */
export interface BlockKitRender {
  pages: KnownBlock[][];
  text: string;
}

/** How a card is rendered, besides its language. */
export interface RenderOptions {
  /**
   * Whose `<@id>` stay Slack mentions: `notify`, the people the card is meant to reach (in a message others see a
   * mention notifies; everyone else is shown by name), or `all` (a private answer, which notifies nobody).
   */
  mentions?: 'notify' | 'all';
  /** Display names the card does not know (from users.info), for people shown by name. */
  names?: Record<string, string>;
  /**
   * One message whatever the length (it replaces a message): long texts are shortened, and the rest is left out
   * with a note. A card with a subject is always one message, and shows its full view in a modal on request.
   */
  single?: boolean;
  /**
   * Whose own copy this is (a person's DM): a card whose buttons are for an `audience` shows that person no buttons
   * once they are not in it (they answered), as Teams shows each reader their own view.
   */
  viewer?: string;
}

/** A button as Slack shows it: in the row, or as an overflow option; `modal` opens the card's full view. */
type SlackButton = Button & { modal?: boolean };

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const indent = (n: number | undefined): string => '\u2003'.repeat(Math.max(0, Math.min(n ?? 0, 6)));

function bar(done: number, total: number): string {
  const width = 10;
  const filled = total <= 0 ? 0 : Math.max(0, Math.min(width, Math.round((done / total) * width)));
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${done}/${total}`;
}

/** Turns neutral blocks into Block Kit: every text escaped for mrkdwn with the card's mention rule, each cut to `cut` if given. */
class BodyWriter {
  /** Whether a text was shortened. */
  shortened = false;
  constructor(
    private readonly mentions: Mentions,
    private readonly cut?: number,
  ) {}

  private esc(s: string, max = this.cut): string {
    const text = max !== undefined && s.length > max ? ((this.shortened = true), clamp(s, max)) : s;
    return escapeMrkdwn(text, this.mentions);
  }

  private sections(mrkdwn: string): KnownBlock[] {
    return chunk(mrkdwn, LIMITS.sectionText).map(section);
  }

  /** Lines of a list, packed into as few sections as fit; a line longer than a section is split, never cut. */
  private list(items: Extract<Block, { type: 'list' }>['items']): KnownBlock[] {
    const out: KnownBlock[] = [];
    let current = '';
    const flush = () => {
      if (current.trim()) out.push(section(current));
      current = '';
    };
    for (const item of items) {
      const pad = indent(item.indent);
      const mark = item.mark ? `${MARKS[item.mark]} ` : '• ';
      let line = `${pad}${mark}${this.esc(item.text)}`;
      if (item.detail) line += `\n${pad}\u2003_${this.esc(item.detail).replace(/\n/g, ' ')}_`;
      if (line.length > LIMITS.sectionText) {
        flush();
        out.push(...this.sections(line));
        continue;
      }
      const joined = current ? `${current}\n${line}` : line;
      if (joined.length > LIMITS.sectionText) {
        flush();
        current = line;
      } else {
        current = joined;
      }
    }
    flush();
    return out;
  }

  /** Fields in sections of at most ten; a field too long for a field slot becomes its own section(s). */
  private fields(fields: Extract<Block, { type: 'fields' }>['fields']): KnownBlock[] {
    const out: KnownBlock[] = [];
    let group: types.MrkdwnElement[] = [];
    const flush = () => {
      if (group.length) out.push({ type: 'section', fields: group });
      group = [];
    };
    for (const f of fields) {
      const text = `*${this.esc(f.label, undefined)}*\n${this.esc(f.value || '–')}`;
      if (text.length > LIMITS.fieldText) {
        flush();
        out.push(...this.sections(text));
        continue;
      }
      group.push({ type: 'mrkdwn', text });
      if (group.length === LIMITS.sectionFields) flush();
    }
    flush();
    return out;
  }

  blocks(block: Block): KnownBlock[] {
    switch (block.type) {
      case 'text':
        return this.sections(this.esc(block.text, this.cut === undefined ? undefined : 3 * this.cut));
      case 'context':
        return chunk(this.esc(block.text, undefined), LIMITS.contextElementText).map((text) => ({
          type: 'context',
          elements: [{ type: 'mrkdwn', text }],
        }));
      case 'fields':
        return this.fields(block.fields);
      case 'progress':
        return this.sections(`*${this.esc(block.label, undefined)}*\u2003${bar(block.done, block.total)}`);
      case 'list':
        return this.list(block.items);
      case 'divider':
        return [{ type: 'divider' }];
    }
  }
}

/** A unique action id within a message, derived from the neutral action (the real action travels in the value). */
function uniqueId(used: Set<string>, action: string, i: number): string {
  const base = action.slice(0, LIMITS.actionId - 8) || `lv~${i}`;
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}~${n}`;
  used.add(id);
  return id;
}

/**
 * Buttons in actions blocks of at most 25 elements. Secondary buttons go into overflow menus (⋯, five options each),
 * so the row keeps a few readable buttons on a phone; a lone secondary button with nothing beside it stays a button,
 * as does one whose option value would not fit Slack's 150 characters.
 */
function actionBlocks(buttons: SlackButton[], people: Record<string, string>): KnownBlock[] {
  const used = new Set<string>();
  const label = (b: Button, max: number) => clamp(plainText(b.label, people), max);
  const secondary = buttons.filter((b) => b.secondary);
  const menu = secondary.length > 1 || secondary.length < buttons.length;
  const options: types.PlainTextOption[] = [];
  const elements: Array<types.Button | types.Overflow> = [];
  buttons.forEach((b, i) => {
    const option = menu && b.secondary ? encodeOptionValue(b, b.modal) : undefined;
    if (option) return void options.push({ text: { type: 'plain_text', text: label(b, LIMITS.optionText), emoji: true }, value: option });
    elements.push({
      type: 'button',
      action_id: uniqueId(used, b.action, i),
      text: { type: 'plain_text', text: label(b, LIMITS.buttonText), emoji: true },
      value: b.modal ? JSON.stringify({ a: b.action, v: b.value, m: 1 }) : encodeButtonValue(b, people),
      ...(b.style ? { style: b.style } : {}),
    });
  });
  for (let i = 0; i < options.length; i += LIMITS.overflowOptions) {
    elements.push({
      type: 'overflow',
      action_id: uniqueId(used, OVERFLOW_ACTION, i),
      options: options.slice(i, i + LIMITS.overflowOptions),
    });
  }
  const out: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.actionsElements) {
    out.push({ type: 'actions', elements: elements.slice(i, i + LIMITS.actionsElements) });
  }
  return out;
}

/** The action id of lv-bot's overflow menus (each option's value names its own action). */
export const OVERFLOW_ACTION = 'lv.more';

/** Rough size of a block's visible text, for the per-message text budget. */
function size(b: KnownBlock): number {
  if (b.type === 'section') return (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0);
  if (b.type === 'context') return b.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
  return 20;
}

/** The card's mention rule: which people stay Slack mentions, and the names the others are shown by. */
export function mentionsOf(card: Card, o: RenderOptions = {}): Mentions {
  const notify = new Set(card.notify ?? []);
  const people = card.people ?? {};
  return {
    real: (id) => o.mentions === 'all' || notify.has(id),
    // A card names people by id where it knows no name (peopleOf): a looked-up name is better then.
    name: (id) => {
      const known = own(people, id);
      return known && known !== id ? known : own(o.names ?? {}, id);
    },
  };
}

/** The notification text: the card's summary, else its title, else its first text. */
function fallback(card: Card, mentions: Mentions): string {
  const first =
    card.summary ??
    card.title ??
    card.blocks
      .map((b) => (b.type === 'text' || b.type === 'context' ? b.text : b.type === 'list' ? (b.items[0]?.text ?? '') : ''))
      .find((t) => t.trim());
  return clamp(escapeMrkdwn(first ?? '', mentions), LIMITS.sectionText) || '–';
}

/** The header (the title in full in a section when it is longer than a header takes), and the people's names for plain texts. */
function headerOf(card: Card, mentions: Mentions): { header?: KnownBlock; extra: KnownBlock[] } {
  if (!card.title) return { extra: [] };
  const title = plainText(card.title, card.people ?? {});
  const header: KnownBlock = { type: 'header', text: { type: 'plain_text', text: clamp(title, LIMITS.headerText), emoji: true } };
  return { header, extra: title.length > LIMITS.headerText ? [section(`*${escapeMrkdwn(card.title, mentions)}*`)] : [] };
}

/** Cuts content into messages of at most 50 blocks (less the header and the page marker) and the text budget. */
function pagesOf(content: KnownBlock[], header: KnownBlock | undefined): KnownBlock[][] {
  const budget = LIMITS.blocksPerMessage - (header ? 1 : 0) - 1;
  const pages: KnownBlock[][] = [];
  let page: KnownBlock[] = [];
  let chars = 0;
  for (const b of content) {
    const n = size(b);
    if (page.length > 0 && (page.length + 1 > budget || chars + n > LIMITS.messageChars)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    page.push(b);
    chars += n;
  }
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}

/** The body blocks that fit one message beside the buttons and a note, in order; the rest is left out. */
function fitOne(body: KnownBlock[], actions: KnownBlock[], header: KnownBlock | undefined): KnownBlock[] {
  const room = LIMITS.blocksPerMessage - (header ? 1 : 0) - actions.length - 1;
  let chars = actions.length * 20 + 200;
  const kept: KnownBlock[] = [];
  for (const b of body) {
    if (kept.length + 1 > room || chars + size(b) > LIMITS.messageChars) break;
    kept.push(b);
    chars += size(b);
  }
  return kept;
}

/**
 * Renders a neutral card as one or more Slack messages. Each message has at most 50 blocks, a header (the title),
 * and, when there is more than one, a "page n of m" context line; buttons go on the last page. A card that must be
 * one message (`single`, or one with a subject) is shortened instead: its long lines to 300 characters (150, 80 if
 * needed), with *Show in full* for the subject's full view, and what still does not fit is left out with a note.
 */
export function renderBlockKit(card: Card, lang: Lang, o: RenderOptions = {}): BlockKitRender {
  const t = catalog(lang);
  const people = card.people ?? {};
  const mentions = mentionsOf(card, o);
  const { header, extra } = headerOf(card, mentions);
  const text = fallback(card, mentions);
  const single = o.single === true || card.subject !== undefined;
  const cuts = card.subject ? [SHORT_TEXT, 150, 80] : single ? [undefined, SHORT_TEXT, 150, 80] : [undefined];
  let body: KnownBlock[] = [];
  let actions: KnownBlock[] = [];
  let pages: KnownBlock[][] = [];
  for (const cut of cuts) {
    const writer = new BodyWriter(mentions, cut);
    body = [...extra, ...card.blocks.flatMap((b) => writer.blocks(b))];
    const shortened = writer.shortened;
    const full: SlackButton[] = card.subject && shortened ? [fullView(card, t.chat.showFull)] : [];
    actions = actionBlocks([...buttonsFor(card, o.viewer), ...full], people);
    if (shortened && card.subject) body.push(note(t.chat.cutToFit));
    pages = pagesOf([...body, ...actions], header);
    if (pages.length === 1) break;
  }
  if (single && pages.length > 1) {
    const kept = fitOne(body, actions, header);
    pages = [[...kept, note(card.subject ? t.chat.cutToFit : t.chat.shortened), ...actions]];
  }
  const out = pages.map((blocks, i) => {
    const withHeader = header ? [header, ...blocks] : blocks;
    if (pages.length === 1) return withHeader.length ? withHeader : [section('–')];
    return [...withHeader, note(t.common.page({ page: String(i + 1), pages: String(pages.length) }))];
  });
  return { pages: out, text };
}

/** The card's buttons as one reader's own copy shows them: none when the buttons are for others. */
function buttonsFor(card: Card, viewer: string | undefined): Button[] {
  if (viewer !== undefined && card.audience && !card.audience.includes(viewer)) return [];
  return card.buttons ?? [];
}

/** A context line in the renderer's own words. */
function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(text) }] };
}

/** The control that shows a shortened card's subject in full, in a modal. */
function fullView(card: Card, label: string): SlackButton {
  return { action: card.subject!.view.action, value: card.subject!.view.value, label, secondary: true, modal: true };
}

/**
 * A card as a modal's or Home tab's blocks: everything it says, in full (sections split, never cut) and without its
 * buttons, within `maxBlocks`; what does not fit is left out with a note.
 */
export function renderViewBlocks(card: Card, lang: Lang, maxBlocks: number, o: RenderOptions = {}): KnownBlock[] {
  const mentions = mentionsOf(card, { mentions: 'all', ...o });
  const { header, extra } = headerOf(card, mentions);
  const writer = new BodyWriter(mentions);
  const blocks = [...(header ? [header] : []), ...extra, ...card.blocks.flatMap((b) => writer.blocks(b))];
  if (blocks.length <= maxBlocks) return blocks.length ? blocks : [section('–')];
  return [...blocks.slice(0, maxBlocks - 1), note(catalog(lang).chat.shortened)];
}
