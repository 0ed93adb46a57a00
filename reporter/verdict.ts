import type { AppRunSummary } from "../harness/results/types.ts";
import { connectionText, driverOf } from "./driver-info.ts";
import { formatNumber, formatPercent } from "./format.ts";

/** A count of answers and its share of all answers: "2.1% (312)"; summaries from before it say "not recorded". */
function answerShareText(x: { requests: number; rate: number } | undefined): string {
  if (x === undefined) return "not recorded";
  return x.requests === 0 ? "0%" : `${formatPercent(x.rate)} (${formatNumber(x.requests)})`;
}

/** Which way a metric improves. */
export type Direction = "higher" | "lower";

/**
 * Differences smaller than this share of the larger value are called a tie and get no "better" mark: runs on this
 * machine vary by about ±15%, and crowning a 2% difference would be reading noise.
 */
export const TIE_TOLERANCE = 0.05;

/** One row of the verdict table, before formatting. */
export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  direction: Direction;
  group: "throughput" | "latency" | "errors" | "cost" | "trust";
  /** The number compared; null when not available. */
  value(r: AppRunSummary): number | null;
  /** Display text; defaults to the formatted number. */
  text?(r: AppRunSummary): string;
  /** A null value counts as the worst possible (e.g. "did not sell out"), so the other side is better. */
  nullIsWorst?: boolean;
  /** Ratios make no sense for pass/fail rows. */
  noRatio?: boolean;
}

export interface Comparison {
  /** right ÷ left; null when either is null, or left is 0 (0 ÷ 0 is null too: nothing to compare). */
  ratio: number | null;
  /** Which side is better in this metric's direction; "tie" within TIE_TOLERANCE; null when not comparable. */
  better: "left" | "right" | "tie" | null;
}

/** Compares two values of a metric: the better side in its direction, and the right ÷ left ratio. Null-safe. */
export function compareValues(
  left: number | null,
  right: number | null,
  direction: Direction,
  opts: { nullIsWorst?: boolean } = {},
): Comparison {
  const ratio = left !== null && right !== null && left !== 0 ? right / left : null;
  if (left === null || right === null) {
    if (!opts.nullIsWorst || (left === null && right === null)) return { ratio, better: null };
    return { ratio, better: left === null ? "right" : "left" };
  }
  const scale = Math.max(Math.abs(left), Math.abs(right));
  if (scale === 0 || Math.abs(right - left) <= TIE_TOLERANCE * scale) return { ratio, better: "tie" };
  const rightHigher = right > left;
  return { ratio, better: rightHigher === (direction === "higher") ? "right" : "left" };
}

/** Peak RSS of the whole stack under test (every role but the load driver), MB. */
export function stackPeakRssMb(r: AppRunSummary): number | null {
  const roles = Object.entries(r.memory.peakRssMbByRole).filter(([role]) => role !== "driver");
  return roles.length === 0 ? null : roles.reduce((sum, [, mb]) => sum + mb, 0);
}

