import type { Endpoint, JourneyOutcome } from "../../scenarios/journey-logic.js";
import { Stats, spectrum, summarize } from "../driver/stats.ts";
import type { DriverPhase, DriverResult } from "../driver/types.ts";
import type { AckRecord } from "../results/types.ts";
import type { K6Run } from "./parse.ts";

/** What the k6 run itself cannot tell from its output: how it was run and ended, and the k6 process's CPU. */
export interface K6RunContext {
  phase: DriverPhase;
  seed: number;
  /** Seconds of arrival schedule k6 was given (cut short when the run was stopped early). */
  scheduleS: number;
  endedBy: DriverResult["window"]["endedBy"];
  /** From the harness's sold-out poll; null when not sold out or not polled. */
  sellOutS?: number | null;
  /** CPU seconds of the k6 process (user + system), null when unknown. */
  cpuS?: number | null;
  warnings?: string[];
}

// k6 error codes (k6 docs, "Error codes") as the embedded driver names a missing answer (script.js does the same).
function errorCodeName(code: number): string {
  if (code === 1050 || code === 1211) return "timeout";
  if (code === 1212) return "connection_refused";
  if (code === 1201 || code === 1220) return "connection_reset";
  return "network_error";
}

/**
 * The embedded driver's `DriverResult` from a parsed k6 run, so the bench treats both drivers alike. The
 * driver's own `Stats` does the counting (same histograms, seconds, status and error keys); requests are fed in
 * completion-time order, as k6 stamps them.
 *
 * Differences that remain, and are reported in `warnings`: k6 measures latency from the actual send, so
 * `latency` equals `serviceTime` (k6 starts a journey on schedule or drops it — `dropped_iterations` — rather
 * than starting it late, so there is no start lag to correct, but k6 does not expose its small scheduling
 * jitter either: schedule-lag fields are 0); `inFlight` is k6's active-VU gauge.
 */
export function k6ResultToDriverResult(run: K6Run, ctx: K6RunContext): DriverResult {
  const warnings = [...(ctx.warnings ?? [])];
  const origin = run.windowStartMs;
  let inFlight = 0;
  let peakInFlight = 0;
  const stats = new Stats(
    ctx.phase,
    undefined,
    () => inFlight,
    (m) => warnings.push(m),
  );

  // One timeline of every event, in time order (k6 writes samples roughly, not strictly, in order).
  const r = run.requests;
  const nReq = r.time.length;
  const nStart = run.journeyStarts.length;
  const nDrop = run.drops.length;
  const total = nReq + nStart + nDrop + run.vus.length;
  const times = new Float64Array(total);
  times.set(r.time, 0);
  times.set(run.journeyStarts, nReq);
  times.set(run.drops, nReq + nStart);
  times.set(
    run.vus.map((v) => v.time),
    nReq + nStart + nDrop,
  );
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => (times[a] as number) - (times[b] as number));

  for (const i of order) {
    const at = Math.max(0, (times[i] as number) - origin);
    if (i < nReq) {
      const us = r.us[i] as number;
      const status = r.status[i] as number;
      // Names other than the journey's endpoints (a hand-written script's) count in the totals only.
      const endpoint = r.endpoint[i] as Endpoint;
      const code = status === 0 ? errorCodeName(r.errorCode[i] as number) : null;
      stats.request(endpoint, us, us, status, code, at);
    } else if (i < nReq + nStart) {
      stats.scheduled(at);
      stats.started(at);
    } else if (i < nReq + nStart + nDrop) {
      stats.scheduled(at);
      stats.dropped(at);
    } else {
      const v = run.vus[i - nReq - nStart - nDrop];
      inFlight = v ? v.value : inFlight;
      if (inFlight > peakInFlight) peakInFlight = inFlight;
    }
  }
  for (const o of run.outcomes) stats.ended(o.outcome);
  const cutOff = Math.max(0, stats.journeys.started - stats.journeys.completed);
  stats.finish(Math.max(0, run.lastMs - origin));

  const durationS = Math.max(0.001, Math.round(run.lastMs - origin) / 1000);
  const perS = (n: number) => Math.round((n / durationS) * 100) / 100;
  const requests = stats.all.totalCount;
  const dropped = stats.journeys.dropped;
  const latency = summarize(stats.all);
  const problems =
    dropped > 0 ? [`k6 dropped ${dropped} journeys (dropped_iterations): no free VU at their start`] : [];
  if (run.badLines > 0) warnings.push(`${run.badLines} unreadable lines in k6's JSON output`);
  if (!run.metrics.window_start && requests > 0)
    warnings.push("no window_start sample: the window starts at the first request sent");
  warnings.push("k6 driver: latency is measured from the actual send (k6 starts journeys on schedule or drops them)");

  const outcomes: DriverResult["journeys"]["outcomes"] = {};
  for (const [k, v] of Object.entries(stats.outcomes)) outcomes[k as JourneyOutcome] = v;
  if (cutOff > 0) outcomes["cut-off"] = cutOff;
  const cpuS = ctx.cpuS ?? 0;
  return {
    phase: ctx.phase,
    seed: ctx.seed,
    window: {
      startedAt: new Date(origin).toISOString(),
      startedAtMs: origin,
      durationS,
      scheduleS: ctx.scheduleS,
      endedBy: ctx.endedBy,
    },
    journeys: { ...stats.journeys, outcomes },
    requests: { total: requests, byEndpoint: stats.endpointSummaries(), byStatus: { ...stats.byStatus } },
    throughput: {
      requestsPerS: perS(requests),
      journeysPerS: perS(stats.journeys.started),
      bookingsPerS: perS(stats.bookings.confirmed),
    },
    latency,
    serviceTime: latency,
    spectrum: spectrum(stats.all),
    errors: {
      count: stats.errors,
      rate: requests > 0 ? stats.errors / requests : 0,
      // The script names each unexpected answer as the embedded driver does (the API's error code); a script
      // without that counter gets http_<status> / timeout from the samples alone.
      byCode: Object.keys(run.errorCodes).length > 0 ? { ...run.errorCodes } : { ...stats.byCode },
    },
    bookings: { ...stats.bookings },
    sellOutS: ctx.sellOutS ?? null,
    series: stats.series(),
    seconds: stats.seconds,
    health: {
      cpuS,
      cpuPercent: Math.round((cpuS / durationS) * 1000) / 10,
      maxLagMs: 0,
      p99LagMs: 0,
      eventLoopP99Ms: 0,
      eventLoopMaxMs: 0,
      dropped,
      peakInFlight,
      keptSchedule: dropped === 0,
      problems,
    },
    histograms: stats.encoded(),
    warnings,
  };
}

/** The run's acknowledgement log with `t` in ms since `originMs` (default the window start), in time order. */
export function k6Acks(run: K6Run, originMs = run.windowStartMs): AckRecord[] {
  return run.acks.map((a) => ({ ...a, t: Math.max(0, Math.round(a.t - originMs)) })).sort((a, b) => a.t - b.t);
}
