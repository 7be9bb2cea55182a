import type { Lang } from '../domain/types.js';
import type { Card } from '../../messages/card.js';
import type { ChatTarget } from './chat.js';

/** What the use-cases tell the jobs layer: a project changed, so its reminders and trainings are planned again. */
export interface Scheduler {
  /** Asks for the project to be re-planned; idempotent, and it never throws (the daily plan is the safety net). */
  projectChanged(tenant: string, projectId: string, version: number): Promise<void>;
  /** Asks for the project to be planned again although it did not change (its tenant was suspended or is back); never throws. */
  replan(tenant: string, projectId: string): Promise<void>;
}

/** One proactive message to one recipient; the key makes sending it idempotent (once per key, ever). */
export interface OutboundMessage {
  key: string;
  target: ChatTarget;
  card: Card;
  /** The language the card is written in (the recipient's, or the group's); the renderer's own words follow it. */
  lang: Lang;
}

/** Where a message is in the delivery engine. `sending` that never turns `sent` means a worker died mid-send. */
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

/** One message of a batch as the ledger records it. */
export interface LedgerEntry {
  key: string;
  state: DeliveryState;
  target: ChatTarget;
  /** Why it failed (or why the last attempt did). */
  reason?: string;
  /** The platform's id of the posted message, to update it later. */
  messageId?: string;
  attempts: number;
  /**
   * An attempt began whose post may have reached the platform (its answer was lost, a 5xx, a worker
   * killed mid-send). It survives every way back to `pending`, so the message is looked up before it
   * is posted again; `comms status` tells a coordinator that such a failed message may already be there.
   */
  mayBePosted: boolean;
  updatedAt: string;
}

/** The delivery engine as the use-cases see it: send a batch once, read its ledger, resend only the failures. */
export interface Deliveries {
  /** Queues each message once per key; sending the same batch twice adds nothing. */
  send(tenant: string, batch: string, messages: OutboundMessage[]): Promise<void>;
  /** The batch's ledger: every message with its state, reason and platform message id. */
  ledger(tenant: string, batch: string): Promise<LedgerEntry[]>;
  /** Sends the failed messages of a batch again (each one an earlier attempt may have posted is looked up first); returns how many were queued. */
  retryFailed(tenant: string, batch: string): Promise<number>;
}
