import { shardOfKey } from "../runtime/placement.ts";

/**
 * Key -> shard -> node. Keys hash to a fixed number of shards (CRC-32 of the actor key mod SHARDS, which HAProxy
 * computes too); shards are spread over the live nodes by rendezvous hashing with a load bound, so every node
 * computes the same table from the same member list without talking to the others, and a join or a death moves
 * few shards.
 */

/** 32-bit FNV-1a of a string's UTF-16 code units: fast, stable, good enough spread for shard keys. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A final avalanche (murmur3 fmix32) so that similar inputs ("node-1"/"node-2") get unrelated scores. */
function mix(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** The shard of a key, in `[0, shards)`: the runtime's `shardOfKey`, so both sides agree by construction. */
export function shardOf(key: string, shards: number): number {
  return shardOfKey(key, shards);
}

function score(node: string, shard: number): number {
  return mix(fnv1a(node) ^ Math.imul(shard + 1, 0x9e3779b1));
}

/**
 * Owner of every shard for this set of nodes: each shard goes to its highest-scoring node that is still under
 * `ceil(loadFactor * shards / nodes)` shards. Deterministic for a given (sorted or not) node list.
 * @example allocate(128, ["a", "b", "c"]) // array of 128 node ids
 */
export function allocate(shards: number, nodes: readonly string[], loadFactor = 1.1): string[] {
  const sorted = [...new Set(nodes)].sort();
  if (sorted.length === 0) return [];
  const cap = Math.ceil((loadFactor * shards) / sorted.length);
  const load = new Map<string, number>(sorted.map((n) => [n, 0]));
  const table: string[] = new Array(shards);
  for (let s = 0; s < shards; s++) {
    const ranked = sorted.map((n) => ({ n, sc: score(n, s) })).sort((a, b) => b.sc - a.sc || (a.n < b.n ? -1 : 1));
    const pick = ranked.find((r) => (load.get(r.n) ?? 0) < cap) ?? ranked[0];
    if (pick === undefined) continue;
    table[s] = pick.n;
    load.set(pick.n, (load.get(pick.n) ?? 0) + 1);
  }
  return table;
}
