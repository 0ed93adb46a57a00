/**
 * The cluster layer of the stateful app: shards, membership and ownership through PostgreSQL (session advisory
 * locks + fencing epochs), routing of requests to a shard's owner, failover and hand-off.
 *
 * A node joins through `startClusteredNode` (main.ts, unless CLUSTER=off): the runtime's `Placement` is the
 * cluster's `ClusterNode`, the journal's fence check is `node.fence` and its sessions carry the node's
 * `applicationName("journal")`, the HTTP layer's `Forward` hook is `Forwarder.route`, and the summary and the
 * listing are answered from every node's replicated availability view (`ViewSync`). Node-to-node requests carry
 * the cluster secret (`PeerAuth`, CLUSTER_SECRET). SIGTERM = graceful leave (hand off every shard), then exit; a
 * cut ownership session or a death declaration = exit 70 at once.
 *
 * Tuning (env): SHARDS (128), CLUSTER_HEARTBEAT_MS (250), CLUSTER_POLL_MS (200), CLUSTER_DEAD_AFTER_MS (3000),
 * CLUSTER_HANDOFF_DELAY_MS (0, fault injection for tests), CLUSTER_VIEW_INTERVAL_MS (50), CLUSTER_VIEW_TIMEOUT_MS
 * (450), CLUSTER_ANTI_ENTROPY_MS (10000).
 */
export { allocate, shardOf } from "./allocation.ts";
export { type ClusteredNode, startClusteredNode } from "./clustered-node.ts";
export { Forwarder, type RoutingStats, unavailableResponse } from "./forward.ts";
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
export { CLUSTER_AUTH, FORWARDED_BY, PeerAuth } from "./peer-auth.ts";
export { applicationName, CHANNEL, clusterSecretFromDatabase, LOCK_NAMESPACE, migrateCluster } from "./schema.ts";
export { type Cluster, clusterFromEnv, type ShardHost } from "./setup.ts";
export { VIEW_PATH, ViewSync, type ViewSyncOptions, type ViewSyncStats } from "./view-sync.ts";
