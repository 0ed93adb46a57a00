// The contract suite against the real stateless stack (PostgreSQL, Redis, HAProxy, API replicas, one worker):
// one replica in queue mode, three replicas in queue mode, and one replica in sync mode.
import { after, before, describe } from "node:test";
import { runContractSuite } from "../../contract/suite/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";

function contractAgainst(name: string, opts: { nodes: number; writeMode?: "queue" | "sync" }): void {
  describe(name, () => {
    let stack: Stack | undefined;
    before(async () => {
      stack = await startStack({ app: "stateless", ...opts });
    });
    after(() => stack?.stop());
    runContractSuite({
      name,
      baseUrl: () => {
        if (!stack) throw new Error("stack not started");
        return stack.url;
      },
    });
  });
}

contractAgainst("stateless, 1 replica, queue mode", { nodes: 1 });
contractAgainst("stateless, 3 replicas, queue mode", { nodes: 3 });
contractAgainst("stateless, 1 replica, sync mode", { nodes: 1, writeMode: "sync" });
