import * as hdr from "hdr-histogram-js";
import { ENDPOINTS, type Endpoint, isError } from "../../scenarios/journey-logic.js";
import type { EndpointSummary, LatencySummary } from "../results/types.ts";
import type { DriverPhase, DriverSeries, EncodedHistograms, SecondStats } from "./types.ts";

type Histogram = hdr.Histogram;

// Values are microseconds. Pure-JS histograms (no WASM), auto-resizing so a stalled request is never clipped.
function histogram(digits: 2 | 3): Histogram {
  return hdr.build({ useWebAssembly: false, numberOfSignificantValueDigits: digits, lowestDiscernibleValue: 1 });
}

const ms = (us: number) => Math.round(us) / 1000;

/** Latency summary in ms of a µs histogram. */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count: h.totalCount,
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}

/** HdrHistogram's percentile spectrum ([percentile, ms]): 5 ticks per halving of the distance to 100%. */
export function spectrum(h: Histogram, ticksPerHalf = 5): Array<[number, number]> {
  if (h.totalCount === 0) return [];
  const out: Array<[number, number]> = [];
  for (let k = 0; ; k++) {
    const p = 100 * (1 - 0.5 ** (k / ticksPerHalf));
    if ((1 - p / 100) * h.totalCount < 1) break;
    out.push([Math.round(p * 1e4) / 1e4, ms(h.getValueAtPercentile(p))]);
  }
  out.push([100, ms(h.maxValue)]);
  return out;
}

interface Second {
  requests: number;
  errors: number;
  bookings: number;
  holds: number;
  conflicts: number;
  scheduled: number;
  started: number;
  dropped: number;
  lagMaxUs: number;
  all: Histogram;
  byEndpoint: Map<Endpoint, { count: number; errors: number; h: Histogram }>;
}

/**
 * Everything the driver counts: HDR histograms per endpoint over the window and per second, statuses, error
 * codes, bookings, journeys, schedule lag. Seconds are keyed by when things happened (a request by its
 * completion, as k6 does) and closed in order by `closeUntil`.
 */
export class Stats {
  readonly all = histogram(3);
  readonly service = histogram(3);
  readonly lag = histogram(3);
  readonly byEndpoint = new Map<Endpoint, { h: Histogram; errors: number }>();
  readonly byStatus: Record<string, number> = {};
  readonly byCode: Record<string, number> = {};
  readonly bookings = { holds: 0, conflicts: 0, confirmed: 0, expired: 0, released: 0 };
  readonly journeys = { scheduled: 0, started: 0, completed: 0, dropped: 0 };
  readonly outcomes: Record<string, number> = {};
  errors = 0;
  readonly seconds: SecondStats[] = [];
  private cur: Second;
  private curT = 0;

  constructor(
    private readonly phase: DriverPhase,
    private readonly onSecond: ((s: SecondStats) => void) | undefined,
    private readonly inFlight: () => number,
    private readonly warn: (msg: string) => void,
  ) {
    for (const e of ENDPOINTS) this.byEndpoint.set(e, { h: histogram(3), errors: 0 });
    this.cur = {
      requests: 0,
      errors: 0,
      bookings: 0,
      holds: 0,
      conflicts: 0,
      scheduled: 0,
      started: 0,
      dropped: 0,
      lagMaxUs: 0,
      all: histogram(2),
      byEndpoint: new Map(),
    };
  }

  /** One request: latency from its intended send time, service time from the actual send (-1: never sent), µs. */
  request(endpoint: Endpoint, latencyUs: number, serviceUs: number, status: number, code: string | null, atMs: number) {
    this.closeUntil(atMs);
    const lat = Math.max(1, Math.round(latencyUs));
    this.all.recordValue(lat);
    // A dropped arrival was never sent: it has a latency (until it was given up) but no service time.
    if (serviceUs >= 0) this.service.recordValue(Math.max(1, Math.round(serviceUs)));
    const ep = this.byEndpoint.get(endpoint);
    ep?.h.recordValue(lat);
    const key = status === 0 ? "no-response" : String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    const sec = this.cur;
    sec.requests++;
    sec.all.recordValue(lat);
    let se = sec.byEndpoint.get(endpoint);
    if (!se) {
      se = { count: 0, errors: 0, h: histogram(2) };
      sec.byEndpoint.set(endpoint, se);
    }
    se.count++;
    se.h.recordValue(lat);
    if (isError(status)) {
      const c = code ?? `http_${status}`;
      this.byCode[c] = (this.byCode[c] ?? 0) + 1;
      this.errors++;
      if (ep) ep.errors++;
      sec.errors++;
      se.errors++;
    }
    this.booking(endpoint, status, sec);
  }

