/** Small bounded in-memory caches: what Slack says about people, and delivery ids recently seen. */

/** A bounded map with expiry; the oldest entry goes first when it is full. */
class Expiring<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number,
  ) {}
  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** What users.info says about each person (locale, name), loaded once per hour; concurrent asks share one call. */
export class LookupCache<V> {
  private readonly cache: Expiring<Promise<V | undefined>>;
  constructor(ttlMs = 3_600_000, max = 10_000, now: () => number = Date.now) {
    this.cache = new Expiring(ttlMs, max, now);
  }
  /** The cached value, or the one `load` finds; a failed load is not cached. */
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const value = load().catch(() => {
      this.cache.delete(key);
      return undefined;
    });
    this.cache.set(key, value);
    return value;
  }
}

/** Delivery ids (trigger_id, event_id) seen in the last minutes, so a redelivery to this process is answered once. */
export class RecentDeliveries {
  private readonly seen: Expiring<true>;
  constructor(ttlMs = 15 * 60_000, max = 20_000, now: () => number = Date.now) {
    this.seen = new Expiring(ttlMs, max, now);
  }
  /** True the first time a key is offered within the window. */
  first(key: string): boolean {
    if (this.seen.get(key)) return false;
    this.seen.set(key, true);
    return true;
  }
}
