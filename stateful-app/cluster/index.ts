/**
 * The cluster layer of the stateful app: shards, membership and ownership through PostgreSQL (session advisory
 * locks + fencing epochs), routing of requests to a shard's owner, failover and hand-off.
 *
 * A node joins through `startClusteredNode` (main.ts, unless CLUSTER=off): the runtime's `Placement` is the
 * cluster's `ClusterNode`, the journal's fence check is `node.fence` and its sessions carry the node's
 * `applicationName("journal")`, the HTTP layer's `Forward` hook is `Forwarder.forwardRequest`, and the summary
 * and listing fan out to the N nodes (`clusterReads`). SIGTERM = graceful leave (hand off every shard), then exit;
 * a cut ownership session or a death declaration = exit 70 at once.
 *
 * Tuning (env): SHARDS (128), CLUSTER_HEARTBEAT_MS (250), CLUSTER_POLL_MS (200), CLUSTER_DEAD_AFTER_MS (3000),
 * CLUSTER_HANDOFF_DELAY_MS (0, fault injection for tests).
 */
export { allocate, shardOf } from "./allocation.ts";
export { clusterReads } from "./booking-reads.ts";
export { type ClusteredNode, startClusteredNode } from "./clustered-node.ts";
export { type FanOutOptions, fanOutRead, IncompleteReadError, type ShardPartial } from "./fan-out.ts";
export { FORWARDED_BY, Forwarder, type RoutingStats, unavailableResponse } from "./forward.ts";
export { type ClusterView, declareDead, type Member, readView } from "./membership.ts";
export {
  type ClusterEvents,
  type ClusterLog,
  ClusterNode,
  type ClusterOptions,
  type ClusterStats,
  type Route,
  startClusterNode,
} from "./node.ts";
export { clusterRouting, fromPeer, type PeerAnswer, PeerReader } from "./routing.ts";
export { applicationName, CHANNEL, LOCK_NAMESPACE, migrateCluster } from "./schema.ts";
export { type Cluster, clusterFromEnv, type ShardHost } from "./setup.ts";
