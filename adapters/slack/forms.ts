/** Button values that carry the neutral action (and its form), and the modal a form button opens. */
import type { types } from '@slack/bolt';
import type { Button, Form } from '../../messages/card.js';
import type { Lang } from '../../src/domain/types.js';
import { LANGS } from '../../src/domain/types.js';
import { clamp, plainText } from './mrkdwn.js';

/** Slack's documented limits this module must respect (block-kit-limits.json). */
const MAX_VALUE = 2000;
const MAX_MODAL_TITLE = 24;
const MAX_MODAL_BUTTON = 24;
const MAX_METADATA = 3000;
const MAX_INPUT_LABEL = 2000;
const MAX_PLACEHOLDER = 150;

/** The callback id of every lv-bot modal. */
export const FORM_CALLBACK = 'lv.form';
/** Input blocks are `lv.in.<input id>`; their text element's action id is `value`. */
export const INPUT_PREFIX = 'lv.in.';
const INPUT_ACTION = 'value';

/** Slack's limit on an overflow option's value (block-kit-limits.json `option.value`). */
export const MAX_OPTION_VALUE = 150;

/**
 * What a button's Slack `value` (or an overflow option's) carries: the neutral action and its value; for a form
 * button the form itself (`f`), or `r` when the form is made afresh at the press (its texts in force, or too big to
 * carry); `m` for a press that shows the card's full view in a modal.
 */
export interface ButtonPayload {
  a: string;
  v: string;
  f?: Form;
  r?: 1;
  m?: 1;
}

/** The form with labels shortened to `n` (it has no initial texts: a form with them is made when pressed). */
const shrinkForm = (f: Form, n: number): Form => ({
  title: clamp(f.title, n),
  submit: clamp(f.submit, MAX_MODAL_BUTTON),
  inputs: f.inputs.slice(0, 10).map((i) => ({
    id: i.id.slice(0, 64),
    label: clamp(i.label, n),
    ...(i.placeholder ? { placeholder: clamp(i.placeholder, Math.min(n, MAX_PLACEHOLDER)) } : {}),
    required: i.required,
    ...(i.multiline ? { multiline: true } : {}),
    ...(i.maxLength ? { maxLength: i.maxLength } : {}),
  })),
});

/**
 * Encodes a neutral button as a Slack button value of at most 2,000 characters. A form travels in the value with its
 * labels shortened if needed; a form that starts from texts (the announcement texts in force) never does: they may be
 * 3,000 characters each and change after the card was posted, so the value says `r` and the form is made when pressed.
 */
export function encodeButtonValue(b: Button, people: Record<string, string> = {}): string {
  const base: ButtonPayload = { a: b.action, v: b.value };
  if (!b.form) return fit(JSON.stringify(base), b);
  if (b.form.inputs.some((i) => i.initial)) return fit(JSON.stringify({ ...base, r: 1 }), b);
  const form: Form = {
    ...b.form,
    title: plainText(b.form.title, people),
    inputs: b.form.inputs.map((i) => ({ ...i, label: plainText(i.label, people) })),
  };
  // Labels are shortened first; a form that cannot fit even so is made when pressed, like one with texts.
  for (let n = 300; n >= 8; n = Math.floor(n / 2)) {
    const json = JSON.stringify({ ...base, f: shrinkForm(form, n) });
    if (json.length <= MAX_VALUE) return json;
  }
  return fit(JSON.stringify({ ...base, r: 1 }), b);
}

/**
 * An overflow option's value (at most 150 characters): the action and value, `r` when the button has a form (made
 * when pressed), `m` for a full view; undefined when it cannot fit, and the button is then shown as a button.
 */
export function encodeOptionValue(b: Button, modal = false): string | undefined {
  const json = JSON.stringify({ a: b.action, v: b.value, ...(b.form ? { r: 1 } : {}), ...(modal ? { m: 1 } : {}) });
  return json.length <= MAX_OPTION_VALUE ? json : undefined;
}

function fit(json: string, b: Button): string {
  if (json.length > MAX_VALUE) throw new Error(`button ${b.action}: its value (${b.value.length} characters) cannot fit Slack's 2,000`);
  return json;
}

const isStr = (x: unknown): x is string => typeof x === 'string';

