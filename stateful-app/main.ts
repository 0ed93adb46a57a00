// Cluster layer (issue 5): the node joins the cluster (startClusteredNode) unless CLUSTER=off; close() then first
// hands off every shard (graceful leave), then flushes and stops.
/**
 * Entry point of one stateful actor node (`node --import tsx stateful-app/main.ts`), configured by the
 * environment (see `config.ts`). SIGTERM/SIGINT: stop accepting, flush the journal, exit 0.
 */

import { startClusteredNode } from "./cluster/clustered-node.ts";
import { loadConfig } from "./config.ts";
import { startNode } from "./node.ts";

const config = loadConfig();
const node = process.env.CLUSTER === "off" ? await startNode(config) : await startClusteredNode(config);
process.stdout.write(`${JSON.stringify({ ready: true, node: config.NODE_ID, url: node.url })}\n`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    node.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  });
}
