import { Hono } from "hono";
import type { Logger } from "pino";
import { type Admission, admission } from "../../contract/admission.ts";
import { requireJsonBody } from "../../contract/content-type.ts";
import { errorBody, metricsResponse } from "../../contract/index.ts";
import { metricsOffPublicPort } from "../../contract/metrics-port.ts";
import type { BookingService } from "../booking/index.ts";
import type { Placement } from "../runtime/index.ts";
import { limitBody } from "./body.ts";
import { errorHandler, type HttpErrorCounters } from "./errors.ts";
import { bookingRoutes, type Forward } from "./routes.ts";

export { type HttpErrorCounters, httpErrorCounters, unavailable } from "./errors.ts";
export type { Forward } from "./routes.ts";

/** Options for `createHttpApp`. */
export interface HttpAppOptions {
  service: BookingService;
  placement: Placement;
  nodeId: string;
  logger: Logger;
  /** The JSON served at `GET /metrics`. */
  metrics: () => unknown;
  /** `/metrics` is served by a listener of its own on this port (`serveMetrics`), so not on the public one. */
  metricsPort?: number;
  forward?: Forward;
  /**
   * Extra routes (the cluster's internal endpoints), mounted before the booking routes and after the body limit
   * (64 KiB on every route).
   */
  extend?: (app: Hono) => void;
  /** Counted by the error handler (500s, client aborts); shown in /metrics by the caller. */
  errors?: HttpErrorCounters;
  /** The in-flight bound (`MAX_IN_FLIGHT`); none when absent. */
  admission?: Admission;
}

/** Never shed: health checks, metrics and the cluster's own traffic (view deltas between nodes). */
export const ADMISSION_EXEMPT = ["/health", "/metrics", "/cluster/"] as const;

/** The node's in-flight bound (`contract/admission.ts`) with the node's exempt paths. */
export function nodeAdmission(maxInFlight: number): Admission {
  return admission({ maxInFlight, exempt: ADMISSION_EXEMPT });
}

/** The node's Hono app: `/health`, `/metrics`, the contract's routes, 404s and errors in the contract's shape. */
export function createHttpApp(opts: HttpAppOptions): Hono {
  const app = new Hono();
  // First, so a shed request costs no body read and never reaches an actor.
  if (opts.admission) app.use(opts.admission.middleware);
  app.use(limitBody);
  app.use(requireJsonBody());
  metricsOffPublicPort(app, opts.metricsPort);
  app.get("/health", (c) => c.json({ status: "ok", app: "stateful", node: opts.nodeId }));
  app.get("/metrics", (c) => metricsResponse(c.req.header("accept"), opts.metrics() as Record<string, unknown>));
  opts.extend?.(app);
  bookingRoutes(app, opts);
  app.notFound((c) => c.json(errorBody("not_found", `no route ${c.req.method} ${c.req.path}`), 404));
  app.onError(errorHandler(opts.logger, opts.errors));
  return app;
}
