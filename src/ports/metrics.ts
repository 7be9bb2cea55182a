import type { Platform } from '../domain/types.js';

/** How one delivery attempt ended, as an operator counts them. */
export type DeliveryOutcome = 'sent' | 'retried' | 'failed' | 'rate_limited';

/**
 * What the core tells an operator's metrics (Prometheus in production, nothing in tests): counts only, never
 * a person's words. The composition root gives one implementation to the bot and the delivery engine.
 */
export interface Metrics {
  /** A typed command or a button press reached the bot. */
  inbound(platform: Platform, kind: 'command' | 'click', tenant: string): void;
  /** A delivery attempt ended this way. */
  delivery(platform: Platform, outcome: DeliveryOutcome, tenant: string): void;
}

/** Metrics that go nowhere: the default when nothing is wired (tests, the console). */
export const NO_METRICS: Metrics = { inbound() {}, delivery() {} };
