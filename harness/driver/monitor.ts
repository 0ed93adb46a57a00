import { monitorEventLoopDelay } from "node:perf_hooks";

export interface SelfReport {
  cpuS: number;
  cpuPercent: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

const RESOLUTION_MS = 20;

/** Watches this process: CPU used and event-loop delay since the call, until `stop()`. */
export function startSelfMonitor(): { stop(): SelfReport } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Each sample is a timer wake-up of its own; 20 ms keeps them few (50/s) and still sees any stall that matters.
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  return {
    stop() {
      loop.disable();
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const wallS = Math.max(1e-3, (performance.now() - t0) / 1000);
      // The histogram is in ns and counts the sampling resolution itself, hence subtracting it.
      const lagMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 1000) / 1000);
      return {
        cpuS: Math.round(cpuS * 1000) / 1000,
        cpuPercent: Math.round((cpuS / wallS) * 1000) / 10,
        eventLoopP99Ms: loop.count > 0 ? lagMs(loop.percentile(99)) : 0,
        eventLoopMaxMs: loop.count > 0 ? lagMs(loop.max) : 0,
      };
    },
  };
}
