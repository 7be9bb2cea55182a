import { fixture } from './slack-requests.js';

interface Limit {
  path: string;
  max_items?: number;
  min_items?: number;
  min_chars?: number;
  max_chars?: number;
  truncated_after_chars?: number;
}

const doc = fixture<{ limits: Limit[] }>('block-kit-limits.json');

/** A number from Slack's documented limits (block-kit-limits.json), by its path there. */
function limit(path: string, key: 'max_items' | 'min_items' | 'max_chars' | 'min_chars' | 'truncated_after_chars'): number {
  const n = doc.limits.find((l) => l.path === path)?.[key];
  if (typeof n !== 'number') throw new Error(`block-kit-limits.json has no ${key} for ${path}`);
  return n;
}

/** The documented numbers the checker uses. */
export const DOCUMENTED = {
  messageBlocks: limit('message.blocks', 'max_items'),
  messageText: limit('message.text', 'truncated_after_chars'),
  blockId: limit('*.block_id', 'max_chars'),
  sectionTextMin: limit('section.text.text', 'min_chars'),
  sectionText: limit('section.text.text', 'max_chars'),
  sectionFields: limit('section.fields', 'max_items'),
  fieldText: limit('section.fields[].text', 'max_chars'),
  headerText: limit('header.text.text', 'max_chars'),
  actionsElements: limit('actions.elements', 'max_items'),
  contextElements: limit('context.elements', 'max_items'),
  buttonText: limit('button.text.text', 'max_chars'),
  actionId: limit('button.action_id', 'max_chars'),
  buttonValue: limit('button.value', 'max_chars'),
  modalBlocks: limit('modal.blocks', 'max_items'),
  modalTitle: limit('modal.title.text', 'max_chars'),
  modalSubmit: limit('modal.submit.text', 'max_chars'),
  modalClose: limit('modal.close.text', 'max_chars'),
  privateMetadata: limit('view.private_metadata', 'max_chars'),
  callbackId: limit('view.callback_id', 'max_chars'),
  inputLabel: limit('input.label.text', 'max_chars'),
  placeholder: limit('input_element.placeholder.text', 'max_chars'),
  overflowMin: limit('overflow.options', 'min_items'),
  overflowMax: limit('overflow.options', 'max_items'),
  optionText: limit('option.text.text', 'max_chars'),
  optionValue: limit('option.value', 'max_chars'),
};

type Obj = Record<string, unknown>;
const L = DOCUMENTED;

function textOf(x: unknown): string | undefined {
  return x && typeof x === 'object' && typeof (x as Obj).text === 'string' ? ((x as Obj).text as string) : undefined;
}

function checkText(where: string, x: unknown, max: number, out: string[], min = 1): void {
  const t = textOf(x);
  if (t === undefined) return void out.push(`${where}: missing text`);
  if (t.length > max) out.push(`${where}: ${t.length} characters > ${max}`);
  if (t.trim().length < min) out.push(`${where}: empty text`);
}

