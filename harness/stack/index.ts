/** The app stack: an app's processes behind HAProxy, with their PostgreSQL and Redis. */
export {
  APPS,
  type AppDefinition,
  type AppKnobs,
  type AppName,
  type AppRegistry,
  type NodeRole,
  type ProcessContext,
  type ProcessKind,
} from "./apps.ts";
export { type CpuGroup, createCpuGroup, readCpuQuota } from "./cgroup.ts";
export type { AppNode } from "./node-process.ts";
export { type Stack, type StackOptions, type StackProcess, startStack } from "./stack.ts";
