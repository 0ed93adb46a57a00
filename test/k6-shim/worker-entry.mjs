// Worker entry: Node 20 loads a worker's entry file before `--import` hooks apply to it, so the TypeScript
// worker (http-worker.ts) is imported after registering tsx here.
import { register } from "tsx/esm/api";

register();
await import("./http-worker.ts");
