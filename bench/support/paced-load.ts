/**
 * Open-model load: requests sent at a fixed rate, request i at t0 + i/rate whatever the answers, each
 * latency counted from when the request was due (not when it went out), so a slow server or a late load
 * generator shows in the figures instead of hiding them (no coordinated omission, as wrk2 measures).
 * Percentiles come from an HdrHistogram (hdr-histogram-js), the HTTP from node:http's keep-alive agent.
 */
import { Agent, request } from 'node:http';
import hdr from 'hdr-histogram-js';

/** One request to send: the body and its headers (signed per request by the caller). */
export interface Built {
  body: string;
  headers: Record<string, string>;
}

/** What to send, how fast and for how long. */
export interface PacedLoadOptions {
  url: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Builds request number i (0-based) at the moment it is due. */
  build(i: number): Built;
  /** Called with each answer's status and text, e.g. to count refusals; optional. */
  onAnswer?(status: number, text: string): void;
  /** A request without an answer after this long counts as an error. */
  timeoutMs?: number;
}

/** The figures of one run, latencies in milliseconds. */
export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Requests per second actually sent. */
  achievedRate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** The largest delay between when a request was due and when it went out (the generator's own lag). */
  maxSendLagMs: number;
}

/** Runs the load and resolves once every request has been answered or has failed. */
export async function pacedLoad(o: PacedLoadOptions): Promise<LoadResult> {
  const url = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const total = Math.round(o.rate * o.seconds);
  const interval = 1000 / o.rate;
  const timeoutMs = o.timeoutMs ?? 30_000;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let maxSendLagMs = 0;
  const pending: Array<Promise<void>> = [];

  const send = (i: number, due: number): Promise<void> =>
    new Promise((resolve) => {
      const built = o.build(i);
      const payload = Buffer.from(built.body);
      const finish = (status: number | undefined, text: string) => {
        const ms = performance.now() - due;
        histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
        if (status === undefined) errors++;
        else if (status >= 200 && status < 300) ok++;
        else non2xx++;
        if (status !== undefined) o.onAnswer?.(status, text);
        resolve();
      };
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { ...built.headers, 'content-length': String(payload.length) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish(res.statusCode, Buffer.concat(chunks).toString()));
          res.on('error', () => finish(undefined, ''));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(undefined, ''));
      req.end(payload);
    });

  const t0 = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now) {
        const due = t0 + next * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - due);
        pending.push(send(next, due));
        next++;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
    };
    tick();
  });
  const sendingMs = performance.now() - t0;
  await Promise.all(pending);
  agent.destroy();
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    sent: total,
    ok,
    non2xx,
    errors,
    achievedRate: Math.round((total / Math.max(sendingMs, interval)) * 1000 * 10) / 10,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    maxSendLagMs: Math.round(maxSendLagMs * 100) / 100,
  };
}
