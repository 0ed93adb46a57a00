import { startStack } from "../../harness/stack/index.ts";

const stack = await startStack({
  app: "stateless",
  nodes: 1,
  workers: 1,
  env: { CPU_PROF_DIR: "/tmp/sl-prof", LOG_LEVEL: "info" },
  keepRunDir: true,
  nodeCpu: 1,
});
console.log(stack.runDir);
await stack.stop();
