/**
 * The stateless architecture: Hono API replicas + Redis (claims, cache, de-duplication) + PostgreSQL (truth) +
 * a BullMQ write queue drained by batching workers. Entry points: `main.ts` (API), `worker-main.ts` (worker).
 */
export { type AppDeps, createApp } from "./app.ts";
export { type Config, loadConfig } from "./config.ts";
export { createRuntime, type Runtime } from "./runtime.ts";
export { type BookingWriter, createService, type Service } from "./service.ts";
