import type { Context, Hono } from "hono";
import {
  CreateEventRequest,
  checkGeneratedId,
  checkId,
  parseConfirmRequest,
  parseHoldRequest,
  parseOrThrow,
  parseSeatsQuery,
} from "../../contract/index.ts";
import type { BookingService } from "../booking/index.ts";
import type { Placement, Route } from "../runtime/index.ts";
import { readJson } from "./body.ts";
import { unavailable } from "./errors.ts";

/**
 * The cluster's hook for every request addressed to one actor, given where its shard is served: null = serve it
 * here, else the answer to send (the owner's, forwarded, or a 503). `body` is the raw request body, if any.
 * Without it, a shard that is not local gets a 503.
 */
export type Forward = (c: Context, route: Route, body: string | undefined) => Promise<Response> | null;

/** What the booking routes need. */
export interface BookingRoutesOptions {
  service: BookingService;
  placement: Placement;
  /** Without it a request for a remote shard gets a 503. */
  forward?: Forward;
}

/**
 * The contract's booking routes. Every route that addresses one actor first asks the placement where that actor
 * lives: local requests are handled here, remote ones forwarded whole (cluster), moving shards get a 503. The
 * summary and the seat listing are answered from this node's boards (in a cluster, every node's boards are a
 * replicated view of all seats: see `cluster/view-sync.ts`).
 */
export function bookingRoutes(app: Hono, opts: BookingRoutesOptions): void {
  const { service, placement } = opts;

  async function routed(c: Context, key: string, body: string | undefined, handle: () => Promise<Response>) {
    const route = placement.route(placement.shardOf(key));
    if (opts.forward !== undefined) return opts.forward(c, route, body) ?? handle();
    if (route.kind === "local") return handle();
    return unavailable(c, route.kind === "unavailable" ? route.retryAfterMs : 1_000, `shard of ${key} is moving`);
  }

  app.put("/events/:eventId", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const { json, text } = await readJson(c);
    const body = parseOrThrow(CreateEventRequest, json);
    return routed(c, await service.routeKey(eventId, {}), text, async () => {
      const { created, layout } = await service.createEvent(eventId, body);
      return c.json({ eventId, sections: layout.sections, holdTtlMs: layout.holdTtlMs }, created ? 201 : 200);
    });
  });

  app.get("/events/:eventId", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    return c.json(await service.summary(eventId));
  });

  app.get("/events/:eventId/seats", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const query = parseSeatsQuery(c.req.query());
    return c.body(await service.seatsJson(eventId, query), 200, { "content-type": "application/json" });
  });

  app.post("/events/:eventId/holds", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const { json, text } = await readJson(c);
    const body = parseHoldRequest(json);
    return routed(c, await service.routeKey(eventId, { seatId: body.seatId }), text, async () =>
      c.json(await service.hold(eventId, body), 201),
    );
  });

  app.post("/events/:eventId/holds/:holdId/confirm", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const holdId = checkGeneratedId(c.req.param("holdId"), "holdId");
    const { json, text } = await readJson(c, true);
    parseConfirmRequest(json);
    return routed(c, await service.routeKey(eventId, { generatedId: holdId }), text, async () =>
      c.json(await service.confirm(eventId, holdId)),
    );
  });

  app.delete("/events/:eventId/holds/:holdId", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const holdId = checkGeneratedId(c.req.param("holdId"), "holdId");
    return routed(c, await service.routeKey(eventId, { generatedId: holdId }), undefined, async () => {
      await service.release(eventId, holdId);
      return c.body(null, 204);
    });
  });

  app.get("/events/:eventId/bookings/:bookingId", async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const bookingId = checkGeneratedId(c.req.param("bookingId"), "bookingId");
    return routed(c, await service.routeKey(eventId, { generatedId: bookingId }), undefined, async () =>
      c.json(await service.booking(eventId, bookingId)),
    );
  });
}
