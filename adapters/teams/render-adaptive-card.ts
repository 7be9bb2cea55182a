import type { Block, Button, Card, Form, Mark } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import { dictOf, own, put } from '../../src/domain/dict.js';
import type { Lang } from '../../src/domain/types.js';

/**
 * Neutral cards as Adaptive Cards 1.5 (the version Teams documents for Universal Actions). Pure: no
 * botbuilder here, so the cards can be validated against the official schema on their own.
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.5';

/** A JSON element of an Adaptive Card; the official schema, not this type, is the authority on shape. */
export type AcElement = { type: string; [key: string]: unknown };

/** An Adaptive Card as sent to Teams. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version?: string;
  body: AcElement[];
  actions?: AcElement[];
  fallbackText?: string;
  lang?: string;
}

/** What an `Action.Execute` carries back in its invoke: the button's value and where its form's inputs are. */
export interface ExecuteData {
  value: string;
  /** Rendered input id → the neutral form input id, so the handler can name each field. */
  inputs?: Record<string, string>;
}

export interface RenderOptions {
  /** The reader's language: the required-field messages of forms are in it. */
  lang: Lang;
  /** Display names for `<@id>` mentions that the card's own `people` lacks. */
  names?: Record<string, string>;
}

const GLYPHS: Record<Mark, string> = {
  todo: '⬜',
  in_progress: '🔄',
  blocked: '⛔',
  done: '✅',
  na: '➖',
  ok: '✅',
  missing: '❌',
  warn: '⚠️',
  info: 'ℹ️',
};

/** Replaces `<@id>` (and Slack-style `<@id|label>`) mentions with the person's display name. */
export function mentionsAsNames(text: string, people: Record<string, string> = {}): string {
  return text.replace(/<@([^>|]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => own(people, id) ?? label ?? id);
}

/** Renders one neutral card as a top-level Adaptive Card 1.5. */
export function renderAdaptiveCard(card: Card, opts: RenderOptions): AdaptiveCard {
  const ids = new InputIds();
  const { body, actions } = renderParts(card, opts, ids);
  const out: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: ADAPTIVE_CARD_VERSION, body };
  if (actions.length > 0) out.actions = actions;
  const fallback = fallbackText(card, opts);
  if (fallback) out.fallbackText = fallback;
  return out;
}

/**
 * Several neutral cards as one Adaptive Card (an invoke response or an updated message holds one card):
 * each card's body in its own container, separated by a line, with all their buttons at the bottom.
 */
export function renderAdaptiveCards(cards: readonly Card[], opts: RenderOptions): AdaptiveCard {
  const first = cards[0];
  if (cards.length === 1 && first) return renderAdaptiveCard(first, opts);
  const ids = new InputIds();
  const body: AcElement[] = [];
  const actions: AcElement[] = [];
  cards.forEach((card, i) => {
    const parts = renderParts(card, opts, ids);
    if (parts.body.length > 0)
      body.push({ type: 'Container', items: parts.body, ...(i > 0 ? { separator: true, spacing: 'Medium' } : {}) });
    actions.push(...parts.actions);
  });
  const out: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: ADAPTIVE_CARD_VERSION, body };
  if (actions.length > 0) out.actions = actions;
  const fallback = cards
    .map((c) => fallbackText(c, opts))
    .filter(Boolean)
    .join('\n');
  if (fallback) out.fallbackText = fallback;
  return out;
}

/** Input ids must be unique within a card; a clash (two forms asking for `text`) gets a numbered id. */
class InputIds {
  /** `value` and `inputs` are the submit's own data keys, which Teams merges the typed inputs into. */
  private readonly used = new Set<string>(['value', 'inputs']);
  take(id: string): string {
    let candidate = id;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${id}_${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

function renderParts(card: Card, opts: RenderOptions, ids: InputIds): { body: AcElement[]; actions: AcElement[] } {
  const people = peopleFor(card, opts);
  const m = (s: string) => mentionsAsNames(s, people);
  const body: AcElement[] = [];
  if (card.title) body.push({ type: 'TextBlock', text: m(card.title), style: 'heading', size: 'Medium', weight: 'Bolder', wrap: true });
  let separateNext = false;
  for (const block of card.blocks) {
    if (block.type === 'divider') {
      separateNext = true;
      continue;
    }
    const elements = renderBlock(block, m);
    const head = elements[0];
    if (separateNext && head) {
      head.separator = true;
      separateNext = false;
    }
    body.push(...elements);
  }
  if (body.length === 0) body.push({ type: 'TextBlock', text: ' ', wrap: true });
  const actions = (card.buttons ?? []).map((b) => renderButton(b, opts, ids, m));
  return { body, actions };
}

function renderBlock(block: Exclude<Block, { type: 'divider' }>, m: (s: string) => string): AcElement[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'TextBlock', text: m(block.text), wrap: true }];
    case 'context':
      return [{ type: 'TextBlock', text: m(block.text), isSubtle: true, size: 'Small', wrap: true }];
    case 'fields':
      return block.fields.length === 0
        ? []
        : [{ type: 'FactSet', facts: block.fields.map((f) => ({ title: m(f.label), value: m(f.value) || '–' })) }];
    case 'progress':
      return progress(m(block.label), block.done, block.total);
    case 'list':
      return block.items.length === 0
        ? []
        : [
            {
              type: 'Container',
              items: block.items.map((item, i) => {
                const indent = '\u2003'.repeat(Math.max(0, Math.min(item.indent ?? 0, 6)));
                const mark = item.mark ? `${GLYPHS[item.mark]} ` : '• ';
                const detail = item.detail ? ` — ${m(item.detail)}` : '';
                return {
                  type: 'TextBlock',
                  text: `${indent}${mark}${m(item.text)}${detail}`,
                  wrap: true,
                  ...(i > 0 ? { spacing: 'Small' } : {}),
                };
              }),
            },
          ];
  }
}

