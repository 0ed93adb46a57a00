import type pg from "pg";
import { CHANNEL, sessionPrefix } from "./schema.ts";

/** One row of `cluster_member` as a peer sees it. */
export interface Member {
  node: string;
  incarnation: string;
  url: string;
  status: "alive" | "leaving" | "dead" | "left";
  /** Heartbeat younger than the death threshold. */
  fresh: boolean;
  /** Its ownership session still exists in PostgreSQL. */
  session: boolean;
}

/** Owner of one shard as recorded in `shard_owner`. */
export interface ShardRecord {
  shard: number;
  owner: string | null;
  incarnation: string | null;
  url: string | null;
  epoch: number;
}

/** Members and shard owners read in one statement (one poll = one statement). */
export interface ClusterView {
  members: Member[];
  shards: ShardRecord[];
}

type Queryable = Pick<pg.Client, "query">;

/** Inserts or replaces this node's membership row (a restart with the same NODE_ID gets a new incarnation). */
export async function register(
  db: Queryable,
  m: { node: string; incarnation: string; url: string; lockPid: number },
): Promise<void> {
  await db.query(
    `INSERT INTO cluster_member (node_id, incarnation, url, lock_pid, status, joined_at, heartbeat_at)
     VALUES ($1, $2, $3, $4, 'alive', clock_timestamp(), clock_timestamp())
     ON CONFLICT (node_id) DO UPDATE SET incarnation = EXCLUDED.incarnation, url = EXCLUDED.url,
       lock_pid = EXCLUDED.lock_pid, status = 'alive', joined_at = EXCLUDED.joined_at,
       heartbeat_at = EXCLUDED.heartbeat_at`,
    [m.node, m.incarnation, m.url, m.lockPid],
  );
  await db.query("SELECT pg_notify($1, $2)", [CHANNEL, `join:${m.node}`]);
}

/**
 * Refreshes the heartbeat. False when the row is no longer ours or was declared dead: the node must then stop
 * (an Orleans silo that finds itself declared dead kills itself).
 */
export async function heartbeat(db: Queryable, node: string, incarnation: string): Promise<boolean> {
  const res = await db.query(
    `UPDATE cluster_member SET heartbeat_at = clock_timestamp()
     WHERE node_id = $1 AND incarnation = $2 AND status IN ('alive', 'leaving')`,
    [node, incarnation],
  );
  return res.rowCount === 1;
}

/** Sets this node's status (`leaving` on graceful shutdown: peers stop assigning it shards; `left` at the end). */
export async function setStatus(db: Queryable, node: string, incarnation: string, status: Member["status"]) {
  await db.query("UPDATE cluster_member SET status = $3 WHERE node_id = $1 AND incarnation = $2", [
    node,
    incarnation,
    status,
  ]);
  await db.query("SELECT pg_notify($1, $2)", [CHANNEL, `${status}:${node}`]);
}

/** Members (alive or leaving) with their liveness, and every shard's recorded owner. */
export async function readView(db: Queryable, deadAfterMs: number): Promise<ClusterView> {
  const res = await db.query<{
    members: Member[] | null;
    shards: Array<[number, string | null, string | null, string | null, number]> | null;
  }>(
    `SELECT
       (SELECT json_agg(json_build_object(
           'node', node_id, 'incarnation', incarnation, 'url', url, 'status', status,
           'fresh', heartbeat_at > clock_timestamp() - make_interval(secs => $1::float8 / 1000),
           'session', EXISTS (SELECT 1 FROM pg_stat_get_activity(lock_pid))))
        FROM cluster_member WHERE status IN ('alive', 'leaving')) AS members,
       (SELECT json_agg(json_build_array(shard, owner, incarnation, url, epoch) ORDER BY shard)
        FROM shard_owner) AS shards`,
    [deadAfterMs],
  );
  const row = res.rows[0];
  return {
    members: row?.members ?? [],
    shards: (row?.shards ?? []).map(([shard, owner, incarnation, url, epoch]) => ({
      shard,
      owner,
      incarnation,
      url,
      epoch: Number(epoch),
    })),
  };
}

/**
 * Declares a member dead (only the incarnation we saw, only once) and terminates every PostgreSQL session it
 * still has: its shard locks become free and an open journal transaction of a paused node is rolled back.
 * True when this call made the declaration.
 */
export async function declareDead(db: Queryable, node: string, incarnation: string): Promise<boolean> {
  const res = await db.query(
    `UPDATE cluster_member SET status = 'dead'
     WHERE node_id = $1 AND incarnation = $2 AND status IN ('alive', 'leaving')`,
    [node, incarnation],
  );
  const prefix = sessionPrefix(node, incarnation);
  await db.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE left(application_name, length($1)) = $1 AND pid <> pg_backend_pid()`,
    [prefix],
  );
  if (res.rowCount === 1) await db.query("SELECT pg_notify($1, $2)", [CHANNEL, `dead:${node}`]);
  return res.rowCount === 1;
}
