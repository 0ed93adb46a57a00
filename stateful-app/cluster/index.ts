/**
 * The cluster layer of the stateful app: shards, membership and ownership through PostgreSQL (session advisory
 * locks + fencing epochs), routing of requests to a shard's owner, failover and hand-off.
 *
 * Wiring in a node (main.ts):
 * ```ts
 * const cluster = clusterFromEnv(process.env, log);            // not started yet
 * const pool = new pg.Pool({ connectionString, application_name: cluster.node.applicationName("journal") });
 * const journal = new PgJournal({ pool, fence: cluster.node.fence });
 * const system = new ActorSystem({ journal, placement: cluster.node });
 * cluster.attach(system);                                      // hand-off: deactivateShard + flush, then release
 * cluster.node.on("acquired", (shard) => ...);                 // e.g. reload that shard's seats into the boards
 * cluster.node.on("fatal", () => process.exit(1));             // ownership session cut / declared dead
 * app.use("/events/*", cluster.routing((c) => keyOf(c)));      // forward to the owner, or 503 + Retry-After
 * await cluster.node.start(); serve(app);
 * process.on("SIGTERM", async () => { await cluster.leave(); await system.close(); process.exit(0); });
 * ```
 * Fan-out reads (summary, listing): `cluster.node.memberUrls()` + `cluster.peers.gather(...)`; a peer request
 * carries `FORWARDED_BY` (`fromPeer(c)`) and is answered from the node's own shards (`node.ownedShards()`).
 */
export { allocate, shardOf } from "./allocation.ts";
export { type FanOutOptions, fanOutRead, IncompleteReadError, type ShardPartial } from "./fan-out.ts";
export { staleShards } from "./fence.ts";
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
