/**
 * The id of the unit of work a log line belongs to: an HTTP request, a console command or a queued job.
 * Kept in an AsyncLocalStorage, so whatever code logs while handling it (the core, an SDK's logger, a
 * worker) needs no id passed down; pino's `mixin` adds it to every line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The ids a line carries: `reqId` for a request or console command, `jobId` (and its queue) for a job. */
export interface LogIds {
  reqId?: string;
  jobId?: string;
  queue?: string;
}

const storage = new AsyncLocalStorage<LogIds>();

/** This process's id: on every line, so lines outside any request or job (start-up, shutdown) have one too. */
export const RUN_ID = randomUUID();

/** Runs `fn` (and everything it starts) as one unit of work whose lines carry `ids`. */
export function withLogIds<T>(ids: LogIds, fn: () => T): T {
  return storage.run(ids, fn);
}

/** The ids of the unit of work running now, or undefined outside any. */
export function currentLogIds(): LogIds | undefined {
  return storage.getStore();
}

/** A fresh request id, for a request that brought none (or a console command). */
export function newRequestId(): string {
  return randomUUID();
}

/** Accepts a caller's `x-request-id` only when it is a short token, so a line can never be forged or bloated through it. */
export function acceptedRequestId(given: unknown): string | undefined {
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : undefined;
}

/** pino's `mixin`: the process's run id and the current request's or job's id, on every line. */
export function logIdsMixin(): Record<string, string> {
  const ids = storage.getStore();
  return { runId: RUN_ID, ...ids };
}
