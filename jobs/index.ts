/**
 * The jobs layer's public face for the composition root: `createQueues` in a web process (enqueue
 * only), `startWorkers` in a worker process, and the errors the adapters' ChatPorts throw.
 */
export { createQueues, JobQueues, type DeliveryJobData, type PlannerJobData, type QueueDeps } from './job-queues.js';
export { startWorkers, DAILY_PLAN_ID, type RunningWorkers, type WorkerDeps } from './job-workers.js';
export { RateLimitedError, PermanentDeliveryError, isPermanent, isRateLimited, type RateLimitScope } from './delivery-errors.js';
export type { ChatRegistry, DeliveryChatPort, PostOptions } from './delivery-chat-port.js';
export { PLATFORM_LIMITS, type RateWindow } from './conversation-limiter.js';
