import type { Button, Card, Mark } from '../../messages/card.js';
import { own } from '../../src/domain/dict.js';
import { CHANNEL_MENTION } from '../../messages/i18n.js';

const MARKS: Record<Mark, string> = {
  todo: '[ ]',
  in_progress: '[~]',
  blocked: '[!]',
  done: '[x]',
  na: '[-]',
  ok: '[x]',
  missing: '[ ]',
  warn: '[!]',
  info: '[i]',
};

/** Replaces `<@id>` mentions with `@name`, and `<#platform:id>` channels with `platform:id`. */
export function plainMentions(text: string, people: Record<string, string> = {}): string {
  return text
    .replace(/<@([^>|]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${own(people, id) ?? id}`)
    .replace(CHANNEL_MENTION, (_, platform: string, id: string) => `${platform}:${id}`);
}

/** A text bar such as `[#####-----] 5/10`. */
function bar(done: number, total: number): string {
  const width = 20;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/** Renders a card as plain text; buttons are listed with the numbers that press them. */
export function renderText(card: Card, number: (b: Button) => number): string {
  const lines: string[] = [];
  const m = (s: string) => plainMentions(s, card.people);
  if (card.title) lines.push(`== ${m(card.title)} ==`);
  for (const block of card.blocks) {
    switch (block.type) {
      case 'text':
        lines.push(m(block.text));
        break;
      case 'context':
        lines.push(`  (${m(block.text)})`);
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${m(f.label)}: ${m(f.value).replace(/\n/g, '\n    ')}`);
        break;
      case 'progress':
        lines.push(`${m(block.label)}: ${bar(block.done, block.total)}`);
        break;
      case 'list':
        for (const item of block.items) {
          const indent = '  '.repeat(item.indent ?? 0);
          const mark = item.mark ? `${MARKS[item.mark]} ` : '- ';
          lines.push(`${indent}${mark}${m(item.text)}${item.detail ? ` (${m(item.detail)})` : ''}`);
        }
        break;
      case 'divider':
        lines.push('----');
        break;
    }
  }
  if (card.buttons?.length) lines.push(card.buttons.map((b) => `[${number(b)}] ${b.label}`).join('  '));
  return lines.join('\n');
}
