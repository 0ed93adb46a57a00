import type { Hono } from "hono";
import type { Health } from "../../contract/index.ts";

/** `GET /health` (no I/O: the load balancer polls it) and `GET /metrics` (pool and queue depth, JSON). */
export function healthRoutes(app: Hono, node: string, metrics: () => Promise<Record<string, unknown>>): void {
  app.get("/health", (c) => c.json({ status: "ok", app: "stateless", node } satisfies Health));
  app.get("/metrics", async (c) => c.json(await metrics()));
}
