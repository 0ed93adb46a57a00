import type { Context, Hono } from "hono";
import {
  ConfirmRequest,
  CreateEventRequest,
  checkGeneratedId,
  checkId,
  HoldRequest,
  parseOrThrow,
  SeatsQuery,
} from "../../contract/index.ts";
import type { BookingService } from "../booking/index.ts";
import type { Placement } from "../runtime/index.ts";
import { limitBody, readJson } from "./body.ts";
import { unavailable } from "./errors.ts";

/** A request to hand to another node: what `Forward` receives. */
export interface ForwardRequest {
  method: string;
  /** Path and query, e.g. `/events/e1/holds`. */
  path: string;
  headers: Headers;
  body?: string;
}

/** Sends a request to the node at `url` that hosts its actor and returns that node's answer (cluster only). */
export type Forward = (req: ForwardRequest, url: string) => Promise<Response>;

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
 * summary and the seat listing are answered from this node's boards (see `booking/board.ts` for the cluster
 * fan-out design).
 */
export function bookingRoutes(app: Hono, opts: BookingRoutesOptions): void {
  const { service, placement } = opts;

  async function routed(c: Context, key: string, body: string | undefined, handle: () => Promise<Response>) {
    const route = placement.route(placement.shardOf(key));
    if (route.kind === "local") return handle();
    if (route.kind === "remote" && opts.forward !== undefined) {
      const url = new URL(c.req.url);
      return opts.forward(
        { method: c.req.method, path: url.pathname + url.search, headers: c.req.raw.headers, body },
        route.url,
      );
    }
    return unavailable(c, route.kind === "unavailable" ? route.retryAfterMs : 1_000, `shard of ${key} is moving`);
  }

  app.put("/events/:eventId", limitBody, async (c) => {
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
    const query = parseOrThrow(SeatsQuery, c.req.query(), "query");
    return c.json({ seats: await service.seats(eventId, query) });
  });

  app.post("/events/:eventId/holds", limitBody, async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const { json, text } = await readJson(c);
    const body = parseOrThrow(HoldRequest, json);
    return routed(c, await service.routeKey(eventId, { seatId: body.seatId }), text, async () =>
      c.json(await service.hold(eventId, body), 201),
    );
  });

  app.post("/events/:eventId/holds/:holdId/confirm", limitBody, async (c) => {
    const eventId = checkId(c.req.param("eventId"), "eventId");
    const holdId = checkGeneratedId(c.req.param("holdId"), "holdId");
    const { json, text } = await readJson(c, true);
    parseOrThrow(ConfirmRequest, json);
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
