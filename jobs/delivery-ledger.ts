import type { Cluster, Redis } from 'ioredis';
import type { ChatTarget } from '../src/ports/chat.js';
import type { DeliveryState, LedgerEntry } from '../src/ports/jobs.js';
import { loadLua } from '../src/infra/redis/lua-scripts.js';
import type { JobKeys } from './job-keys.js';

/** How long a batch's ledger is kept after its last change. */
export const LEDGER_TTL_MS = 60 * 24 * 3600 * 1000;

/** One entry's atomic state change; `sent` is final, `sending` refused once `failed` (lua/ledger-set.lua). */
const SET_STATE = loadLua(import.meta.url, 'lua/ledger-set.lua');

/** New entries of a batch in one step, leaving existing ones alone (lua/ledger-register.lua). */
const REGISTER = loadLua(import.meta.url, 'lua/ledger-register.lua');

/** Entries per register call: a broadcast of thousands goes in a few steps, none of them long. */
const REGISTER_CHUNK = 500;

type Client = Redis | Cluster;
interface Scripts {
  lvLedgerSet(
    key: string,
    open: string,
    field: string,
    to: string,
    at: string,
    reason: string,
    messageId: string,
    target: string,
    ttl: string,
    mode: string,
    mayBePosted: string,
  ): Promise<string>;
  lvLedgerRegister(key: string, open: string, ttl: string, ...fieldsAndValues: string[]): Promise<number>;
}

/** The state a ledger entry had before a change ('none' when it had no entry). */
export type PriorState = DeliveryState | 'none';

/**
 * The per-batch delivery ledger: one hash per batch under the tenant's hash tag, field = idempotency key,
 * value = state (pending, sending, sent, failed), reason, platform message id, attempts, and whether an
 * attempt began that may have reached the platform (which outlives a reset to pending).
 */
export class DeliveryLedger {
  constructor(
    private readonly redis: Client,
    private readonly keys: JobKeys,
  ) {
    redis.defineCommand('lvLedgerSet', { numberOfKeys: 2, lua: SET_STATE });
    redis.defineCommand('lvLedgerRegister', { numberOfKeys: 2, lua: REGISTER });
  }

  /** Records new messages as pending; an entry that exists (even sent) is left alone. */
  async register(tenant: string, batch: string, messages: Array<{ key: string; target: ChatTarget }>): Promise<void> {
    const at = new Date().toISOString();
    const ledger = this.keys.ledger(tenant, batch);
    for (let i = 0; i < messages.length; i += REGISTER_CHUNK) {
      const args = messages
        .slice(i, i + REGISTER_CHUNK)
        .flatMap((m) => [m.key, JSON.stringify({ attempts: 0, state: 'pending', mayBePosted: false, updatedAt: at, target: m.target })]);
      await (this.redis as unknown as Scripts).lvLedgerRegister(ledger, openKey(ledger), String(LEDGER_TTL_MS), ...args);
    }
  }

  /** One entry, if the batch has it. */
  async get(tenant: string, batch: string, key: string): Promise<LedgerEntry | undefined> {
    const raw = await this.redis.hget(this.keys.ledger(tenant, batch), key);
    return raw ? entry(key, raw) : undefined;
  }

  /**
   * How many of a batch's entries have not ended (neither sent nor failed), from a count kept beside the
   * ledger; undefined when the batch has none (a ledger from before the count). The count may be too low,
   * never too high: 0 says "read the entries to know", more says some message is surely still on its way.
   * A worker asks this after each message instead of reading every entry (which made a broadcast quadratic).
   */
  async open(tenant: string, batch: string): Promise<number | undefined> {
    const n = await this.redis.get(openKey(this.keys.ledger(tenant, batch)));
    return n === null ? undefined : Number(n);
  }

  /** Every entry of a batch, by key. */
  async entries(tenant: string, batch: string): Promise<LedgerEntry[]> {
    const all = await this.redis.hgetall(this.keys.ledger(tenant, batch));
    return Object.entries(all)
      .map(([key, raw]) => entry(key, raw))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Marks an entry `sending` just before the post; returns the prior state (`sent` or `failed`: do not send). */
  begin(tenant: string, batch: string, key: string, target: ChatTarget): Promise<PriorState> {
    return this.set(tenant, batch, key, 'sending', { target });
  }

  /** The platform took the message. */
  sent(tenant: string, batch: string, key: string, messageId: string): Promise<PriorState> {
    return this.set(tenant, batch, key, 'sent', { messageId });
  }

  /**
   * It will not be sent: the reason is kept for `comms status` and for a later retry. `mayBePosted` false
   * when the engine knows no attempt reached the platform; left as it was when omitted.
   */
  failed(tenant: string, batch: string, key: string, reason: string, mayBePosted?: boolean): Promise<PriorState> {
    return this.set(tenant, batch, key, 'failed', { reason, ...(mayBePosted !== undefined ? { mayBePosted } : {}) });
  }

  /**
   * Waiting again (a 429, or a retry requested). `mayBePosted` as for `failed`: a retry leaves it, so a
   * message an earlier attempt may have posted is looked up before it is posted again.
   */
  pending(tenant: string, batch: string, key: string, reason = '', mayBePosted?: boolean): Promise<PriorState> {
    return this.set(tenant, batch, key, 'pending', { reason, ...(mayBePosted !== undefined ? { mayBePosted } : {}) });
  }

  /** Keeps the entry `sending` (the outcome of the post is unknown) and notes why the attempt failed. */
  uncertain(tenant: string, batch: string, key: string, reason: string): Promise<PriorState> {
    return this.set(tenant, batch, key, 'sending', { reason, mode: 'note' });
  }

  private async set(
    tenant: string,
    batch: string,
    key: string,
    to: DeliveryState,
    o: { reason?: string; messageId?: string; target?: ChatTarget; mode?: 'register' | 'note'; mayBePosted?: boolean },
  ): Promise<PriorState> {
    const ledger = this.keys.ledger(tenant, batch);
    const prev = await (this.redis as unknown as Scripts).lvLedgerSet(
      ledger,
      openKey(ledger),
      key,
      to,
      new Date().toISOString(),
      o.reason ?? '',
      o.messageId ?? '',
      o.target ? JSON.stringify(o.target) : '',
      String(LEDGER_TTL_MS),
      o.mode ?? '',
      o.mayBePosted === undefined ? '' : o.mayBePosted ? '1' : '0',
    );
    return prev as PriorState;
  }
}

/** The count of a ledger's entries not yet ended: beside the ledger, under its hash tag. */
function openKey(ledger: string): string {
  return `${ledger}:open`;
}

function entry(key: string, raw: string): LedgerEntry {
  const e = JSON.parse(raw) as Partial<LedgerEntry> & { state?: string };
  const attempts = Number(e.attempts ?? 0);
  const state = e.state ?? 'pending';
  return {
    key,
    state,
    target: e.target as ChatTarget,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.messageId ? { messageId: e.messageId } : {}),
    attempts,
    // An entry written before the flag existed: any attempt that began may have reached the platform.
    mayBePosted: e.mayBePosted ?? (state !== 'sent' && attempts > 0),
    updatedAt: e.updatedAt ?? '',
  };
}
