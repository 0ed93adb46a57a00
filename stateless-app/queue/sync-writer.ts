import type pg from "pg";
import { ApiError } from "../../contract/index.ts";
import { insertBookings } from "../db/index.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../redis/index.ts";
import type { BookingWriter } from "../service.ts";
import { createBatcher } from "./batcher.ts";

/**
 * Sync mode: a confirmation is acknowledged after its row is committed in PostgreSQL. Confirmations arriving
 * while the replica's previous INSERT runs share the next one (group commit, no timer, up to `maxBatch` rows).
 */
export function syncWriter(db: pg.Pool, store: Store, log: Logger, maxBatch: number): BookingWriter {
  const batcher = createBatcher({
    maxBatch,
    async flush(rows: Parameters<BookingWriter["write"]>[0][]) {
      const lost = new Set(await insertBookings(db, rows));
      // Off the answer's path (sent after the answers go out): if it fails, the worker's overdue scan re-writes the
      // rows idempotently.
      const settled = rows.filter((r) => !lost.has(r));
      setImmediate(() => store.settle(settled).catch((err: Error) => log.warn({ err: err.message }, "settle failed")));
      if (lost.size === 0) return;
      // Only possible when Redis lost its state: PostgreSQL's UNIQUE (event_id, seat_id) kept the first sale.
      log.error({ lost: [...lost] }, "seat already sold in PostgreSQL to another booking");
      return rows.map((r) =>
        lost.has(r) ? new ApiError("seat_unavailable", "the seat was sold to another booking") : undefined,
      );
    },
  });
  return { mode: "sync", write: (booking) => batcher.add(booking) };
}
