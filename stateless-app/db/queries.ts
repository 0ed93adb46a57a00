import type pg from "pg";
import type { EventLayout } from "../../contract/index.ts";

/** One booking row; the queue job payload has the same shape. */
export interface BookingRow {
  bookingId: string;
  eventId: string;
  seatId: string;
  userId: string;
}

export type Section = EventLayout["sections"][number];

export interface EventRow {
  eventId: string;
  sections: Section[];
  holdTtlMs: number;
  capacity: number;
}

// Named statements: pg prepares each once per connection, so the hot ones skip parse/plan after the first use.
const Q = {
  insertEvent: {
    name: "sl_insert_event",
    text: `INSERT INTO stateless.events (event_id, sections, hold_ttl_ms, capacity) VALUES ($1, $2, $3, $4)
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
  },
  getEvent: {
    name: "sl_get_event",
    text: "SELECT sections, hold_ttl_ms, capacity FROM stateless.events WHERE event_id = $1",
  },
  // One statement for any batch size (arrays, not N placeholders), so it stays one prepared plan.
  insertBookings: {
    name: "sl_insert_bookings",
    text: `INSERT INTO stateless.bookings (booking_id, event_id, seat_id, user_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           ON CONFLICT DO NOTHING RETURNING booking_id`,
  },
  bookingsBySeat: {
    name: "sl_bookings_by_seat",
    text: `SELECT b.booking_id, b.event_id, b.seat_id, b.user_id FROM stateless.bookings b
           JOIN unnest($1::text[], $2::text[]) AS k(event_id, seat_id) USING (event_id, seat_id)`,
  },
  getBooking: {
    name: "sl_get_booking",
    text: "SELECT booking_id, event_id, seat_id, user_id FROM stateless.bookings WHERE booking_id = $1 AND event_id = $2",
  },
  soldSeats: {
    name: "sl_sold_seats",
    text: "SELECT booking_id, event_id, seat_id, user_id FROM stateless.bookings WHERE event_id = $1",
  },
} as const;

interface RawBooking {
  booking_id: string;
  event_id: string;
  seat_id: string;
  user_id: string;
}

const toBooking = (r: RawBooking): BookingRow => ({
  bookingId: r.booking_id,
  eventId: r.event_id,
  seatId: r.seat_id,
  userId: r.user_id,
});

/** Inserts the event; false when one with that id already exists. */
export async function insertEvent(db: pg.Pool, e: EventRow): Promise<boolean> {
  const res = await db.query({
    ...Q.insertEvent,
    values: [e.eventId, JSON.stringify(e.sections), e.holdTtlMs, e.capacity],
  });
  return (res.rowCount ?? 0) > 0;
}

export async function getEvent(db: pg.Pool, eventId: string): Promise<EventRow | undefined> {
  const res = await db.query<{ sections: Section[]; hold_ttl_ms: number; capacity: number }>({
    ...Q.getEvent,
    values: [eventId],
  });
  const row = res.rows[0];
  return row && { eventId, sections: row.sections, holdTtlMs: row.hold_ttl_ms, capacity: row.capacity };
}

/**
 * Writes the bookings with one multi-row INSERT ... ON CONFLICT DO NOTHING (one implicit transaction). Returns
 * the rows that lost to a different booking of the same seat: none unless Redis lost its state.
 */
export async function insertBookings(db: pg.Pool, rows: BookingRow[]): Promise<BookingRow[]> {
  if (rows.length === 0) return [];
  const res = await db.query<{ booking_id: string }>({
    ...Q.insertBookings,
    values: [
      rows.map((r) => r.bookingId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.seatId),
      rows.map((r) => r.userId),
    ],
  });
  if (res.rows.length === rows.length) return [];
  // Rare path: some rows were already there. Re-deliveries of the same booking are fine; others are conflicts.
  const inserted = new Set(res.rows.map((r) => r.booking_id));
  const rest = rows.filter((r) => !inserted.has(r.bookingId));
  const existing = await db.query<RawBooking>({
    ...Q.bookingsBySeat,
    values: [rest.map((r) => r.eventId), rest.map((r) => r.seatId)],
  });
  const owner = new Map(existing.rows.map((r) => [`${r.event_id}\n${r.seat_id}`, r.booking_id]));
  return rest.filter((r) => owner.get(`${r.eventId}\n${r.seatId}`) !== r.bookingId);
}

export async function getBooking(db: pg.Pool, eventId: string, bookingId: string): Promise<BookingRow | undefined> {
  const res = await db.query<RawBooking>({ ...Q.getBooking, values: [bookingId, eventId] });
  const row = res.rows[0];
  return row && toBooking(row);
}

/** Every sold seat of an event, to rebuild its Redis state. */
export async function soldSeats(db: pg.Pool, eventId: string): Promise<BookingRow[]> {
  const res = await db.query<RawBooking>({ ...Q.soldSeats, values: [eventId] });
  return res.rows.map(toBooking);
}
