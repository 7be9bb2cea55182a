import type { Cluster, Redis } from 'ioredis';
import type { Attachment } from '../../../messages/card.js';
import type { PendingFiles } from '../../ports/chat.js';
import { encodeKeyPart, RedisKeys } from './keys.js';

/** Offered files in Redis under the tenant's hash tag (`lv:{tenant}:file:<id>`), with a TTL; GETDEL takes one once. */
export class RedisPendingFiles implements PendingFiles {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private key(tenant: string, id: string): string {
    return `${this.keys.tag(tenant)}:file:${encodeKeyPart(id)}`;
  }

  async put(tenant: string, id: string, file: Attachment, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(tenant, id), JSON.stringify(file), 'EX', Math.max(1, Math.round(ttlSeconds)));
  }

  async take(tenant: string, id: string): Promise<Attachment | undefined> {
    const raw = await this.redis.getdel(this.key(tenant, id));
    if (!raw) return undefined;
    try {
      const f = JSON.parse(raw) as Attachment;
      return typeof f.filename === 'string' && typeof f.content === 'string' ? f : undefined;
    } catch {
      return undefined;
    }
  }
}