function auditText(r: AppRunSummary): string {
  const a = r.audit;
  if (a.valid === true) return "pass";
  if (a.valid === "unknown") return "unknown (checker failed)";
  const parts = [
    a.lost > 0 ? `${a.lost} lost` : "",
    a.doubleSold > 0 ? `${a.doubleSold} double-sold` : "",
    a.unexpected > 0 ? `${a.unexpected} unexpected` : "",
    a.soldApi !== null && a.soldDb !== null && a.soldApi !== a.soldDb ? `sold API ${a.soldApi} ≠ DB ${a.soldDb}` : "",
  ].filter(Boolean);
  return `FAIL${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

/** The verdict table's rows, in display order. */
export const METRICS: MetricDef[] = [
  {
    key: "bookingsPerS",
    label: "Confirmed bookings",
    unit: "per s",
    direction: "higher",
    group: "throughput",
    value: (r) => r.throughput.bookingsPerS,
  },
  {
    key: "requestsPerS",
    label: "Throughput",
    unit: "req/s",
    direction: "higher",
    group: "throughput",
    value: (r) => r.throughput.requestsPerS,
  },
  {
    key: "goodput",
    label: "Goodput (answers neither error nor shed)",
    unit: "per s",
    direction: "higher",
    group: "throughput",
    // Summaries written before goodput was recorded have none.
    value: (r) => r.goodputPerS ?? null,
    text: (r) => (r.goodputPerS === undefined ? "not recorded" : formatNumber(r.goodputPerS)),
  },
  {
    key: "sellOutS",
    label: "Sell-out time",
    unit: "s",
    direction: "lower",
    group: "throughput",
    value: (r) => r.sellOutS,
    text: (r) => (r.sellOutS === null ? "did not sell out" : formatNumber(r.sellOutS)),
    nullIsWorst: true,
  },
  { key: "p50", label: "Latency p50", unit: "ms", direction: "lower", group: "latency", value: (r) => r.latency.p50 },
  { key: "p99", label: "Latency p99", unit: "ms", direction: "lower", group: "latency", value: (r) => r.latency.p99 },
  {
    key: "p999",
    label: "Latency p99.9",
    unit: "ms",
    direction: "lower",
    group: "latency",
    value: (r) => r.latency.p999,
  },
  {
    key: "errorRate",
    label: "Error rate",
    unit: "%",
    direction: "lower",
    group: "errors",
    value: (r) => r.errors.rate,
    text: (r) => formatPercent(r.errors.rate),
  },
  {
    key: "shedRate",
    label: "Shed (503, overloaded)",
    unit: "%",
    direction: "lower",
    group: "errors",
    value: (r) => r.shed?.rate ?? null,
    text: (r) => answerShareText(r.shed),
  },
  {
    key: "unavailableRate",
    label: "Unavailable (503, shard moving or storage down)",
    unit: "%",
    direction: "lower",
    group: "errors",
    value: (r) => r.unavailable?.rate ?? null,
    text: (r) => answerShareText(r.unavailable),
  },
  {
    key: "statementsPerBooking",
    label: "DB statements / booking",
    unit: "",
    direction: "lower",
    group: "cost",
    value: (r) => r.db.statementsPerBooking,
  },
  {
    key: "commitsPerBooking",
    label: "DB commits / booking",
    unit: "",
    direction: "lower",
    group: "cost",
    value: (r) => r.db.commitsPerBooking,
  },
  {
    key: "redisPerBooking",
    label: "Redis commands / booking",
    unit: "",
    direction: "lower",
    group: "cost",
    // An app without Redis spends zero Redis commands: that is its real cost, not a missing value.
    value: (r) => (r.redis === null ? 0 : r.redis.commandsPerBooking),
    text: (r) => (r.redis === null ? "0 (no Redis)" : formatNumber(r.redis.commandsPerBooking)),
  },
  {
    key: "cpuPer1k",
    label: "CPU-seconds / 1,000 bookings",
    unit: "s",
    direction: "lower",
    group: "cost",
    value: (r) => r.cpu.secondsPer1kBookings,
  },
  {
    key: "forwardedShare",
    label: "Actor requests forwarded (extra hop)",
    unit: "%",
    direction: "lower",
    group: "cost",
    // Runs recorded before owner routing have no `routing`; the stateless app has none by design.
    value: (r) => r.routing?.forwardedShare ?? null,
    text: (r) =>
      r.app === "stateless"
        ? "n/a (any replica serves)"
        : r.routing?.forwardedShare == null
          ? "not recorded"
          : `${formatPercent(r.routing.forwardedShare)} of ${formatNumber(r.routing.local + r.routing.forwarded + r.routing.unavailable)}`,
    noRatio: true,
  },
  {
    key: "peakRss",
    label: "Peak memory (stack)",
    unit: "MB",
    direction: "lower",
    group: "cost",
    value: stackPeakRssMb,
  },
  {
    key: "audit",
    label: "Audit",
    unit: "",
    direction: "higher",
    group: "trust",
    value: (r) => (r.audit.valid === true ? 1 : r.audit.valid === false ? 0 : null),
    text: auditText,
    noRatio: true,
  },
  {
    key: "stalenessBound",
    label: "Availability reads may lag writes by",
    unit: "ms",
    direction: "lower",
    group: "trust",
    value: (r) => r.availability?.stalenessBoundMs ?? null,
    text: (r) => {
      const bound = r.availability?.stalenessBoundMs;
      return bound === undefined ? "not recorded" : bound === 0 ? "0 (exact)" : `≤ ${formatNumber(bound)} ms`;
    },
    noRatio: true,
  },
  {
    key: "keptSchedule",
    label: "Driver kept schedule",
    unit: "",
    direction: "higher",
    group: "trust",
    value: (r) => (r.driverHealth.keptSchedule ? 1 : 0),
    text: (r) => (r.driverHealth.keptSchedule ? "yes" : `NO (lag ≤ ${formatNumber(r.driverHealth.maxLagMs)} ms)`),
    noRatio: true,
  },
  {
    key: "driverCpu",
    label: "Driver CPU per request",
    unit: "µs",
    direction: "lower",
    group: "trust",
    // The driver shares the machine with the apps: what it spends per request is taken from them.
    value: (r) => driverOf(r).cpuUsPerRequest,
    text: (r) => {
      const us = driverOf(r).cpuUsPerRequest;
      return us === null ? "not recorded" : `${formatNumber(us)} µs`;
    },
    noRatio: true,
  },
  {
    key: "driverConnections",
    label: "Driver connections",
    unit: "",
    direction: "higher",
    group: "trust",
    value: (r) => driverOf(r).connections.max,
    text: (r) => connectionText(driverOf(r)),
    noRatio: true,
  },
  {
    key: "thresholds",
    label: "Thresholds met",
    unit: "",
    direction: "higher",
    group: "trust",
    value: (r) => (r.thresholds.length === 0 ? null : r.thresholds.filter((t) => t.ok).length / r.thresholds.length),
    text: (r) =>
      r.thresholds.length === 0 ? "none set" : `${r.thresholds.filter((t) => t.ok).length}/${r.thresholds.length}`,
    noRatio: true,
  },
];

export interface VerdictCell {
  value: number | null;
  text: string;
}

export interface VerdictRow extends Comparison {
  metric: MetricDef;
  left: VerdictCell;
  right: VerdictCell;
}

function cell(metric: MetricDef, r: AppRunSummary | null): VerdictCell {
  if (!r) return { value: null, text: "not run" };
  const value = metric.value(r);
  return { value, text: metric.text ? metric.text(r) : formatNumber(value) };
}

/** The verdict rows for two sides; a missing side gives "not run" cells and no marks. */
export function verdictRows(left: AppRunSummary | null, right: AppRunSummary | null): VerdictRow[] {
  return METRICS.map((metric) => {
    const l = cell(metric, left);
    const r = cell(metric, right);
    const cmp =
      left && right
        ? compareValues(l.value, r.value, metric.direction, { nullIsWorst: metric.nullIsWorst })
        : { ratio: null, better: null };
    return { metric, left: l, right: r, ratio: metric.noRatio ? null : cmp.ratio, better: cmp.better };
  });
}
