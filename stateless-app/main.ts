// API replica entry point: `node --import tsx stateless-app/main.ts` with PORT, HOST, NODE_ID, DATABASE_URL,
// REDIS_URL, WRITE_MODE=queue|sync, LOG_LEVEL, MAX_IN_FLIGHT (see config.ts), and METRICS_PORT (`/metrics`
// there instead of on PORT).
import { serveMetrics } from "../contract/metrics-port.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { startProfiler } from "./profiler.ts";
import { createRuntime } from "./runtime.ts";
import { serveWithShutdown } from "./serve.ts";

const config = loadConfig();
const stopProfiler = await startProfiler(config.CPU_PROF_DIR, config.NODE_ID);
const rt = await createRuntime(config, "api");
const app = createApp({
  db: rt.db,
  store: rt.store,
  writer: rt.writer,
  node: config.NODE_ID,
  log: rt.log,
  metrics: rt.metrics,
  metricsPort: config.METRICS_PORT,
  maxInFlight: config.MAX_IN_FLIGHT,
});
// Before the public port: the harness takes a node as started once its public /health answers.
const metricsListener =
  config.METRICS_PORT === undefined ? null : await serveMetrics(app, { host: config.HOST, port: config.METRICS_PORT });
await serveWithShutdown(app, {
  host: config.HOST,
  port: config.PORT,
  log: rt.log,
  cleanup: async () => {
    await stopProfiler();
    await metricsListener?.close();
    await rt.close();
  },
});