/** Every way one message breaks a documented Block Kit limit; empty when it is within all of them. */
export function messageViolations(message: { blocks: unknown[]; text?: string }): string[] {
  const out: string[] = [];
  const ids = new Set<string>();
  if (message.blocks.length > L.messageBlocks) out.push(`message: ${message.blocks.length} blocks > ${L.messageBlocks}`);
  if ((message.text ?? '').length > L.messageText) out.push(`message text: ${message.text?.length} > ${L.messageText}`);
  message.blocks.forEach((raw, i) => {
    const b = raw as Obj;
    const at = `block ${i} (${String(b.type)})`;
    if (typeof b.block_id === 'string' && b.block_id.length > L.blockId) out.push(`${at}: block_id too long`);
    switch (b.type) {
      case 'header':
        if ((b.text as Obj | undefined)?.type !== 'plain_text') out.push(`${at}: header text must be plain_text`);
        checkText(at, b.text, L.headerText, out);
        break;
      case 'section': {
        const fields = (b.fields as unknown[] | undefined) ?? [];
        if (!b.text && fields.length === 0) out.push(`${at}: neither text nor fields`);
        if (b.text) checkText(at, b.text, L.sectionText, out, L.sectionTextMin);
        if (fields.length > L.sectionFields) out.push(`${at}: ${fields.length} fields > ${L.sectionFields}`);
        fields.forEach((f, j) => checkText(`${at} field ${j}`, f, L.fieldText, out));
        break;
      }
      case 'context': {
        const els = (b.elements as unknown[] | undefined) ?? [];
        if (els.length === 0 || els.length > L.contextElements) out.push(`${at}: ${els.length} elements (1..${L.contextElements})`);
        // No number is documented for a context element's text; it is held to the section text limit.
        els.forEach((e, j) => checkText(`${at} element ${j}`, e, L.sectionText, out));
        break;
      }
      case 'actions': {
        const els = (b.elements as Obj[] | undefined) ?? [];
        if (els.length === 0 || els.length > L.actionsElements) out.push(`${at}: ${els.length} elements (1..${L.actionsElements})`);
        els.forEach((e, j) => {
          const w = `${at} ${e.type === 'overflow' ? 'overflow' : 'button'} ${j}`;
          if (e.type === 'overflow') {
            const options = (e.options as Obj[] | undefined) ?? [];
            if (options.length < L.overflowMin || options.length > L.overflowMax)
              out.push(`${w}: ${options.length} options (${L.overflowMin}..${L.overflowMax})`);
            options.forEach((o, k) => {
              if ((o.text as Obj | undefined)?.type !== 'plain_text') out.push(`${w} option ${k}: text must be plain_text`);
              checkText(`${w} option ${k}`, o.text, L.optionText, out);
              const v = String(o.value ?? '');
              if (!v || v.length > L.optionValue) out.push(`${w} option ${k}: value length ${v.length} (1..${L.optionValue})`);
            });
          } else {
            if (e.type !== 'button') out.push(`${w}: not a button`);
            checkText(w, e.text, L.buttonText, out);
          }
          const id = String(e.action_id ?? '');
          if (!id || id.length > L.actionId) out.push(`${w}: action_id length ${id.length} (1..${L.actionId})`);
          if (ids.has(id)) out.push(`${w}: action_id ${id} is not unique in the message`);
          ids.add(id);
          const value = String(e.value ?? '');
          if (value.length > L.buttonValue) out.push(`${w}: value ${value.length} > ${L.buttonValue}`);
        });
        break;
      }
      case 'divider':
        break;
      default:
        out.push(`${at}: unexpected block type`);
    }
  });
  return out;
}

/** Every way a modal view breaks a documented limit. */
export function modalViolations(view: Obj): string[] {
  const out: string[] = [];
  const blocks = (view.blocks as Obj[] | undefined) ?? [];
  if (blocks.length > L.modalBlocks) out.push(`modal: ${blocks.length} blocks > ${L.modalBlocks}`);
  checkText('modal title', view.title, L.modalTitle, out);
  if (view.submit) checkText('modal submit', view.submit, L.modalSubmit, out);
  if (view.close) checkText('modal close', view.close, L.modalClose, out);
  if (String(view.private_metadata ?? '').length > L.privateMetadata) out.push('modal: private_metadata too long');
  if (String(view.callback_id ?? '').length > L.callbackId) out.push('modal: callback_id too long');
  blocks.forEach((b, i) => {
    const at = `modal block ${i} (${String(b.type)})`;
    if (typeof b.block_id === 'string' && b.block_id.length > L.blockId) out.push(`${at}: block_id too long`);
    if (b.type === 'input') {
      checkText(`${at} label`, b.label, L.inputLabel, out);
      const el = b.element as Obj;
      if (el.placeholder) checkText(`${at} placeholder`, el.placeholder, L.placeholder, out);
    } else if (b.type === 'section') {
      const fields = (b.fields as unknown[] | undefined) ?? [];
      if (b.text || fields.length === 0) checkText(at, b.text, L.sectionText, out);
      if (fields.length > L.sectionFields) out.push(`${at}: ${fields.length} fields > ${L.sectionFields}`);
      fields.forEach((f, j) => checkText(`${at} field ${j}`, f, L.fieldText, out));
    } else if (!['header', 'context', 'divider'].includes(String(b.type))) {
      out.push(`${at}: unexpected block type`);
    }
  });
  return out;
}
