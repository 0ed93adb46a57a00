import type pg from "pg";
import { CHANNEL, LOCK_NAMESPACE } from "./schema.ts";

type Queryable = Pick<pg.Client, "query">;

/** A shard this node now owns, with the fencing epoch its journal appends must carry. */
export interface Acquired {
  shard: number;
  epoch: number;
}

/**
 * Tries to take `shards` on the ownership session: the advisory lock first (fails while the previous owner's
 * session holds it), then the epoch bump, in the session that holds the lock, so no one can bump an epoch without
 * holding the lock. A bump that cannot get the row (a journal transaction of the previous owner still holds it
 * `FOR SHARE`, past lock_timeout) gives the lock back; the caller retries later.
 */
export async function tryAcquire(
  session: Queryable,
  me: { node: string; incarnation: string; url: string },
  shards: readonly number[],
): Promise<Acquired[]> {
  if (shards.length === 0) return [];
  const locked = await session.query<{ shard: number }>(
    "SELECT s AS shard FROM unnest($2::int[]) AS s WHERE pg_try_advisory_lock($1, s)",
    [LOCK_NAMESPACE, shards],
  );
  const got = locked.rows.map((r) => r.shard);
  if (got.length === 0) return [];
  try {
    const bumped = await session.query<{ shard: number; epoch: string }>(
      `UPDATE shard_owner SET owner = $2, incarnation = $3, url = $4, epoch = epoch + 1,
         acquired_at = clock_timestamp()
       WHERE shard IN (SELECT shard FROM shard_owner WHERE shard = ANY($1::int[]) ORDER BY shard FOR UPDATE)
       RETURNING shard, epoch`,
      [got, me.node, me.incarnation, me.url],
    );
    await session.query("SELECT pg_notify($1, $2)", [CHANNEL, `acquire:${me.node}`]);
    return bumped.rows.map((r) => ({ shard: r.shard, epoch: Number(r.epoch) }));
  } catch (err) {
    await release(session, got, null).catch(() => {});
    throw err;
  }
}

/**
 * Gives shards up: clears the recorded owner (only where it is still us), releases the locks, announces it.
 * The caller must have stopped the shards' actors and flushed their journal first.
 */
export async function release(
  session: Queryable,
  shards: readonly number[],
  me: { node: string; incarnation: string } | null,
): Promise<void> {
  if (shards.length === 0) return;
  if (me) {
    await session.query(
      `UPDATE shard_owner SET owner = NULL, incarnation = NULL, url = NULL
       WHERE shard = ANY($1::int[]) AND owner = $2 AND incarnation = $3`,
      [shards, me.node, me.incarnation],
    );
  }
  await session.query("SELECT pg_advisory_unlock($1, s) FROM unnest($2::int[]) AS s", [LOCK_NAMESPACE, shards]);
  if (me) await session.query("SELECT pg_notify($1, $2)", [CHANNEL, `release:${me.node}`]);
}
