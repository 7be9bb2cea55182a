import type { Block, Button, Card, Form, Mark } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import { dictOf, own, put } from '../../src/domain/dict.js';
import type { Lang } from '../../src/domain/types.js';
import { InlineText, peopleIn, plainText, teamsChannelsIn, type MentionEntity } from './adaptive-text.js';
import { cardBytes, fitCard } from './card-size.js';

/**
 * Neutral cards as Adaptive Cards 1.5 (the version Teams documents for Universal Actions). Pure: no
 * botbuilder here, so the cards can be validated against the official schema on their own.
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.5';

/** Teams shows at most 60 people a view of their own (Universal Actions' user-specific views). */
export const MAX_REFRESH_USERS = 60;

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
  /** Universal Actions: who gets a view of their own, and the action that asks for it. */
  refresh?: { action: AcElement; userIds: string[] };
  /** Teams' own extension (not in the Adaptive Cards schema): the mention entities of the card's `<at>` texts. */
  msteams?: { entities: MentionEntity[] };
}

/** What an `Action.Execute` carries back in its invoke: the button's value and where its form's inputs are. */
export interface ExecuteData {
  value: string;
  /** Rendered input id → the neutral form input id, so the handler can name each field. */
  inputs?: Record<string, string>;
}

/** What a rendering needs besides the cards: the reader's language, what the adapter knows of people and channels, and who will see it. */
export interface RenderOptions {
  /** The reader's language: the renderer's own words (form errors, "More") are in it. */
  lang: Lang;
  /** Display names for `<@id>` mentions that the card's own `people` lacks. */
  names?: Record<string, string>;
  /** Teams ids (`29:…`) by user id: what mention entities and per-user views name people by. */
  teamsIds?: Record<string, string>;
  /** Display names of Teams channels by conversation id. */
  channels?: Record<string, string>;
  /**
   * Who alone sees this rendering (an invoke response, a personal chat). Without one the card is for a whole
   * conversation: buttons meant for an audience are left off, and its members get views of their own.
   */
  viewer?: string;
  /** Told when a card was too big for a Teams message and was shortened (with its size before), so it can be logged. */
  onShortened?: (bytes: number) => void;
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
  return plainText(text, { people, channels: {} });
}

/** Renders one neutral card as a top-level Adaptive Card 1.5. */
export function renderAdaptiveCard(card: Card, opts: RenderOptions): AdaptiveCard {
  return renderAdaptiveCards([card], opts);
}

/**
 * Neutral cards as one Adaptive Card (an invoke response or an updated message holds one card): each card's
 * body in its own container, separated by a line, with all their buttons at the bottom. The result always
 * fits a Teams message (see card-size.ts).
 */
