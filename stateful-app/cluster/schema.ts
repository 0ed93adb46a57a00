import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * First key of every advisory lock the cluster takes (`pg_try_advisory_lock(LOCK_NAMESPACE, shard)`), so its
 * locks never collide with anyone else's; shows up as `classid` in `pg_locks` ("SBSH").
 */
export const LOCK_NAMESPACE = 0x53425348;

/** Second key of the migration lock (shards are >= 0). */
const MIGRATION_KEY = -1;

/** The channel every ownership or membership change is announced on. */
export const CHANNEL = "statebench_cluster";

/**
 * Creates the membership and ownership tables (idempotent; serialised by a transaction-level advisory lock so
 * several nodes starting at once do not race), and one `shard_owner` row per shard.
 * `shard_owner.epoch` is the fencing token: bumped by every acquisition, checked by every journal append.
 */
export async function migrateCluster(db: pg.Pool | pg.Client, shards: number): Promise<void> {
  const client = "connect" in db && "totalCount" in db ? await (db as pg.Pool).connect() : (db as pg.Client);
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_NAMESPACE, MIGRATION_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS cluster_member (
        node_id      text PRIMARY KEY,
        incarnation  text NOT NULL,
        url          text NOT NULL,
        lock_pid     int NOT NULL,
        status       text NOT NULL CHECK (status IN ('alive', 'leaving', 'dead', 'left')),
        joined_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS shard_owner (
        shard       int PRIMARY KEY,
        owner       text,
        incarnation text,
        url         text,
        epoch       bigint NOT NULL DEFAULT 0,
        acquired_at timestamptz
      )`);
    await client.query(
      "INSERT INTO shard_owner (shard) SELECT generate_series(0, $1::int - 1) ON CONFLICT (shard) DO NOTHING",
      [shards],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    if (client !== db) (client as pg.PoolClient).release();
  }
}

/**
 * The `application_name` of every PostgreSQL session a node opens. A survivor that declares the node dead
 * terminates all sessions carrying its prefix, so a paused node's open journal transaction cannot block the
 * epoch bump and its late writes die with the session.
 * @example pg.Pool({ application_name: applicationName("node-1", inc, "journal") })
 */
export function applicationName(nodeId: string, incarnation: string, role: string): string {
  // PostgreSQL truncates application_name at 63 bytes; the prefix must survive whole.
  return `${sessionPrefix(nodeId, incarnation)}${role}`.slice(0, 63);
}

/** The prefix shared by every session of one node incarnation. */
export function sessionPrefix(nodeId: string, incarnation: string): string {
  return `sb/${nodeId}/${incarnation}/`;
}

/**
 * The cluster's shared secret when the deployment sets no `CLUSTER_SECRET`: one random value kept in the cluster's
 * database, created by the first node that asks (whoever can reach the database is trusted anyway). Reads it with
 * a short-lived connection.
 */
export async function clusterSecretFromDatabase(databaseUrl: string, applicationName: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
  await client.connect();
  try {
    // Serialised like the migration: nodes starting together must not race on CREATE TABLE.
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_NAMESPACE, MIGRATION_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS cluster_secret (
      id int PRIMARY KEY CHECK (id = 1),
      secret text NOT NULL)`);
    await client.query("INSERT INTO cluster_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", [
      randomBytes(24).toString("base64url"),
    ]);
    await client.query("COMMIT");
    const res = await client.query<{ secret: string }>("SELECT secret FROM cluster_secret WHERE id = 1");
    const secret = res.rows[0]?.secret;
    if (secret === undefined) throw new Error("cluster_secret: no row");
    return secret;
  } finally {
    await client.end().catch(() => {});
  }
}
