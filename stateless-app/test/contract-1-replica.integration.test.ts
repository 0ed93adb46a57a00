// The contract suite through HAProxy against one API replica in queue mode (the default) and one worker.
import { contractAgainstStack } from "./contract-stack.ts";

contractAgainstStack("stateless, 1 replica, queue mode", { nodes: 1 });
