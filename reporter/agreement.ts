import type { AppRunSummary, RunSummary } from "../harness/results/types.ts";

/** Targets of issue 15: when neither driver is saturated, k6 and the embedded driver should agree this closely. */
export const AGREEMENT_TARGETS = { throughput: 0.05, p50: 0.2 } as const;

/** One driver's side of the comparison. */
export interface DriverSide {
  /** Journeys/s the scenario offered (arrivals scheduled, dropped ones included) and requests/s achieved. */
  offeredJourneysPerS: number;
  achievedJourneysPerS: number;
  requestsPerS: number;
  dropped: number;
  /** The driver kept its schedule and dropped nothing: its figures are the scenario's load. */
  saturated: boolean;
  /** µs of the driver's own CPU per request; null when unknown. */
  cpuUsPerRequest: number | null;
  /** From the intended send (the embedded driver) or the actual send (k6). */
  p50: number;
  p99: number;
  /** p50 from the actual send, the same definition for both drivers: what the verdict compares. */
  sendP50: number;
  /** A k6 run's exported web dashboard (relative to the run folder), when asked for. */
  dashboard: string | null;
}

export interface EndpointAgreement {
  endpoint: string;
  embedded: { count: number; p50: number; p99: number } | null;
  k6: { count: number; p50: number; p99: number } | null;
}

export interface DriverAgreement {
  scenario: string;
  app: string;
  embedded: DriverSide;
  k6: DriverSide;
  endpoints: EndpointAgreement[];
  /**
   * k6 ÷ embedded - 1 for journeys started per second and overall p50, both p50s from the actual send (k6 knows
   * no other; the embedded driver's intended-send p50 adds its own wake-up and send lag, shown beside it).
   */
  throughputDiff: number | null;
  p50Diff: number | null;
  /** "agree", "disagree", or "not comparable" (a driver was saturated: its load was not the scenario's). */
  verdict: "agree" | "disagree" | "not comparable";
  notes: string[];
}

/** The driver's own CPU per request: the summary's `driver.cpuUsPerRequest` when recorded, else k6's own record,
 * else the driver's CPU seconds over its requests. */
export function cpuUsPerRequest(r: AppRunSummary): number | null {
  const d = r.driver as unknown;
  if (d && typeof d === "object" && typeof (d as { cpuUsPerRequest?: unknown }).cpuUsPerRequest === "number")
    return (d as { cpuUsPerRequest: number }).cpuUsPerRequest;
  if (r.k6) return r.k6.cpuUsPerRequest;
  return r.requests.total > 0 ? Math.round((r.driverHealth.cpuS * 1e6) / r.requests.total) : null;
}

// Rates per second of the arrival schedule, the same for both drivers: each driver's own window also holds the
// tail of journeys still running after the schedule, which is longer when answers are slower.
function sideOf(r: AppRunSummary, scheduleS: number | null): DriverSide {
  const s = Math.max(0.001, scheduleS ?? r.window.durationS);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    offeredJourneysPerS: round(r.journeys.scheduled / s),
    achievedJourneysPerS: round(r.journeys.started / s),
    requestsPerS: round(r.requests.total / s),
    dropped: r.journeys.dropped,
    saturated: r.journeys.dropped > 0 || !r.driverHealth.keptSchedule,
    cpuUsPerRequest: cpuUsPerRequest(r),
    p50: r.latency.p50,
    p99: r.latency.p99,
    sendP50: (r.serviceTime ?? r.latency).p50,
    dashboard: r.k6?.files.dashboard ?? null,
  };
}

const ratio = (k6: number, embedded: number) => (embedded > 0 ? k6 / embedded - 1 : null);

/**
 * The embedded and k6 results of one scenario x app, side by side, with the verdict against the targets.
 * Throughput is journeys started per second of the schedule (`scheduleS`, else each driver's window): what the
 * driver controls. Requests per journey follow the answers (a 409 sends another hold), so requests/s is shown
 * but not judged.
 */
