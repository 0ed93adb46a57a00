/** PostgreSQL: the source of truth for events and bookings. */
export { migrate } from "./migrations.ts";
export { createPool, type PoolStats, poolStats } from "./pool.ts";
export {
  type BookingRow,
  type EventRow,
  getBooking,
  getEvent,
  insertBookings,
  insertEvent,
  type Section,
  soldSeats,
} from "./queries.ts";
