import { relative } from "node:path";
import type { K6RunInfo } from "../results/types.ts";
import type { K6DriverResult } from "./run.ts";

/** The summary's `k6` record of a k6 run: VUs, k6's own cost and its files, relative to `runDir` (the report's). */
export function k6Summary(res: K6DriverResult, runDir: string): K6RunInfo {
  const rel = (p: string) => relative(runDir, p);
  const f = res.k6.files;
  return {
    vus: res.k6.vus,
    cpuUsPerRequest: res.k6.cpuUsPerRequest,
    startupCpuS: res.k6.startupCpuS,
    connectingMs: res.k6.connectingMs,
    exitCode: res.k6.exitCode,
    files: {
      points: rel(f.points),
      summary: rel(f.summary),
      log: rel(f.log),
      dashboard: f.dashboard ? rel(f.dashboard) : null,
    },
  };
}
