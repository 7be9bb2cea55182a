import { randomUUID } from 'node:crypto';
import type { Redis, Cluster } from 'ioredis';
import { chainHash, GENESIS } from '../../domain/audit-chain.js';
import { parseStoredProject } from '../../domain/project-limits.js';
import { LANGS, type ChannelRef, type Lang, type Project } from '../../domain/types.js';
import type { AuditEvent, AuditInput, CommitResult, Loaded, Prefetched, ProjectStore } from '../../ports/store.js';
import { encodeKeyPart, RedisKeys } from './keys.js';
import { loadLua } from './lua-scripts.js';
import { storeCall } from './unavailable.js';

/** Change + audit event + idempotency mark in one step (lua/commit.lua); every key shares the tenant's hash tag. */
const COMMIT = loadLua(import.meta.url, 'lua/commit.lua');

/** A project, its first audit event, its channel's link and its index entry in one step (lua/create.lua). */
const CREATE = loadLua(import.meta.url, 'lua/create.lua');

/** The first reads of an inbound in one round trip (lua/prefetch.lua). */
const PREFETCH = loadLua(import.meta.url, 'lua/prefetch.lua');

/** How long a delivery's idempotency mark is kept: longer than any platform retries. */
const IDEM_TTL_SECONDS = 7 * 24 * 3600;

type Client = Redis | Cluster;

/** Freezes an object and everything it holds, so a shared loaded project cannot be written into. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const isLang = (x: string | null): x is Lang => (LANGS as readonly string[]).includes(x ?? '');

/** How many projects' validated JSON one process keeps (a few MB at most); the least recently loaded goes first. */
const VALIDATED_MAX = 500;

/** The Redis repository: one hash per project, an append-only audit stream beside it. Every public method turns Redis being unreachable into StoreUnavailableError. */
export class RedisStore implements ProjectStore {
  readonly keys: RedisKeys;
  /** Per project key: the last stored JSON that passed validation, its version, and the validated (frozen) result. */
  private readonly validated = new Map<string, { v: string; doc: string; project: Project }>();
  constructor(
    private readonly redis: Client,
    prefix = 'lv',
  ) {
    this.keys = new RedisKeys(prefix);
    redis.defineCommand('lvCommit', { lua: COMMIT });
    redis.defineCommand('lvCreate', { lua: CREATE });
    redis.defineCommand('lvPrefetch', { lua: PREFETCH });
  }

  async projectIdFor(tenant: string, channel: ChannelRef): Promise<string | undefined> {
    return storeCall(async () => (await this.redis.get(this.keys.channel(tenant, channel))) ?? undefined);
  }

  async load(tenant: string, projectId: string): Promise<Loaded | undefined> {
    return storeCall(async () => {
      const key = this.keys.project(tenant, projectId);
      return this.loaded(tenant, key, await this.redis.hmget(key, 'doc', 'v', 'head'));
    });
  }

  async prefetch(tenant: string, userId: string, channel: ChannelRef, projectId?: string): Promise<Prefetched> {
    return storeCall(async () => {
      const projectKey = projectId !== undefined ? this.keys.project(tenant, projectId) : undefined;
      const keys = [this.keys.user(tenant, userId), this.keys.channel(tenant, channel), ...(projectKey ? [projectKey] : [])];
      const [lang = null, bound = null, ...fields] = (await (this.redis as unknown as Scripts).lvPrefetch(keys.length, ...keys)) as Array<
        string | null
      >;
      return {
        ...(isLang(lang) ? { lang } : {}),
        ...(bound ? { bound } : {}),
        ...(projectKey && projectId !== undefined ? { named: { projectId, loaded: this.loaded(tenant, projectKey, fields) } } : {}),
      };
    });
  }

  /** A project from its hash's doc, v and head fields, or undefined when there is none (or it is another tenant's). */
  private loaded(tenant: string, key: string, [doc, v, head]: Array<string | null>): Loaded | undefined {
    if (!doc || !v || !head) return undefined;
    const project = this.parse(key, doc, v);
    if (project.tenant !== tenant) return undefined;
    return { project, version: Number(v), head };
  }

  /**
   * Validating a whole project costs more than the rest of a click, and most loads read a version already seen:
   * a stored JSON identical to the last one validated for this key and version is not validated (nor parsed) again.
   * Every caller gets the same deeply frozen project: the domain's changes return new projects and never write into
   * the one they were given, and a write into a frozen one throws, so no caller can change what another one reads.
   */
  private parse(key: string, doc: string, v: string): Project {
    const hit = this.validated.get(key);
    if (hit && hit.v === v && hit.doc === doc) {
      // Most recently used last, so the least recently used goes first when the cache is full.
      this.validated.delete(key);
      this.validated.set(key, hit);
      return hit.project;
    }
    const project = deepFreeze(parseStoredProject(JSON.parse(doc)));
    this.validated.delete(key);
    this.validated.set(key, { v, doc, project });
    if (this.validated.size > VALIDATED_MAX) this.validated.delete(this.validated.keys().next().value!);
    return project;
  }

