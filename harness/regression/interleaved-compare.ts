import type { AppRunSummary, RunSummary } from "../results/types.ts";
import { BUSY_OUTSIDE_PERCENT } from "../samplers/machine.ts";
import { type AcceptedChange, acceptedFor } from "./accepted.ts";
import {
  type Comparison,
  type ComparisonRow,
  correctnessRow,
  costRow,
  fmt,
  metricOf,
  presence,
  timingRow,
} from "./compare.ts";
import { GATED } from "./metrics.ts";
import { median } from "./stats.ts";

/** One repetition of one commit: its summary (null when its harness failed) and the outside load of each window. */
export interface Repetition {
  summary: RunSummary | null;
  /** Outside CPU in % of the machine per `<scenario>/<app>` window (null: not measured). */
  outsidePercent: Record<string, number | null>;
}

export interface InterleavedOptions {
  baselineCommit: string;
  accepted: AcceptedChange[];
  /** The commits define the ci scenarios differently: their timings are not comparable. */
  scenariosDiffer: boolean;
}

interface Value {
  v: number;
  clean: boolean;
}

/** Every gated value of one side, per `<scenario>/<app>/<metric>`, with whether its window was undisturbed. */
function collect(reps: Repetition[]): Map<string, Value[]> {
  const out = new Map<string, Value[]>();
  for (const rep of reps) {
    for (const r of rep.summary?.results ?? []) {
      const outside = rep.outsidePercent[`${r.scenario}/${r.app}`] ?? null;
      // Not measured counts as clean: the gate cannot call a machine busy without evidence.
      const clean = outside === null || outside <= BUSY_OUTSIDE_PERCENT;
      for (const m of GATED) {
        const v = m.read(r as AppRunSummary);
        if (v === null || !Number.isFinite(v)) continue;
        const key = `${r.scenario}/${r.app}/${m.name}`;
        out.set(key, [...(out.get(key) ?? []), { v, clean }]);
      }
    }
  }
  return out;
}

const values = (xs: Value[] | undefined, cleanOnly: boolean) =>
  (xs ?? []).filter((x) => !cleanOnly || x.clean).map((x) => x.v);

/**
 * Baseline and candidate measured interleaved on the same machine in the same job, each metric of each app
 * compared directly (no cross-app ratio needed: both commits ran under the same conditions). Correctness is
 * strict over every candidate repetition. Costs and timings use only repetitions whose window the machine did
 * not disturb (outside load <= 10%); when none are left, or a timing move is not significant, the row is
 * inconclusive, never a failure. A regression within an accepted change is `accepted`.
 */
export function compareInterleaved(base: Repetition[], cand: Repetition[], o: InterleavedOptions): Comparison {
  const b = collect(base);
  const c = collect(cand);
  const rows: ComparisonRow[] = [];
  for (const key of [...new Set([...b.keys(), ...c.keys()])].sort()) {
    const m = metricOf(key);
    if (!m) continue;
    if (m.kind === "correctness") {
      rows.push(correctnessRow(key, values(c.get(key), false)));
      continue;
    }
    const gap = presence(key, m.kind, values(b.get(key), false), values(c.get(key), false));
    if (gap) {
      rows.push(gap);
      continue;
    }
    const bClean = values(b.get(key), true);
    const cClean = values(c.get(key), true);
    const n: [number, number] = [bClean.length, cClean.length];
    if (bClean.length === 0 || cClean.length === 0) {
      const all = m.kind === "cost" ? costRow(key, m, values(b.get(key), false), values(c.get(key), false)) : null;
      rows.push({
        ...(all ?? timingRow(key, m, values(b.get(key), false), values(c.get(key), false))),
        verdict: "inconclusive",
        why: `the machine was busy (> ${BUSY_OUTSIDE_PERCENT}% outside load) in every ${bClean.length === 0 ? "baseline" : "candidate"} repetition`,
        n,
      });
      continue;
    }
    let row = m.kind === "cost" ? costRow(key, m, bClean, cClean) : timingRow(key, m, bClean, cClean);
    if (m.kind === "timing" && o.scenariosDiffer && row.verdict === "regressed") {
      row = { ...row, verdict: "inconclusive", why: `${row.why}; but the commits define the ci scenarios differently` };
    }
    if (row.verdict === "regressed") row = accept(row, m.better, o);
    const left = n[0] < values(b.get(key), false).length || n[1] < values(c.get(key), false).length;
    rows.push(left ? { ...row, n } : row);
  }
  return { rows, passed: rows.every((r) => r.verdict !== "regressed" && r.verdict !== "failed") };
}

function accept(row: ComparisonRow, better: "lower" | "higher", o: InterleavedOptions): ComparisonRow {
  const entry = acceptedFor(o.accepted, o.baselineCommit, row.key);
  if (!entry || row.current === null) return row;
  const within = better === "lower" ? row.current <= entry.worstAccepted : row.current >= entry.worstAccepted;
  if (!within) return { ...row, why: `${row.why}; beyond the accepted ${fmt(entry.worstAccepted)} (${entry.why})` };
  return {
    ...row,
    verdict: "accepted",
    why: `accepted up to ${fmt(entry.worstAccepted)}: ${entry.why} (${entry.reviewed})`,
  };
}

/** Medians per side for the header line of a metric, for logs. */
export function sideMedian(reps: Repetition[], key: string): number | null {
  const xs = values(collect(reps).get(key), false);
  return xs.length > 0 ? median(xs) : null;
}
