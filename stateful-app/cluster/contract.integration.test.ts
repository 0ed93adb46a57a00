import { after, before } from "node:test";
import { runContractSuite } from "../../contract/suite/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";

// The contract through HAProxy against a 3-node cluster per granularity: most requests land on a node that does
// not own their shard (forwarded), and the summary and listing fan out to the three nodes.
const stacks: Partial<Record<"seat" | "section", Stack>> = {};

before(async () => {
  // One after the other: six nodes and two PostgreSQLs starting at once crowd two cores.
  stacks.seat = await startStack({ app: "stateful", nodes: 3, granularity: "seat" });
  stacks.section = await startStack({ app: "stateful", nodes: 3, granularity: "section" });
});

after(async () => {
  await Promise.all(Object.values(stacks).map((s) => s?.stop()));
});

for (const granularity of ["seat", "section"] as const) {
  runContractSuite({
    name: `stateful, 3-node cluster, ${granularity} actors`,
    baseUrl: () => stacks[granularity]?.url ?? "",
  });
}