export function compareDrivers(
  embedded: AppRunSummary,
  k6: AppRunSummary,
  scheduleS: number | null = null,
): DriverAgreement {
  const e = sideOf(embedded, scheduleS);
  const k = sideOf(k6, scheduleS);
  const names = [...new Set([...Object.keys(embedded.requests.byEndpoint), ...Object.keys(k6.requests.byEndpoint)])];
  const ep = (r: AppRunSummary, n: string) => {
    const x = r.requests.byEndpoint[n];
    return x ? { count: x.count, p50: x.latency.p50, p99: x.latency.p99 } : null;
  };
  const endpoints = names.sort().map((n) => ({ endpoint: n, embedded: ep(embedded, n), k6: ep(k6, n) }));
  const throughputDiff = ratio(k.achievedJourneysPerS, e.achievedJourneysPerS);
  const p50Diff = ratio(k.sendP50, e.sendP50);
  const notes: string[] = [];
  for (const [name, side] of [
    ["embedded driver", e],
    ["k6", k],
  ] as const) {
    if (side.dropped > 0) notes.push(`${name} dropped ${side.dropped} arrivals: it did not offer the scenario's load`);
    else if (side.saturated) notes.push(`${name} fell behind its schedule`);
  }
  const c = k6.k6?.connectingMs;
  if (c && k6.k6) {
    notes.push(
      `k6 held up to ${k6.k6.vus.peak} VUs (${k6.k6.vus.preAllocated} pre-allocated), one connection each; its TCP ` +
        `connects took p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(0)} ms, max ${c.max.toFixed(0)} ms` +
        (c.p99 >= 500 ? " (a listen queue overflowed: connects retried after 1 s)" : ""),
    );
  }
  let verdict: DriverAgreement["verdict"] = "not comparable";
  if (!e.saturated && !k.saturated && throughputDiff !== null && p50Diff !== null) {
    const ok = Math.abs(throughputDiff) <= AGREEMENT_TARGETS.throughput && Math.abs(p50Diff) <= AGREEMENT_TARGETS.p50;
    verdict = ok ? "agree" : "disagree";
  }
  return {
    scenario: embedded.scenario,
    app: embedded.app,
    embedded: e,
    k6: k,
    endpoints,
    throughputDiff,
    p50Diff,
    verdict,
    notes,
  };
}

/** Every `--driver both` pair of a run (results[] are the embedded driver's, `agreement` k6's). */
export function driverAgreements(s: RunSummary): DriverAgreement[] {
  const out: DriverAgreement[] = [];
  const defs = (s.environment?.knobs?.scenarioDefinitions ?? []) as Array<{
    name?: string;
    arrival?: { stages?: Array<{ durationS: number }> };
  }>;
  for (const k of s.agreement ?? []) {
    const e = s.results.find((r) => r.scenario === k.scenario && r.app === k.app && r.driver !== k.driver);
    const stages = defs.find((d) => d.name === k.scenario)?.arrival?.stages;
    const scheduleS = stages ? stages.reduce((t, st) => t + st.durationS, 0) : null;
    if (e) out.push(compareDrivers(e, k, scheduleS));
  }
  return out;
}

/** Why the two drivers' latencies differ even when they agree, for the report. */
export const AGREEMENT_EXPLAINED =
  "k6 measures each request from its actual send; the embedded driver from its intended send (the schedule), so " +
  "a late start counts as latency there (coordinated omission corrected) and not in k6, which instead starts a " +
  "journey on time or drops it when no VU is free. The p50 is therefore judged like for like, both from the actual " +
  "send (the embedded driver records that too); its intended-send p50 is shown beside it. Targets when neither " +
  `driver is saturated: journeys/s within ${AGREEMENT_TARGETS.throughput * 100}%, p50 within ` +
  `${AGREEMENT_TARGETS.p50 * 100}%. Each driver ran on its own ` +
  "fresh stack, one after the other, so machine noise between the two runs is in the difference too. Rates are " +
  "per second of the arrival schedule; throughput is judged on journeys (what a driver offers), not requests " +
  "(a journey sends another hold after a 409, so requests follow the answers). k6 opens one connection per VU; " +
  "the embedded driver one per in-flight request, kept alive between journeys.";
