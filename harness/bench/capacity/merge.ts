import * as hdr from "hdr-histogram-js";
import { spectrum, summarize } from "../../driver/stats.ts";
import type { DriverResult, EncodedHistograms, SecondStats } from "../../driver/types.ts";
import type { EndpointSummary } from "../../results/types.ts";

type Histogram = hdr.Histogram;

const decode = (b64: string): Histogram => hdr.decodeFromCompressedBase64(b64, 32, false);

// As the driver builds them (stats.ts): auto-resizing, so a sum never clips a slow step's tail.
const build = (): Histogram =>
  hdr.build({ useWebAssembly: false, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1 });

/** The sum of encoded histograms, or null without any. */
function added(encoded: Array<string | undefined>): Histogram | null {
  let sum: Histogram | null = null;
  for (const b64 of encoded) {
    if (!b64) continue;
    sum ??= build();
    sum.add(decode(b64));
  }
  return sum;
}

function addCounts(into: Record<string, number>, from: Record<string, number | undefined>) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + (v ?? 0);
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * One driver result for consecutive runs of one phase (the steps of a capacity search), as if a single window
 * had covered them: counts add up, histograms merge (so percentiles are exact), seconds line up on one time
 * axis from the first run's start, health keeps the worst. Rates are over that whole span, gaps included.
 */
