// API replica entry point: `node --import tsx stateless-app/main.ts` with PORT, HOST, NODE_ID, DATABASE_URL,
// REDIS_URL, WRITE_MODE=queue|sync, LOG_LEVEL, MAX_IN_FLIGHT (see config.ts).
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
  maxInFlight: config.MAX_IN_FLIGHT,
});
await serveWithShutdown(app, {
  host: config.HOST,
  port: config.PORT,
  log: rt.log,
  cleanup: async () => {
    await stopProfiler();
    await rt.close();
  },
});
