import { encodeAction, type PagedView } from '../commands/button-actions.js';
import type { Block, Button, Card } from '../../messages/card.js';
import type { View } from './texts.js';

/**
 * Long lists are paged inside one message: a card that would not fit one message on every platform
 * (Teams takes about 28 KB of card JSON, Slack 50 blocks) shows one page with Previous / Next buttons, and
 * a press replaces the message with the page asked for. The budget is neutral and conservative, so a page
 * fits both platforms; the pages are cut the same way every time, so page n can be asked for again.
 */
export const PAGE_BUDGET = {
  /** Characters of text on a page, buttons and their forms included. */
  chars: 9_000,
  /** List items and other blocks on a page. */
  units: 40,
} as const;

/** What a rendered element costs beyond its text (its JSON keys, its markers), in characters. */
const OVERHEAD = 80;

type ListItem = Extract<Block, { type: 'list' }>['items'][number];
type Unit = { block: Exclude<Block, { type: 'list' }> } | { list: number; item: ListItem };

const textCost = (s: string | undefined): number => (s ?? '').length;

function blockCost(b: Exclude<Block, { type: 'list' }>): number {
  switch (b.type) {
    case 'text':
    case 'context':
      return OVERHEAD + textCost(b.text);
    case 'fields':
      return OVERHEAD + b.fields.reduce((n, f) => n + OVERHEAD / 2 + textCost(f.label) + textCost(f.value), 0);
    case 'progress':
      return 3 * OVERHEAD + textCost(b.label);
    case 'divider':
      return OVERHEAD / 2;
  }
}

const unitCost = (u: Unit): number => ('block' in u ? blockCost(u.block) : OVERHEAD + textCost(u.item.text) + textCost(u.item.detail));

/** What a button costs on every page: its label and value, and its form's labels and starting texts. */
function buttonCost(b: Button): number {
  const form = b.form
    ? textCost(b.form.title) +
      textCost(b.form.submit) +
      b.form.inputs.reduce((n, i) => n + 2 * OVERHEAD + 2 * textCost(i.label) + textCost(i.placeholder) + textCost(i.initial), 0)
    : 0;
  return OVERHEAD + textCost(b.label) + textCost(b.value) + form;
}

function unitsOf(card: Card): Unit[] {
  const out: Unit[] = [];
  card.blocks.forEach((b, i) => {
    if (b.type === 'list') for (const item of b.items) out.push({ list: i, item });
    else out.push({ block: b });
  });
  return out;
}

/** The card's units cut into pages: greedily, in order, each page within the budget (a unit too big for any page gets one of its own). */
function cut(card: Card): Unit[][] {
  const fixed = OVERHEAD + textCost(card.title) + (card.buttons ?? []).reduce((n, b) => n + buttonCost(b), 0) + 3 * OVERHEAD;
  const pages: Unit[][] = [];
  let page: Unit[] = [];
  let used = fixed;
  for (const u of unitsOf(card)) {
    const cost = unitCost(u);
    if (page.length > 0 && (used + cost > PAGE_BUDGET.chars || page.length >= PAGE_BUDGET.units)) {
      pages.push(page);
      page = [];
      used = fixed;
    }
    page.push(u);
    used += cost;
  }
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}

/** The blocks of one page: consecutive items of one list are one list again. */
function blocksOf(units: Unit[]): Block[] {
  const out: Block[] = [];
  let open: { list: number; items: ListItem[] } | undefined;
  for (const u of units) {
    if ('block' in u) {
      open = undefined;
      out.push(u.block);
      continue;
    }
    if (!open || open.list !== u.list) {
      open = { list: u.list, items: [] };
      out.push({ type: 'list', items: open.items });
    }
    open.items.push(u.item);
  }
  return out;
}

/**
 * Page `page` (from 1; beyond the last is the last) of a card named `view` in project `project`: the card
 * itself when it fits one page, else that page's blocks with "Page n of m" and Previous / Next buttons
 * before the card's own buttons.
 */
export function paginate(v: View, card: Card, project: string, view: PagedView, page = 1): Card {
  const pages = cut(card);
  if (pages.length === 1) return card;
  const n = Math.min(Math.max(1, Math.floor(page)), pages.length);
  const nav = (to: number, label: string): Button => ({ ...encodeAction({ action: 'view.page', project, view, page: to }), label });
  const buttons: Button[] = [
    ...(n > 1 ? [nav(n - 1, v.t.chat.previous)] : []),
    ...(n < pages.length ? [nav(n + 1, v.t.chat.next)] : []),
    ...(card.buttons ?? []),
  ];
  return {
    ...card,
    blocks: [...blocksOf(pages[n - 1] ?? []), { type: 'context', text: v.t.common.page({ page: String(n), pages: String(pages.length) }) }],
    buttons,
  };
}
