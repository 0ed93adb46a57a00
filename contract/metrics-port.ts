import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono, MiddlewareHandler } from "hono";
import { errorBody } from "./errors.ts";

/**
 * `/metrics` on a port of its own (`METRICS_PORT`), as deployments do: the load balancer forwards the public
 * port only, so the figures (pool sizes, queue depth, routing counters) never leave through it, and a scraper
 * reaches each node directly. Both apps use this module alike.
 *
 * The app keeps its one `/metrics` route; `guardMetrics` hides it from the public listener and `serveMetrics`
 * starts the metrics listener, which answers `GET /metrics` and `GET /health` through the same app and 404
 * for everything else (the API is not served there either).
 */

/** Set on the env of requests that came in through the metrics listener. */
const FROM_METRICS_PORT = Symbol("statebench.metricsPort");

type Env = Record<PropertyKey, unknown> | undefined;

const notFound = (method: string, path: string) =>
  new Response(JSON.stringify(errorBody("not_found", `no route ${method} ${path}`)), {
    status: 404,
    headers: { "content-type": "application/json" },
  });

/**
 * Middleware for `/metrics` (mount before the route, on `/metrics` and `/metrics/*`): a 404 in the contract's
 * shape unless the request came through the metrics listener. Registered on those paths only, so the API's hot
 * routes never run it.
 */
export const guardMetrics: MiddlewareHandler = async (c, next) => {
  if ((c.env as Env)?.[FROM_METRICS_PORT] === true) return next();
  return notFound(c.req.method, c.req.path);
};

/** Mounts `guardMetrics` on `app` when `metricsPort` is set (unset: `/metrics` stays on the public port). */
export function metricsOffPublicPort(app: Hono, metricsPort: number | undefined): void {
  if (metricsPort === undefined) return;
  app.use("/metrics", guardMetrics);
  app.use("/metrics/*", guardMetrics);
}

/** A running metrics listener; `close()` is idempotent. */
export interface MetricsListener {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` and `GET /health` of `app` on host:port (port 0: any free port).
 * @example const metrics = await serveMetrics(app, { host: "127.0.0.1", port: 9464 });
 */
export function serveMetrics(app: Hono, opts: { host: string; port: number }): Promise<MetricsListener> {
  const fetch = (req: Request, env: Record<PropertyKey, unknown>) => {
    const { pathname } = new URL(req.url);
    if (req.method !== "GET" || (pathname !== "/metrics" && pathname !== "/health")) {
      return notFound(req.method, pathname);
    }
    env[FROM_METRICS_PORT] = true;
    return app.fetch(req, env);
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
      let closing: Promise<void> | null = null;
      resolve({
        port: info.port,
        url: `http://${opts.host}:${info.port}`,
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          });
          return closing;
        },
      });
    });
    server.once("error", reject);
  });
}
