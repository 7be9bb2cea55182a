import type { AcElement, AdaptiveCard } from './render-adaptive-card.js';

/**
 * A delivery's idempotency key inside the Adaptive Card it is posted as, where Microsoft Graph shows it
 * afterwards (a chatMessage's card attachment holds the card JSON), so findSent can recognise the message.
 * The card's root takes no extra properties (the schema forbids them), but every element may have an `id`:
 * the key becomes the id of the first body element. Pure: no botbuilder, so tests validate marked cards.
 *
 * Teams posts each delivery as one card (an Adaptive Card has no length limit that would page it, unlike
 * Slack's 50 blocks), so the marker needs no page number: the one card there is the whole delivery.
 */

/** What the marker id starts with; the rest is the delivery's key. */
export const DELIVERY_MARKER_PREFIX = 'lv-delivery:';

/** The card with the key as its first body element's id; when that element has an id of its own, the body is wrapped in a Container carrying it. */
export function markDelivery(card: AdaptiveCard, key: string): AdaptiveCard {
  const id = `${DELIVERY_MARKER_PREFIX}${key}`;
  const [first, ...rest] = card.body;
  const body: AcElement[] = first && first.id === undefined ? [{ ...first, id }, ...rest] : [{ type: 'Container', id, items: card.body }];
  return { ...card, body };
}

/** The delivery key a card carries (an object, or the JSON string Graph returns), if any. */
export function deliveryKeyOf(card: unknown): string | undefined {
  let parsed = card;
  if (typeof card === 'string') {
    if (!card.includes(DELIVERY_MARKER_PREFIX)) return undefined;
    try {
      parsed = JSON.parse(card);
    } catch {
      return undefined;
    }
  }
  const first = (parsed as { body?: unknown } | null)?.body;
  const id = Array.isArray(first) ? (first[0] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' && id.startsWith(DELIVERY_MARKER_PREFIX) ? id.slice(DELIVERY_MARKER_PREFIX.length) : undefined;
}
