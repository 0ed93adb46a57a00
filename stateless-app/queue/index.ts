/** BullMQ: the write queue from API replicas to the batching worker, and the sync-mode writer. */
export { createBatcher } from "./batcher.ts";
export { type BookingJob, JOB_OPTIONS, QUEUE_NAME } from "./names.ts";
export { createQueue, type QueueDepth, queueDepth, queueWriter } from "./producer.ts";
export { syncWriter } from "./sync-writer.ts";
export { startWorker } from "./worker.ts";
