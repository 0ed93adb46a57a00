import pg from "pg";
import { migrate, PgJournal } from "../../../stateful-app/runtime/index.ts";
import type { MicroCase } from "../case.ts";

const GROUP = 50;

// The shape of a booking row, so the row size is the apps' own, with a primary key to maintain like theirs.
const TABLE = `CREATE TABLE IF NOT EXISTS micro_bookings (
  booking_id text PRIMARY KEY, event_id text NOT NULL, seat_id text NOT NULL, user_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now())`;
const INSERT_ONE = "INSERT INTO micro_bookings (booking_id, event_id, seat_id, user_id) VALUES ($1, $2, $3, $4)";
const INSERT_GROUP = `INSERT INTO micro_bookings (booking_id, event_id, seat_id, user_id) VALUES ${Array.from(
  { length: GROUP },
  (_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`,
).join(", ")}`;

const ratio = (a: number, b: number) => Number((a / Math.max(1, b)).toFixed(2));

/**
 * What a durable write costs (fsync on): one row per transaction, the fsync-per-row floor the stateless app's
 * sync mode and any per-request commit pay; one transaction of 50 rows (a plain multi-row INSERT); and the
 * stateful app's real journal writer (`PgJournal`, group commit) with one append alone and 50 appends from 50
 * actors submitted together, which its GroupCommit turns into one transaction.
 */
export const pgInsert: MicroCase = {
  id: "pg-insert",
  about: "PostgreSQL (fsync on) single-row vs 50-row transactions, plain and through stateful-app PgJournal",
  async setup(env) {
    const pool = new pg.Pool({ connectionString: await env.postgresUrl(), max: 4 });
    pool.on("error", () => {});
    env.defer(() => pool.end());
    await pool.query(TABLE);
    await migrate(pool);
    const settings = await pool.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method')",
    );
    const single = new PgJournal({ pool });
    const grouped = new PgJournal({ pool });
    env.defer(() => Promise.all([single.close(), grouped.close()]));
    let seq = 0;
    const values = () => {
      const i = ++seq;
      return [`A-${i}.micro${i}`, "micro", `A-${i}`, `u${i}`];
    };
    // One persistence id per append (seqNr 1), as a flash sale's seat actors each write their first event.
    const append = (journal: PgJournal) => {
      const i = ++seq;
      const event = {
        t: "held",
        seatId: `A-${i}`,
        holdId: `A-${i}.h${i}`,
        userId: `u${i}`,
        requestId: `r${i}`,
        expiresAt: i,
      };
      return journal.append([{ persistenceId: `seat|micro/A-${i}`, seqNr: 1, shard: i % 128, event }]);
    };
    return {
      tasks: [
        {
          name: "INSERT 1 row per transaction",
          items: { count: 1, unit: "row" },
          fn: () => pool.query({ name: "micro-one", text: INSERT_ONE, values: values() }),
        },
        {
          name: `INSERT ${GROUP} rows per transaction`,
          items: { count: GROUP, unit: "row" },
          fn: () =>
            pool.query({
              name: "micro-group",
              text: INSERT_GROUP,
              values: Array.from({ length: GROUP }, values).flat(),
            }),
        },
        { name: "PgJournal.append, 1 event alone", items: { count: 1, unit: "row" }, fn: () => append(single) },
        {
          name: `PgJournal.append x${GROUP} at once (group commit)`,
          items: { count: GROUP, unit: "row" },
          fn: () => Promise.all(Array.from({ length: GROUP }, () => append(grouped))),
        },
      ],
      facts: () => {
        const one = single.stats();
        const many = grouped.stats();
        return {
          ...Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
          journalAloneEventsPerTransaction: ratio(one.eventsWritten, one.transactions),
          journalGroupedEventsPerTransaction: ratio(many.eventsWritten, many.transactions),
          journalGroupedMaxEventsPerTransaction: many.maxEventsPerTransaction,
        };
      },
    };
  },
};
