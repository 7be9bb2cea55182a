import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { InstallationVault } from '../../ports/installations.js';
import { encodeKeyPart, RedisKeys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { storeCall } from './unavailable.js';

/** The format of a stored value: version, IV, GCM tag and ciphertext, each in base64url. */
const VERSION = 'v1';

/**
 * Installations in Redis, encrypted at rest with AES-256-GCM under a key from the config (LV_ENCRYPTION_KEY),
 * under the tenant's hash tag (`lv:{tenant}:install:<kind>`). The Redis key is the additional authenticated
 * data, so a value copied under another tenant's key does not decrypt: one workspace can never be given
 * another's token. A value this key cannot decrypt (a rotated key, tampering) reads as none, never as garbage.
 */
export class RedisInstallationVault implements InstallationVault {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly key: Buffer,
    private readonly onUnreadable: (tenant: string, kind: string) => void = () => undefined,
  ) {
    if (key.length !== 32) throw new Error('the installation vault needs a 32-byte key');
    this.keys = new RedisKeys(prefix);
  }

  private redisKey(tenant: string, kind: string): string {
    return `${this.keys.tag(tenant)}:install:${encodeKeyPart(kind)}`;
  }

  put(tenant: string, kind: string, value: string): Promise<void> {
    return storeCall(async () => {
      const at = this.redisKey(tenant, kind);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      cipher.setAAD(Buffer.from(at));
      const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      await this.redis.set(
        at,
        [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.'),
      );
    });
  }

  get(tenant: string, kind: string): Promise<string | undefined> {
    return storeCall(async () => {
      const at = this.redisKey(tenant, kind);
      const raw = await this.redis.get(at);
      if (!raw) return undefined;
      const [version, iv, tag, sealed] = raw.split('.');
      try {
        if (version !== VERSION || !iv || !tag || sealed === undefined) throw new Error('unknown format');
        const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(at));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        this.onUnreadable(tenant, kind);
        return undefined;
      }
    });
  }

  delete(tenant: string, kind: string): Promise<void> {
    return storeCall(async () => void (await this.redis.del(this.redisKey(tenant, kind))));
  }
}
