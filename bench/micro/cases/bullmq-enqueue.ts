import { Queue } from "bullmq";
import { loadConfig } from "../../../stateless-app/config.ts";
import type { BookingRow } from "../../../stateless-app/db/index.ts";
import { createQueue, queueWriter } from "../../../stateless-app/queue/index.ts";
import { createRedis } from "../../../stateless-app/redis/index.ts";
import type { MicroCase } from "../case.ts";

const IN_FLIGHT = 100;

/**
 * The stateless app's write-behind cost in queue mode: a plain `Queue.add` awaited one at a time (BullMQ's own
 * floor) and with many in flight, then the app's producer (`queueWriter`: confirmations arriving together share
 * one job) alone and with many confirmations at once. No worker runs: only the enqueue is measured.
 */
export const bullmqEnqueue: MicroCase = {
  id: "bullmq-enqueue",
  about: "BullMQ Queue.add and stateless-app/queue queueWriter against a private Redis (no worker)",
  async setup(env) {
    const url = await env.redisUrl();
    const plain = new Queue("micro-plain", { connection: { url } });
    env.defer(() => plain.close());
    // The app's own wiring: one ioredis client (auto-pipelining) shared by the Queue, its default batch size.
    const redis = createRedis(url, "micro-queue");
    env.defer(() => redis.quit());
    const appQueue = createQueue(redis);
    env.defer(() => appQueue.close());
    const batchMax = loadConfig({ DATABASE_URL: "postgres://unused@127.0.0.1/unused", REDIS_URL: url }).QUEUE_BATCH_MAX;
    const writer = queueWriter(appQueue, batchMax);
    if (writer.mode !== "queue") throw new Error(`queueWriter is in ${writer.mode} mode`);
    let seq = 0;
    const booking = (): BookingRow => {
      const i = ++seq;
      return { bookingId: `A-${i}.micro${i}`, eventId: "micro", seatId: `A-${i}`, userId: `u${i}` };
    };
    await plain.waitUntilReady();
    await appQueue.waitUntilReady();
    return {
      tasks: [
        { name: "Queue.add, awaited one at a time", fn: () => plain.add("booking", booking()) },
        {
          name: `Queue.add x${IN_FLIGHT} in flight`,
          items: { count: IN_FLIGHT, unit: "job" },
          fn: () => Promise.all(Array.from({ length: IN_FLIGHT }, () => plain.add("booking", booking()))),
        },
        { name: "app queueWriter.write, one at a time", fn: () => writer.write(booking()) },
        {
          name: `app queueWriter.write x${IN_FLIGHT} at once`,
          items: { count: IN_FLIGHT, unit: "booking" },
          fn: () => Promise.all(Array.from({ length: IN_FLIGHT }, () => writer.write(booking()))),
        },
      ],
      facts: async () => {
        const [plainJobs, appJobs] = await Promise.all([plain.count(), appQueue.count()]);
        return { appBatchMax: batchMax, plainJobsWaiting: plainJobs, appJobsWaiting: appJobs, appBookings: seq };
      },
    };
  },
};
