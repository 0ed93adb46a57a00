import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { serve } from "@hono/node-server";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { limitBodyByLength } from "../body-limit.ts";
import { requireJsonBody } from "../content-type.ts";
import { ApiError, errorBody } from "../errors.ts";
import { parseSeatId, seatId as toSeatId } from "../ids.ts";
import { LIMITS } from "../limits.ts";
import {
  type Booking,
  ConfirmRequest,
  CreateEventRequest,
  type EventLayout,
  type EventSummary,
  type Hold,
  HoldRequest,
  type SeatStatus,
  SeatsQuery,
} from "../schemas.ts";
import { checkId, parseOrThrow } from "../validate.ts";
import { GENERATED_ID } from "./expect.ts";

/**
 * Bugs the reference app can be told to have, to prove the contract suite catches them:
 * - `double-hold`: a held or sold seat can be held again;
 * - `hold-race`: the seat is checked, then taken after an await (check-then-act across the event loop);
 * - `idempotency-ignored`: a retried hold request is treated as a new one;
 * - `error-shape`: errors are `{ code, message }` instead of `{ error: { code, message } }`;
 * - `malformed-json-500`: a body that is not JSON escapes as a 500;
 * - `no-expiry`: unconfirmed holds never expire;
 * - `release-frees-seat`: releasing an expired hold frees the seat even when another user now holds it;
 * - `header-only-body-limit`: the 64 KiB limit trusts Content-Length, so chunked bodies pass;
 * - `writes-only-body-limit`: the 64 KiB limit guards PUT and POST only, so GET and DELETE accept any body;
 * - `any-content-type`: bodies are parsed as JSON whatever their Content-Type says.
 */
export const BUGS = [
  "double-hold",
  "hold-race",
  "idempotency-ignored",
  "error-shape",
  "malformed-json-500",
  "no-expiry",
  "release-frees-seat",
  "header-only-body-limit",
  "writes-only-body-limit",
  "any-content-type",
] as const;
export type Bug = (typeof BUGS)[number];

interface HoldRecord {
  hold: Hold;
  expiresAtMs: number;
  state: "held" | "confirmed" | "released" | "expired";
  booking?: Booking;
}

interface EventState {
  layout: EventLayout;
  capacity: number;
  seatsBySection: Map<string, number>;
  holds: Map<string, HoldRecord>; // by holdId
  taken: Map<string, HoldRecord>; // seatId -> its live or confirmed hold
  requests: Map<string, HoldRecord>; // "seat user requestId" -> the answer given first
  bookings: Map<string, Booking>;
  held: number;
  sold: number;
}

/**
 * A correct, in-memory implementation of the contract (and, with `bugs`, a deliberately wrong one). It is the
 * executable reading of the contract the suite checks; the benchmarked apps are the real implementations.
 */
