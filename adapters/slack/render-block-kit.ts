/** Neutral cards → Block Kit messages that always stay within Slack's documented limits; long content is paged. */
import type { types } from '@slack/bolt';
import type { Block, Button, Card, Mark } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import type { Lang } from '../../src/domain/types.js';
import { encodeButtonValue } from './forms.js';
import { chunk, clamp, escapeMrkdwn, plainText } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/** Slack's documented Block Kit limits (block-kit-limits.json), plus our own per-message text budget. */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  actionsElements: 25,
  sectionFields: 10,
  fieldText: 2000,
  contextElementText: 3000,
  /** Ours, not Slack's: keeps a message readable and far below the 40,000-character truncation. */
  messageChars: 12_000,
} as const;

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

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const sections = (mrkdwn: string): KnownBlock[] => chunk(mrkdwn, LIMITS.sectionText).map(section);
const indent = (n: number | undefined): string => '\u2003'.repeat(Math.max(0, Math.min(n ?? 0, 6)));

function bar(done: number, total: number): string {
  const width = 10;
  const filled = total <= 0 ? 0 : Math.max(0, Math.min(width, Math.round((done / total) * width)));
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${done}/${total}`;
}

/** Lines of a list, packed into as few sections as fit; a line longer than a section is split, never cut. */
function listBlocks(items: Extract<Block, { type: 'list' }>['items']): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) out.push(section(current));
    current = '';
  };
  for (const item of items) {
    const pad = indent(item.indent);
    const mark = item.mark ? `${MARKS[item.mark]} ` : '• ';
    let line = `${pad}${mark}${escapeMrkdwn(item.text)}`;
    if (item.detail) line += `\n${pad}\u2003_${escapeMrkdwn(item.detail).replace(/\n/g, ' ')}_`;
    if (line.length > LIMITS.sectionText) {
      flush();
      out.push(...sections(line));
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
function fieldBlocks(fields: Extract<Block, { type: 'fields' }>['fields']): KnownBlock[] {
  const out: KnownBlock[] = [];
  let group: types.MrkdwnElement[] = [];
  const flush = () => {
    if (group.length) out.push({ type: 'section', fields: group });
    group = [];
  };
  for (const f of fields) {
    const text = `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value || '–')}`;
    if (text.length > LIMITS.fieldText) {
      flush();
      out.push(...sections(text));
      continue;
    }
    group.push({ type: 'mrkdwn', text });
    if (group.length === LIMITS.sectionFields) flush();
  }
  flush();
  return out;
}

function bodyBlocks(block: Block): KnownBlock[] {
  switch (block.type) {
    case 'text':
      return sections(escapeMrkdwn(block.text));
    case 'context':
      return chunk(escapeMrkdwn(block.text), LIMITS.contextElementText).map((text) => ({
        type: 'context',
        elements: [{ type: 'mrkdwn', text }],
      }));
    case 'fields':
      return fieldBlocks(block.fields);
    case 'progress':
      return sections(`*${escapeMrkdwn(block.label)}*\u2003${bar(block.done, block.total)}`);
    case 'list':
      return listBlocks(block.items);
    case 'divider':
      return [{ type: 'divider' }];
  }
}

/** Buttons in actions blocks of at most 25; action ids unique within the message, the real action in the value. */
function actionBlocks(buttons: Button[], people: Record<string, string>): KnownBlock[] {
  const used = new Set<string>();
  const elements: types.Button[] = buttons.map((b, i) => {
    const base = b.action.slice(0, LIMITS.actionId - 8);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}~${n}`;
    used.add(id);
    return {
      type: 'button',
      action_id: id || `lv~${i}`,
      text: { type: 'plain_text', text: clamp(plainText(b.label, people), LIMITS.buttonText), emoji: true },
      value: encodeButtonValue(b, people),
      ...(b.style ? { style: b.style } : {}),
    };
  });
  const out: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.actionsElements) {
    out.push({ type: 'actions', elements: elements.slice(i, i + LIMITS.actionsElements) });
  }
  return out;
}

/** Rough size of a block's visible text, for the per-message text budget. */
function size(b: KnownBlock): number {
  if (b.type === 'section') return (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0);
  if (b.type === 'context') return b.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
  return 20;
}

/** The notification text: the card's summary, else its title, else its first text. */
function fallback(card: Card): string {
  const first =
    card.summary ??
    card.title ??
    card.blocks
      .map((b) => (b.type === 'text' || b.type === 'context' ? b.text : b.type === 'list' ? (b.items[0]?.text ?? '') : ''))
      .find((t) => t.trim());
  return clamp(escapeMrkdwn(first ?? ''), LIMITS.sectionText) || '–';
}

/**
 * Renders a neutral card as one or more Slack messages. Each message has at most 50 blocks, a header
 * (the title), and, when there is more than one, a "page n of m" context line; buttons go on the last page.
 */
export function renderBlockKit(card: Card, lang: Lang): BlockKitRender {
  const people = card.people ?? {};
  const content: KnownBlock[] = [];
  let header: KnownBlock | undefined;
  if (card.title) {
    const title = plainText(card.title, people);
    header = { type: 'header', text: { type: 'plain_text', text: clamp(title, LIMITS.headerText), emoji: true } };
    if (title.length > LIMITS.headerText) content.push(...sections(`*${escapeMrkdwn(card.title)}*`));
  }
  for (const b of card.blocks) content.push(...bodyBlocks(b));
  content.push(...actionBlocks(card.buttons ?? [], people));

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

  const t = catalog(lang);
  const out = pages.map((blocks, i) => {
    const withHeader = header ? [header, ...blocks] : blocks;
    if (pages.length === 1) return withHeader.length ? withHeader : [section('–')];
    const marker: KnownBlock = {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t.common.page({ page: String(i + 1), pages: String(pages.length) })) }],
    };
    return [...withHeader, marker];
  });
  return { pages: out, text: fallback(card) };
}
