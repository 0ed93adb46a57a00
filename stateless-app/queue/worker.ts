import { type Job, type Queue, Worker } from "bullmq";
import type pg from "pg";
import { type BookingRow, insertBookings } from "../db/index.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../redis/index.ts";
import { createBatcher } from "./batcher.ts";
import { type BookingJob, QUEUE_NAME } from "./names.ts";

/** Options for `startWorker`. */
export interface WorkerOptions {
  redisUrl: string;
  /** Redis connection name of the BullMQ worker (shown by CLIENT LIST and the bench). */
  name?: string;
  db: pg.Pool;
  store: Store;
  /** Producer used to re-enqueue overdue pending bookings. */
  queue: Queue<BookingJob>;
  log: Logger;
  concurrency: number;
  batchMax: number;
  lockMs: number;
  /** A pending booking older than this with no job is re-enqueued (a replica died between confirm and enqueue). */
  overdueMs?: number;
}

/**
 * The BullMQ worker: takes up to `concurrency` jobs at once and writes them with multi-row INSERT ... ON CONFLICT
 * DO NOTHING; a job completes only after its row is committed. A SIGKILLed worker's jobs are still active with
 * expiring locks; BullMQ's stalled check returns them to `wait` (at-least-once) and the insert is idempotent.
 */
export function startWorker(opts: WorkerOptions) {
  const { db, store, log } = opts;
  let conflicts = 0;
  const batcher = createBatcher<BookingRow>({
    maxBatch: opts.batchMax,
    async flush(rows) {
      const lost = await insertBookings(db, rows);
      if (lost.length > 0) {
        conflicts += lost.length;
        log.error({ lost }, "bookings lost to another booking of the same seat (Redis lost its state)");
      }
      await store.settle(rows).catch((err: Error) => log.warn({ err: err.message }, "settle failed"));
    },
  });

  // A job's bookings join the current batch; the job completes when all of them are committed.
  const processJob = async (job: Job<BookingJob>) => {
    await Promise.all(job.data.bookings.map((b) => batcher.add(b)));
  };
  const worker = new Worker<BookingJob>(QUEUE_NAME, processJob, {
    connection: { url: opts.redisUrl, maxRetriesPerRequest: null, connectionName: opts.name ?? "stateless-worker" },
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: opts.lockMs,
    // A stall is a crashed worker, never a poison job: keep retrying rather than failing an acknowledged booking.
    maxStalledCount: 1_000,
  });
  worker.on("error", (err) => log.warn({ err: err.message }, "worker error"));
  worker.on("failed", (job, err) => log.warn({ jobId: job?.id, err: err.message }, "job failed"));

  // Re-enqueue bookings confirmed in Redis whose enqueue never happened (replica killed in between). A booking
  // merely waiting in a long queue may be written twice, which the idempotent insert absorbs.
  // 10 s: long enough that a booking merely queued behind a burst is rarely re-sent, short enough that the audit
  // after a replica kill does not wait a minute for the catch-up.
  const overdueMs = opts.overdueMs ?? 10_000;
  const sweep = setInterval(
    async () => {
      try {
        const rows = await store.overduePending(overdueMs, 1_000);
        if (rows.length === 0) return;
        await opts.queue.add("bookings", { bookings: rows }, { jobId: `overdue-${rows[0]?.bookingId}` });
        log.info({ count: rows.length }, "re-enqueued overdue pending bookings");
      } catch (err) {
        log.warn({ err: (err as Error).message }, "overdue scan failed");
      }
    },
    Math.min(5_000, overdueMs),
  );
  sweep.unref();

  let closing: Promise<void> | null = null;
  return {
    worker,
    conflicts: () => conflicts,
    /** Stops taking jobs and waits for the current batch; idempotent. */
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(sweep);
        await worker.close();
        await batcher.idle();
      })();
      return closing;
    },
  };
}
