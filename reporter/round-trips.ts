import type { AppRunSummary, RoundTripCounts } from "../harness/results/types.ts";
import { DEFAULT_RTT_MS, projectLatencyMs } from "../harness/round-trips/model.ts";
import type { ReportView } from "./view.ts";

/** One endpoint of one result: its round trips, the measured latency and the model's projection. */
export interface RoundTripRow {
  endpoint: string;
  rt: RoundTripCounts;
  measured: { p50: number; p99: number } | null;
  projected: { p50: number; p99: number } | null;
}

/**
 * The RTT the report projects to: `override` (`statebench report --rtt-ms`), else the one the bench was run with
 * (`environment.knobs.rttMs`), else `DEFAULT_RTT_MS`.
 */
export function reportRttMs(view: ReportView, override?: number): number {
  if (override !== undefined) return override;
  const fromRun = view.runs.map((r) => r.environment.knobs.rttMs).find((v) => typeof v === "number");
  return typeof fromRun === "number" ? fromRun : DEFAULT_RTT_MS;
}

/** Rows for the endpoints with round-trip counts (none for summaries written before `roundTrips` existed). */
export function roundTripRows(result: AppRunSummary | null, rttMs: number): RoundTripRow[] {
  if (!result?.roundTrips) return [];
  return Object.entries(result.roundTrips).map(([endpoint, rt]) => {
    const latency = result.requests.byEndpoint[endpoint]?.latency;
    const measured = latency ? { p50: latency.p50, p99: latency.p99 } : null;
    const projected = measured
      ? { p50: projectLatencyMs(measured.p50, rt, rttMs), p99: projectLatencyMs(measured.p99, rt, rttMs) }
      : null;
    return { endpoint, rt, measured, projected };
  });
}

/** The sentence that marks the projection as a model, shown above every round-trip table. */
export function roundTripCaveat(rttMs: number): string {
  return (
    `MODEL, not a measurement: projected = measured on this machine's loopback + round trips x ${rttMs} ms ` +
    "(a datacenter RTT, --rtt-ms). Round trips are sequential hops on the request's critical path beyond the " +
    "client's own trip to the load balancer: the balancer's hop to a node, a forward to the actor's owner (the " +
    "measured share), Redis and PostgreSQL calls. Counted from the code and checked on the wire by a test, on " +
    "the unloaded path: bandwidth, queueing and group commits waiting for one in flight are left out."
  );
}
