/**
 * The cluster layer of the stateful app: shards, membership and ownership through PostgreSQL (advisory locks +
 * fencing epochs), routing of requests to a shard's owner, failover and hand-off.
 */
export { allocate, shardOf } from "./allocation.ts";
export { staleShards } from "./fence.ts";
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
export { applicationName, CHANNEL, LOCK_NAMESPACE, migrateCluster } from "./schema.ts";