  private booking(endpoint: Endpoint, status: number, sec: Second) {
    const b = this.bookings;
    if (endpoint === "hold" && status === 201) {
      b.holds++;
      sec.holds++;
    } else if (endpoint === "hold" && status === 409) {
      b.conflicts++;
      sec.conflicts++;
    } else if (endpoint === "confirm" && status === 200) {
      b.confirmed++;
      sec.bookings++;
    } else if ((endpoint === "confirm" || endpoint === "release") && status === 410) b.expired++;
    else if (endpoint === "release" && status === 204) b.released++;
  }

  scheduled(atMs: number) {
    this.closeUntil(atMs);
    this.journeys.scheduled++;
    this.cur.scheduled++;
  }

  started(atMs: number) {
    this.closeUntil(atMs);
    this.journeys.started++;
    this.cur.started++;
  }

  /** A request went out `lagUs` after its intended send time (waiting inside the client included). */
  sent(lagUs: number) {
    this.lag.recordValue(Math.max(1, Math.round(lagUs)));
    if (lagUs > this.cur.lagMaxUs) this.cur.lagMaxUs = lagUs;
  }

  dropped(atMs: number) {
    this.closeUntil(atMs);
    this.journeys.dropped++;
    this.cur.dropped++;
  }

  /** A journey ended; one cut off by the time bound did not complete. */
  ended(outcome: string) {
    if (outcome !== "cut-off") this.journeys.completed++;
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }

  /** Closes every second that ended before `atMs` (ms since the window start), emitting each. */
  closeUntil(atMs: number) {
    while (atMs >= (this.curT + 1) * 1000) this.closeSecond();
  }

  private closeSecond() {
    const c = this.cur;
    const byEndpoint: SecondStats["byEndpoint"] = {};
    for (const [e, v] of c.byEndpoint) {
      if (v.count === 0) continue;
      byEndpoint[e] = {
        count: v.count,
        errors: v.errors,
        p50: ms(v.h.getValueAtPercentile(50)),
        p99: ms(v.h.getValueAtPercentile(99)),
      };
    }
    const s: SecondStats = {
      phase: this.phase,
      t: this.curT,
      requests: c.requests,
      errors: c.errors,
      bookings: c.bookings,
      holds: c.holds,
      conflicts: c.conflicts,
      latencyP50: c.requests ? ms(c.all.getValueAtPercentile(50)) : 0,
      latencyP99: c.requests ? ms(c.all.getValueAtPercentile(99)) : 0,
      latencyMax: c.requests ? ms(c.all.maxValue) : 0,
      byEndpoint,
      journeysScheduled: c.scheduled,
      journeysStarted: c.started,
      dropped: c.dropped,
      inFlight: this.inFlight(),
      scheduleLagMaxMs: ms(c.lagMaxUs),
    };
    this.seconds.push(s);
    if (this.onSecond) {
      try {
        this.onSecond(s);
      } catch (err) {
        this.warn(`onSecond threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // Reuse the per-second histograms: a long run allocates nothing per second.
    c.all.reset();
    for (const v of c.byEndpoint.values()) {
      v.count = 0;
      v.errors = 0;
      v.h.reset();
    }
    c.requests = c.errors = c.bookings = c.holds = c.conflicts = c.scheduled = c.started = c.dropped = 0;
    c.lagMaxUs = 0;
    this.curT++;
  }

  /** Closes the second in progress (the last, partial one) too. */
  finish(atMs: number) {
    this.closeUntil(atMs);
    if (this.cur.requests > 0 || this.cur.started > 0 || this.cur.dropped > 0) this.closeSecond();
  }

  endpointSummaries(): Record<string, EndpointSummary> {
    const out: Record<string, EndpointSummary> = {};
    for (const [e, v] of this.byEndpoint) {
      if (v.h.totalCount > 0) out[e] = { count: v.h.totalCount, errors: v.errors, latency: summarize(v.h) };
    }
    return out;
  }

  series(): DriverSeries {
    const s = this.seconds;
    return {
      t: s.map((x) => x.t),
      latencyP50: s.map((x) => x.latencyP50),
      latencyP99: s.map((x) => x.latencyP99),
      requestsPerS: s.map((x) => x.requests),
      errorsPerS: s.map((x) => x.errors),
      bookingsPerS: s.map((x) => x.bookings),
    };
  }

  encoded(): EncodedHistograms {
    const byEndpoint: EncodedHistograms["byEndpoint"] = {};
    for (const [e, v] of this.byEndpoint) if (v.h.totalCount > 0) byEndpoint[e] = hdr.encodeIntoCompressedBase64(v.h);
    return {
      unit: "us",
      all: hdr.encodeIntoCompressedBase64(this.all),
      byEndpoint,
      serviceTime: hdr.encodeIntoCompressedBase64(this.service),
      scheduleLag: hdr.encodeIntoCompressedBase64(this.lag),
    };
  }
}
