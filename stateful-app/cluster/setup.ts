import type { Context, MiddlewareHandler } from "hono";
import { Forwarder } from "./forward.ts";
import { type ClusterLog, ClusterNode } from "./node.ts";
import { clusterRouting, PeerReader } from "./routing.ts";

/** What a node's cluster layer needs from the actor runtime for hand-offs. */
export interface ShardHost {
  /** Stops the shard's actors at once (their queued messages fail with a retriable error). */
  deactivateShard(shard: number): unknown;
  /** Resolves once everything persisted so far is committed. */
  flush(): Promise<void>;
}

/** A node's cluster layer: ownership, forwarding, fan-out reads. */
export interface Cluster {
  node: ClusterNode;
  forwarder: Forwarder;
  peers: PeerReader;
  /** Hono middleware forwarding requests for shards owned elsewhere (see `clusterRouting`). */
  routing(keyOf: (c: Context) => string | undefined | Promise<string | undefined>): MiddlewareHandler;
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
 * CLUSTER_HANDOFF_DELAY_MS (0, fault injection). Not started: create the journal with `node.fence` and
 * `node.applicationName("journal")`, the ActorSystem with `placement: node`, call `attach`, then `node.start()`.
 */
export function clusterFromEnv(env: NodeJS.ProcessEnv = process.env, log?: ClusterLog): Cluster {
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
  const forwarder = new Forwarder({ nodeId });
  const peers = new PeerReader(nodeId);
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= Promise.all([node.close(), forwarder.close(), peers.close()]).then(() => {});
    return closing;
  };
  return {
    node,
    forwarder,
    peers,
    routing: (keyOf) => clusterRouting({ placement: node, forwarder, keyOf }),
    attach(host) {
      node.setDeactivator(async (shard) => {
        // Flush first: in async (write-behind) mode stopping an actor drops what it has not handed to the journal
        // yet, and those events were already acknowledged. The flush after catches turns that were mid-append.
        await host.flush();
        host.deactivateShard(shard);
        await host.flush();
      });
    },
    metrics: () => ({ ...node.stats(), routing: forwarder.stats() }),
    leave: async () => {
      await node.leave();
      await close();
    },
    close,
  };
}