/** A progress line and a two-colour bar made of weighted columns (Adaptive Cards 1.5 has no progress bar). */
function progress(label: string, done: number, total: number): AcElement[] {
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  const out: AcElement[] = [{ type: 'TextBlock', text: `${label}: ${done}/${total} (${pct} %)`, wrap: true, weight: 'Bolder' }];
  if (total > 0) {
    const columns: AcElement[] = [];
    const cell = (weight: number, style: string): AcElement => ({ type: 'Column', width: weight, style, minHeight: '8px', items: [] });
    if (done > 0) columns.push(cell(done, 'good'));
    if (total - done > 0) columns.push(cell(total - done, 'emphasis'));
    out.push({ type: 'ColumnSet', columns, spacing: 'Small' });
  }
  return out;
}

function renderButton(b: Button, opts: RenderOptions, ids: InputIds, m: (s: string) => string): AcElement {
  const style = b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined;
  if (!b.form) {
    const data: ExecuteData = { value: b.value };
    return { type: 'Action.Execute', title: m(b.label), verb: b.action, data, ...(style ? { style } : {}) };
  }
  return { type: 'Action.ShowCard', title: m(b.label), card: formCard(b, b.form, opts, ids, m, style) };
}

/** A button's form as the card a ShowCard opens: its inputs and a submit that carries them back. */
function formCard(
  b: Button,
  form: Form,
  opts: RenderOptions,
  ids: InputIds,
  m: (s: string) => string,
  style: string | undefined,
): AcElement {
  const t = catalog(opts.lang);
  const inputs: Record<string, string> = {};
  const body: AcElement[] = [{ type: 'TextBlock', text: m(form.title), weight: 'Bolder', wrap: true }];
  for (const input of form.inputs) {
    const id = ids.take(input.id);
    inputs[id] = input.id;
    body.push({
      type: 'Input.Text',
      id,
      label: m(input.label),
      ...(input.placeholder ? { placeholder: m(input.placeholder) } : {}),
      ...(input.multiline ? { isMultiline: true } : {}),
      ...(input.maxLength ? { maxLength: input.maxLength } : {}),
      ...(input.initial ? { value: input.initial } : {}),
      ...(input.required ? { isRequired: true, errorMessage: t.common.required({ field: m(input.label) }) } : {}),
    });
  }
  const data: ExecuteData = { value: b.value, inputs };
  return {
    type: 'AdaptiveCard',
    body,
    actions: [{ type: 'Action.Execute', title: m(form.submit), verb: b.action, data, ...(style ? { style } : {}) }],
  };
}

/** Plain text for clients that cannot render the card (and for notifications). */
function fallbackText(card: Card, opts: RenderOptions): string {
  const people = peopleFor(card, opts);
  const first = card.title ?? card.blocks.find((b): b is Extract<Block, { type: 'text' }> => b.type === 'text')?.text ?? '';
  return mentionsAsNames(first, people).slice(0, 300);
}

/** The card's own names, with the adapter's where the card knows only the id. */
function peopleFor(card: Card, opts: RenderOptions): Record<string, string> {
  const people = dictOf(card.people);
  for (const [id, name] of Object.entries(opts.names ?? {})) {
    const known = own(people, id);
    if (!known || known === id) put(people, id, name);
  }
  return people;
}

/** Every `<@id>` a card mentions, so the adapter can look up names the card lacks. */
export function mentionedIds(cards: readonly Card[]): string[] {
  const out = new Set<string>();
  const scan = (s: string | undefined) => {
    for (const match of (s ?? '').matchAll(/<@([^>|]+)(?:\|[^>]*)?>/g)) if (match[1]) out.add(match[1]);
  };
  for (const card of cards) {
    scan(card.title);
    for (const block of card.blocks) {
      switch (block.type) {
        case 'text':
        case 'context':
          scan(block.text);
          break;
        case 'fields':
          for (const f of block.fields) {
            scan(f.label);
            scan(f.value);
          }
          break;
        case 'progress':
          scan(block.label);
          break;
        case 'list':
          for (const item of block.items) {
            scan(item.text);
            scan(item.detail);
          }
          break;
        case 'divider':
          break;
      }
    }
  }
  return [...out].filter((id) =>
    cards.every((c) => {
      const known = own(c.people, id);
      return !known || known === id;
    }),
  );
}
