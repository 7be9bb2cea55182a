import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to one request. Before the fake sees it: answer 500 or 503, answer 429 with
 * Retry-After, or hang until the client gives up (nothing was applied). After the fake applied it: answer
 * 500 instead of the fake's answer, drop the connection, or hang until the client gives up (applied, but
 * the client cannot know).
 */
export type Fault = 'pass' | 'error500' | 'error503' | 'rate429' | 'hangBefore' | 'error500After' | 'dropAfter' | 'hangAfter';

/** The faults that leave the request applied at the fake while the client sees a failure. */
export const AFTER_APPLY: ReadonlySet<Fault> = new Set(['error500After', 'dropAfter', 'hangAfter']);

/** One request as the proxy handled it. */
export interface ProxiedRequest {
  seq: number;
  method: string;
  path: string;
  /** What `identify` named the request by (a delivery's key), if anything. */
  id?: string;
  fault: Fault;
  /** The fake's status, when the request was forwarded and answered. */
  upstreamStatus?: number;
}

/** How the proxy chooses faults. */
export interface FaultProxyOptions {
  /** The fake's base URL; the request's path and query are kept. */
  target: string;
  /** The same seed gives every (id, attempt) the same fault, whatever order concurrent requests come in. */
  seed: number;
  /** The probability of each fault for a faultable request; the rest pass. */
  rates: Partial<Record<Exclude<Fault, 'pass'>, number>>;
  /** A scripted fault for the n-th request (1-based) of an id, before any random one: a test's exact story. */
  plan?: (id: string, attempt: number) => Fault | undefined;
  /** Which requests may be faulted (default: every one); others always pass. */
  faultable?: (r: { method: string; path: string; body: string }) => boolean;
  /** Names a request (a delivery's key in its body), so its attempts are told apart and counted. */
  identify?: (r: { method: string; path: string; body: string }) => string | undefined;
  /** After this many faults for one id its requests pass, so every delivery ends within its attempts. */
  maxFaultsPerId?: number;
  /** Retry-After of an injected 429, in seconds. */
  retryAfterSeconds?: number;
  /** The body of an injected 500 or 429 (the platform's error shape). */
  errorBody?: (status: number) => { contentType: string; body: string };
}

/**
 * A seeded fault-injecting HTTP proxy on 127.0.0.1 between the bot and a fake platform API: per request
 * it forwards, or answers 500 / 429, or hangs before forwarding, or forwards and then drops or hangs the
 * answer. Every decision is recorded, so a test can say which deliveries met which faults.
 */
export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly events = new EventEmitter();
  private readonly faultsPerId = new Map<string, number>();
  private readonly attemptsPerId = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private seq = 0;
  url = '';

  constructor(private readonly opts: FaultProxyOptions) {}

  /** Listens on a free loopback port; resolves with the proxy's base URL (`http://127.0.0.1:<port>/`). */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return this.url;
  }

  /** The proxy's URL for a URL of the fake (same path), e.g. the Slack API base `…/api/`. */
  via(fakeUrl: string): string {
    const u = new URL(fakeUrl);
    return new URL(`${u.pathname}${u.search}`, this.url).toString();
  }

  /** Closes the proxy and every connection it still holds (hung requests included). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** How many requests met each fault. */
  tally(): Record<Fault, number> {
    const out: Record<Fault, number> = {
      pass: 0,
      error500: 0,
      error503: 0,
      rate429: 0,
      hangBefore: 0,
      error500After: 0,
      dropAfter: 0,
      hangAfter: 0,
    };
    for (const r of this.requests) out[r.fault] += 1;
    return out;
  }

  /** The ids that met a fault after the fake had applied the request. */
  appliedButFailed(): Set<string> {
    return new Set(this.requests.filter((r) => AFTER_APPLY.has(r.fault) && r.id).map((r) => r.id!));
  }

  /** Resolves once `n` requests have been handled (decided and, if forwarded, answered by the fake). */
  handled(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.requests.length < n) return;
        this.events.off('request', check);
        resolve();
      };
      this.events.on('request', check);
    });
  }

  private choose(id: string | undefined, attempt: number): Fault {
    const { rates, seed, maxFaultsPerId } = this.opts;
    const planned = id ? this.opts.plan?.(id, attempt) : undefined;
    if (planned) return planned;
    if (id && maxFaultsPerId !== undefined && (this.faultsPerId.get(id) ?? 0) >= maxFaultsPerId) return 'pass';
    // A uniform number from (seed, id, attempt): the same run of faults however requests interleave.
    const digest = createHash('sha256')
      .update(`${seed}|${id ?? `#${this.seq}`}|${attempt}`)
      .digest();
    let x = digest.readUInt32BE(0) / 2 ** 32;
    for (const [fault, p] of Object.entries(rates) as Array<[Exclude<Fault, 'pass'>, number]>) {
      if (x < p) {
        if (id) this.faultsPerId.set(id, (this.faultsPerId.get(id) ?? 0) + 1);
        return fault;
      }
      x -= p;
    }
    return 'pass';
  }

  private record(r: ProxiedRequest): void {
    this.requests.push(r);
    this.events.emit('request', r);
  }

  /** An injected error answer in the platform's shape (a 429 with Retry-After). */
  private answerError(res: ServerResponse, status: number): void {
    const shaped = this.opts.errorBody?.(status) ?? {
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: status === 429 ? 'Throttled' : 'ServiceError', message: 'injected by the fault proxy' } }),
    };
    res.writeHead(status, {
      'content-type': shaped.contentType,
      ...(status === 429 ? { 'retry-after': String(this.opts.retryAfterSeconds ?? 1) } : {}),
    });
    res.end(shaped.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const seen = { method, path, body: body.toString('utf8') };
    const seq = ++this.seq;
    const id = this.opts.identify?.(seen);
    const attempt = id ? (this.attemptsPerId.get(id) ?? 0) + 1 : 1;
    if (id) this.attemptsPerId.set(id, attempt);
    const fault = (this.opts.faultable ?? (() => true))(seen) ? this.choose(id, attempt) : 'pass';
    const entry: ProxiedRequest = { seq, method, path, fault, ...(id ? { id } : {}) };

    if (fault === 'error500' || fault === 'error503' || fault === 'rate429') {
      this.answerError(res, fault === 'error500' ? 500 : fault === 'error503' ? 503 : 429);
      this.record(entry);
      return;
    }
    if (fault === 'hangBefore') {
      this.record(entry); // never forwarded; the client times out and closes the connection
      return;
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || ['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'].includes(k)) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const upstream = await fetch(new URL(path, this.opts.target), {
      method,
      headers,
      ...(method !== 'GET' && method !== 'HEAD' && body.length > 0 ? { body } : {}),
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    entry.upstreamStatus = upstream.status;
    if (fault === 'dropAfter') {
      req.socket.destroy(); // applied at the fake; the client sees the connection reset
      this.record(entry);
      return;
    }
    if (fault === 'hangAfter') {
      this.record(entry); // applied at the fake; the client waits until it times out
      return;
    }
    if (fault === 'error500After') {
      this.answerError(res, 500); // applied at the fake; the client is told it failed
      this.record(entry);
      return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
    });
    res.writeHead(upstream.status, out);
    res.end(answer);
    this.record(entry);
  }
}
