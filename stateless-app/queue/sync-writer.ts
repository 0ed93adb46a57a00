import type pg from "pg";
import { ApiError } from "../../contract/index.ts";
import { insertBookings } from "../db/index.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../redis/index.ts";
import type { BookingWriter } from "../service.ts";

/** Sync mode: a confirmation is acknowledged after its row is committed in PostgreSQL. */
export function syncWriter(db: pg.Pool, store: Store, log: Logger): BookingWriter {
  return {
    mode: "sync",
    async write(booking) {
      const lost = await insertBookings(db, [booking]);
      if (lost.length > 0) {
        // Only possible when Redis lost its state: PostgreSQL's UNIQUE (event_id, seat_id) kept the first sale.
        log.error({ booking }, "seat already sold in PostgreSQL to another booking");
        throw new ApiError("seat_unavailable", "the seat was sold to another booking");
      }
      // Off the answer's path: if it fails, the worker's overdue scan re-writes the row idempotently.
      store.settle([booking]).catch((err: Error) => log.warn({ err: err.message }, "settle failed"));
    },
  };
}
