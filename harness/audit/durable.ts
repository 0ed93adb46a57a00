import pg from "pg";
import type { AppName } from "../results/types.ts";
import type { DurableBooking } from "./checker.ts";

/**
 * Reads the bookings an app has made durable, straight from PostgreSQL, bypassing the app: the audit trusts the
 * database, not the app under test. Each app's schema is read here, in one place.
 */
const QUERIES: Record<AppName, string> = {
  stateless: `SELECT booking_id AS "bookingId", seat_id AS "seatId", user_id AS "userId"
                FROM stateless.bookings WHERE event_id = $1`,
  // The journal of seat (or section) actors, persistence ids `seat|<event>/<seat>` / `section|<event>/<section>`:
  // a booking is a `confirmed` event; its user is on the `held` event of the same hold.
  stateful: `SELECT c.event->>'bookingId' AS "bookingId", c.event->>'seatId' AS "seatId", h.event->>'userId' AS "userId"
               FROM actor_journal c
               JOIN actor_journal h ON h.persistence_id = c.persistence_id
                                   AND h.event->>'t' = 'held' AND h.event->>'holdId' = c.event->>'holdId'
              WHERE c.event->>'t' = 'confirmed'
                AND (starts_with(c.persistence_id, 'seat|' || $1 || '/')
                     OR starts_with(c.persistence_id, 'section|' || $1 || '/'))`,
};

export async function readDurableBookings(
  app: AppName,
  databaseUrl: string,
  eventId: string,
): Promise<DurableBooking[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "statebench-audit" });
  await client.connect();
  try {
    const res = await client.query<DurableBooking>(QUERIES[app], [eventId]);
    return res.rows;
  } finally {
    await client.end();
  }
}
