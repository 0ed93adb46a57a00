import { Forwarder } from "./forward.ts";
import { type ClusterLog, ClusterNode } from "./node.ts";
import { PeerAuth } from "./peer-auth.ts";
import { ViewSync } from "./view-sync.ts";

/** What a node's cluster layer needs from the actor runtime for hand-offs. */
export interface ShardHost {
  /** Stops the shard's actors at once (their queued messages fail with a retriable error). */
  deactivateShard(shard: number): unknown;
  /** Resolves once everything persisted so far is committed. */
  flush(): Promise<void>;
}

/** A node's cluster layer: ownership, forwarding, the replicated availability view. */
export interface Cluster {
  node: ClusterNode;
  /** Node-to-node trust: the shared secret every peer request carries. */
  auth: PeerAuth;
  /** The HTTP layer's `Forward` hook: counts, forwards to the owner, refuses second hops. */
  forwarder: Forwarder;
  /** The replicated availability view: the boards' options, the peer endpoint, deltas and anti-entropy. */
  view: ViewSync;
  /** Hand-off = refuse (503), flush the journal, deactivate the shard's actors, flush again, release. */
  attach(host: ShardHost): void;
  /** `cluster` section of /metrics. */
  metrics(): object;
  /** Graceful leave: hand off every shard, then close. Idempotent. */
  leave(): Promise<void>;
  close(): Promise<void>;
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

/**
 * The cluster layer configured from the node's env: NODE_ID, ADVERTISE_URL, DATABASE_URL, SHARDS (128), and the
 * tuning knobs CLUSTER_HEARTBEAT_MS (250), CLUSTER_POLL_MS (200), CLUSTER_DEAD_AFTER_MS (3000),
 * CLUSTER_HANDOFF_DELAY_MS (0, fault injection), CLUSTER_VIEW_INTERVAL_MS (50), CLUSTER_VIEW_TIMEOUT_MS (450),
 * CLUSTER_ANTI_ENTROPY_MS (10000) (see `ViewSync`). `secret` is the cluster's shared secret (`CLUSTER_SECRET`, or
 * `clusterSecretFromDatabase`). Not started: create the journal with `node.fence` and
 * `node.applicationName("journal")`, the ActorSystem with `placement: node`, call `attach`, then `node.start()`.
 */
export function clusterFromEnv(env: NodeJS.ProcessEnv, secret: string, log?: ClusterLog): Cluster {
  const nodeId = env.NODE_ID ?? "node-1";
  const port = env.PORT ?? "3000";
  const url = env.ADVERTISE_URL ?? `http://127.0.0.1:${port}`;
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const node = new ClusterNode({
    databaseUrl,
    nodeId,
    url,
    shards: num(env, "SHARDS", 128),
    heartbeatMs: num(env, "CLUSTER_HEARTBEAT_MS", 250),
    pollMs: num(env, "CLUSTER_POLL_MS", 200),
    deadAfterMs: num(env, "CLUSTER_DEAD_AFTER_MS", 3000),
    handOffDelayMs: num(env, "CLUSTER_HANDOFF_DELAY_MS", 0),
    log,
  });
  const auth = new PeerAuth(nodeId, secret);
  const forwarder = new Forwarder({ auth });
  const view = new ViewSync({
    node,
    auth,
    log: log ?? { info() {}, warn() {}, error() {} },
    intervalMs: num(env, "CLUSTER_VIEW_INTERVAL_MS", 50),
    deliveryTimeoutMs: num(env, "CLUSTER_VIEW_TIMEOUT_MS", 450),
    antiEntropyMs: num(env, "CLUSTER_ANTI_ENTROPY_MS", 10_000),
  });
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= Promise.all([node.close(), forwarder.close(), view.close()]).then(() => {});
    return closing;
  };
  return {
    node,
    auth,
    forwarder,
    view,
    attach(host) {
      node.setDeactivator(async (shard) => {
        // Flush first: in async (write-behind) mode stopping an actor drops what it has not handed to the journal
        // yet, and those events were already acknowledged. The flush after catches turns that were mid-append.
        await host.flush();
        host.deactivateShard(shard);
        await host.flush();
      });
    },
    metrics: () => ({ ...node.stats(), routing: forwarder.stats(), view: view.stats() }),
    leave: async () => {
      await node.leave();
      await close();
    },
    close,
  };
}
