import type { MiddlewareHandler } from "hono";
import pino from "pino";
import type { BookingService } from "../booking/index.ts";
import type { NodeConfig } from "../config.ts";
import { type StatefulNode, startNode } from "../node.ts";
import { clusterReads } from "./booking-reads.ts";
import { SERVED_BY } from "./forward.ts";
import { fromPeer } from "./routing.ts";
import { type Cluster, clusterFromEnv } from "./setup.ts";

/** A node that is a cluster member. `close()` = graceful leave (hand off every shard), then the node's close. */
export interface ClusteredNode extends StatefulNode {
  cluster: Cluster;
}

/**
 * Counts where single-actor requests from clients were answered (local / forwarded / 503) and marks local answers
 * with `x-statebench-served-by`. Fan-out reads are counted by `clusterReads`.
 */
function countRouting(cluster: Cluster): MiddlewareHandler {
  const me = cluster.node.nodeId;
  return async function routingCounter(c, next) {
    if (fromPeer(c)) {
      cluster.forwarder.count("fromPeers");
      await next();
      if (c.res.status !== 503) c.res.headers.set(SERVED_BY, me);
      return;
    }
    await next();
    const fanOut = c.req.method === "GET" && /^\/events\/[^/]+(\/seats)?\/?$/.test(c.req.path);
    if (fanOut) return;
    const servedBy = c.res.headers.get(SERVED_BY);
    if (servedBy !== null) cluster.forwarder.count("forwarded");
    else if (c.res.status === 503) cluster.forwarder.count("unavailable");
    else {
      cluster.forwarder.count("local");
      c.res.headers.set(SERVED_BY, me);
    }
  };
}

/**
 * Starts an actor node as a member of the cluster: the runtime's placement is the cluster's shard ownership, the
 * journal is fenced by the shard epochs, requests for other nodes' shards are forwarded, summary and listing fan
 * out to the N nodes. Env knobs: see `clusterFromEnv`.
 */
export async function startClusteredNode(config: NodeConfig, env = process.env): Promise<ClusteredNode> {
  const logger = pino({ level: config.LOG_LEVEL, base: { node: config.NODE_ID } });
  const cluster = clusterFromEnv(
    {
      ...env,
      NODE_ID: config.NODE_ID,
      SHARDS: String(config.SHARDS),
      ADVERTISE_URL: config.ADVERTISE_URL ?? `http://${config.HOST}:${config.PORT}`,
    },
    logger,
  );
  cluster.node.on("fatal", (reason) => {
    // An Orleans silo declared dead kills itself: nothing it holds in memory may be served any more.
    logger.fatal({ err: reason.message }, "cluster ownership lost: exiting");
    process.exit(70);
  });
  // The read routes need the service, which startNode builds before mounting them; until it returns they 503.
  let service: BookingService | null = null;
  const node = await startNode(config, {
    placement: cluster.node,
    fence: cluster.node.fence,
    forward: cluster.forwarder.forwardRequest,
    applicationName: cluster.node.applicationName("journal"),
    logger,
    metrics: () => ({ cluster: cluster.metrics() }),
    extend: (app) => {
      app.use("/events/*", countRouting(cluster));
      clusterReads(cluster, () => service)(app);
    },
  });
  service = node.service;
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
