// The public types of a cluster node: options, routes, lifecycle events, counters.

/** Minimal logger (pino fits). */
export interface ClusterLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options for `startClusterNode`. Timings are defaults tuned for one machine; all are overridable. */
export interface ClusterOptions {
  databaseUrl: string;
  nodeId: string;
  /** This node's own base URL, where peers forward requests (ADVERTISE_URL). */
  url: string;
  /** Distinguishes restarts of one NODE_ID; default: random. Also in every session's application_name. */
  incarnation?: string;
  /** Number of shards (SHARDS, default 128). Every node of a cluster must use the same number. */
  shards?: number;
  /** Heartbeat period (default 250 ms). */
  heartbeatMs?: number;
  /** Ownership and membership poll period, the fallback for NOTIFY (default 200 ms). */
  pollMs?: number;
  /**
   * A member whose heartbeat is older than this is declared dead (default 3000 ms: a node starved by a CPU quota
   * must not be declared dead; a SIGKILLed node is noticed at once anyway, through its vanished session).
   */
  deadAfterMs?: number;
  /**
   * Fault injection for tests: how long a hand-off waits between refusing a shard's messages and deactivating it
   * (default 0), so a test can kill the old owner in the middle of a hand-off.
   */
  handOffDelayMs?: number;
  log?: ClusterLog;
}

/** Where a shard's messages go now. */
export type Route =
  | { kind: "local"; shard: number; epoch: number }
  | { kind: "remote"; shard: number; node: string; url: string }
  | { kind: "unavailable"; shard: number; retryAfterMs: number; reason: string };

/** Lifecycle events of a cluster node. */
export interface ClusterEvents {
  /** A shard became this node's (its actors activate lazily on their first message). */
  acquired: (shard: number, epoch: number) => void;
  /** A shard is no longer this node's: stop its actors at once, without flushing (someone else owns it). */
  lost: (shard: number) => void;
  /** The ownership session died or this node was declared dead: the process must stop serving (exit). */
  fatal: (reason: Error) => void;
}

/** Counters for /metrics. */
export interface ClusterStats {
  node: string;
  ownedShards: number;
  releasingShards: number;
  liveMembers: string[];
  acquisitions: number;
  handOffs: number;
  declaredDead: number;
  fenced: number;
}
