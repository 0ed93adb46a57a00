/**
 * Placement: where an actor lives. The runtime asks it for the shard of every actor key and whether that shard is
 * hosted here; the HTTP layer asks it where to send a request. A single node uses `LocalPlacement`; the cluster
 * (`stateful-app/cluster/`) implements the same interface with shard ownership kept in PostgreSQL.
 */

/** Where a shard is served right now. */
export type Route =
  | { kind: "local" }
  | { kind: "remote"; url: string }
  /** Moving or owner unknown: answer 503 with Retry-After. */
  | { kind: "unavailable"; retryAfterMs: number };

/**
 * Shard ownership as seen by one node. `route` is called on every message, so it must be a cheap lookup in a
 * cached table (no I/O). Callbacks registered with `onShardLost` run synchronously when the node stops owning a
 * shard; the runtime then deactivates that shard's actors at once (`ActorSystem.deactivateShard`).
 */
export interface Placement {
  /** Number of shards (fixed for the lifetime of a deployment: changing it remaps every key). */
  readonly shards: number;
  /** The shard of an actor key (`actorKey(kind, id)`), in `[0, shards)`; stable across processes. */
  shardOf(key: string): number;
  route(shard: number): Route;
  onShardLost(cb: (shard: number) => void): void;
}

/** 32-bit FNV-1a over UTF-16 code units followed by murmur3's fmix32: stable across processes, cheap. */
export function hashKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The shard of `key` among `shards` (same hash as the cluster's allocation table). */
export function shardOfKey(key: string, shards: number): number {
  return hashKey(key) % shards;
}

const LOCAL: Route = { kind: "local" };

/** A single node: every shard is local and none is ever lost. */
export class LocalPlacement implements Placement {
  constructor(readonly shards = 128) {
    if (!Number.isInteger(shards) || shards < 1) throw new Error(`shards must be a positive integer: ${shards}`);
  }
  shardOf(key: string): number {
    return shardOfKey(key, this.shards);
  }
  route(_shard: number): Route {
    return LOCAL;
  }
  onShardLost(_cb: (shard: number) => void): void {
    // nothing is ever lost on a single node
  }
}
