/** Platform-neutral message model: adapters render it as Block Kit, Adaptive Cards or console text. */
import type { Lang } from '../src/domain/types.js';

/** The look of a status marker; renderers pick their own glyphs or colours. */
export type Mark = 'todo' | 'in_progress' | 'blocked' | 'done' | 'na' | 'ok' | 'missing' | 'warn' | 'info';

/** A piece of a card's body, in reading order. */
export type Block =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'progress'; label: string; done: number; total: number }
  | { type: 'list'; items: Array<{ mark?: Mark; text: string; detail?: string; indent?: number }> }
  | { type: 'context'; text: string }
  | { type: 'divider' };

/** A text input a button asks for before it acts (a reject reason, remarks). */
export interface FormInput {
  id: string;
  label: string;
  placeholder?: string;
  required: boolean;
  multiline?: boolean;
  maxLength?: number;
  /** Text the input starts with (a translated default to edit rather than retype). */
  initial?: string;
}

/** A form a button opens: a Slack modal, inline Teams inputs, a console prompt. */
export interface Form {
  title: string;
  submit: string;
  inputs: FormInput[];
}

/** A button: its action id picks the handler, its value carries the target (never trusted alone). */
export interface Button {
  action: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
  form?: Form;
}

/** One message the bot sends. */
export interface Card {
  title?: string;
  blocks: Block[];
  buttons?: Button[];
  /** Display names for `<@id>` mentions in texts, so each renderer can show people its own way. */
  people?: Record<string, string>;
}

/** Who sees a reply: only the person who asked, or the whole conversation. */
export type Visibility = 'private' | 'channel';

/**
 * A file that goes with a reply (an export). Neutral: the console writes it to disk, Slack uploads it,
 * Teams attaches it. `content` is the whole text, or the bytes in base64 when `encoding` says so (a PDF);
 * `filename` is a plain name without folders.
 */
export interface Attachment {
  filename: string;
  mediaType: string;
  content: string;
  encoding?: 'base64';
}

/** A use-case's answer as it is built: cards, who sees them, and whether they replace the message that was clicked. */
export interface ReplyBody {
  visibility: Visibility;
  cards: Card[];
  replaceOriginal?: boolean;
  /** A file to deliver with the cards; it belongs to the reply, not to any one card. */
  attachment?: Attachment;
  /** The language the cards are written in, when it is not the reader's (a card shared with a whole channel). */
  lang?: Lang;
}

/** What an adapter renders: the answer and the one language it is written in, decided by the bot, never again by a renderer. */
export interface Reply extends ReplyBody {
  lang: Lang;
}