export function mergeDriverResults(runs: DriverResult[]): DriverResult {
  const first = runs[0];
  if (!first) throw new Error("mergeDriverResults: no runs");
  if (runs.length === 1) return first;
  const last = runs[runs.length - 1] as DriverResult;
  const spanS = (last.window.startedAtMs - first.window.startedAtMs) / 1000 + last.window.durationS;

  const all = added(runs.map((r) => r.histograms.all));
  const service = added(runs.map((r) => r.histograms.serviceTime));
  const lag = added(runs.map((r) => r.histograms.scheduleLag));
  const endpoints = new Set(runs.flatMap((r) => Object.keys(r.histograms.byEndpoint)));
  const byEndpointH = new Map<string, Histogram>();
  for (const e of endpoints) {
    const h = added(runs.map((r) => r.histograms.byEndpoint[e as keyof EncodedHistograms["byEndpoint"]]));
    if (h) byEndpointH.set(e, h);
  }
  const byEndpoint: Record<string, EndpointSummary> = {};
  for (const [e, h] of byEndpointH) {
    const errors = runs.reduce((n, r) => n + (r.requests.byEndpoint[e]?.errors ?? 0), 0);
    byEndpoint[e] = { count: h.totalCount, errors, latency: summarize(h) };
  }

  const sum = <K extends "journeys" | "bookings">(key: K) => {
    const out: Record<string, number> = {};
    for (const r of runs) addCounts(out, r[key] as unknown as Record<string, number>);
    return out as unknown as DriverResult[K];
  };
  const journeys = { ...sum("journeys"), outcomes: {} as DriverResult["journeys"]["outcomes"] };
  for (const r of runs) addCounts(journeys.outcomes as Record<string, number>, r.journeys.outcomes);
  const byStatus: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  for (const r of runs) {
    addCounts(byStatus, r.requests.byStatus);
    addCounts(byCode, r.errors.byCode);
  }
  const total = runs.reduce((n, r) => n + r.requests.total, 0);
  const errors = runs.reduce((n, r) => n + r.errors.count, 0);
  const bookings = sum("bookings");
  const perS = (n: number) => (spanS > 0 ? round(n / spanS) : 0);

  // Each run's seconds go after the previous run's, at its own start offset (never overlapping a second).
  const seconds: SecondStats[] = [];
  for (const r of runs) {
    const offset = Math.max(
      seconds.length === 0 ? 0 : (seconds[seconds.length - 1] as SecondStats).t + 1,
      Math.round((r.window.startedAtMs - first.window.startedAtMs) / 1000),
    );
    for (const s of r.seconds) seconds.push({ ...s, t: s.t + offset });
  }
  const sellOut = runs.find((r) => r.sellOutS !== null);
  const problems = [...new Set(runs.flatMap((r) => r.health.problems))];
  const cpuS = runs.reduce((n, r) => n + r.health.cpuS, 0);
  const ownCpu = runs.every((r) => typeof r.health.cpuUsPerRequest === "number");
  const empty = build();

  return {
    phase: first.phase,
    seed: first.seed,
    window: {
      startedAt: first.window.startedAt,
      startedAtMs: first.window.startedAtMs,
      durationS: round(spanS, 3),
      scheduleS: round(
        runs.reduce((n, r) => n + r.window.scheduleS, 0),
        3,
      ),
      endedBy: last.window.endedBy,
    },
    journeys,
    requests: { total, byEndpoint, byStatus },
    throughput: {
      requestsPerS: perS(total),
      journeysPerS: perS(journeys.started),
      bookingsPerS: perS(bookings.confirmed),
    },
    latency: summarize(all ?? empty),
    serviceTime: summarize(service ?? empty),
    spectrum: spectrum(all ?? empty),
    errors: { count: errors, rate: total > 0 ? errors / total : 0, byCode },
    bookings,
    sellOutS: sellOut
      ? round((sellOut.window.startedAtMs - first.window.startedAtMs) / 1000 + (sellOut.sellOutS ?? 0), 3)
      : null,
    series: {
      t: seconds.map((s) => s.t),
      latencyP50: seconds.map((s) => s.latencyP50),
      latencyP99: seconds.map((s) => s.latencyP99),
      requestsPerS: seconds.map((s) => s.requests),
      errorsPerS: seconds.map((s) => s.errors),
      bookingsPerS: seconds.map((s) => s.bookings),
    },
    seconds,
    health: {
      cpuS: round(cpuS, 3),
      cpuPercent: spanS > 0 ? round((cpuS / spanS) * 100, 1) : 0,
      maxLagMs: Math.max(...runs.map((r) => r.health.maxLagMs)),
      p99LagMs: lag ? summarize(lag).p99 : Math.max(...runs.map((r) => r.health.p99LagMs)),
      eventLoopP99Ms: Math.max(...runs.map((r) => r.health.eventLoopP99Ms)),
      eventLoopMaxMs: Math.max(...runs.map((r) => r.health.eventLoopMaxMs)),
      dropped: runs.reduce((n, r) => n + r.health.dropped, 0),
      peakInFlight: Math.max(...runs.map((r) => r.health.peakInFlight)),
      keptSchedule: runs.every((r) => r.health.keptSchedule),
      problems,
      // The driver's own CPU over its steps; k6 reports none (the samplers' figure stands in for it).
      ...(ownCpu ? { cpuUsPerRequest: total > 0 ? round((cpuS / total) * 1e6, 1) : null } : {}),
      ...mergedConnections(runs),
    },
    histograms: {
      unit: "us",
      all: hdr.encodeIntoCompressedBase64(all ?? empty),
      byEndpoint: Object.fromEntries([...byEndpointH].map(([e, h]) => [e, hdr.encodeIntoCompressedBase64(h)])),
      serviceTime: hdr.encodeIntoCompressedBase64(service ?? empty),
      scheduleLag: hdr.encodeIntoCompressedBase64(lag ?? empty),
    },
    warnings: [...new Set(runs.flatMap((r) => r.warnings))],
  };
}

/** Every step connects the same way; the peak is the most connections any step held open at once. */
function mergedConnections(runs: DriverResult[]): Pick<DriverResult["health"], "connections"> {
  const all = runs.flatMap((r) => (r.health.connections ? [r.health.connections] : []));
  const first = all[0];
  if (!first) return {};
  return { connections: { model: first.model, max: first.max, peak: Math.max(...all.map((c) => c.peak)) } };
}
