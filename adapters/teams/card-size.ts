import type { AcElement, AdaptiveCard } from './render-adaptive-card.js';

/**
 * Teams refuses a message larger than about 28 KB (HTTP 413), counting the payload's UTF-16 bytes. A card is
 * measured as its JSON in UTF-16 (two bytes a character) and kept below the limit with room for the activity
 * around it and the delivery marker. The views page long lists, so this is the last line of defence: a card
 * still too big is shortened visibly, never sent to be refused.
 */

/** Teams' message size, in UTF-16 bytes, as this adapter assumes it to be safe. */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;

/** What the activity around the card (its envelope, summary, the delivery marker id) may take. */
const ENVELOPE_BYTES = 2 * 1024;

/** The largest card JSON this adapter sends, in UTF-16 bytes. */
export const CARD_LIMIT_BYTES = TEAMS_MESSAGE_LIMIT_BYTES - ENVELOPE_BYTES;

/** A card's size as Teams counts it: its JSON in UTF-16 bytes. */
export function cardBytes(card: unknown): number {
  return JSON.stringify(card).length * 2;
}

/** The longest text a TextBlock keeps when a card must be shortened. */
const SHORT_TEXT = 400;

function shortenTexts(x: unknown): void {
  if (Array.isArray(x)) return x.forEach(shortenTexts);
  if (!x || typeof x !== 'object') return;
  const o = x as Record<string, unknown>;
  if (o.type === 'TextBlock' && typeof o.text === 'string' && o.text.length > SHORT_TEXT) o.text = `${o.text.slice(0, SHORT_TEXT - 1)}…`;
  if (o.type === 'Input.Text' && typeof o.value === 'string' && o.value.length > SHORT_TEXT) delete o.value;
  for (const v of Object.values(o)) shortenTexts(v);
}

/**
 * The card itself when it fits, else a shortened copy that does: long texts cut, long prefilled form texts
 * dropped, then body elements dropped from the end, with `notice` (a TextBlock) saying so. `shortened` tells
 * the caller to log it.
 */
export function fitCard(card: AdaptiveCard, notice: AcElement, limit = CARD_LIMIT_BYTES): { card: AdaptiveCard; shortened: boolean } {
  if (cardBytes(card) <= limit) return { card, shortened: false };
  const copy = structuredClone(card);
  shortenTexts(copy.body);
  shortenTexts(copy.actions);
  copy.body.push(notice);
  while (cardBytes(copy) > limit && copy.body.length > 1) copy.body.splice(copy.body.length - 2, 1);
  while (cardBytes(copy) > limit && (copy.actions?.length ?? 0) > 0) copy.actions!.pop();
  if (copy.actions?.length === 0) delete copy.actions;
  if (copy.msteams?.entities) {
    // A mention whose text was cut away must not stay an entity.
    const json = JSON.stringify(copy.body);
    copy.msteams.entities = copy.msteams.entities.filter((e) => json.includes(e.text));
  }
  return { card: copy, shortened: true };
}
