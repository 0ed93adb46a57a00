import type { Baseline } from "./baseline.ts";
import { GATED, type GatedMetric } from "./metrics.ts";
import { mannWhitneyP, median, relativeSpread } from "./stats.ts";

/**
 * `inconclusive`: the data cannot tell (the machine was busy, too few clean repetitions, a move that is not
 * significant): never a failure. `accepted`: worse, but within an intended change accepted in review.
 */
export type RowVerdict = "ok" | "regressed" | "improved" | "failed" | "new" | "missing" | "inconclusive" | "accepted";

export interface ComparisonRow {
  key: string;
  kind: GatedMetric["kind"];
  baseline: number | null;
  current: number | null;
  /** Relative change of the median, current vs baseline (0.1 = +10%). */
  change: number | null;
  /** Allowed relative change before it counts. */
  tolerance: number | null;
  /** Mann-Whitney p-value for timing ratios; null where not applicable. */
  p: number | null;
  verdict: RowVerdict;
  why: string;
  /** Repetitions the medians come from (baseline, current), when some were left out (busy machine). */
  n?: [number, number];
}

export interface Comparison {
  rows: ComparisonRow[];
  /** True when nothing regressed or failed. */
  passed: boolean;
}

/** Significance level for timing regressions; with fewer than 4 repetitions per side it cannot be reached. */
export const ALPHA = 0.05;
/** Floor of the timing tolerance: ratios of two apps on a shared machine move by this much in calm weather. */
export const MIN_TIMING_TOLERANCE = 0.1;

export const metricOf = (key: string): GatedMetric | undefined => GATED.find((m) => key.endsWith(`/${m.name}`));

/** Compares current repetitions with a baseline. See `metrics.ts` for how each kind is gated. */
export function compare(baseline: Baseline, current: Baseline): Comparison {
  const rows: ComparisonRow[] = [];
  const keys = new Set([...Object.keys(baseline.values), ...Object.keys(current.values)]);
  for (const key of [...keys].sort()) {
    const m = metricOf(key);
    if (!m || m.kind === "timing") continue;
    rows.push(
      m.kind === "cost"
        ? costRow(key, m, baseline.values[key], current.values[key])
        : correctnessRow(key, current.values[key]),
    );
  }
  const ratioKeys = new Set([...Object.keys(baseline.ratios), ...Object.keys(current.ratios)]);
  for (const key of [...ratioKeys].sort()) {
    const m = metricOf(key);
    if (m) rows.push(timingRow(`${key} (stateful/stateless)`, m, baseline.ratios[key], current.ratios[key]));
  }
  return { rows, passed: rows.every((r) => r.verdict !== "regressed" && r.verdict !== "failed") };
}

export function presence(
  key: string,
  kind: GatedMetric["kind"],
  base?: number[],
  cur?: number[],
): ComparisonRow | null {
  const b = base?.length ? median(base) : null;
  const c = cur?.length ? median(cur) : null;
  if (b !== null && c !== null) return null;
  const verdict: RowVerdict = b === null ? "new" : "missing";
  const why =
    b === null ? "not in the baseline; run with --update-baseline to gate it" : "measured in the baseline but not now";
  return { key, kind, baseline: b, current: c, change: null, tolerance: null, p: null, verdict, why };
}

export function costRow(key: string, m: GatedMetric, base?: number[], cur?: number[]): ComparisonRow {
  const gap = presence(key, "cost", base, cur);
  if (gap) return gap;
  const b = median(base as number[]);
  const c = median(cur as number[]);
  const tol = m.tolerance ?? { relative: 0.1, absolute: 0 };
  const allowed = Math.abs(b) * tol.relative + tol.absolute;
  const worse = m.better === "lower" ? c - b : b - c;
  const change = b === 0 ? null : (c - b) / Math.abs(b);
  const tolerance = b === 0 ? null : allowed / Math.abs(b);
  const base_ = { key, kind: m.kind, baseline: b, current: c, change, tolerance, p: null };
  if (worse > allowed)
    return {
      ...base_,
      verdict: "regressed",
      why: `worse by ${fmt(worse)} (allowed ${fmt(allowed)}): a real cost change`,
    };
  if (-worse > allowed)
    return { ...base_, verdict: "improved", why: "better beyond tolerance; consider --update-baseline" };
  return { ...base_, verdict: "ok", why: `within ±${fmt(allowed)}` };
}

export function correctnessRow(key: string, cur?: number[]): ComparisonRow {
  const worst = cur?.length ? Math.max(...cur) : null;
  const row = { key, kind: "correctness" as const, baseline: 0, current: worst, change: null, tolerance: 0, p: null };
  if (worst === null) return { ...row, verdict: "missing", why: "no audit result" };
  if (worst > 0)
    return { ...row, verdict: "failed", why: `${worst} in at least one repetition: correctness is gated strictly` };
  return { ...row, verdict: "ok", why: "none" };
}

export function timingRow(key: string, m: GatedMetric, base?: number[], cur?: number[]): ComparisonRow {
  const gap = presence(key, "timing", base, cur);
  if (gap) return gap;
  const b = median(base as number[]);
  const c = median(cur as number[]);
  const change = b === 0 ? 0 : (c - b) / Math.abs(b);
  // The tolerance comes from the measurements themselves: twice the observed spread, never below the floor.
  const tolerance = Math.max(
    MIN_TIMING_TOLERANCE,
    2 * relativeSpread(base as number[]),
    2 * relativeSpread(cur as number[]),
  );
  const p = mannWhitneyP(base as number[], cur as number[]);
  const worse = m.better === "lower" ? change : -change;
  const row = { key, kind: m.kind, baseline: b, current: c, change, tolerance, p };
  if (worse > tolerance && p < ALPHA)
    return {
      ...row,
      verdict: "regressed",
      why: `ratio moved ${pct(change)} (tolerance ${pct(tolerance)}, p=${p.toFixed(3)})`,
    };
  if (worse > tolerance)
    return {
      ...row,
      verdict: "inconclusive",
      why: `moved ${pct(change)} but not significant (p=${p.toFixed(3)}, n=${base?.length}+${cur?.length})`,
    };
  if (-worse > tolerance && p < ALPHA)
    return { ...row, verdict: "improved", why: `ratio moved ${pct(change)}, significant` };
  return { ...row, verdict: "ok", why: `within ±${(tolerance * 100).toFixed(1)}% of the baseline ratio` };
}

export const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));
export const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
