/**
 * The jobs layer's public face for the composition root: `createQueues` in a web process (enqueue
 * only); a worker process loads `startWorkers` from job-workers.js itself, so `web` never loads the workers. The ports they serve (ChatPort, Deliveries, the delivery errors) live in src/ports.
 */
export { createQueues, JobQueues, type DeliveryJobData, type PlannerJobData, type QueueDeps } from './job-queues.js';
export type { RunningWorkers, WorkerDeps } from './job-workers.js';
export { PLATFORM_LIMITS, type RateWindow } from './conversation-limiter.js';
