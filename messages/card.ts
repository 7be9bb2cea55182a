/**
 * Platform-neutral message model: adapters render it as Block Kit, Adaptive Cards or console text.
 * In texts, `<@id>` is a person, `<#platform:id>` a channel and `` `…` `` a command example; each renderer
 * shows them its own way (Adaptive Cards' Markdown has no code spans, so Teams shows examples in bold).
 */
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
  /**
   * A less used action: renderers put it out of the way (Teams: behind a "More" button; Slack: an overflow
   * menu), so the few primary buttons keep readable labels on a phone-wide card.
   */
  secondary?: boolean;
}

/**
 * What a card shows, as a stable key (`signoff|<project>|<id>`) and the button press (never shown) that
 * re-creates it for whoever looks at it. A platform that posted several copies (the channel's, each
 * approver's) brings every copy up to date when one is answered; one that can show each reader a view of
 * their own (Teams Universal Actions `refresh`) asks for `view` on behalf of the card's `audience`.
 */
export interface Subject {
  key: string;
  view: { action: string; value: string };
}

/** One message the bot sends. */
export interface Card {
  title?: string;
  blocks: Block[];
  buttons?: Button[];
  /** Display names for `<@id>` mentions in texts, so each renderer can show people its own way. */
  people?: Record<string, string>;
  /** One plain line for the notification (Teams' `summary`, Slack's `text`), so a toast says what the message is about. */
  summary?: string;
  /**
   * The people the card is meant to reach: renderers make their `<@id>` real mentions that notify them
   * (Teams `<at>` with a mention entity, Slack `<@U…>`); any other `<@id>` is shown as a plain name.
   */
  notify?: string[];
  /** What the card shows, so every copy of it can be kept current and re-created per reader. */
  subject?: Subject;
  /**
   * The people the buttons are for (a sign-off's approvers who have not answered). A platform that shows
   * each reader their own view shows the others the card without buttons; the rest show the buttons to all,
   * and the bot refuses whoever is not meant.
   */
  audience?: string[];
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
