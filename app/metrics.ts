import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Platform } from '../src/domain/types.js';
import type { DeliveryOutcome, Metrics } from '../src/ports/metrics.js';
import type { JobQueues } from '../jobs/index.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** Route labels for request durations: a fixed set, so a scanner's random paths cannot grow the series. */
function routeOf(path: string): string {
  if (path.startsWith('/slack/')) return 'slack';
  if (path.startsWith('/api/messages')) return 'teams';
  if (path === '/healthz' || path === '/readyz' || path === METRICS_PATH) return 'probe';
  if (path.startsWith('/admin/')) return 'admin';
  return 'other';
}

/** The process's own figures (CPU, memory, event-loop delay, GC), collected once per process however many bots it composes. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The operator's view in Prometheus format (prom-client): commands and clicks per platform and tenant, how fast
 * Slack and Teams requests are answered (their ack), deliveries sent, retried, failed and rate limited per
 * platform and tenant, the queues' depth and the age of their oldest waiting job, and the process itself.
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly inboundTotal = new Counter({
    name: 'lv_inbound_total',
    help: 'Commands and button presses that reached the bot',
    labelNames: ['platform', 'kind', 'tenant'],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'lv_deliveries_total',
    help: 'Delivery attempts of proactive messages, by how they ended',
    labelNames: ['platform', 'outcome', 'tenant'],
    registers: [this.registry],
  });
  private readonly requests = new Histogram({
    name: 'lv_http_request_duration_seconds',
    help: 'Time to answer an HTTP request; for Slack and Teams this is the acknowledgement the platform waits for',
    labelNames: ['route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /**
   * Each series' child by its label values: prom-client hashes the label object on every inc and observe, which
   * came to a tenth of a click's own work; a child is looked up by one string instead. The label sets stay bounded
   * (fixed routes and statuses; platforms, kinds and tenants the bot serves).
   */
  private readonly inboundSeries = new Map<string, { inc(): void }>();
  private readonly requestSeries = new Map<string, { observe(v: number): void }>();

  constructor(queues?: JobQueues) {
    if (queues) this.watchQueues(queues);
  }

  inbound(platform: Platform, kind: 'command' | 'click', tenant: string): void {
    const key = `${platform}\0${kind}\0${tenant}`;
    let series = this.inboundSeries.get(key);
    if (!series) this.inboundSeries.set(key, (series = this.inboundTotal.labels({ platform, kind, tenant })));
    series.inc();
  }

  delivery(platform: Platform, outcome: DeliveryOutcome, tenant: string): void {
    this.deliveries.inc({ platform, outcome, tenant });
  }

  /** Times every request from its arrival to the end of its answer. */
  timing() {
    return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        const route = routeOf((req.url ?? '').split('?')[0] ?? '');
        const key = `${route}\0${res.statusCode}`;
        let series = this.requestSeries.get(key);
        if (!series) this.requestSeries.set(key, (series = this.requests.labels({ route, status: String(res.statusCode) })));
        series.observe(Number(process.hrtime.bigint() - start) / 1e9);
      });
      next();
    };
  }

  /** Serves the registry; with a token, only to a scraper that sends it (Authorization: Bearer), else only to this machine. */
  handler(token: string | undefined) {
    return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      if ((req.url ?? '').split('?')[0] !== METRICS_PATH || req.method !== 'GET') return next();
      const auth = req.headers.authorization ?? '';
      const allowed = token ? same(auth, `Bearer ${token}`) : isLoopback(req.socket.remoteAddress) && !req.headers['x-forwarded-for'];
      if (!allowed) {
        res.writeHead(token ? 401 : 403, { 'content-type': 'text/plain' }).end(token ? 'unauthorized\n' : 'forbidden\n');
        return;
      }
      const all = Registry.merge([this.registry, processMetrics()]);
      void all.metrics().then(
        (body) => res.writeHead(200, { 'content-type': all.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    };
  }

  /** Queue depth by state and the age of each queue's oldest waiting job, read when Prometheus scrapes. */
  private watchQueues(queues: JobQueues): void {
    const all = [queues.planner, queues.reminders, queues.deliveries];
    new Gauge({
      name: 'lv_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          all.map(async (q) => {
            const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
            for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
          }),
        );
      },
    });
    new Gauge({
      name: 'lv_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting to be processed in each queue (0 when none waits)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          all.map(async (q) => {
            const [oldest] = await q.getWaiting(0, 0); // ascending: the oldest first
            this.set({ queue: q.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
          }),
        );
      },
    });
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || /^127\./.test(address ?? '');
}
