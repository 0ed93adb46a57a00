import type pg from "pg";

// Ordered, append-only. Each runs once per database, recorded in stateless.migrations.
const MIGRATIONS: string[] = [
  `CREATE TABLE stateless.events (
     event_id    text PRIMARY KEY,
     sections    jsonb NOT NULL,
     hold_ttl_ms integer NOT NULL,
     capacity    integer NOT NULL,
     created_at  timestamptz NOT NULL DEFAULT now()
   );
   -- Seats are defined by the immutable layout, holds live in Redis, so a seat only gets a row when it is sold.
   -- UNIQUE (event_id, seat_id) makes a double sale impossible in the database whatever Redis says.
   CREATE TABLE stateless.bookings (
     booking_id text PRIMARY KEY,
     event_id   text NOT NULL REFERENCES stateless.events (event_id),
     seat_id    text NOT NULL,
     user_id    text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (event_id, seat_id)
   );`,
];

// Any constant shared by every stateless process; the lock serialises replicas starting at the same moment.
const LOCK_KEY = 0x5b_57a7e1;

/** Applies the pending migrations in one transaction under `pg_advisory_xact_lock`; safe to call from N processes. */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await client.query("CREATE SCHEMA IF NOT EXISTS stateless");
    await client.query(
      "CREATE TABLE IF NOT EXISTS stateless.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM stateless.migrations");
    for (let v = (done.rows[0]?.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v - 1] as string);
      await client.query("INSERT INTO stateless.migrations (version) VALUES ($1)", [v]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
