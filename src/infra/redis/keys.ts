import type { ChannelRef } from '../../domain/types.js';

/** The characters an id keeps as they are inside a key; every other one is escaped, `%` included. */
const UNSAFE = /[^A-Za-z0-9_.@-]/g;

/**
 * Makes an id safe inside a key (no braces, which are hash tags, nor separators from outside data), one to one:
 * a UTF-16 code unit below U+0100 becomes `%hh` (as keys have always been written), any other `%uhhhh`, so no
 * two ids share a key (before, "€" and " ac" both became `%20ac`).
 */
export function encodeKeyPart(id: string): string {
  return id.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `%${code.toString(16).padStart(2, '0')}` : `%u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The id a key part was encoded from, or undefined when no id encodes to it: the inverse that shows encodeKeyPart is one to one. */
export function decodeKeyPart(part: string): string | undefined {
  const id = part.replace(/%u([0-9a-f]{4})|%([0-9a-f]{2})/g, (_m, wide: string | undefined, narrow: string | undefined) =>
    String.fromCharCode(parseInt(wide ?? narrow ?? '', 16)),
  );
  return encodeKeyPart(id) === part ? id : undefined;
}

/** The key layout: everything of a tenant shares its `{tenant}` hash tag, so atomic steps work on Redis Cluster. */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  /** The hash tag of one tenant's keys. */
  tag(tenant: string): string {
    return `${this.prefix}:{${encodeKeyPart(tenant)}}`;
  }
  project(tenant: string, id: string): string {
    return `${this.tag(tenant)}:p:${encodeKeyPart(id)}`;
  }
  audit(tenant: string, id: string): string {
    return `${this.tag(tenant)}:audit:${encodeKeyPart(id)}`;
  }
  channel(tenant: string, ch: ChannelRef): string {
    return `${this.tag(tenant)}:ch:${ch.platform}:${encodeKeyPart(ch.id)}`;
  }
  projects(tenant: string): string {
    return `${this.tag(tenant)}:projects`;
  }
  idem(tenant: string, key: string): string {
    return `${this.tag(tenant)}:idem:${encodeKeyPart(key)}`;
  }
  user(tenant: string, userId: string): string {
    return `${this.tag(tenant)}:u:${encodeKeyPart(userId)}`;
  }
  /** The one index outside every tenant's slot: which tenants have projects, for the daily reminder plan. */
  tenants(): string {
    return `${this.prefix}:tenants`;
  }
  /** Tenants whose platform removed the bot; beside the tenants index, outside every tenant's slot. */
  suspended(): string {
    return `${this.prefix}:tenants:suspended`;
  }
}
