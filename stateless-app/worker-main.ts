// BullMQ worker entry point: `node --import tsx stateless-app/worker-main.ts` with NODE_ID, DATABASE_URL,
// REDIS_URL, LOG_LEVEL and PORT, where it serves only GET /health (200 once the Worker runs) and GET /metrics
// (on METRICS_PORT instead when set, as the API replicas do).
import { Hono } from "hono";
import { type Health, metricsResponse } from "../contract/index.ts";
import { metricsOffPublicPort, serveMetrics } from "../contract/metrics-port.ts";
import { loadConfig } from "./config.ts";
import { notFound } from "./errors.ts";
import { startProfiler } from "./profiler.ts";
import { startWorker } from "./queue/index.ts";
import { createRuntime } from "./runtime.ts";
import { serveWithShutdown } from "./serve.ts";

const config = loadConfig();
const stopProfiler = await startProfiler(config.CPU_PROF_DIR, config.NODE_ID);
const rt = await createRuntime(config, "worker");
const w = startWorker({
  redisUrl: config.REDIS_URL,
  name: `${config.NODE_ID}-bullmq`,
  db: rt.db,
  store: rt.store,
  queue: rt.queue,
  log: rt.log,
  concurrency: config.WORKER_CONCURRENCY,
  batchMax: config.WORKER_BATCH_MAX,
  lockMs: config.WORKER_LOCK_MS,
});
await w.worker.waitUntilReady();

const app = new Hono();
app.notFound(notFound);
metricsOffPublicPort(app, config.METRICS_PORT);
app.get("/health", (c) =>
  w.worker.isRunning()
    ? c.json({ status: "ok", app: "stateless", node: config.NODE_ID } satisfies Health)
    : c.json({ error: { code: "unavailable", message: "worker not running" } }, 503),
);
app.get("/metrics", async (c) =>
  metricsResponse(c.req.header("accept"), { ...(await rt.metrics()), conflicts: w.conflicts() }),
);
const metricsListener =
  config.METRICS_PORT === undefined ? null : await serveMetrics(app, { host: config.HOST, port: config.METRICS_PORT });
await serveWithShutdown(app, {
  host: config.HOST,
  port: config.PORT,
  log: rt.log,
  // worker.close() waits for the jobs in hand, whose promises settle when their batch is committed.
  cleanup: async () => {
    await w.close();
    await stopProfiler();
    await metricsListener?.close();
    await rt.close();
  },
  graceMs: 30_000,
});
