import type { Hono } from "hono";
import { type Health, metricsResponse } from "../../contract/index.ts";

/**
 * `GET /health` (no I/O: the load balancer polls it) and `GET /metrics` (pool and queue depth: JSON, or the
 * Prometheus text format with the process's CPU and memory when Accept asks for it).
 */
export function healthRoutes(app: Hono, node: string, metrics: () => Promise<Record<string, unknown>>): void {
  app.get("/health", (c) => c.json({ status: "ok", app: "stateless", node } satisfies Health));
  app.get("/metrics", async (c) => metricsResponse(c.req.header("accept"), await metrics()));
}