export function createReferenceApp(bugs: ReadonlySet<Bug> = new Set()): Hono {
  const events = new Map<string, EventState>();
  const app = new Hono();

  const fail = (c: Context, e: ApiError) => {
    const body = bugs.has("error-shape") ? { code: e.code, message: e.message } : e.toBody();
    return c.json(body, e.status as ContentfulStatusCode);
  };
  const tooLarge = (c: Context) => fail(c, new ApiError("payload_too_large", `body over ${LIMITS.maxBodyBytes} bytes`));
  const headerOnlyLimit: MiddlewareHandler = async (c, next) =>
    Number(c.req.header("content-length") ?? 0) > LIMITS.maxBodyBytes ? tooLarge(c) : next();
  const limit = bugs.has("header-only-body-limit")
    ? headerOnlyLimit
    : limitBodyByLength({ maxSize: LIMITS.maxBodyBytes, onTooLarge: tooLarge });
  app.use(
    bugs.has("writes-only-body-limit")
      ? async (c, next) => (c.req.method === "PUT" || c.req.method === "POST" ? limit(c, next) : next())
      : limit,
  );
  if (!bugs.has("any-content-type")) app.use(requireJsonBody());
  app.onError((err, c) =>
    err instanceof ApiError ? fail(c, err) : c.json(errorBody("internal", "internal error"), 500),
  );
  app.notFound((c) => fail(c, new ApiError("not_found", `no route ${c.req.method} ${c.req.path}`)));

  async function readJson(c: Context, optional = false): Promise<unknown> {
    const text = await c.req.text();
    if (optional && text === "") return {};
    try {
      return JSON.parse(text);
    } catch (err) {
      if (bugs.has("malformed-json-500")) throw err;
      throw new ApiError("invalid_request", "body: malformed JSON", "body");
    }
  }
  const eventIdOf = (c: Context) => checkId(c.req.param("eventId") ?? "", "eventId");
  function eventOf(eventId: string): EventState {
    const ev = events.get(eventId);
    if (!ev) throw new ApiError("not_found", `no event ${eventId}`, "eventId");
    if (!bugs.has("no-expiry")) expire(ev, Date.now());
    return ev;
  }
  const generatedIdOf = (c: Context, name: "holdId" | "bookingId") => {
    const id = c.req.param(name) ?? "";
    if (!GENERATED_ID.test(id)) throw new ApiError("invalid_request", `${name}: not a generated id`, name);
    return id;
  };
  function holdOf(ev: EventState, holdId: string): HoldRecord {
    const rec = ev.holds.get(holdId);
    if (!rec) throw new ApiError("not_found", `no hold ${holdId}`, "holdId");
    return rec;
  }
  // Expiry is lazy: every request to an event first retires its holds whose expiresAt has passed.
  function expire(ev: EventState, now: number): void {
    for (const [seat, rec] of ev.taken) {
      if (rec.state === "held" && now >= rec.expiresAtMs) free(ev, seat, rec, "expired");
    }
  }
  function free(ev: EventState, seat: string, rec: HoldRecord, state: "released" | "expired"): void {
    rec.state = state;
    ev.taken.delete(seat);
    ev.held--;
  }
  const statusOf = (ev: EventState, seat: string): SeatStatus => {
    const rec = ev.taken.get(seat);
    return rec === undefined ? "available" : rec.state === "confirmed" ? "sold" : "held";
  };

  app.get("/health", (c) => c.json({ status: "ok", app: "stateless", node: "reference" }));

  app.put("/events/:eventId", async (c) => {
    const eventId = eventIdOf(c);
    const body = parseOrThrow(CreateEventRequest, await readJson(c));
    const layout: EventLayout = { eventId, sections: body.sections, holdTtlMs: body.holdTtlMs };
    const existing = events.get(eventId);
    if (existing) {
      if (JSON.stringify(existing.layout) !== JSON.stringify(layout)) {
        throw new ApiError("layout_conflict", `event ${eventId} exists with another layout`);
      }
      return c.json(existing.layout, 200);
    }
    events.set(eventId, {
      layout,
      capacity: body.sections.reduce((sum, s) => sum + s.seats, 0),
      seatsBySection: new Map(body.sections.map((s) => [s.id, s.seats])),
      holds: new Map(),
      taken: new Map(),
      requests: new Map(),
      bookings: new Map(),
      held: 0,
      sold: 0,
    });
    return c.json(layout, 201);
  });

  app.get("/events/:eventId", (c) => {
    const eventId = eventIdOf(c);
    const ev = eventOf(eventId);
    const { capacity, held, sold } = ev;
    return c.json({ eventId, capacity, available: capacity - held - sold, held, sold } satisfies EventSummary);
  });

  app.get("/events/:eventId/seats", (c) => {
    const eventId = eventIdOf(c);
    const query = parseOrThrow(SeatsQuery, c.req.query(), "query");
    const ev = eventOf(eventId);
    const seats: Array<{ seatId: string; status: SeatStatus }> = [];
    for (const section of ev.layout.sections) {
      if (query.section !== undefined && section.id !== query.section) continue;
      for (let n = 1; n <= section.seats && seats.length < query.limit; n++) {
        const seat = toSeatId(section.id, n);
        const status = statusOf(ev, seat);
        if (query.status === undefined || status === query.status) seats.push({ seatId: seat, status });
      }
    }
    return c.json({ seats });
  });

  app.post("/events/:eventId/holds", async (c) => {
    const eventId = eventIdOf(c);
    const body = parseOrThrow(HoldRequest, await readJson(c));
    const ev = eventOf(eventId);
    const parsed = parseSeatId(body.seatId);
    const seats = parsed && ev.seatsBySection.get(parsed.sectionId);
    if (!parsed || seats === undefined || parsed.n > seats) {
      throw new ApiError("not_found", `no seat ${body.seatId}`, "seatId");
    }
    // A retry is the same seat, user and request id; its first answer is replayed whatever happened since.
    const key = `${body.seatId} ${body.userId} ${body.requestId}`;
    const replay = bugs.has("idempotency-ignored") ? undefined : ev.requests.get(key);
    if (replay) return c.json(replay.hold, 201);
    const free = !ev.taken.has(body.seatId);
    if (bugs.has("hold-race")) await sleep(10); // a slow store round trip between check and take
    if (!free && !bugs.has("double-hold")) throw new ApiError("seat_unavailable", `seat ${body.seatId} is taken`);
    const expiresAtMs = Date.now() + ev.layout.holdTtlMs;
    const hold: Hold = {
      holdId: `h-${randomUUID()}`,
      seatId: body.seatId,
      userId: body.userId,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
    const rec: HoldRecord = { hold, expiresAtMs, state: "held" };
    ev.holds.set(hold.holdId, rec);
    ev.taken.set(body.seatId, rec);
    ev.requests.set(key, rec);
    ev.held++;
    return c.json(hold, 201);
  });

  app.post("/events/:eventId/holds/:holdId/confirm", async (c) => {
    const eventId = eventIdOf(c);
    const holdId = generatedIdOf(c, "holdId");
    parseOrThrow(ConfirmRequest, await readJson(c, true));
    const ev = eventOf(eventId);
    const rec = holdOf(ev, holdId);
    if (rec.booking) return c.json(rec.booking, 200);
    if (rec.state !== "held") throw new ApiError("hold_expired", `hold ${rec.hold.holdId} is ${rec.state}`);
    const { seatId, userId } = rec.hold;
    const booking: Booking = { bookingId: `b-${randomUUID()}`, eventId, seatId, userId, status: "confirmed" };
    rec.state = "confirmed";
    rec.booking = booking;
    ev.bookings.set(booking.bookingId, booking);
    ev.held--;
    ev.sold++;
    return c.json(booking, 200);
  });

  app.delete("/events/:eventId/holds/:holdId", (c) => {
    const eventId = eventIdOf(c);
    const holdId = generatedIdOf(c, "holdId");
    const ev = eventOf(eventId);
    const rec = holdOf(ev, holdId);
    const seat = rec.hold.seatId;
    if (rec.state === "confirmed") throw new ApiError("seat_unavailable", `seat ${seat} is sold`);
    if (rec.state === "held") free(ev, seat, rec, "released");
    else if (bugs.has("release-frees-seat")) {
      const current = ev.taken.get(seat);
      if (current?.state === "held") free(ev, seat, current, "released");
    }
    // Releasing a hold that is already released or expired is a no-op: DELETE is idempotent.
    return c.body(null, 204);
  });

  app.get("/events/:eventId/bookings/:bookingId", (c) => {
    const eventId = eventIdOf(c);
    const bookingId = generatedIdOf(c, "bookingId");
    const booking = eventOf(eventId).bookings.get(bookingId);
    if (!booking) throw new ApiError("not_found", `no booking ${bookingId}`, "bookingId");
    return c.json(booking, 200);
  });

  return app;
}

/** Serves `createReferenceApp(bugs)` on 127.0.0.1 and a free port. */
export function startReferenceServer(
  bugs: ReadonlySet<Bug> = new Set(),
): Promise<{ url: string; close(): Promise<void> }> {
  const app = createReferenceApp(bugs);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
      const close = () =>
        new Promise<void>((done) => {
          (server as Server).closeAllConnections();
          server.close(() => done());
        });
      resolve({ url: `http://127.0.0.1:${info.port}`, close });
    });
  });
}
