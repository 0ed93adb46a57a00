// The contract suite through HAProxy against three API replicas in queue mode and one worker.
import { contractAgainstStack } from "./contract-stack.ts";

contractAgainstStack("stateless, 3 replicas, queue mode", { nodes: 3 });
