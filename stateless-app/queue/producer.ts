import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { BookingRow } from "../db/index.ts";
import type { BookingWriter } from "../service.ts";
import { JOB_OPTIONS, QUEUE_NAME } from "./names.ts";

/** Queue depth for `/metrics`. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** The producer side: one BullMQ Queue sharing the replica's Redis client (its auto-pipelining included). */
export function createQueue(redis: Redis): Queue<BookingRow> {
  return new Queue<BookingRow>(QUEUE_NAME, { connection: redis, defaultJobOptions: JOB_OPTIONS });
}

/**
 * Queue mode: a confirmation is acknowledged once its job is in Redis. The job id is the booking id, so a retried
 * confirm or the worker's re-enqueue of an overdue booking never creates a second live job.
 */
export function queueWriter(queue: Queue<BookingRow>): BookingWriter {
  return {
    mode: "queue",
    async write(booking) {
      await queue.add("booking", booking, { jobId: booking.bookingId });
    },
  };
}

export async function queueDepth(queue: Queue<BookingRow>): Promise<QueueDepth> {
  const c = await queue.getJobCounts("waiting", "active", "delayed", "failed");
  return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
}
