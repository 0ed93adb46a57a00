import type pg from "pg";

/**
 * The runtime's schema. Idempotent, and serialised by a transaction-scoped advisory lock so several nodes can
 * start at once. The key columns use the "C" collation so that `replayPrefix` can scan a key range of the
 * primary key whatever the database's default collation is.
 */
const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS actor_journal (
     persistence_id text COLLATE "C" NOT NULL,
     seq_nr bigint NOT NULL,
     event jsonb NOT NULL,
     written_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (persistence_id, seq_nr)
   )`,
  `CREATE TABLE IF NOT EXISTS actor_snapshots (
     persistence_id text COLLATE "C" PRIMARY KEY,
     seq_nr bigint NOT NULL,
     state jsonb NOT NULL,
     written_at timestamptz NOT NULL DEFAULT now()
   )`,
];

/** Any 64-bit number unique to this schema; `hashtext` would do too but a constant is easier to spot in pg_locks. */
const MIGRATION_LOCK = 7_310_420_001;

/** Creates the journal and snapshot tables if missing. */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    for (const sql of STATEMENTS) await client.query(sql);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
