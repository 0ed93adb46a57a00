/**
 * Samplers: once a second, the load on everything the apps use — PostgreSQL, Redis, HAProxy and the CPU/RSS of
 * every process, and what the rest of the machine used — recorded on one time axis by `startRecorder`.
 */
export { type BalancerServerStat, haproxySampler } from "./haproxy.ts";
export {
  BUSY_OUTSIDE_PERCENT,
  type MachineEdge,
  type MachineSampler,
  machineLoad,
  machineSampler,
  type OutsideUse,
} from "./machine.ts";
export { type MetricsEndpoint, metricsSampler } from "./node-metrics.ts";
export { postgresSampler } from "./postgres.ts";
export { type ProcStat, processTreeCpuS, readStatSync } from "./proc.ts";
export { processSampler, type WatchedProcess } from "./processes.ts";
export { type Recorder, type RecorderOptions, startRecorder } from "./recorder.ts";
export { parseInfo, redisSampler } from "./redis.ts";
export type { Sample, SampleRow, Sampler } from "./types.ts";
