import type { AppRunSummary, MachineLoad } from "../harness/results/types.ts";
import { formatNumber, formatPercent, thresholdActual } from "./format.ts";
import type { ReportView } from "./view.ts";

/** A process at or above this share (in %) of its CPU limit was saturated: its numbers measure the ceiling. */
export const CPU_SATURATION_PCT = 95;

/**
 * Something the reader must know before trusting the numbers. `fail`: the run cannot be taken at face value (a
 * failed or crashed audit, a driver that fell behind, an app not benchmarked): exit code 1. `finding`: what an
 * app did under the load, which is a result, not a harness failure (it shed load, broke a scenario's threshold,
 * broke a `--threshold` the user set: exit code 99). `warn`: read the affected numbers with care.
 */
export interface Alert {
  level: "fail" | "finding" | "warn";
  /** "run-id · scenario · app", or the run id for run-level findings. */
  scope: string;
  message: string;
}

/** "the machine was busy: 38% of CPU used outside the stack (busiest: ...)", naming who used it. */
export function machineBusyMessage(m: MachineLoad): string {
  const who = m.busiest.map((p) => `${p.command} (pid ${p.pid}) ${formatNumber(p.cpuPercent)}% of a core`).join(", ");
  return (
    `the machine was busy: ${formatNumber(m.outsideCpuPercent)}% of CPU used outside the stack` +
    `${who ? ` (busiest: ${who})` : ""}: timings measured the apps and that load together; costs and the audit still hold`
  );
}

function resultAlerts(runId: string, r: AppRunSummary, multiRun: boolean): Alert[] {
  const scope = `${multiRun ? `${runId} · ` : ""}${r.scenario} · ${r.app}`;
  const out: Alert[] = [];
  // Summaries written before the machine was sampled have no `machine`.
  if (r.machine?.busy) out.push({ level: "warn", scope, message: machineBusyMessage(r.machine) });
  const a = r.audit;
  if (a.valid === false) {
    out.push({
      level: "fail",
      scope,
      message:
        `audit FAILED: ${a.lost} lost, ${a.doubleSold} double-sold, ${a.unexpected} unexpected of ` +
        `${a.acknowledged} acknowledged${a.notes[0] ? ` — ${a.notes[0]}` : ""}`,
    });
  } else if (a.valid === "unknown") {
    out.push({
      level: "fail",
      scope,
      message: `audit could not decide (checker failed)${a.notes[0] ? `: ${a.notes[0]}` : ""}`,
    });
  }
  for (const t of r.thresholds.filter((x) => !x.ok)) {
    // Summaries from before `setBy` did not tell; their thresholds are read as the user's, as they were.
    const whose = t.setBy === "scenario" ? "the scenario's" : "yours (exit code 99)";
    out.push({
      level: "finding",
      scope,
      message: `threshold broken: ${t.expr} (actual ${thresholdActual(t.expr, t.actual)}), ${whose}`,
    });
  }
  if (r.shed && r.shed.requests > 0) {
    out.push({
      level: "finding",
      scope,
      message:
        `overloaded: shed ${formatNumber(r.shed.requests)} requests with 503 (${formatPercent(r.shed.rate)} of answers); ` +
        `goodput ${formatNumber(r.goodputPerS ?? null)} answers/s`,
    });
  }
  if (r.unavailable && r.unavailable.requests > 0) {
    out.push({
      level: "finding",
      scope,
      message:
        `unavailable: ${formatNumber(r.unavailable.requests)} requests answered 503 unavailable ` +
        `(${formatPercent(r.unavailable.rate)} of answers): a shard moving during a failover or rebalance, or ` +
        "storage down; counted as errors, not as load shed",
    });
  }
  if (!r.driverHealth.keptSchedule) {
    out.push({
      level: "fail",
      scope,
      message:
        `driver could not keep its schedule (max lag ${formatNumber(r.driverHealth.maxLagMs)} ms, ` +
        `${r.journeys.dropped} journeys dropped): the offered load was lower than intended`,
    });
  }
  for (const f of r.faults.filter((x) => x.action.endsWith("-failed"))) {
    out.push({
      level: "fail",
      scope,
      message: `fault not injected at ${formatNumber(f.atS)} s (${f.detail}): the scenario did not test what it declares`,
    });
  }
  for (const [proc, pct] of Object.entries(r.cpu.maxPercentByProcess)) {
    // App nodes may run under a CPU quota (nodeCpu cores); everything else can use one core at most per process.
    const quota = proc.startsWith("node-") && typeof r.appConfig.nodeCpu === "number" ? r.appConfig.nodeCpu : 1;
    const limit = quota * 100;
    // The bench already words this warning for some processes; do not say it twice.
    const said = r.warnings.some((w) => w.startsWith(`${proc} hit`));
    if (!said && pct >= (CPU_SATURATION_PCT / 100) * limit) {
      out.push({
        level: "warn",
        scope,
        message: `${proc} hit ${formatNumber(pct)}% CPU (limit ${formatNumber(limit)}%): saturated, it may have been the bottleneck`,
      });
    }
  }
  for (const w of r.warnings) out.push({ level: "warn", scope, message: w });
  return out;
}

/** Every alert of the report, failures first, then findings, then warnings, in run then scenario order. */
export function collectAlerts(view: ReportView): Alert[] {
  const multi = view.runs.length > 1;
  const out: Alert[] = [];
  for (const run of view.runs) {
    const runId = run.environment.runId;
    for (const s of run.summary.skipped) {
      out.push({
        level: "fail",
        scope: `${multi ? `${runId} · ` : ""}${s.scenario} · ${s.app}`,
        message: `not benchmarked: failed verification (${s.reason})`,
      });
    }
    for (const r of run.summary.results) out.push(...resultAlerts(runId, r, multi));
    // The k6 half of `--driver both`: its audit and its drops matter as much as the embedded half's.
    for (const r of run.summary.agreement ?? [])
      out.push(...resultAlerts(runId, r, multi).map((a) => ({ ...a, scope: `${a.scope} (k6)` })));
    for (const w of run.summary.warnings) out.push({ level: "warn", scope: runId, message: w });
    for (const p of run.problems) out.push({ level: "warn", scope: runId, message: p });
  }
  return (["fail", "finding", "warn"] as const).flatMap((level) => out.filter((a) => a.level === level));
}
