import { after, before } from "node:test";
import { runContractSuite } from "../../contract/suite/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { SINGLE_NODE } from "./http.ts";

// The contract through HAProxy against one node per granularity (each stack with its own PostgreSQL).
const stacks: Partial<Record<"seat" | "section", Stack>> = {};

before(async () => {
  const [seat, section] = await Promise.all([
    startStack({ app: "stateful", nodes: 1, granularity: "seat", env: SINGLE_NODE }),
    startStack({ app: "stateful", nodes: 1, granularity: "section", env: SINGLE_NODE }),
  ]);
  stacks.seat = seat;
  stacks.section = section;
});

after(async () => {
  await Promise.all(Object.values(stacks).map((s) => s?.stop()));
});

for (const granularity of ["seat", "section"] as const) {
  runContractSuite({
    name: `stateful, 1 node, ${granularity} actors`,
    baseUrl: () => stacks[granularity]?.url ?? "",
    // One node serves every seat from its own actors: its availability reads are exact.
    availabilityStalenessMs: 0,
  });
}
