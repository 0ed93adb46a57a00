import { crc32 } from "node:zlib";

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

/**
 * CRC-32 (IEEE 802.3, as zlib, gzip and PNG) of the key's UTF-8 bytes. The load balancer computes the same hash
 * (HAProxy's `crc32` converter), so it can send a request straight to the node owning its actor.
 */
export function hashKey(text: string): number {
  return crc32(text);
}

/** The shard of `key` among `shards`: `crc32(key) mod shards`, in HAProxy too (`crc32,mod(<shards>)`). */
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
