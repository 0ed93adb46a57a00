import { randomInt } from "node:crypto";
import { ackRecord, createJourney, type Endpoint, mixSeed } from "../../scenarios/journey-logic.js";
import { MAX_JOURNEYS_IN_FLIGHT } from "../../scenarios/k6/options.js";
import { capacity } from "../../scenarios/types.ts";
import { CONNECTION_MODEL, checkTarget, createHttpClient } from "./http.ts";
import { startSelfMonitor } from "./monitor.ts";
import { readAnswer } from "./scan.ts";
import { type ArrivalPlan, arrivalTimes, phasePlan, planSeconds } from "./schedule.ts";
import { Stats, spectrum, summarize } from "./stats.ts";
import type { DriverOptions, DriverResult } from "./types.ts";
import { Wakeups } from "./wakeups.ts";

/**
 * The grid of timed sends: the time ~1.5 arrivals take at the phase's peak rate, between 1 and 5 ms. At low rates
 * wake-ups dominate the driver's CPU and a few ms bunch one or two arrivals; at high rates the event loop is
 * awake anyway and arrivals are not bunched more than a millisecond.
 */
export function defaultTickMs(plan: ArrivalPlan): number {
  const peak = Math.max(plan.startRate, ...plan.stages.map((s) => s.target));
  if (!(peak > 0)) return 5;
  return Math.min(5, Math.max(1, Math.round((1500 / peak) * 10) / 10));
}

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
  // Timed sends (arrivals, ends of think time) fall on a grid of tickMs: the schedule's times are the grid's, so
  // requests due together leave in one wake-up (on this VM a wake-up costs 45-116 µs of CPU, more than a request)
  // and latency still runs from the intended (grid) time.
  const tickMs = opts.tickMs ?? defaultTickMs(plan);
  const onGrid = tickMs > 0 ? (t: number) => Math.ceil(t / tickMs) * tickMs : (t: number) => t;
  const pollSoldOut = phase === "measure" && (opts.pollSoldOut ?? true);

  const maxConnections = opts.connections ?? 10_000;
  const http = createHttpClient(base, { maxConnections, timeoutMs });
  const poller = pollSoldOut ? createHttpClient(base, { maxConnections: 1, timeoutMs }) : null;
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (warnings.length < 50) warnings.push(m);
  };
  // Arrivals, think times and the schedule's end share one timer; stopping it is the cut-off.
  const wakeups = new Wakeups();
  let cutOffDone = false;
  let inFlight = 0;
  let peakInFlight = 0;
  const stats = new Stats(phase, opts.onSecond, () => inFlight, warn);
  // Connections are opened before the window: their set-up is the client's cost, not the app's latency.
  await http.preconnect(Math.min(maxConnections, 64));
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
  let scheduleEndChanged = () => {};
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
        scheduleEndChanged();
      }
    }
  }

  function newJourney(index: number) {
    return createJourney({
      eventId,
      sections,
      journey: scenario.journey,
      userId: `${userPrefix}${index}`,
      seed: mixSeed(seed, index),
    });
  }

  async function journey(index: number, dueMs: number): Promise<void> {
    const j = newJourney(index);
    let step = j.next();
    // The first request was due at the scheduled start; later ones when the previous answer came plus think time.
    let intended = onGrid(t0 + dueMs);
    let lastDone = intended;
    let first = true;
    try {
      while (step) {
        if (!first) {
          // No think time: the next step goes out in this same wake-up. Otherwise at the next tick.
          intended = step.thinkMs > 0 ? onGrid(lastDone + step.thinkMs) : lastDone;
          if (intended > performance.now() && !(await wakeups.sleepUntil(intended))) break;
        }
        first = false;
        if (cutOffDone) break;
        const a = await http.send(step);
        const done = performance.now();
        // Awake anyway: whatever else is due goes out in this wake-up too.
        wakeups.runDue();
        stats.sent((a.sentAt - intended) * 1000);
        stats.request(step.endpoint, (done - intended) * 1000, (done - a.sentAt) * 1000, a.status, a.code, done - t0);
        const answer = readAnswer(step.endpoint, a.status, a.text);
        if (step.op && opts.onAck) {
          const rec = ackRecord(step, a.status, answer.body, startedAtMs + (done - t0) - ackOrigin);
          if (rec) {
            try {
              opts.onAck(rec);
            } catch (err) {
              warn(`onAck threw: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
        }
        if (step.endpoint === "event-summary" && a.status === 200) sawSummary(answer.body, done - t0);
        lastDone = done;
        if (a.code === "cut_off") break;
        step = j.next(answer);
      }
    } catch (err) {
      // The journey logic or a callback threw: the journey ends where it was, and the run says so.
      warn(`journey ${index} threw: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A journey the time bound interrupted has no outcome of its own: it was cut off.
    stats.ended(j.outcome ?? "cut-off");
  }

  // Arrivals dropped over maxInFlight, oldest first: each is a failed request whose latency runs until the run
  // gives up on it (its time limit, or the end of the run), so the worst stalls stay in the tail.
  const droppedDue: number[] = [];
  const droppedEndpoint: Endpoint[] = [];
  let droppedHead = 0;
  function giveUpDropped(untilDueMs: number, nowMs: number) {
    while (droppedHead < droppedDue.length && (droppedDue[droppedHead] as number) <= untilDueMs) {
      const due = droppedDue[droppedHead] as number;
      const ep = droppedEndpoint[droppedHead] as Endpoint;
      droppedHead++;
      stats.sent((nowMs - due) * 1000);
      stats.request(ep, (nowMs - due) * 1000, -1, 0, "dropped", nowMs);
    }
    if (droppedHead > 1024 && droppedHead * 2 > droppedDue.length) {
      droppedDue.splice(0, droppedHead);
      droppedEndpoint.splice(0, droppedHead);
      droppedHead = 0;
    }
  }

  function release(index: number, dueMs: number, nowMs: number) {
    stats.scheduled(nowMs);
    if (inFlight >= maxInFlight) {
      stats.dropped(nowMs);
      droppedDue.push(dueMs);
      droppedEndpoint.push(newJourney(index).next()?.endpoint ?? "seat-list");
      return;
    }
    stats.started(nowMs);
    inFlight++;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    void journey(index, dueMs).finally(() => {
      inFlight--;
      if (scheduleDone && inFlight === 0) resolveIdle();
    });
  }

  // The scheduler: each wake-up releases every arrival already due (catching up after a late timer), so the
  // achieved rate does not depend on timer precision; lateness is recorded as schedule lag.
  const arrivals = arrivalTimes(plan);
  let next = arrivals.next();
  let index = 0;
  let resolveScheduled: () => void = () => {};
  const scheduled = new Promise<void>((r) => {
    resolveScheduled = r;
  });
  function endSchedule(by?: DriverResult["window"]["endedBy"]) {
    if (scheduleDone) return;
    if (by) endedBy = by;
    scheduleDone = true;
    scheduleRanMs = Math.min(rel(), scheduleEndMs);
    if (inFlight === 0) resolveIdle();
    resolveScheduled();
  }
  function pump(live = true) {
    if (scheduleDone || !live) return;
    const now = rel();
    while (!next.done) {
      const due = next.value;
      if (due >= scheduleEndMs) return endSchedule();
      if (index >= plan.maxJourneys) return endSchedule("max-journeys");
      if (onGrid(t0 + due) > t0 + now) break;
      release(index++, due, now);
      next = arrivals.next();
    }
    // The last arrival is out: the window's schedule still lasts its planned length.
    if (next.done && scheduleEndMs <= now) return endSchedule();
    wakeups.at(next.done ? t0 + scheduleEndMs : Math.min(onGrid(t0 + next.value), t0 + scheduleEndMs), pump);
  }
  scheduleEndChanged = () => wakeups.at(t0 + scheduleEndMs, pump);

  const onAbort = () => {
    endSchedule("aborted");
    cutOffAt = rel();
    cutOff();
  };
  function cutOff() {
    cutOffDone = true;
    wakeups.stop();
    void http.destroy();
  }
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
            if (a.status === 200) sawSummary(readAnswer("event-summary", a.status, a.text).body, rel());
          })
          .finally(() => {
            polling = false;
          });
      }, 1000)
    : undefined;
  // Closes seconds on time even when nothing completes (a stalled app still gets its empty seconds), and gives
  // up dropped arrivals whose time limit passed.
  const secondTimer = setInterval(() => {
    const now = rel();
    giveUpDropped(now - timeoutMs, now);
    stats.closeUntil(now);
  }, 200);

  pump();
  await scheduled;
  if (pollTimer) clearInterval(pollTimer);
  // Bounded in time: in-flight journeys get `graceMs`, then everything still open is cut off.
  if (inFlight > 0 && !cutOffDone) {
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([idle, new Promise<void>((r) => (graceTimer = setTimeout(r, graceMs)))]);
    clearTimeout(graceTimer);
  }
  if (inFlight > 0) {
    cutOffAt ??= rel();
    cutOff();
    // Destroying the client fails every request at once; this bounds the wait if anything still hangs.
    let lastTimer: NodeJS.Timeout | undefined;
    await Promise.race([idle, new Promise<void>((r) => (lastTimer = setTimeout(r, 2_000)))]);
    clearTimeout(lastTimer);
    if (inFlight > 0) warn(`${inFlight} journeys still open after the cut-off`);
  }
  wakeups.stop();
  opts.signal?.removeEventListener("abort", onAbort);
  clearInterval(secondTimer);
  const endMs = rel();
  // The run gives up on every dropped arrival still waiting now.
  giveUpDropped(Number.POSITIVE_INFINITY, endMs);
  stats.finish(endMs);
  const self = monitor.stop();
  const conns = http.connections();
  await Promise.allSettled([http.close(), poller?.close()]);

  const lag = summarize(stats.lag);
  const problems: string[] = [];
  if (lag.p99 > maxLagMs) {
    problems.push(
      `requests went out late: send lag p99 ${lag.p99} ms > ${maxLagMs} ms (from the intended send time, waiting inside the driver included)`,
    );
  }
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
      cpuUsPerRequest: total > 0 ? Math.round((self.cpuS / total) * 1e7) / 10 : null,
      connections: { model: CONNECTION_MODEL, max: conns.max, peak: conns.peak },
      keptSchedule: problems.length === 0,
      problems,
    },
    histograms: stats.encoded(),
    warnings,
  };
}
