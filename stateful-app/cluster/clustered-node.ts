import pino from "pino";
import type { NodeConfig } from "../config.ts";
import { type StatefulNode, startNode } from "../node.ts";
import { applicationName, clusterSecretFromDatabase } from "./schema.ts";
import { type Cluster, clusterFromEnv } from "./setup.ts";

/** A node that is a cluster member. `close()` = graceful leave (hand off every shard), then the node's close. */
export interface ClusteredNode extends StatefulNode {
  cluster: Cluster;
}

/**
 * Starts an actor node as a member of the cluster: the runtime's placement is the cluster's shard ownership, the
 * journal is fenced by the shard epochs, requests for other nodes' shards are forwarded (the load balancer sends
 * most requests to their owner already), the summary and the listing are answered from this node's replicated
 * view of every seat (`view-sync.ts`). Env knobs: see
 * `clusterFromEnv`; CLUSTER_SECRET authenticates node-to-node requests (default: a secret kept in the database).
 */
export async function startClusteredNode(config: NodeConfig, env = process.env): Promise<ClusteredNode> {
  const logger = pino({ level: config.LOG_LEVEL, base: { node: config.NODE_ID } });
  const secret =
    env.CLUSTER_SECRET ||
    (await clusterSecretFromDatabase(config.DATABASE_URL, applicationName(config.NODE_ID, "start", "secret")));
  const cluster = clusterFromEnv(
    {
      ...env,
      NODE_ID: config.NODE_ID,
      SHARDS: String(config.SHARDS),
      ADVERTISE_URL: config.ADVERTISE_URL ?? `http://${config.HOST}:${config.PORT}`,
    },
    secret,
    logger,
  );
  cluster.node.on("fatal", (reason) => {
    // An Orleans silo declared dead kills itself: nothing it holds in memory may be served any more.
    logger.fatal({ err: reason.message }, "cluster ownership lost: exiting");
    process.exit(70);
  });
  const node = await startNode(config, {
    placement: cluster.node,
    fence: cluster.node.fence,
    forward: cluster.forwarder.route,
    applicationName: cluster.node.applicationName("journal"),
    logger,
    boards: cluster.view.boardOptions,
    metrics: () => {
      const routing = cluster.forwarder.stats();
      return {
        cluster: cluster.metrics(),
        // Flat counters the bench sums over the nodes for summary.json's `routing`.
        routingLocal: routing.local,
        routingForwarded: routing.forwarded,
        routingUnavailable: routing.unavailable,
        availabilityStalenessBoundMs: cluster.view.stalenessBoundMs,
      };
    },
    extend: (app) => cluster.view.routes(app),
  });
  cluster.view.start(node.service);
  cluster.attach(node.system);
  await cluster.node.start();
  let closing: Promise<void> | null = null;
  return {
    ...node,
    cluster,
    close() {
      closing ??= (async () => {
        await cluster.leave().catch((err: Error) => logger.warn({ err: err.message }, "graceful leave failed"));
        await node.close();
      })();
      return closing;
    },
  };
}