  async create(project: Project, event: AuditInput): Promise<{ created: true } | { created: false; existing: string }> {
    return storeCall(async () => {
      const { tenant, id } = project;
      const { body, hash } = this.seal(id, event, GENESIS);
      const keys = [
        this.keys.project(tenant, id),
        this.keys.audit(tenant, id),
        this.keys.channel(tenant, project.channel),
        this.keys.projects(tenant),
      ];
      const [status, value] = (await (this.redis as unknown as Scripts).lvCreate(
        keys.length,
        ...keys,
        JSON.stringify(project),
        hash,
        body,
        id,
      )) as [string, string];
      // Outside the Lua step: the tenants index lives in no tenant's slot. Re-adding is harmless, and
      // tenants(backfill) repairs an index that missed a tenant (a crash here, or data from before it).
      if (status === 'created') await this.redis.sadd(this.keys.tenants(), tenant);
      return status === 'created' ? { created: true } : { created: false, existing: value };
    });
  }

  async commit(loaded: Loaded, next: Project, event: AuditInput, idemKey?: string): Promise<CommitResult> {
    return storeCall(async () => {
      const { tenant, id } = next;
      const { body, hash } = this.seal(id, event, loaded.head);
      const keys = [this.keys.project(tenant, id), this.keys.audit(tenant, id)];
      if (idemKey) keys.push(this.keys.idem(tenant, idemKey));
      return (await (this.redis as unknown as Scripts).lvCommit(
        keys.length,
        ...keys,
        String(loaded.version),
        JSON.stringify(next),
        hash,
        body,
        String(IDEM_TTL_SECONDS),
      )) as CommitResult;
    });
  }

  async auditTrail(tenant: string, projectId: string): Promise<AuditEvent[]> {
    return storeCall(async () => {
      const entries = await this.redis.xrange(this.keys.audit(tenant, projectId), '-', '+');
      return entries.map(([streamId, fields]) => {
        const body = fields[fields.indexOf('e') + 1] ?? '{}';
        const hash = fields[fields.indexOf('h') + 1] ?? '';
        return { ...(JSON.parse(body) as Omit<AuditEvent, 'hash'>), hash, streamId, body } as AuditEvent;
      });
    });
  }

  async tenants(backfill = false): Promise<string[]> {
    return storeCall(async () => {
      if (backfill) {
        // Finds `<prefix>:{<tenant>}:projects` sets left by projects created before the index existed.
        const found = new Set<string>();
        // On a cluster every master is scanned; one Redis is its own only node.
        const nodes = 'nodes' in this.redis ? this.redis.nodes('master') : [this.redis];
        for (const node of nodes)
          for await (const batch of node.scanStream({ match: `${this.keys.prefix}:{*}:projects`, count: 500 }) as AsyncIterable<string[]>) {
            for (const key of batch) {
              // Read the tenant back from one of the set's projects rather than decode the tag: a tag written before
              // the encoding was one to one (characters from U+0100) would decode to another tenant's name.
              const id = await this.redis.srandmember(key);
              const doc = id ? await this.redis.hget(`${key.slice(0, -':projects'.length)}:p:${encodeKeyPart(id)}`, 'doc') : null;
              const tenant = doc ? (JSON.parse(doc) as { tenant?: unknown }).tenant : undefined;
              if (typeof tenant === 'string' && this.keys.projects(tenant) === key) found.add(tenant);
            }
          }
        if (found.size > 0) await this.redis.sadd(this.keys.tenants(), ...found);
      }
      return (await this.redis.smembers(this.keys.tenants())).sort();
    });
  }

  async suspendedTenants(): Promise<Set<string>> {
    return storeCall(async () => new Set(await this.redis.smembers(this.keys.suspended())));
  }

  async setSuspended(tenant: string, suspended: boolean): Promise<void> {
    return storeCall(
      async () =>
        void (await (suspended ? this.redis.sadd(this.keys.suspended(), tenant) : this.redis.srem(this.keys.suspended(), tenant))),
    );
  }

  async projectIds(tenant: string): Promise<string[]> {
    return storeCall(async () => (await this.redis.smembers(this.keys.projects(tenant))).sort());
  }

  async userLang(tenant: string, userId: string): Promise<Lang | undefined> {
    return storeCall(async () => {
      const lang = await this.redis.hget(this.keys.user(tenant, userId), 'lang');
      return isLang(lang) ? lang : undefined;
    });
  }

  async setUserLang(tenant: string, userId: string, lang: Lang): Promise<void> {
    return storeCall(async () => {
      await this.redis.hset(this.keys.user(tenant, userId), 'lang', lang);
    });
  }

  /** Serialises an event with its link to the previous one, and hashes it. */
  private seal(projectId: string, event: AuditInput, prev: string): { body: string; hash: string } {
    const body = JSON.stringify({ id: randomUUID(), project: projectId, ...event, prev });
    return { body, hash: chainHash(body) };
  }
}

interface Scripts {
  lvCommit(numKeys: number, ...args: string[]): Promise<unknown>;
  lvCreate(numKeys: number, ...args: string[]): Promise<unknown>;
  lvPrefetch(numKeys: number, ...args: string[]): Promise<unknown>;
}
