import type { AppRunSummary, DriverInfo } from "../harness/results/types.ts";
import { formatNumber } from "./format.ts";

/**
 * The driver of a result, whatever the summary's age: summaries written before the driver recorded its cost
 * hold only its name ("embedded" | "k6"); their cost and connection model read as not recorded.
 */
export function driverOf(r: Pick<AppRunSummary, "driver">): DriverInfo {
  const d = r.driver as DriverInfo | string | undefined;
  if (d && typeof d === "object") return d;
  return {
    name: d === "k6" ? "k6" : "embedded",
    cpuUsPerRequest: null,
    connections: { model: "not recorded", max: null },
  };
}

/** "one keep-alive connection per in-flight request, at most 10,000". */
export function connectionText(d: DriverInfo): string {
  const c = d.connections;
  return c.max === null ? c.model : `${c.model}, at most ${formatNumber(c.max)}`;
}
