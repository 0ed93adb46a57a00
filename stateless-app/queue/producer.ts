import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { BookingWriter } from "../service.ts";
import { createBatcher } from "./batcher.ts";
import { type BookingJob, JOB_OPTIONS, QUEUE_NAME } from "./names.ts";

/** Queue depth for `/metrics`. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** The producer side: one BullMQ Queue sharing the replica's Redis client (one connection for scripts and jobs). */
export function createQueue(redis: Redis): Queue<BookingJob> {
  return new Queue<BookingJob>(QUEUE_NAME, { connection: redis, defaultJobOptions: JOB_OPTIONS });
}

/**
 * Queue mode: a confirmation is acknowledged once a job carrying it is in Redis. Confirmations that arrive while
 * an add is in flight share the next job (group commit, no timer), so under load one BullMQ job - its ~50 Redis
 * commands of bookkeeping and its worker round trips - carries many bookings. Duplicates (a retried confirm, a
 * re-enqueued overdue booking) are harmless: the insert is idempotent.
 */
export function queueWriter(queue: Queue<BookingJob>, maxBatch: number): BookingWriter {
  const batcher = createBatcher({
    maxBatch,
    async flush(bookings: BookingJob["bookings"]) {
      await queue.add("bookings", { bookings });
    },
  });
  return { mode: "queue", write: (booking) => batcher.add(booking) };
}

export async function queueDepth(queue: Queue<BookingJob>): Promise<QueueDepth> {
  const c = await queue.getJobCounts("waiting", "active", "delayed", "failed");
  return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
}