export function renderAdaptiveCards(cards: readonly Card[], opts: RenderOptions): AdaptiveCard {
  const ids = new InputIds();
  const body: AcElement[] = [];
  const actions: AcElement[] = [];
  const entities = new Map<string, MentionEntity>();
  cards.forEach((card, i) => {
    const parts = renderParts(card, opts, ids);
    if (cards.length === 1) body.push(...parts.body);
    else if (parts.body.length > 0)
      body.push({ type: 'Container', items: parts.body, ...(i > 0 ? { separator: true, spacing: 'Medium' } : {}) });
    actions.push(...parts.actions);
    for (const e of parts.entities) if (!entities.has(e.mentioned.id)) entities.set(e.mentioned.id, e);
  });
  const out: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: ADAPTIVE_CARD_VERSION, body };
  if (actions.length > 0) out.actions = actions;
  const refresh = refreshOf(cards, opts);
  if (refresh) out.refresh = refresh;
  const fallback = cards
    .map((c) => fallbackText(c, opts))
    .filter(Boolean)
    .join('\n');
  if (fallback) out.fallbackText = fallback;
  if (entities.size > 0) out.msteams = { entities: [...entities.values()] };
  const notice: AcElement = { type: 'TextBlock', text: catalog(opts.lang).chat.shortened.replace(/`([^`]+)`/g, '**$1**'), wrap: true };
  const fitted = fitCard(out, notice);
  if (fitted.shortened) opts.onShortened?.(cardBytes(out));
  return fitted.card;
}

/** The plain notification line of a message: the first card's summary, else its title or first text. */
export function summaryOf(cards: readonly Card[], opts: RenderOptions): string {
  const first = cards[0];
  if (!first) return '';
  const text = first.summary ?? fallbackText(first, opts);
  return plainText(text, { people: peopleFor(first, opts), channels: opts.channels ?? {} }).slice(0, 250);
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

/** Whether the reader sees the card's buttons: always, unless they are for an audience the reader is not in. */
function showsButtons(card: Card, opts: RenderOptions): boolean {
  if (!card.audience) return true;
  return opts.viewer !== undefined && card.audience.includes(opts.viewer);
}

/** Universal Actions: the audience (by their Teams ids) opens the card and the client asks for their own view. */
function refreshOf(cards: readonly Card[], opts: RenderOptions): AdaptiveCard['refresh'] | undefined {
  const card = cards.find((c) => c.subject && c.audience && c.audience.length > 0);
  if (!card?.subject || !card.audience) return undefined;
  const userIds = card.audience
    .flatMap((id) => {
      const teamsId = own(opts.teamsIds, id);
      return teamsId ? [teamsId] : [];
    })
    .slice(0, MAX_REFRESH_USERS);
  if (userIds.length === 0) return undefined;
  const data: ExecuteData = { value: card.subject.view.value };
  return { action: { type: 'Action.Execute', verb: card.subject.view.action, data }, userIds };
}

function renderParts(
  card: Card,
  opts: RenderOptions,
  ids: InputIds,
): { body: AcElement[]; actions: AcElement[]; entities: MentionEntity[] } {
  const text = new InlineText({
    people: peopleFor(card, opts),
    notify: new Set(card.notify ?? []),
    teamsIds: opts.teamsIds ?? {},
    channels: opts.channels ?? {},
  });
  const body: AcElement[] = [];
  if (card.title)
    body.push({ type: 'TextBlock', text: text.markdown(card.title), style: 'heading', size: 'Medium', weight: 'Bolder', wrap: true });
  let separateNext = false;
  for (const block of card.blocks) {
    if (block.type === 'divider') {
      separateNext = true;
      continue;
    }
    const elements = renderBlock(block, text);
    const head = elements[0];
    if (separateNext && head) {
      head.separator = true;
      separateNext = false;
    }
    body.push(...elements);
  }
  if (body.length === 0) body.push({ type: 'TextBlock', text: ' ', wrap: true });
  const buttons = showsButtons(card, opts) ? (card.buttons ?? []) : [];
  return { body, actions: renderButtons(buttons, opts, ids, text), entities: text.entities() };
}

function renderBlock(block: Exclude<Block, { type: 'divider' }>, text: InlineText): AcElement[] {
  const md = (s: string) => text.markdown(s);
  switch (block.type) {
    case 'text':
      return [{ type: 'TextBlock', text: md(block.text), wrap: true }];
    case 'context':
      return [{ type: 'TextBlock', text: md(block.text), isSubtle: true, size: 'Small', wrap: true }];
    case 'fields':
      return block.fields.length === 0
        ? []
        : [{ type: 'FactSet', facts: block.fields.map((f) => ({ title: md(f.label), value: md(f.value) || '–' })) }];
    case 'progress':
      return progress(text.plain(block.label), block.done, block.total);
    case 'list':
      return block.items.length === 0
        ? []
        : [
            {
              type: 'Container',
              items: block.items.map((item, i) => {
                const indent = '\u2003'.repeat(Math.max(0, Math.min(item.indent ?? 0, 6)));
                const mark = item.mark ? `${GLYPHS[item.mark]} ` : '• ';
                const detail = item.detail ? ` — ${md(item.detail)}` : '';
                return {
                  type: 'TextBlock',
                  text: `${indent}${mark}${md(item.text)}${detail}`,
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

/**
 * The primary buttons in the action bar, the secondary ones behind a "More" button that opens them one under
 * the other, each with the card's whole width for its label (a phone-wide card has room for two or three
 * short buttons in a row, not five). A card's only button needs no "More".
 */
function renderButtons(buttons: readonly Button[], opts: RenderOptions, ids: InputIds, text: InlineText): AcElement[] {
  const lone = buttons.length === 1;
  const secondary = lone ? [] : buttons.filter((b) => b.secondary);
  const primary = lone ? buttons : buttons.filter((b) => !b.secondary);
  const out = primary.map((b) => renderButton(b, opts, ids, text));
  if (secondary.length > 0) {
    out.push({
      type: 'Action.ShowCard',
      title: catalog(opts.lang).common.more,
      card: {
        type: 'AdaptiveCard',
        body: secondary.map((b) => ({ type: 'ActionSet', actions: [renderButton(b, opts, ids, text)] })),
      },
    });
  }
  return out;
}

function renderButton(b: Button, opts: RenderOptions, ids: InputIds, text: InlineText): AcElement {
  const style = b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined;
  const title = text.plain(b.label);
  if (!b.form) {
    const data: ExecuteData = { value: b.value };
    return { type: 'Action.Execute', title, verb: b.action, data, ...(style ? { style } : {}) };
  }
  return { type: 'Action.ShowCard', title, card: formCard(b, b.form, opts, ids, text, style), ...(style ? { style } : {}) };
}

/** Text that is more than blanks: a required field refuses whitespace in the form itself, before anything is sent. */
const NOT_BLANK = '^[\\s\\S]*\\S[\\s\\S]*$';

/** A button's form as the card a ShowCard opens: its inputs and a submit that carries them back. */
function formCard(b: Button, form: Form, opts: RenderOptions, ids: InputIds, text: InlineText, style: string | undefined): AcElement {
  const t = catalog(opts.lang);
  const inputs: Record<string, string> = {};
  const body: AcElement[] = [{ type: 'TextBlock', text: text.plain(form.title), weight: 'Bolder', wrap: true }];
  for (const input of form.inputs) {
    const id = ids.take(input.id);
    inputs[id] = input.id;
    const label = text.plain(input.label);
    body.push({
      type: 'Input.Text',
      id,
      label,
      ...(input.placeholder ? { placeholder: text.plain(input.placeholder) } : {}),
      ...(input.multiline ? { isMultiline: true } : {}),
      ...(input.maxLength ? { maxLength: input.maxLength } : {}),
      ...(input.initial ? { value: input.initial } : {}),
      ...(input.required ? { isRequired: true, regex: NOT_BLANK, errorMessage: t.common.required({ field: label }) } : {}),
    });
  }
  const data: ExecuteData = { value: b.value, inputs };
  return {
    type: 'AdaptiveCard',
    body,
    actions: [{ type: 'Action.Execute', title: text.plain(form.submit), verb: b.action, data, ...(style ? { style } : {}) }],
  };
}

/** Plain text for clients that cannot render the card (and for notifications). */
function fallbackText(card: Card, opts: RenderOptions): string {
  const first = card.title ?? card.blocks.find((b): b is Extract<Block, { type: 'text' }> => b.type === 'text')?.text ?? '';
  return plainText(first, { people: peopleFor(card, opts), channels: opts.channels ?? {} }).slice(0, 300);
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

/** Every text of a card, for the look-ups its rendering needs. */
function textsOf(card: Card): Array<string | undefined> {
  const out: Array<string | undefined> = [card.title, card.summary];
  for (const block of card.blocks) {
    switch (block.type) {
      case 'text':
      case 'context':
        out.push(block.text);
        break;
      case 'fields':
        for (const f of block.fields) out.push(f.label, f.value);
        break;
      case 'progress':
        out.push(block.label);
        break;
      case 'list':
        for (const item of block.items) out.push(item.text, item.detail);
        break;
      case 'divider':
        break;
    }
  }
  return out;
}

/** Every `<@id>` a card mentions that the card cannot name itself, so the adapter can look the names up. */
export function mentionedIds(cards: readonly Card[]): string[] {
  const out = new Set<string>();
  for (const card of cards) for (const t of textsOf(card)) for (const id of peopleIn(t)) out.add(id);
  return [...out].filter((id) =>
    cards.every((c) => {
      const known = own(c.people, id);
      return !known || known === id;
    }),
  );
}

/** The people whose Teams ids the rendering needs: those it notifies and the audience of its per-user views. */
export function addressedIds(cards: readonly Card[]): string[] {
  return [...new Set(cards.flatMap((c) => [...(c.notify ?? []), ...(c.audience ?? [])]))];
}

/** Every Teams channel a card names, so the adapter can look the names up. */
export function mentionedChannels(cards: readonly Card[]): string[] {
  return [...new Set(cards.flatMap((c) => textsOf(c).flatMap(teamsChannelsIn)))];
}
