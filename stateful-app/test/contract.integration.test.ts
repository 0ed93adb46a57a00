import { after, before } from "node:test";
import { runContractSuite } from "../../contract/suite/index.ts";
import { type PostgresServer, startPostgres } from "../../harness/infra/index.ts";
import { loadConfig } from "../config.ts";
import { type StatefulNode, startNode } from "../node.ts";

// One PostgreSQL, two nodes in this process (one per granularity), each on its own database schema-less journal:
// events get random ids, so both nodes can share the tables.
let db: PostgresServer;
const nodes: Partial<Record<"seat" | "section", StatefulNode>> = {};

before(async () => {
  db = await startPostgres();
  for (const granularity of ["seat", "section"] as const) {
    nodes[granularity] = await startNode(
      loadConfig({ DATABASE_URL: db.url, PORT: "0", GRANULARITY: granularity, NODE_ID: `test-${granularity}` }),
    );
  }
});

after(async () => {
  for (const node of Object.values(nodes)) await node?.close();
  await db?.stop();
});

for (const granularity of ["seat", "section"] as const) {
  runContractSuite({ name: `stateful, 1 node, ${granularity} actors`, baseUrl: () => nodes[granularity]?.url ?? "" });
}
