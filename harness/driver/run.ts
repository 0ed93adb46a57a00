import { randomInt } from "node:crypto";
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { ackRecord, createJourney, mixSeed } from "../../scenarios/journey-logic.js";
import { MAX_JOURNEYS_IN_FLIGHT } from "../../scenarios/k6/options.js";
import { capacity } from "../../scenarios/types.ts";
import { checkTarget, createHttpClient } from "./http.ts";
import { startSelfMonitor } from "./monitor.ts";
import { arrivalTimes, phasePlan, planSeconds } from "./schedule.ts";
import { Stats, spectrum, summarize } from "./stats.ts";
import type { DriverOptions, DriverResult } from "./types.ts";

// How often the scheduler wakes at most between arrivals: short enough to notice a sell-out or an abort
// promptly, long enough to cost nothing. Arrivals are released by due time, not by timer precision.
const MAX_NAP_MS = 20;

/**
 * Runs one phase of a scenario as an open model (see index.ts for the contract). Never throws for what the app
 * does; throws only for bad options (a non-loopback target without `allowRemote`).
 */
export async function runDriver(opts: DriverOptions): Promise<DriverResult> {
  // Defaults resolved once, outside the hot path.
  const base = checkTarget(opts.baseUrl, opts.allowRemote);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // One bound for both drivers: k6's maxVUs is the same constant (scenarios/k6/options.js).
  const maxInFlight = opts.maxInFlight ?? MAX_JOURNEYS_IN_FLIGHT;
  const graceMs = opts.graceMs ?? timeoutMs + 2_000;
  const maxLagMs = opts.maxLagMs ?? 100;
  const seed = opts.seed ?? randomInt(2 ** 31);
  const userPrefix = opts.userPrefix ?? `${opts.phase === "warmup" ? "w" : "m"}${seed.toString(36)}-`;
  const { scenario, eventId, phase } = opts;
  const sections = scenario.event.sections;
  const seats = capacity(scenario);
  const plan = phasePlan(scenario, phase, opts.rateOverride);
  const plannedMs = planSeconds(plan) * 1000;
  const pollSoldOut = phase === "measure" && (opts.pollSoldOut ?? true);

  const http = createHttpClient(base, { connections: opts.connections ?? 256, timeoutMs });
  const poller = pollSoldOut ? createHttpClient(base, { connections: 1, timeoutMs }) : null;
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (warnings.length < 50) warnings.push(m);
  };
  const cutOff = new AbortController();
  // Every journey in think time listens on this signal; thousands of listeners are expected, not a leak.
  setMaxListeners(0, cutOff.signal);
  let inFlight = 0;
  let peakInFlight = 0;
  const stats = new Stats(phase, opts.onSecond, () => inFlight, warn);
  // Connections are opened before the window: their set-up is the client's cost, not the app's latency.
  await http.preconnect(Math.min(opts.connections ?? 256, 64));
  const monitor = startSelfMonitor();

  const t0 = performance.now();
  const startedAtMs = Date.now();
  const ackOrigin = opts.ackOriginMs ?? startedAtMs;
  const rel = () => performance.now() - t0;
  let scheduleEndMs = plannedMs;
  let scheduleRanMs = 0;
  let endedBy = "schedule" as DriverResult["window"]["endedBy"];
  let soldOutAtMs = null as number | null;
  let scheduleDone = false;
  let cutOffAt = null as number | null;
  let resolveIdle: () => void = () => {};
  const idle = new Promise<void>((r) => {
    resolveIdle = r;
  });
  if (opts.onStart) {
    try {
      opts.onStart(startedAtMs);
    } catch (err) {
      warn(`onStart threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function sawSummary(body: unknown, atMs: number) {
    const b = body as { sold?: unknown; capacity?: unknown } | null;
    if (soldOutAtMs !== null || !b || typeof b.sold !== "number") return;
    const cap = typeof b.capacity === "number" ? b.capacity : seats;
    if (cap > 0 && b.sold >= cap) {
      soldOutAtMs = atMs;
      if (scenario.stopWhenSoldOut && phase === "measure" && atMs + scenario.tailS * 1000 < scheduleEndMs) {
        scheduleEndMs = atMs + scenario.tailS * 1000;
        endedBy = "sold-out";
      }
    }
  }

  async function journey(index: number, dueMs: number): Promise<void> {
    const j = createJourney({
      eventId,
      sections,
      journey: scenario.journey,
      userId: `${userPrefix}${index}`,
      seed: mixSeed(seed, index),
    });
    let step = j.next();
    // The first request was due at the scheduled start; later ones when the previous answer came plus think time.
    let intended = t0 + dueMs;
    let lastDone = intended;
    let first = true;
    try {
      while (step) {
        if (!first) {
          intended = lastDone + step.thinkMs;
          const wait = intended - performance.now();
          if (wait > 0) await sleep(wait, undefined, { signal: cutOff.signal });
        }
        first = false;
        if (cutOff.signal.aborted) break;
        const sent = performance.now();
        const a = await http.send(step);
        const done = performance.now();
        stats.request(step.endpoint, (done - intended) * 1000, (done - sent) * 1000, a.status, a.code, done - t0);
        if (step.op && opts.onAck) {
          const rec = ackRecord(step, a.status, a.body, startedAtMs + (done - t0) - ackOrigin);
          if (rec) {
            try {
              opts.onAck(rec);
            } catch (err) {
              warn(`onAck threw: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
        }
        if (step.endpoint === "event-summary" && a.status === 200) sawSummary(a.body, done - t0);
        lastDone = done;
        if (a.code === "cut_off") break;
        step = j.next({ status: a.status, body: a.body });
      }
    } catch {
      // Only the cut-off sleep rejects; the journey ends where it was.
    }
    // A journey the time bound interrupted has no outcome of its own: it was cut off.
    stats.ended(j.outcome ?? "cut-off");
  }

  function release(index: number, dueMs: number, nowMs: number) {
    stats.scheduled(nowMs);
    if (inFlight >= maxInFlight) {
      stats.dropped(nowMs);
      return;
    }
    stats.started((nowMs - dueMs) * 1000, nowMs);
    inFlight++;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    void journey(index, dueMs).finally(() => {
      inFlight--;
      if (scheduleDone && inFlight === 0) resolveIdle();
    });
  }

  // The scheduler: each wake-up releases every arrival already due (catching up after a late timer), so the
  // achieved rate does not depend on setTimeout precision; lateness is recorded as schedule lag.
  const arrivals = arrivalTimes(plan);
  let next = arrivals.next();
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  let resolveScheduled: () => void = () => {};
  const scheduled = new Promise<void>((r) => {
    resolveScheduled = r;
  });
  function endSchedule(by?: DriverResult["window"]["endedBy"]) {
    if (scheduleDone) return;
    if (by) endedBy = by;
    scheduleDone = true;
    scheduleRanMs = Math.min(rel(), scheduleEndMs);
    if (timer) clearTimeout(timer);
    if (inFlight === 0) resolveIdle();
    resolveScheduled();
  }
  function pump() {
    timer = undefined;
    if (scheduleDone) return;
    const now = rel();
    while (!next.done) {
      const due = next.value;
      if (due >= scheduleEndMs) return endSchedule();
      if (index >= plan.maxJourneys) return endSchedule("max-journeys");
      if (due > now) break;
      release(index++, due, now);
      next = arrivals.next();
    }
    if (next.done) {
      // The last arrival is out; the window's schedule still lasts its planned length.
      const left = scheduleEndMs - now;
      if (left <= 0) return endSchedule();
      timer = setTimeout(pump, Math.min(left, MAX_NAP_MS));
      return;
    }
    timer = setTimeout(pump, Math.max(0, Math.min(next.value - now, MAX_NAP_MS)));
  }

  const onAbort = () => {
    endSchedule("aborted");
    cutOffAt = rel();
    cutOff.abort();
    void http.destroy();
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });

  // Sold-out watch: one summary a second on its own connection (not counted as load).
  let polling = false;
  const pollTimer = poller
    ? setInterval(() => {
        if (polling || soldOutAtMs !== null || scheduleDone) return;
        polling = true;
        void poller
          .send({ method: "GET", path: `/events/${encodeURIComponent(eventId)}`, body: null })
          .then((a) => {
            if (a.status === 200) sawSummary(a.body, rel());
          })
          .finally(() => {
            polling = false;
          });
      }, 1000)
    : undefined;
  // Closes seconds on time even when nothing completes (a stalled app still gets its empty seconds).
  const secondTimer = setInterval(() => stats.closeUntil(rel()), 200);

  pump();
  await scheduled;
  if (pollTimer) clearInterval(pollTimer);
  // Bounded in time: in-flight journeys get `graceMs`, then everything still open is cut off.
  if (inFlight > 0 && !cutOff.signal.aborted) {
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([idle, new Promise<void>((r) => (graceTimer = setTimeout(r, graceMs)))]);
    clearTimeout(graceTimer);
  }
  if (inFlight > 0) {
    cutOffAt ??= rel();
    cutOff.abort();
    await http.destroy().catch(() => {});
    // Destroying the pool fails every request at once; this bounds the wait if anything still hangs.
    let lastTimer: NodeJS.Timeout | undefined;
    await Promise.race([idle, new Promise<void>((r) => (lastTimer = setTimeout(r, 2_000)))]);
    clearTimeout(lastTimer);
    if (inFlight > 0) warn(`${inFlight} journeys still open after the cut-off`);
  }
  opts.signal?.removeEventListener("abort", onAbort);
  clearInterval(secondTimer);
  const endMs = rel();
  stats.finish(endMs);
  const self = monitor.stop();
  await Promise.allSettled([http.close(), poller?.close()]);

  const lag = summarize(stats.lag);
  const problems: string[] = [];
  if (lag.p99 > maxLagMs) problems.push(`schedule lag p99 ${lag.p99} ms > ${maxLagMs} ms: the driver fell behind`);
  if (stats.journeys.dropped > 0) {
    problems.push(`${stats.journeys.dropped} arrivals dropped: more than ${maxInFlight} journeys in flight`);
  }
  if (cutOffAt !== null && endedBy !== "aborted") {
    // The app's slowness, not the driver's: a warning, not a broken schedule.
    warn(`journeys still in flight ${Math.round(graceMs)} ms after the schedule were cut off`);
  }
  const durationS = endMs / 1000;
  const total = stats.all.totalCount;
  const perS = (n: number) => (durationS > 0 ? Math.round((n / durationS) * 100) / 100 : 0);
  return {
    phase,
    seed,
    window: {
      startedAt: new Date(startedAtMs).toISOString(),
      startedAtMs,
      durationS: Math.round(durationS * 1000) / 1000,
      scheduleS: Math.round(scheduleRanMs) / 1000,
      endedBy,
    },
    journeys: { ...stats.journeys, outcomes: { ...stats.outcomes } },
    requests: { total, byEndpoint: stats.endpointSummaries(), byStatus: { ...stats.byStatus } },
    throughput: {
      requestsPerS: perS(total),
      journeysPerS: perS(stats.journeys.started),
      bookingsPerS: perS(stats.bookings.confirmed),
    },
    latency: summarize(stats.all),
    serviceTime: summarize(stats.service),
    spectrum: spectrum(stats.all),
    errors: {
      count: stats.errors,
      rate: total > 0 ? stats.errors / total : 0,
      byCode: { ...stats.byCode },
    },
    bookings: { ...stats.bookings },
    sellOutS: soldOutAtMs === null ? null : Math.round(soldOutAtMs) / 1000,
    series: stats.series(),
    seconds: stats.seconds,
    health: {
      cpuS: self.cpuS,
      cpuPercent: self.cpuPercent,
      maxLagMs: lag.max,
      p99LagMs: lag.p99,
      eventLoopP99Ms: self.eventLoopP99Ms,
      eventLoopMaxMs: self.eventLoopMaxMs,
      dropped: stats.journeys.dropped,
      peakInFlight,
      keptSchedule: problems.length === 0,
      problems,
    },
    histograms: stats.encoded(),
    warnings,
  };
}
