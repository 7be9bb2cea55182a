import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

/** What the store, the queues and the workers talk to: one Redis, or a Redis Cluster through ioredis' Cluster client. */
export type RedisClient = Redis | Cluster;

/** A Redis URL taken apart: one server, or the seed nodes of a cluster with their shared credentials. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: Array<{ host: string; port: number }>; username?: string; password?: string; tls: boolean };

/** The URL schemes that name a cluster: `redis+cluster://host:port,host:port` (`rediss+cluster://` for TLS). */
export const CLUSTER_URL = /^rediss?\+cluster:\/\//i;

/**
 * Reads a `redis://`/`rediss://` URL (one server) or a `redis+cluster://[user:password@]host:port,host:port…`
 * URL (any reachable nodes of a cluster; ioredis discovers the rest), so one setting says which it is.
 */
export function parseRedisTarget(url: string): RedisTarget {
  if (!CLUSTER_URL.test(url)) return { kind: 'single', url };
  const tls = /^rediss/i.test(url);
  let rest = url.replace(CLUSTER_URL, '').replace(/\/.*$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const auth = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = auth.indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : '');
    const pass = decodeURIComponent(colon >= 0 ? auth.slice(colon + 1) : auth);
    if (user) username = user;
    if (pass) password = pass;
  }
  const nodes = rest.split(',').map((part) => {
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d{1,5})$/i.exec(part.trim());
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) throw new Error(`not a host:port in the cluster URL: ${JSON.stringify(part)}`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
  return { kind: 'cluster', nodes, ...(username ? { username } : {}), ...(password ? { password } : {}), tls };
}

/** Connects to the URL's Redis or cluster; `options` apply to every connection (each cluster node's too). */
export function createRedisClient(url: string, options: RedisOptions = {}): RedisClient {
  const target = parseRedisTarget(url);
  if (target.kind === 'single') return new Redis(target.url, options);
  const nodes: ClusterNode[] = target.nodes;
  const redisOptions: RedisOptions = {
    ...options,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
  return new Cluster(nodes, {
    redisOptions,
    ...(options.enableOfflineQueue !== undefined ? { enableOfflineQueue: options.enableOfflineQueue } : {}),
    // TLS certificates name the host the client asked for, not the address a node announces.
    ...(target.tls
      ? { dnsLookup: (address: string, callback: (err: Error | null, address: string) => void) => callback(null, address) }
      : {}),
  });
}

/** Another connection to the same Redis or cluster with changed options (a worker's blocking connection). */
export function duplicateClient(client: RedisClient, options: RedisOptions): RedisClient {
  if (client instanceof Cluster) return client.duplicate([], { redisOptions: { ...client.options.redisOptions, ...options } });
  return client.duplicate(options);
}

/** The nodes whose keys a scan must visit: every master of a cluster, or the one server. */
export function scanNodes(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
