import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One sliding window: at most `max` admitted requests in any `ms` milliseconds. */
export interface GateWindow {
  ms: number;
  max: number;
}

/** What a gate enforces, and how it answers beyond the limit. */
export interface RateGateOptions {
  /** Base URL of the fake behind the gate (`http://127.0.0.1:1234`); the request path is kept as it is. */
  upstream: string;
  /** The limited key of a request (a channel, a conversation), or undefined when the request is not limited. */
  classify(method: string, path: string, body: string, contentType: string | undefined): string | undefined;
  /** Windows per key (Slack: one a second per channel). */
  perKey: readonly GateWindow[];
  /** Windows over every limited request of one scope together (Slack's workspace limit, Teams' per-app limit). */
  global: readonly GateWindow[];
  /**
   * The scope a request's global windows and counts belong to (Slack: the workspace of its bot token, as Slack
   * limits each workspace on its own); one scope for every request when absent. Per-key windows are per scope too.
   */
  scopeOf?(headers: IncomingHttpHeaders): string;
  /** The body of a 429 (Slack: `{"ok":false,"error":"ratelimited"}`). */
  limitedBody: string;
}

/** What the gate saw in one scope (or in all): admitted posts per key, 429s, and the instants the upstream accepted a post. */
export interface GateStats {
  /** Posts the upstream answered with 2xx, per key. */
  accepted: Map<string, number>;
  /** Instants (Date.now()) the accepted posts were admitted at, in the order the fake answered them. */
  acceptedAt: number[];
  /** 429s answered because a key's window was full, and because the global window was full. */
  limitedPerKey: number;
  limitedGlobal: number;
  /** Admitted posts the upstream did not answer with 2xx. */
  upstreamErrors: number;
}

/** A scope's stats before its first request. */
export const emptyStats = (): GateStats => ({ accepted: new Map(), acceptedAt: [], limitedPerKey: 0, limitedGlobal: 0, upstreamErrors: 0 });

/** Times admitted per key, pruned to the longest window. */
class Windows {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly windows: readonly GateWindow[]) {}
  private readonly longest = (): number => Math.max(0, ...this.windows.map((w) => w.ms));

  /** Milliseconds until one more fits every window for the key (0: now). */
  wait(key: string, now: number): number {
    const kept = (this.times.get(key) ?? []).filter((t) => t > now - this.longest());
    this.times.set(key, kept);
    let wait = 0;
    for (const w of this.windows) {
      const inside = kept.filter((t) => t > now - w.ms);
      if (inside.length >= w.max) wait = Math.max(wait, inside[inside.length - w.max]! + w.ms - now);
    }
    return wait;
  }

  take(key: string, now: number): void {
    const list = this.times.get(key) ?? [];
    list.push(now);
    this.times.set(key, list);
  }
}

/**
 * A rate-limiting HTTP gate in front of a fake platform API, so a benchmark meets the platform's documented
 * limits: a request beyond a per-key or global sliding window gets HTTP 429 with `Retry-After` in whole
 * seconds (as Slack and the Bot Framework answer) and never reaches the fake; the rest is forwarded unchanged.
 * It counts what the fake accepted per key, which is how a benchmark proves none lost and none twice.
 */
export class RateGate {
  /** Every scope's requests together. */
  readonly stats: GateStats = emptyStats();
  /** Each scope's own (one scope, '*', without `scopeOf`). */
  readonly scopes = new Map<string, GateStats>();
  private readonly perKey: Windows;
  private readonly global: Windows;
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly opts: RateGateOptions) {
    this.perKey = new Windows(opts.perKey);
    this.global = new Windows(opts.global);
  }

  /** Listens on a free loopback port. */
  async start(): Promise<void> {
    const server = createServer(
      (req, res) =>
        void this.handle(req, res).catch(() => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        }),
    );
    server.keepAliveTimeout = 30_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** The gate's base URL: give it to the bot where it would give the fake's. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The most posts admitted in any window of `ms` (a check that the gate held the limit), in one scope or in all. */
  peak(ms: number, scope?: string): number {
    const t = [...(scope === undefined ? this.stats : (this.scopes.get(scope) ?? emptyStats())).acceptedAt].sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < t.length; i++) {
      while (t[i]! - t[j]! >= ms) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const key = this.opts.classify(method, path.split('?')[0]!, body.toString('utf8'), req.headers['content-type']);
    let admittedAt = 0;
    const scope = this.opts.scopeOf?.(req.headers) ?? '*';
    const counts = [this.stats, this.scopes.get(scope) ?? this.scopes.set(scope, emptyStats()).get(scope)!];
    const scopedKey = `${scope}\n${key}`;
    if (key !== undefined) {
      const now = Date.now();
      const own = this.perKey.wait(scopedKey, now);
      const all = this.global.wait(scope, now);
      if (own > 0 || all > 0) {
        for (const c of counts) {
          if (own > 0) c.limitedPerKey++;
          else c.limitedGlobal++;
        }
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(Math.max(1, Math.ceil(Math.max(own, all) / 1000))),
        });
        res.end(this.opts.limitedBody);
        return;
      }
      this.perKey.take(scopedKey, now);
      this.global.take(scope, now);
      admittedAt = now;
    }
    const upstream = new URL(path, this.opts.upstream);
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const out = httpRequest(upstream, { method, headers }, resolve);
      out.on('error', reject);
      out.end(body);
    });
    const reply: Buffer[] = [];
    for await (const chunk of answer) reply.push(chunk as Buffer);
    const status = answer.statusCode ?? 502;
    if (key !== undefined) {
      for (const c of counts) {
        if (status >= 200 && status < 300) {
          c.accepted.set(key, (c.accepted.get(key) ?? 0) + 1);
          c.acceptedAt.push(admittedAt);
        } else c.upstreamErrors++;
      }
    }
    const { 'transfer-encoding': _te, connection: _c, ...passed } = answer.headers;
    res.writeHead(status, passed);
    res.end(Buffer.concat(reply));
  }
}

/** Slack: chat.postMessage is limited per channel (read from the form or JSON body). */
export function slackChannelOf(method: string, path: string, body: string, contentType: string | undefined): string | undefined {
  if (method !== 'POST' || !path.endsWith('/chat.postMessage')) return undefined;
  if (contentType?.includes('json')) {
    try {
      const channel = (JSON.parse(body) as { channel?: unknown }).channel;
      return typeof channel === 'string' ? channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('channel') ?? undefined;
}

/** Teams: sending to a conversation (POST /v3/conversations/{id}/activities) is limited per conversation. */
export function teamsConversationOf(method: string, path: string): string | undefined {
  if (method !== 'POST') return undefined;
  const m = /\/v3\/conversations\/([^/]+)\/activities\/?$/.exec(path);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}
