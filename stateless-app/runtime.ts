import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type pg from "pg";
import type { Config } from "./config.ts";
import { createPool, migrate, poolStats } from "./db/index.ts";
import { createLogger, type Logger } from "./log.ts";
import { type BookingJob, createQueue, queueDepth, queueWriter, syncWriter } from "./queue/index.ts";
import { createRedis, createStore, type Store } from "./redis/index.ts";
import type { BookingWriter } from "./service.ts";

/** The pools and clients one process owns, built from its config. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: pg.Pool;
  redis: Redis;
  store: Store;
  queue: Queue<BookingJob>;
  writer: BookingWriter;
  metrics(): Promise<Record<string, unknown>>;
  /** Closes the queue, Redis and the pool; idempotent. */
  close(): Promise<void>;
}

/** Connects to PostgreSQL (running the migrations) and Redis. */
export async function createRuntime(config: Config, role: "api" | "worker"): Promise<Runtime> {
  const log = createLogger(config.LOG_LEVEL, { app: "stateless", role, node: config.NODE_ID });
  const db = createPool(config.DATABASE_URL, config.PG_POOL_MAX, (err) =>
    log.warn({ err: err.message }, "pg idle client error"),
  );
  await migrate(db);
  const redis = createRedis(config.REDIS_URL, `${config.NODE_ID}-${role}`);
  redis.on("error", (err: Error) => log.warn({ err: err.message }, "redis error"));
  const store = createStore(redis);
  const queue = createQueue(redis);
  const writer =
    config.WRITE_MODE === "sync"
      ? syncWriter(db, store, log, config.QUEUE_BATCH_MAX)
      : queueWriter(queue, config.QUEUE_BATCH_MAX);
  let closing: Promise<void> | null = null;
  return {
    config,
    log,
    db,
    redis,
    store,
    queue,
    writer,
    async metrics() {
      const [queueStats, pending] = await Promise.all([queueDepth(queue), store.pendingCount()]);
      return {
        node: config.NODE_ID,
        role,
        writeMode: config.WRITE_MODE,
        pg: poolStats(db),
        queue: queueStats,
        pending,
        // Bookings acknowledged in Redis but not yet committed to PostgreSQL: what the bench's drain waits for.
        pendingWrites: pending,
      };
    },
    close() {
      closing ??= (async () => {
        await queue.close().catch(() => {});
        await redis.quit().catch(() => {});
        await db.end().catch(() => {});
      })();
      return closing;
    },
  };
}
