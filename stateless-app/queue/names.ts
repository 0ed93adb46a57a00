import type { BookingRow } from "../db/index.ts";

/** The BullMQ queue carrying confirmed bookings from API replicas to the worker(s). */
export const QUEUE_NAME = "stateless-bookings";

/** One job: the bookings one replica confirmed in the same moment (producer-side batching). */
export interface BookingJob {
  bookings: BookingRow[];
}

/** At-least-once until PostgreSQL takes the rows: retry for about 10 minutes of database trouble. */
export const JOB_OPTIONS = {
  attempts: 1_200,
  backoff: { type: "fixed", delay: 500 },
  removeOnComplete: true,
  removeOnFail: { count: 10_000 },
} as const;
