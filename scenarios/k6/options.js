// k6 `options` built from a statebench scenario (the JSON of `scenarios/types.ts` Scenario).
// Plain ES2015+ JavaScript with no imports, so k6 (v0.48 through 1.x) and Node (the tests, the harness) load the
// same file: what the tests validate is exactly what k6 runs.

/** Scenario names used in `options.scenarios` and as the `scenario` tag on every sample k6 emits. */
export const WARMUP = "warmup";
export const MEASURED = "measured";

/** Latency statistics k6 puts in its end-of-test summary and `--summary-export` file. */
export const SUMMARY_TREND_STATS = ["avg", "min", "med", "max", "p(50)", "p(90)", "p(95)", "p(99)", "p(99.9)", "count"];

/** A duration as k6 parses it (Go duration strings): whole seconds as "10s", anything else in milliseconds. */
export function k6Duration(seconds) {
  if (!(seconds >= 0)) throw new Error(`duration must be >= 0 seconds, got ${seconds}`);
  if (Number.isInteger(seconds)) return `${seconds}s`;
  return `${Math.round(seconds * 1000)}ms`;
}

// k6 takes arrival rates as integers per `timeUnit`. Rates like 2.5/s become 25 per 10s rather than being rounded
// (rounding 0.4/s to 0 would silently drop a stage).
function pickTimeUnit(rates) {
  for (const unit of [1, 10, 100, 1000]) {
    if (rates.every((r) => Math.abs(r * unit - Math.round(r * unit)) < 1e-9)) return unit;
  }
  return 1000;
}

/**
 * Requests one journey makes at most (scenarios/journey-logic.js): up to two availability reads (its section, then
 * the whole event when the section is empty), the hold attempts, then a confirm or release. Browsers make 2.
 */
export function requestsPerJourney(journey) {
  return Math.max(2, (journey.readAvailability ? 2 : 0) + journey.holdAttempts + 1);
}

/**
 * The embedded driver's bound on journeys in flight (harness/driver `MAX_JOURNEYS_IN_FLIGHT`, equal by test): an
 * arrival beyond it is dropped by either driver. k6 holds one journey per VU, so this is k6's maxVUs.
 * Measured with bench/k6-vus.ts (k6 v1.3.0): 0.3 MB of RSS and 2.7 ms of start-up per VU with this script, so
 * 10,000 VUs cost k6 about 3 GB: affordable, so neither bound had to be lowered.
 */
export const MAX_JOURNEYS_IN_FLIGHT = 10000;

/**
 * Per-request time the pre-allocation plans for: ~10x a healthy answer. Both ways of missing cost, measured on the
 * shared 2-core machine (quick flash sale, k6 v1.3.0):
 * - too few: k6 starts VUs beyond the pre-allocated one at a time during the load (23 in 12 s) and drops journeys
 *   meanwhile (1,327 at 300/s when overloaded requests made journeys last 7.3 s; no sizing short of that helps);
 * - too many: k6 hands arrivals to every idle VU in turn and each VU opens its own connection, so a big pool is a
 *   storm of connects during the window: at 80/s, 616 VUs (1 s a request) gave p50 42.9 ms against the embedded
 *   driver's 13.9 ms (connects p99 378 ms); 100 VUs gave 3.04 against 2.97 ms.
 */
export const EXPECTED_REQUEST_MS = 250;

/**
 * VUs for an arrival-rate scenario. k6 starts each journey on an idle VU and drops it (`dropped_iterations`) when
 * none is free; VUs beyond `preAllocatedVUs` are initialised one at a time while the test runs (tens of ms each
 * on a busy machine), so a sudden need for VUs becomes drops. Hence: `preAllocatedVUs` by Little's law (peak
 * rate x expected journey duration, `EXPECTED_REQUEST_MS` per request plus think time), `maxVUs` the embedded
 * driver's in-flight bound, so both drivers drop under the same condition: that many journeys in flight.
 * `limits` overrides: `{ maxVUs, preAllocatedVUs }` (the harness passes its driver's bound as maxVUs).
 */
export function vuSizing(peakRate, journey, limits) {
  const steps = requestsPerJourney(journey);
  const expectedJourneyS = (steps * (EXPECTED_REQUEST_MS + journey.thinkMs)) / 1000;
  const max = limits && limits.maxVUs > 0 ? limits.maxVUs : MAX_JOURNEYS_IN_FLIGHT;
  const little = Math.max(5, Math.ceil(peakRate * expectedJourneyS));
  const pre = Math.min(max, limits && limits.preAllocatedVUs > 0 ? limits.preAllocatedVUs : little);
  return { preAllocatedVUs: pre, maxVUs: max, expectedJourneyS: expectedJourneyS };
}

function arrivalScenario(startRate, stages, journey, limits, startS) {
  const unit = pickTimeUnit([startRate, ...stages.map((s) => s.target)]);
  const peak = Math.max(startRate, ...stages.map((s) => s.target));
  const sizing = vuSizing(peak, journey, limits);
  const timeoutMs = limits && limits.timeoutMs > 0 ? limits.timeoutMs : 10000;
  return {
    executor: "ramping-arrival-rate",
    startTime: k6Duration(startS),
    // As the embedded driver's grace: in-flight journeys get the request timeout plus 2 s, then are cut off.
    gracefulStop: k6Duration(Math.ceil((timeoutMs + 2000) / 1000)),
    startRate: Math.round(startRate * unit),
    timeUnit: `${unit}s`,
    stages: stages.map((s) => ({ duration: k6Duration(s.durationS), target: Math.round(s.target * unit) })),
    preAllocatedVUs: sizing.preAllocatedVUs,
    maxVUs: sizing.maxVUs,
  };
}

