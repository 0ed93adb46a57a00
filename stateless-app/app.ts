import { Hono } from "hono";
import type pg from "pg";
import { admission } from "../contract/admission.ts";
import { requireJsonBody } from "../contract/content-type.ts";
import { LIMITS } from "../contract/index.ts";
import { metricsOffPublicPort } from "../contract/metrics-port.ts";
import { limitBody } from "./body-limit.ts";
import { notFound, onError } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { Store } from "./redis/index.ts";
import { bookingRoutes, eventRoutes, healthRoutes, holdRoutes } from "./routes/index.ts";
import { type BookingWriter, createService } from "./service.ts";

/** What the HTTP app needs; every piece is a pool or a client, never request state. */
export interface AppDeps {
  db: pg.Pool;
  store: Store;
  writer: BookingWriter;
  node: string;
  log: Logger;
  /** Extra figures for `/metrics` (pool, queue depth). */
  metrics?: () => Promise<Record<string, unknown>>;
  /** `/metrics` is served by a listener of its own on this port (`serveMetrics`), so not on the public one. */
  metricsPort?: number;
  /** Most requests handled at once before the next is shed with the overload 503 (`MAX_IN_FLIGHT`); 0: no bound. */
  maxInFlight?: number;
}

/**
 * The stateless API replica as a Hono app: testable with `app.request()`, served by `main.ts`.
 * @example const app = createApp({ db, store, writer, node: "api-1", log });
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const svc = createService(deps);
  // First, so a shed request costs no body read, no validation and no Redis or PostgreSQL work.
  const gate = admission({ maxInFlight: deps.maxInFlight ?? 0 });
  app.use(gate.middleware);
  app.onError(onError(deps.log));
  app.notFound(notFound);
  app.use(limitBody(LIMITS.maxBodyBytes));
  app.use(requireJsonBody());
  metricsOffPublicPort(app, deps.metricsPort);
  const extra = deps.metrics ?? (async () => ({}));
  healthRoutes(app, deps.node, async () => ({ ...(await extra()), admission: gate.stats() }));
  eventRoutes(app, svc);
  holdRoutes(app, svc);
  bookingRoutes(app, svc);
  return app;
}