/** Reads a button value back; undefined for anything lv-bot did not write. */
export function decodeButtonValue(raw: string | undefined): ButtonPayload | undefined {
  if (!raw) return undefined;
  let x: unknown;
  try {
    x = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  if (!isStr(o.a) || !isStr(o.v)) return undefined;
  const f = o.f as Form | undefined;
  const formOk =
    f === undefined ||
    (isStr(f.title) && isStr(f.submit) && Array.isArray(f.inputs) && f.inputs.every((i) => isStr(i.id) && isStr(i.label)));
  if (!formOk) return undefined;
  return { a: o.a, v: o.v, ...(f ? { f } : {}), ...(o.r === 1 ? { r: 1 as const } : {}), ...(o.m === 1 ? { m: 1 as const } : {}) };
}

/** Where a modal came from, kept in its private_metadata: the action, the clicked message and the reader's language. */
export interface FormMeta {
  /** neutral action and value */
  a: string;
  v: string;
  /** channel and message ts of the clicked message; `e` when it was ephemeral, `r` its response_url */
  c: string;
  ts?: string;
  e?: 1;
  r?: string;
  /** the reader's language, so the modal's errors need no store access before the ack */
  l: Lang;
}

/** Reads a modal's private_metadata back; undefined when it is not lv-bot's. */
export function decodeMeta(raw: string | undefined): FormMeta | undefined {
  try {
    const o = JSON.parse(raw ?? '') as Partial<FormMeta>;
    if (!isStr(o.a) || !isStr(o.v) || !isStr(o.c) || !LANGS.includes(o.l as Lang)) return undefined;
    return o as FormMeta;
  } catch {
    return undefined;
  }
}

/** The modal for a form button: one text input per form input, within Slack's modal limits. */
export function buildModal(form: Form, meta: FormMeta): types.ModalView {
  let metadata = JSON.stringify(meta);
  if (metadata.length > MAX_METADATA) metadata = JSON.stringify({ ...meta, r: undefined });
  const blocks: types.KnownBlock[] = [];
  if (form.title.length > MAX_MODAL_TITLE) blocks.push({ type: 'section', text: { type: 'plain_text', text: clamp(form.title, 3000) } });
  for (const input of form.inputs) {
    blocks.push({
      type: 'input',
      block_id: `${INPUT_PREFIX}${input.id}`.slice(0, 255),
      optional: !input.required,
      label: { type: 'plain_text', text: clamp(input.label, MAX_INPUT_LABEL) },
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        ...(input.multiline ? { multiline: true } : {}),
        ...(input.maxLength ? { max_length: Math.min(input.maxLength, 3000) } : {}),
        ...(input.placeholder ? { placeholder: { type: 'plain_text', text: clamp(input.placeholder, MAX_PLACEHOLDER) } } : {}),
        ...(input.initial ? { initial_value: input.initial.slice(0, Math.min(input.maxLength ?? 3000, 3000)) } : {}),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    title: { type: 'plain_text', text: clamp(form.title, MAX_MODAL_TITLE) },
    submit: { type: 'plain_text', text: clamp(form.submit, MAX_MODAL_BUTTON) },
    private_metadata: metadata,
    blocks,
  };
}

/** One input of a submitted modal: its block id, label, whether it is required, and what was typed. */
export interface Submitted {
  blockId: string;
  id: string;
  label: string;
  required: boolean;
  value: string;
}

interface ViewLike {
  blocks?: unknown[];
  state?: { values?: Record<string, Record<string, { value?: string | null }>> };
}

/** The typed values of a submitted lv-bot modal, read from the view's own input blocks and state. */
export function readSubmission(view: ViewLike): Submitted[] {
  const out: Submitted[] = [];
  for (const raw of view.blocks ?? []) {
    const b = raw as { type?: string; block_id?: string; optional?: boolean; label?: { text?: string } };
    if (b.type !== 'input' || !b.block_id?.startsWith(INPUT_PREFIX)) continue;
    const value = view.state?.values?.[b.block_id]?.[INPUT_ACTION]?.value ?? '';
    out.push({
      blockId: b.block_id,
      id: b.block_id.slice(INPUT_PREFIX.length),
      label: b.label?.text ?? '',
      required: b.optional !== true,
      value,
    });
  }
  return out;
}
