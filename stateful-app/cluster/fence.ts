import type pg from "pg";

type Queryable = Pick<pg.PoolClient, "query">;

/**
 * The fencing check, run inside the journal's append transaction before the INSERT: the shards' rows are read
 * `FOR SHARE`, which waits for (and then sees) any concurrent epoch bump and blocks later bumps until this
 * transaction ends, so an append commits only while the epoch it expects is current. It also requires the
 * node's ownership session (`lockPid`) to be alive, so a node whose session was cut cannot append even before a
 * peer takes the shard over. Returns the shards that failed (empty when the append may proceed).
 */
export async function staleShards(
  tx: Queryable,
  lockPid: number,
  expected: ReadonlyMap<number, number>,
): Promise<number[]> {
  if (expected.size === 0) return [];
  const shards = [...expected.keys()].sort((a, b) => a - b);
  const res = await tx.query<{ shard: number; epoch: string }>(
    `SELECT shard, epoch FROM shard_owner
     WHERE shard = ANY($1::int[]) AND EXISTS (SELECT 1 FROM pg_stat_get_activity($2::int))
     ORDER BY shard FOR SHARE OF shard_owner`,
    [shards, lockPid],
  );
  const current = new Map(res.rows.map((r) => [r.shard, Number(r.epoch)]));
  return shards.filter((s) => current.get(s) !== expected.get(s));
}
