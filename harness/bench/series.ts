import type { DriverResult } from "../driver/types.ts";
import type { FaultRecord, TimeSeries } from "../results/types.ts";
import type { SampleRow } from "../samplers/index.ts";

/**
 * Puts the driver's per-second series and the samplers' rows on one axis: seconds since the start of the
 * measured window. `offsetS` is the window start in the recorder's clock. Seconds with no sample are NaN
 * (null in JSON), so a chart shows a gap instead of an invented zero.
 */
export function buildTimeSeries(
  driver: DriverResult,
  rows: SampleRow[],
  offsetS: number,
  faults: FaultRecord[],
): TimeSeries {
  const t = driver.series.t;
  const near = t.map((sec) => nearestRow(rows, sec + offsetS + 1));
  const rate = (key: string) => near.map((r) => r?.rates[key] ?? Number.NaN);
  const labels = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.rates)) if (k.startsWith("cpu.")) labels.add(k.slice(4));
  const cpuPercent: Record<string, number[]> = {};
  const rssMb: Record<string, number[]> = {};
  for (const label of labels) {
    cpuPercent[label] = near.map((r) => round((r?.rates[`cpu.${label}`] ?? Number.NaN) * 100));
    rssMb[label] = near.map((r) => round(r?.gauges[`rss.${label}`] ?? Number.NaN));
  }
  return {
    t,
    latencyP50: driver.series.latencyP50,
    latencyP99: driver.series.latencyP99,
    requestsPerS: driver.series.requestsPerS,
    errorsPerS: driver.series.errorsPerS,
    bookingsPerS: driver.series.bookingsPerS,
    pgStatementsPerS: rate("pgStatements").map(round),
    pgCommitsPerS: rate("pgCommits").map(round),
    pgRowsWrittenPerS: rate("pgRowsWritten").map(round),
    redisCommandsPerS: rate("redisCommands").map(round),
    cpuPercent,
    rssMb,
    faults,
  };
}

/** The recorder row whose tick ended closest to `t` (a rate over the second before it), within 0.75 s. */
function nearestRow(rows: SampleRow[], t: number): SampleRow | undefined {
  let best: SampleRow | undefined;
  let gap = 0.75;
  for (const r of rows) {
    const d = Math.abs(r.t - t);
    if (d <= gap) {
      best = r;
      gap = d;
    }
  }
  return best;
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : x);
