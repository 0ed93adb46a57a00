import type { PeerReader } from "./routing.ts";

/** One node's part of a fan-out read: the value computed over exactly `shards`. */
export interface ShardPartial<T> {
  node: string;
  shards: number[];
  value: T;
}

/** Thrown when the partial answers do not cover every shard exactly once (a shard moving, an owner down). */
export class IncompleteReadError extends Error {
  constructor(
    readonly missing: number[],
    readonly duplicated: number[],
  ) {
    super(`fan-out read incomplete: ${missing.length} shard(s) unserved, ${duplicated.length} counted twice`);
    this.name = "IncompleteReadError";
  }
}

/** Options for `fanOutRead`. */
export interface FanOutOptions<T> {
  shards: number;
  members: Array<{ node: string; url: string }>;
  peers: PeerReader;
  /** Path (with query) of the same read on a peer; the peer answers its `ShardPartial<T>` as JSON. */
  path: string;
  /** This node's partial, computed synchronously over the shards it serves now. */
  local: ShardPartial<T>;
}

/**
 * A read over the N nodes (never over actors): every node answers for the shards it serves, and the parts are
 * used only when together they cover each shard exactly once. Otherwise (a shard moving between the answers, or
 * owned by a dead node) it throws `IncompleteReadError`, for a 503: a partial sum would be a wrong answer.
 */
export async function fanOutRead<T>(opts: FanOutOptions<T>): Promise<Array<ShardPartial<T>>> {
  let answers: Awaited<ReturnType<PeerReader["gather"]>>;
  try {
    answers = await opts.peers.gather(opts.members, opts.path);
  } catch {
    throw new IncompleteReadError([], []);
  }
  const parts: Array<ShardPartial<T>> = [opts.local];
  for (const a of answers) {
    if (a.status !== 200) throw new IncompleteReadError([], []);
    parts.push(a.json as ShardPartial<T>);
  }
  const seen = new Uint8Array(opts.shards);
  const duplicated: number[] = [];
  for (const p of parts) {
    for (const s of p.shards) {
      if (s < 0 || s >= opts.shards) continue;
      if (seen[s]) duplicated.push(s);
      seen[s] = 1;
    }
  }
  const missing: number[] = [];
  for (let s = 0; s < opts.shards; s++) if (!seen[s]) missing.push(s);
  if (missing.length > 0 || duplicated.length > 0) throw new IncompleteReadError(missing, duplicated);
  return parts;
}
