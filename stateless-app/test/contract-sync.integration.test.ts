// The contract suite through HAProxy against one API replica in sync mode (acknowledge after the commit).
import { contractAgainstStack } from "./contract-stack.ts";

contractAgainstStack("stateless, 1 replica, sync mode", { nodes: 1, writeMode: "sync" });
