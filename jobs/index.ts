/**
 * The jobs layer's public face for the composition root: `createQueues` in a web process (enqueue
 * only), `startWorkers` in a worker process. The ports they serve (ChatPort, Deliveries, the delivery errors) live in src/ports.
 */
export { createQueues, JobQueues, type DeliveryJobData, type PlannerJobData, type QueueDeps } from './job-queues.js';
export { startWorkers, DAILY_PLAN_ID, type RunningWorkers, type WorkerDeps } from './job-workers.js';
export { PLATFORM_LIMITS, type RateWindow } from './conversation-limiter.js';