const THRESHOLD =
  /^\s*(p\(\s*[\d.]+\s*\)|p[\d.]+|avg|mean|med|min|max|errors|rps|bookings|dropped)\s*(<=|<|>=|>|==)\s*([\d.]+)\s*(%|ms|s)?\s*$/;

// statebench metric -> k6 metric (restricted to the measured window) and aggregation. Latency is all requests'
// `http_req_duration`; `errors` the script's Rate of unexpected outcomes (5xx, network errors, timeouts).
const RATE_METRICS = {
  errors: { metric: "errors", agg: "rate" },
  rps: { metric: "http_reqs", agg: "rate" },
  bookings: { metric: "confirms_ok", agg: "rate" },
  dropped: { metric: "dropped_iterations", agg: "count" },
};

/**
 * One statebench threshold (the `--threshold` syntax of harness/bench/thresholds.ts: "p99<250", "p(99.9)<1s",
 * "mean<50", "errors<1%", "rps>500", "bookings>100", "dropped<=0") as a k6 threshold: the metric key, with a
 * `{scenario:measured}` sub-metric so warm-up traffic is excluded, and the k6 expression.
 */
export function k6Threshold(expr) {
  const m = THRESHOLD.exec(expr);
  if (!m) throw new Error(`unsupported threshold "${expr}" (p50..p999, p(N), mean, med, min, max, errors, rps, ...)`);
  const [, stat, op, raw, unit] = m;
  let value = Number(raw);
  const rated = RATE_METRICS[stat];
  if (rated) {
    if (unit === "%" && stat === "errors") value /= 100;
    else if (unit) throw new Error(`threshold "${expr}": only errors take a unit (%)`);
    return { metric: `${rated.metric}{scenario:${MEASURED}}`, expression: `${rated.agg}${op}${value}` };
  }
  if (unit === "%") throw new Error(`threshold "${expr}": latency takes ms or s`);
  if (unit === "s") value *= 1000;
  let agg = stat === "mean" ? "avg" : stat;
  if (/^p\d+$/.test(stat)) {
    // p50, p99 -> p(50), p(99); p999 -> p(99.9), p9999 -> p(99.99): digits after the second are decimals.
    const digits = stat.slice(1);
    agg = `p(${digits.length > 2 ? `${digits.slice(0, 2)}.${digits.slice(2)}` : digits})`;
  } else if (stat.startsWith("p")) {
    // p(99.9) or p99.9
    agg = `p(${stat.replace(/[p()\s]/g, "")})`;
  }
  return { metric: `http_req_duration{scenario:${MEASURED}}`, expression: `${agg}${op}${value}` };
}

/** All thresholds of a scenario, grouped by metric key as k6 expects. */
export function k6Thresholds(exprs) {
  const out = {};
  for (const expr of exprs) {
    const t = k6Threshold(expr);
    if (!out[t.metric]) out[t.metric] = [];
    out[t.metric].push(t.expression);
  }
  return out;
}

/**
 * k6 `options` for a scenario. Phase "all" (default; standalone and compose runs): a `warmup` ramping-arrival-rate
 * scenario (when the scenario has warm-up) followed by the `measured` one at `startTime` = warm-up seconds.
 * Phase "warmup" or "measure" (the harness, one k6 process per phase like the embedded driver): that one
 * scenario from t = 0. Plus the scenario's thresholds and the summary statistics. `limits` (optional) caps VUs:
 * `{ maxVUs, preAllocatedVUs }`.
 */
export function k6Options(scenario, limits, phase) {
  const p = phase || "all";
  if (p !== "all" && p !== "warmup" && p !== "measure") throw new Error(`unknown phase "${p}" (all, warmup, measure)`);
  const a = scenario.arrival;
  const hasWarmup = a.warmupS > 0 && a.warmupRate > 0;
  const scenarios = {};
  if (hasWarmup && p !== "measure") {
    scenarios[WARMUP] = arrivalScenario(
      a.warmupRate,
      [{ durationS: a.warmupS, target: a.warmupRate }],
      scenario.journey,
      limits,
      0,
    );
  }
  if (p === "warmup" && !hasWarmup) throw new Error(`scenario ${scenario.name} has no warm-up`);
  if (p !== "warmup") {
    const startS = p === "all" && hasWarmup ? a.warmupS : 0;
    scenarios[MEASURED] = arrivalScenario(a.startRate, a.stages, scenario.journey, limits, startS);
  }
  return {
    scenarios,
    thresholds: p === "warmup" ? {} : k6Thresholds(scenario.thresholds),
    summaryTrendStats: SUMMARY_TREND_STATS,
    // Bodies are needed (hold and booking ids, seat lists); keep k6's defaults otherwise.
    userAgent: "statebench-k6",
  };
}
