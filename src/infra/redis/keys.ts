import type { ChannelRef } from '../../domain/types.js';

/** Makes an id safe inside a key: no braces (hash tags) or separators from outside data. */
function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.@-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The key layout: everything of a tenant shares its `{tenant}` hash tag, so atomic steps work on Redis Cluster. */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  /** The hash tag of one tenant's keys. */
  tag(tenant: string): string {
    return `${this.prefix}:{${safe(tenant)}}`;
  }
  project(tenant: string, id: string): string {
    return `${this.tag(tenant)}:p:${safe(id)}`;
  }
  audit(tenant: string, id: string): string {
    return `${this.tag(tenant)}:audit:${safe(id)}`;
  }
  channel(tenant: string, ch: ChannelRef): string {
    return `${this.tag(tenant)}:ch:${ch.platform}:${safe(ch.id)}`;
  }
  projects(tenant: string): string {
    return `${this.tag(tenant)}:projects`;
  }
  idem(tenant: string, key: string): string {
    return `${this.tag(tenant)}:idem:${safe(key)}`;
  }
  user(tenant: string, userId: string): string {
    return `${this.tag(tenant)}:u:${safe(userId)}`;
  }
  /** The one index outside every tenant's slot: which tenants have projects, for the daily reminder plan. */
  tenants(): string {
    return `${this.prefix}:tenants`;
  }
}
