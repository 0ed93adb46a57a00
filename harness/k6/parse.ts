import * as hdr from "hdr-histogram-js";
import { MEASURED } from "../../scenarios/k6/options.js";
import type { AckRecord } from "../results/types.ts";
import { type K6MetricInfo, type K6Source, readK6Points } from "./points.ts";

/** HDR histograms of latency in microseconds (k6 reports fractional ms), 3 significant digits, up to 1 hour. */
export function newLatencyHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export interface K6EndpointStats {
  histogram: hdr.Histogram;
  count: number;
  /** Unexpected outcomes: status >= 500 or a network error / timeout (k6 status 0). */
  errors: number;
  byStatus: Record<string, number>;
}

export interface K6Second {
  /** Seconds since the window start. */
  t: number;
  histogram: hdr.Histogram;
  requests: number;
  errors: number;
  bookings: number;
}

/** What a k6 NDJSON stream says about one k6 scenario (by default the measured window). */
export interface K6Run {
  scenario: string | null;
  /** Epoch ms of the window start: the `window_start` gauge the script emits, else the first request sent. */
  windowStartMs: number;
  /** Seconds from the window start to the last sample. */
  durationS: number;
  endpoints: Record<string, K6EndpointStats>;
  all: hdr.Histogram;
  seconds: K6Second[];
  byStatus: Record<string, number>;
  /** Unexpected outcomes by kind: "http_503", "k6_1050" (k6's error_code, e.g. 1050 = request timeout). */
  errorsByCode: Record<string, number>;
  /** Sums of every counter in the scenario: k6's (iterations, dropped_iterations, http_reqs) and the script's. */
  counters: Record<string, number>;
  acks: AckRecord[];
  metrics: Record<string, K6MetricInfo>;
  lines: number;
  badLines: number;
}

export interface ParseOptions {
  /** k6 scenario to keep (the `scenario` tag); null keeps every scenario. Default "measured". */
  scenario?: string | null;
}

function isError(status: string): boolean {
  const n = Number(status);
  return !Number.isFinite(n) || n === 0 || n >= 500;
}

function errorCode(tags: Record<string, string>): string {
  const status = tags.status ?? "0";
  if (status !== "0") return `http_${status}`;
  return tags.error_code ? `k6_${tags.error_code}` : "network";
}

function ackFromPoint(tags: Record<string, string>, meta: Record<string, string> | null, tAbs: number) {
  const op = tags.op;
  const type = tags.type;
  if ((op !== "hold" && op !== "confirm" && op !== "release") || (type !== "ok" && type !== "fail" && type !== "info"))
    return null;
  const m = meta ?? {};
  const rec: AckRecord = {
    op,
    type,
    seatId: m.seat ?? "",
    userId: m.user ?? "",
    status: Number(tags.status ?? m.status ?? 0),
    t: tAbs,
  };
  if (m.hold) rec.holdId = m.hold;
  if (m.booking) rec.bookingId = m.booking;
  return rec;
}

/**
 * Reads a k6 `--out json` stream (plain or gzip, streamed line by line) into per-endpoint and per-second HDR
 * histograms, status counts, counter sums and the acknowledgement log, for one k6 scenario (default: measured).
 * Request latency is k6's `http_req_duration` (sending + waiting + receiving); a request's second is the one it
 * was sent in (sample time minus duration; k6 stamps samples when the response ends).
 */
export async function parseK6Ndjson(
  source: string | K6Source,
  opts: ParseOptions = {},
): Promise<K6Run> {
  const scenario = opts.scenario === undefined ? MEASURED : opts.scenario;
  const metrics: Record<string, K6MetricInfo> = {};
  const stats = { lines: 0, badLines: 0 };
  const endpoints: Record<string, K6EndpointStats> = {};
  const all = newLatencyHistogram();
  const byStatus: Record<string, number> = {};
  const errorsByCode: Record<string, number> = {};
  const counters: Record<string, number> = {};
  // Per-second series need the window start, which may arrive after the first samples: keep compact arrays.
  const reqStart: number[] = [];
  const reqUs: number[] = [];
  const reqErr: boolean[] = [];
  const bookingTimes: number[] = [];
  const acks: AckRecord[] = [];
  let windowStart = Number.POSITIVE_INFINITY;
  let firstSent = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;

  const onMetric = (name: string, info: K6MetricInfo) => {
    metrics[name] = info;
  };
  for await (const p of readK6Points(source, onMetric, stats)) {
    if (scenario !== null && p.tags.scenario !== scenario) continue;
    if (p.time > last) last = p.time;
    if (p.metric === "window_start") {
      if (p.value < windowStart) windowStart = p.value;
      continue;
    }
    if (metrics[p.metric]?.type === "counter") counters[p.metric] = (counters[p.metric] ?? 0) + p.value;
    if (p.metric === "http_req_duration") {
      const name = p.tags.name ?? p.tags.url ?? "unknown";
      const status = p.tags.status ?? "0";
      const us = Math.max(1, Math.round(p.value * 1000));
      const err = isError(status);
      let ep = endpoints[name];
      if (!ep) {
        ep = { histogram: newLatencyHistogram(), count: 0, errors: 0, byStatus: {} };
        endpoints[name] = ep;
      }
      ep.histogram.recordValue(us);
      ep.count += 1;
      ep.byStatus[status] = (ep.byStatus[status] ?? 0) + 1;
      all.recordValue(us);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (err) {
        ep.errors += 1;
        const code = errorCode(p.tags);
        errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
      }
      const sent = p.time - p.value;
      if (sent < firstSent) firstSent = sent;
      reqStart.push(sent);
      reqUs.push(us);
      reqErr.push(err);
    } else if (p.metric === "confirms_ok") {
      bookingTimes.push(p.time);
    } else if (p.metric === "ack") {
      const rec = ackFromPoint(p.tags, p.metadata, p.time);
      if (rec) acks.push(rec);
    }
  }

  if (!Number.isFinite(windowStart)) windowStart = Number.isFinite(firstSent) ? firstSent : 0;
  const seconds: K6Second[] = [];
  const secondAt = (tAbs: number): K6Second => {
    const t = Math.max(0, Math.floor((tAbs - windowStart) / 1000));
    for (let i = seconds.length; i <= t; i++)
      seconds.push({ t: i, histogram: newLatencyHistogram(), requests: 0, errors: 0, bookings: 0 });
    return seconds[t] as K6Second;
  };
  for (let i = 0; i < reqStart.length; i++) {
    const s = secondAt(reqStart[i] as number);
    s.histogram.recordValue(reqUs[i] as number);
    s.requests += 1;
    if (reqErr[i]) s.errors += 1;
  }
  for (const t of bookingTimes) secondAt(t).bookings += 1;
  for (const a of acks) a.t = Math.max(0, Math.round(a.t - windowStart));
  acks.sort((a, b) => a.t - b.t);

  return {
    scenario,
    windowStartMs: windowStart,
    durationS: Number.isFinite(last) ? Math.max(0, (last - windowStart) / 1000) : 0,
    endpoints,
    all,
    seconds,
    byStatus,
    errorsByCode,
    counters,
    acks,
    metrics,
    lines: stats.lines,
    badLines: stats.badLines,
  };
}
