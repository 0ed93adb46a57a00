import { MEASURED } from "../../scenarios/k6/options.js";
import type { AckRecord } from "../results/types.ts";
import { type K6MetricInfo, type K6Source, readK6Points } from "./points.ts";

/**
 * What a k6 `--out json` stream says about one k6 scenario (by default the measured window), kept compact and in
 * stream order: per-request columns, journey starts, drops and outcomes, the VU gauge, counter sums and the
 * acknowledgement log. Times are epoch ms; `k6ResultToDriverResult` turns this into the driver's result.
 */
export interface K6Run {
  scenario: string | null;
  /** Epoch ms of the window start: the `window_start` gauge the script emits, else the first request sent. */
  windowStartMs: number;
  /** Epoch ms of the last sample. */
  lastMs: number;
  requests: {
    /** Completion time (k6 stamps a request's samples when its response ends). */
    time: number[];
    /** http_req_duration in µs (sending + waiting + receiving). */
    us: number[];
    endpoint: string[];
    status: number[];
    /** k6's error_code tag for requests without a response (1050 = timeout), else 0. */
    errorCode: number[];
  };
  /** Per `name` tag and status: request counts (any name, including ones the driver does not know). */
  byName: Record<string, Record<string, number>>;
  journeyStarts: number[];
  drops: number[];
  outcomes: Array<{ time: number; outcome: string }>;
  /** The `vus` gauge (k6 emits it once a second, without a scenario tag). */
  vus: Array<{ time: number; value: number }>;
  /** The script's `error_codes` counter by `code` tag: the API's error code, http_<status>, timeout, ... */
  errorCodes: Record<string, number>;
  /** Sums of every counter in the scenario: k6's (iterations, dropped_iterations, http_reqs) and the script's. */
  counters: Record<string, number>;
  /** Acks with `t` in epoch ms; rebased by the converter. */
  acks: AckRecord[];
  metrics: Record<string, K6MetricInfo>;
  lines: number;
  badLines: number;
}

export interface ParseOptions {
  /** k6 scenario to keep (the `scenario` tag); null keeps every scenario. Default "measured". */
  scenario?: string | null;
}

function ackFromPoint(tags: Record<string, string>, meta: Record<string, string> | null, time: number) {
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
    status: Number(tags.status ?? 0),
    t: time,
  };
  if (m.hold) rec.holdId = m.hold;
  if (m.booking) rec.bookingId = m.booking;
  return rec;
}

/**
 * Reads a k6 `--out json` stream (a path, or chunks; plain or gzip; streamed line by line) for one k6 scenario
 * (default: measured). Lines that are not JSON (a truncated last line after a kill) are counted, not thrown.
 */
export async function parseK6Ndjson(source: string | K6Source, opts: ParseOptions = {}): Promise<K6Run> {
  const scenario = opts.scenario === undefined ? MEASURED : opts.scenario;
  const run: K6Run = {
    scenario,
    windowStartMs: 0,
    lastMs: 0,
    requests: { time: [], us: [], endpoint: [], status: [], errorCode: [] },
    byName: {},
    journeyStarts: [],
    drops: [],
    outcomes: [],
    vus: [],
    errorCodes: {},
    counters: {},
    acks: [],
    metrics: {},
    lines: 0,
    badLines: 0,
  };
  const stats = { lines: 0, badLines: 0 };
  let windowStart = Number.POSITIVE_INFINITY;
  let firstSent = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const onMetric = (name: string, info: K6MetricInfo) => {
    run.metrics[name] = info;
  };
  const r = run.requests;
  // One string per endpoint name, however many requests: JSON.parse makes a new string for every value.
  const names = new Map<string, string>();
  for await (const p of readK6Points(source, onMetric, stats)) {
    if (p.metric === "vus" && p.tags.scenario === undefined) {
      run.vus.push({ time: p.time, value: p.value });
      continue;
    }
    if (scenario !== null && p.tags.scenario !== scenario) continue;
    if (p.time > last) last = p.time;
    if (run.metrics[p.metric]?.type === "counter") run.counters[p.metric] = (run.counters[p.metric] ?? 0) + p.value;
    switch (p.metric) {
      case "window_start":
        if (p.value < windowStart) windowStart = p.value;
        break;
      case "http_req_duration": {
        const raw = p.tags.name ?? p.tags.url ?? "unknown";
        let name = names.get(raw);
        if (name === undefined) {
          name = raw;
          names.set(raw, raw);
        }
        const status = Number(p.tags.status ?? 0) || 0;
        r.time.push(p.time);
        r.us.push(Math.max(1, Math.round(p.value * 1000)));
        r.endpoint.push(name);
        r.status.push(status);
        r.errorCode.push(Number(p.tags.error_code ?? 0) || 0);
        const byStatus = run.byName[name] ?? {};
        byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
        run.byName[name] = byStatus;
        if (p.time - p.value < firstSent) firstSent = p.time - p.value;
        break;
      }
      case "journeys_started":
        run.journeyStarts.push(p.time);
        break;
      case "dropped_iterations":
        for (let i = 0; i < p.value; i++) run.drops.push(p.time);
        break;
      case "error_codes": {
        const code = p.tags.code ?? "unknown";
        run.errorCodes[code] = (run.errorCodes[code] ?? 0) + p.value;
        break;
      }
      case "journeys":
        run.outcomes.push({ time: p.time, outcome: p.tags.outcome ?? "unknown" });
        break;
      case "ack": {
        const rec = ackFromPoint(p.tags, p.metadata, p.time);
        if (rec) run.acks.push(rec);
        break;
      }
    }
  }
  run.windowStartMs = Number.isFinite(windowStart) ? windowStart : Number.isFinite(firstSent) ? firstSent : 0;
  run.lastMs = Number.isFinite(last) ? last : run.windowStartMs;
  run.lines = stats.lines;
  run.badLines = stats.badLines;
  return run;
}
