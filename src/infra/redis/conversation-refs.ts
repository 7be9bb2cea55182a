import type { Cluster, Redis } from 'ioredis';
import { dict, put } from '../../domain/dict.js';
import type { Platform } from '../../domain/types.js';
import type { ConversationDirectory, KnownUser, PostedCopy, StoredConversation, TenantEndpoint } from '../../ports/conversations.js';
import { encodeKeyPart, RedisKeys } from './keys.js';

const USER_FIELDS = ['platformId', 'name', 'locale', 'personalConversation', 'serviceUrl', 'updatedAt'] as const;

/** How long the copies of a subject are kept (a sign-off request is answered within weeks), and how many. */
const COPIES_TTL_S = 120 * 24 * 3600;
const COPIES_MAX = 200;

/**
 * Where the bot can post on its own: conversation references, known people and each tenant's service
 * URL, kept per tenant under the tenant's hash tag (`lv:{tenant}:teams:conv:…`) so they survive restarts.
 */
export class ConversationRefs implements ConversationDirectory {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
    private readonly platform: Platform,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private conversationKey(tenant: string, id: string): string {
    return `${this.keys.tag(tenant)}:${this.platform}:conv:${encodeKeyPart(id)}`;
  }

  private userKey(tenant: string, userId: string): string {
    return `${this.keys.tag(tenant)}:${this.platform}:user:${encodeKeyPart(userId)}`;
  }

  private welcomeKey(tenant: string, id: string): string {
    return `${this.conversationKey(tenant, id)}:welcomed`;
  }

  private copiesKey(tenant: string, subject: string): string {
    return `${this.keys.tag(tenant)}:${this.platform}:copies:${encodeKeyPart(subject)}`;
  }

  private tenantKey(tenant: string): string {
    return `${this.keys.tag(tenant)}:${this.platform}:tenant`;
  }

  private teamGroupsKey(tenant: string): string {
    return `${this.keys.tag(tenant)}:${this.platform}:team-groups`;
  }

  async saveConversation(tenant: string, id: string, stored: StoredConversation): Promise<void> {
    await this.redis.set(this.conversationKey(tenant, id), JSON.stringify(stored));
  }

  async conversation(tenant: string, id: string): Promise<StoredConversation | undefined> {
    const raw = await this.redis.get(this.conversationKey(tenant, id));
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as StoredConversation;
      return parsed && typeof parsed === 'object' && parsed.reference && typeof parsed.reference === 'object' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async deleteConversation(tenant: string, id: string): Promise<void> {
    await this.redis.del(this.conversationKey(tenant, id), this.welcomeKey(tenant, id));
  }

  async claimWelcome(tenant: string, conversationId: string): Promise<boolean> {
    return (await this.redis.set(this.welcomeKey(tenant, conversationId), '1', 'NX')) === 'OK';
  }

  async conversationNames(tenant: string, ids: readonly string[]): Promise<Record<string, string>> {
    const out = dict<string>();
    for (const id of new Set(ids)) {
      const name = (await this.conversation(tenant, id))?.name;
      if (name) put(out, id, name);
    }
    return out;
  }

  async saveCopy(tenant: string, subject: string, copy: PostedCopy): Promise<void> {
    const key = this.copiesKey(tenant, subject);
    await this.redis.multi().hset(key, copy.messageId, JSON.stringify(copy)).expire(key, COPIES_TTL_S).exec();
    if ((await this.redis.hlen(key)) > COPIES_MAX) {
      const fields = await this.redis.hkeys(key);
      await this.redis.hdel(key, ...fields.slice(0, fields.length - COPIES_MAX));
    }
  }

  async copies(tenant: string, subject: string): Promise<PostedCopy[]> {
    const raw = await this.redis.hvals(this.copiesKey(tenant, subject));
    return raw.flatMap((r) => {
      try {
        const c = JSON.parse(r) as PostedCopy;
        return c && typeof c.messageId === 'string' && c.reference && typeof c.reference === 'object' ? [c] : [];
      } catch {
        return [];
      }
    });
  }

  /** Merges what was learned about a person; fields left undefined keep their stored value. */
  async saveUser(tenant: string, userId: string, user: KnownUser): Promise<void> {
    const fields: Record<string, string> = {};
    for (const f of USER_FIELDS) {
      const v = user[f];
      if (typeof v === 'string' && v) fields[f] = v;
    }
    if (Object.keys(fields).length > 0) await this.redis.hset(this.userKey(tenant, userId), fields);
  }

  async user(tenant: string, userId: string): Promise<KnownUser | undefined> {
    const raw = await this.redis.hgetall(this.userKey(tenant, userId));
    if (Object.keys(raw).length === 0) return undefined;
    const out: KnownUser = {};
    for (const f of USER_FIELDS) if (raw[f]) out[f] = raw[f];
    return out;
  }

  /** Display names of the people the bot has seen, for mentions a card cannot name itself. */
  async names(tenant: string, userIds: readonly string[]): Promise<Record<string, string>> {
    return this.field(tenant, userIds, 'name');
  }

  /** The platform's own ids of people (Teams `29:…`), which mentions and per-user views name them by. */
  async platformIds(tenant: string, userIds: readonly string[]): Promise<Record<string, string>> {
    return this.field(tenant, userIds, 'platformId');
  }

  private async field(tenant: string, userIds: readonly string[], field: 'name' | 'platformId'): Promise<Record<string, string>> {
    const out = dict<string>();
    if (userIds.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const id of userIds) pipeline.hget(this.userKey(tenant, id), field);
    const results = (await pipeline.exec()) ?? [];
    userIds.forEach((id, i) => {
      const value = results[i]?.[1];
      if (typeof value === 'string' && value) put(out, id, value);
    });
    return out;
  }

  /** Teams: which Microsoft 365 group a team is, learned from the one activity that names both, so each of its channels can be read in Graph. */
  async saveTeamGroup(tenant: string, teamId: string, aadGroupId: string): Promise<void> {
    await this.redis.hset(this.teamGroupsKey(tenant), teamId, aadGroupId);
  }

  /** The Microsoft 365 group id of a team, if an activity of the team has named it. */
  async teamGroup(tenant: string, teamId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.teamGroupsKey(tenant), teamId)) ?? undefined;
  }

  /** Where the platform last reached the bot for a tenant (service URL, the bot's own account id): what a new one-to-one conversation needs. */
  async saveTenant(tenant: string, info: TenantEndpoint): Promise<void> {
    const fields: Record<string, string> = {};
    if (info.serviceUrl) fields.serviceUrl = info.serviceUrl;
    if (info.botId) fields.botId = info.botId;
    if (Object.keys(fields).length > 0) await this.redis.hset(this.tenantKey(tenant), fields);
  }

  async tenant(tenant: string): Promise<TenantEndpoint | undefined> {
    const raw = await this.redis.hgetall(this.tenantKey(tenant));
    if (!raw.serviceUrl) return undefined;
    return { serviceUrl: raw.serviceUrl, ...(raw.botId ? { botId: raw.botId } : {}) };
  }
}
