import type pg from "pg";
import {
  ApiError,
  type Booking,
  type CreateEventRequest,
  type EventLayout,
  type EventSummary,
  type Hold,
  parseSeatId,
  type SeatsQuery,
} from "../contract/index.ts";
import { type BookingRow, getBooking, getEvent, insertEvent, soldSeats } from "./db/index.ts";
import { bookingId, holdId, newToken, parseBookingId, parseHoldId } from "./ids.ts";
import { type Store, seatListJson } from "./redis/index.ts";

/** Makes a confirmed booking durable: enqueue it (queue mode) or commit it (sync mode). */
export interface BookingWriter {
  readonly mode: "queue" | "sync";
  write(booking: BookingRow): Promise<void>;
}

export interface ServiceDeps {
  db: pg.Pool;
  store: Store;
  writer: BookingWriter;
}

type NotLoaded = undefined | "not_loaded" | { kind: "not_loaded" };

function isNotLoaded(r: unknown): boolean {
  return (
    r === undefined ||
    r === "not_loaded" ||
    (typeof r === "object" && r !== null && "kind" in r && r.kind === "not_loaded")
  );
}

const notFound = (field: string, what: string) => new ApiError("not_found", `${what} not found`, field);

/**
 * The booking operations. Redis answers every hot path in one script call; PostgreSQL is read when Redis has no
 * state for an event (first use, or Redis restarted empty) and written for events and bookings.
 */
export function createService({ db, store, writer }: ServiceDeps) {
  /** Rebuilds the event's Redis state from PostgreSQL; 404 when the event does not exist. */
  async function load(eventId: string): Promise<void> {
    const event = await getEvent(db, eventId);
    if (!event) throw notFound("eventId", "event");
    const sold = (await soldSeats(db, eventId)).flatMap((b) => {
      const ref = parseBookingId(eventId, b.bookingId);
      return ref ? [{ seatId: b.seatId, token: ref.token, userId: b.userId }] : [];
    });
    await store.loadEvent(eventId, event, sold);
  }

  /** Runs a store operation; when the event is not loaded in Redis, loads it from PostgreSQL and runs it again. */
  async function loaded<T>(eventId: string, op: () => Promise<T>): Promise<Exclude<T, NotLoaded>> {
    const first = await op();
    if (!isNotLoaded(first)) return first as Exclude<T, NotLoaded>;
    await load(eventId);
    const second = await op();
    if (isNotLoaded(second)) throw new ApiError("unavailable", "event state is being rebuilt, retry");
    return second as Exclude<T, NotLoaded>;
  }

  async function requireEvent(eventId: string): Promise<void> {
    if (!(await store.isLoaded(eventId)) && !(await getEvent(db, eventId))) throw notFound("eventId", "event");
  }

  return {
    async putEvent(eventId: string, body: CreateEventRequest): Promise<{ status: 200 | 201; layout: EventLayout }> {
      const layout = { eventId, sections: body.sections, holdTtlMs: body.holdTtlMs };
      const capacity = body.sections.reduce((n, s) => n + s.seats, 0);
      if (await insertEvent(db, { ...layout, capacity })) {
        await store.loadEvent(eventId, { ...layout, capacity }, []);
        return { status: 201, layout };
      }
      const existing = await getEvent(db, eventId);
      if (!existing) throw new ApiError("unavailable", "event is being created, retry");
      const same =
        existing.holdTtlMs === body.holdTtlMs &&
        JSON.stringify(existing.sections.map((s) => [s.id, s.seats])) ===
          JSON.stringify(body.sections.map((s) => [s.id, s.seats]));
      if (!same) throw new ApiError("layout_conflict", `event ${eventId} exists with another layout`);
      if (!(await store.isLoaded(eventId))) await load(eventId);
      return { status: 200, layout: { eventId, sections: existing.sections, holdTtlMs: existing.holdTtlMs } };
    },

    async summary(eventId: string): Promise<EventSummary> {
      const c = await loaded(eventId, () => store.counts(eventId));
      return { eventId, capacity: c.capacity, available: c.capacity - c.held - c.sold, held: c.held, sold: c.sold };
    },

    /** The seat list as JSON text (`SeatList`), serialised without building its objects. */
    async seatsJson(eventId: string, q: SeatsQuery): Promise<string> {
      return seatListJson(await loaded(eventId, () => store.seatsPacked(eventId, q)));
    },

    async hold(eventId: string, body: { seatId: string; userId: string; requestId: string }): Promise<Hold> {
      const parsed = parseSeatId(body.seatId);
      if (!parsed) throw notFound("seatId", `seat ${body.seatId}`);
      const seat = { seatId: body.seatId, ...parsed };
      const token = newToken(eventId, seat.seatId);
      const r = await loaded(eventId, () => store.hold(eventId, seat, body.userId, body.requestId, token));
      if (r.kind === "no_seat") throw notFound("seatId", `seat ${body.seatId}`);
      if (r.kind === "unavailable") throw new ApiError("seat_unavailable", `seat ${body.seatId} is held or sold`);
      return {
        holdId: holdId(seat.seatId, r.token),
        seatId: seat.seatId,
        userId: body.userId,
        expiresAt: new Date(r.expiresAt).toISOString(),
      };
    },

    async confirm(eventId: string, id: string): Promise<Booking> {
      const ref = parseHoldId(eventId, id);
      if (!ref) {
        await requireEvent(eventId);
        throw notFound("holdId", "hold");
      }
      const bid = bookingId(ref.seatId, ref.token);
      const r = await loaded(eventId, () => store.confirm(eventId, ref, ref.token, bid));
      if (r.kind === "gone") throw new ApiError("hold_expired", "the hold expired or was released");
      const row = { bookingId: bid, eventId, seatId: ref.seatId, userId: r.userId };
      // Not yet known to be in PostgreSQL (a first confirm, or a retry after a crash): make it durable now.
      if (r.pending) await writer.write(row);
      return { ...row, status: "confirmed" };
    },

    async release(eventId: string, id: string): Promise<void> {
      const ref = parseHoldId(eventId, id);
      if (!ref) {
        await requireEvent(eventId);
        throw notFound("holdId", "hold");
      }
      const r = await loaded(eventId, () => store.release(eventId, ref, ref.token));
      if (r === "confirmed") throw new ApiError("seat_unavailable", "the hold was confirmed; the seat is sold");
    },

    async booking(eventId: string, id: string): Promise<Booking> {
      const ref = parseBookingId(eventId, id);
      if (ref) {
        // Redis first: in queue mode a just-acknowledged booking may not have reached PostgreSQL yet.
        const value = await store.seatValue(eventId, ref.seatId);
        const prefix = `S|${ref.token}|`;
        if (value?.startsWith(prefix)) {
          return {
            bookingId: id,
            eventId,
            seatId: ref.seatId,
            userId: value.slice(prefix.length),
            status: "confirmed",
          };
        }
        const row = await getBooking(db, eventId, id);
        if (row) return { ...row, status: "confirmed" };
      }
      await requireEvent(eventId);
      throw notFound("bookingId", "booking");
    },
  };
}

export type Service = ReturnType<typeof createService>;
