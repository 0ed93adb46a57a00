import { after, before, describe } from "node:test";
import { runContractSuite } from "../../contract/suite/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";

/** Registers the contract suite against a real stateless stack (PostgreSQL, Redis, HAProxy, replicas, a worker). */
export function contractAgainstStack(name: string, opts: { nodes: number; writeMode?: "queue" | "sync" }): void {
  describe(name, () => {
    let stack: Stack | undefined;
    before(async () => {
      stack = await startStack({ app: "stateless", ...opts });
    });
    after(() => stack?.stop());
    runContractSuite({
      name,
      // The stateless app's availability reads are exact (Redis holds the claims): checked without waiting.
      availabilityStalenessMs: 0,
      baseUrl: () => {
        if (!stack) throw new Error("stack not started");
        return stack.url;
      },
    });
  });
}
