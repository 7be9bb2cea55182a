import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import { acceptedRequestId, newRequestId, withLogIds } from '../src/infra/log-context.js';
import type { Logger } from '../src/ports/logger.js';

/** A check that says whether a dependency (Redis, the queues) answers. */
export type ReadinessCheck = () => Promise<void>;

/** The one HTTP server the platform adapters mount on, with liveness and readiness probes. */
export class HttpServer {
  readonly app: Express = express();
  private server: Server | undefined;

  constructor(
    private readonly checks: Record<string, ReadinessCheck>,
    log?: Logger,
    /** Handlers that see every request first (the metrics' timing). */
    first: ReadonlyArray<(req: IncomingMessage, res: ServerResponse, next: () => void) => void> = [],
  ) {
    this.app.disable('x-powered-by');
    for (const h of first) this.app.use(h);
    // Every request runs as one unit of work: its log lines carry its id, and the caller sees the id too.
    this.app.use((req, res, next) => {
      const reqId = acceptedRequestId(req.headers['x-request-id']) ?? newRequestId();
      res.setHeader('x-request-id', reqId);
      if (log) {
        const started = performance.now();
        // The path only: a query string may carry a token (the dashboard's ?token=).
        const path = req.originalUrl.split('?')[0];
        res.once('finish', () =>
          withLogIds({ reqId }, () => {
            const line = { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) };
            // Probes are polled every few seconds: only worth a line when debugging.
            if (path === '/healthz' || path === '/readyz') log.debug?.(line, 'request');
            else log.info(line, 'request');
          }),
        );
      }
      withLogIds({ reqId }, next);
    });
    this.app.get('/healthz', (_req, res) => {
      res.json({ ok: true });
    });
    this.app.get('/readyz', async (_req, res) => {
      const results: Record<string, string> = {};
      let ok = true;
      await Promise.all(
        Object.entries(this.checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), 2_000);
            results[name] = 'ok';
          } catch (e) {
            ok = false;
            results[name] = e instanceof Error ? e.message : String(e);
          }
        }),
      );
      res.status(ok ? 200 : 503).json({ ok, checks: results });
    });
  }

  /** Ends the route list: unknown paths get 404 and errors a short JSON 500, never a stack trace. */
  finish(log?: { error(obj: object, msg?: string): void }): void {
    this.app.use((_req, res) => {
      res.status(404).json({ error: 'not found' });
    });
    this.app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const status =
        typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status < 500 ? err.status : 500;
      if (status >= 500) log?.error({ err }, 'request failed');
      if (!res.headersSent) res.status(status).json({ error: status >= 500 ? 'internal error' : 'bad request' });
    });
  }

  /** Listens on host:port (port 0 picks a free one) and resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer(this.app);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  /** Stops accepting connections and waits for open requests to finish. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
