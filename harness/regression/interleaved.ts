import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { gitState } from "../bench/environment.ts";
import { ACCEPTED_FILE, loadAccepted, staleAccepted } from "./accepted.ts";
import type { Comparison } from "./compare.ts";
import { driverName, runSide, type SideResult } from "./interleave.ts";
import { compareInterleaved } from "./interleaved-compare.ts";
import { comparisonMarkdown } from "./markdown.ts";
import { baselineWorktree } from "./worktree.ts";

export interface InterleavedJob {
  /** The candidate checkout (this one). */
  root: string;
  /** Full hash of the baseline commit. */
  baselineCommit: string;
  /** Where the baseline commit was named (for the report). */
  baselineSource: string;
  /** Pairs of runs (one baseline and one candidate run each). */
  pairs: number;
  scenarios: string;
  stamp: string;
  keepWorktree: boolean;
  log: (m: string) => void;
}

type Side = "baseline" | "candidate";

const definitions = (runs: SideResult[]) =>
  JSON.stringify(runs.find((r) => r.summary)?.summary?.environment.knobs?.scenarioDefinitions ?? null);

/**
 * Relative continuous benchmarking (benchstat, Bencher): the baseline commit and the candidate, each with its
 * own harness, run alternately on this machine in this job (pair i runs baseline then candidate for odd i,
 * candidate then baseline for even i, so a drift of the machine over the job loads both alike), then every gated
 * metric is compared between the two sets of repetitions.
 */
export async function runInterleaved(job: InterleavedJob): Promise<{ markdown: string; passed: boolean }> {
  const started = Date.now();
  const head = await gitState(job.root);
  const accepted = loadAccepted(join(job.root, ACCEPTED_FILE));
  job.log(
    `bench-ci: baseline ${job.baselineCommit.slice(0, 12)} (${job.baselineSource}) vs candidate ${head.commit?.slice(0, 12) ?? "?"}${head.dirty ? " with uncommitted changes" : ""}`,
  );
  const worktree = await baselineWorktree(job.root, job.baselineCommit, job.log);
  const outDir = resolve(job.root, "results", `ci-${job.stamp}`);
  const runs: Record<Side, SideResult[]> = { baseline: [], candidate: [] };
  try {
    for (let i = 1; i <= job.pairs; i++) {
      const order: Side[] = i % 2 === 1 ? ["baseline", "candidate"] : ["candidate", "baseline"];
      for (const side of order) {
        const dir = side === "baseline" ? worktree.dir : job.root;
        job.log(
          `bench-ci: pair ${i}/${job.pairs}: ${side} (${((Date.now() - started) / 60_000).toFixed(1)} min so far)`,
        );
        const r = await runSide({ dir, runId: `${side}-${i}`, outDir, scenarios: job.scenarios });
        runs[side].push(r);
        const outside = Object.entries(r.outsidePercent).map(([k, v]) => `${k} ${v ?? "?"}%`);
        job.log(
          `bench-ci:   ${side}-${i}: ${r.error ?? "done"} in ${r.wallS.toFixed(0)} s; outside load ${outside.join(", ") || "—"}`,
        );
      }
    }
  } finally {
    if (!job.keepWorktree) await worktree.remove();
  }
  const scenariosDiffer = definitions(runs.baseline) !== definitions(runs.candidate);
  const comparison = compareInterleaved(runs.baseline, runs.candidate, {
    baselineCommit: job.baselineCommit,
    accepted,
    scenariosDiffer,
  });
  const problems = candidateProblems(runs.candidate);
  const markdown = report(job, head, comparison, runs, {
    scenariosDiffer,
    problems,
    install: worktree.install,
    stale: staleAccepted(accepted, job.baselineCommit).map((a) => `${a.metric} (baseline ${a.baseline})`),
    minutes: (Date.now() - started) / 60_000,
  });
  writeFileSync(join(outDir, "comparison.md"), markdown);
  return { markdown, passed: comparison.passed && problems.length === 0 };
}

/** What fails the candidate whatever the timings: a harness that crashed, an app not benchmarked, a failed audit. */
function candidateProblems(runs: SideResult[]): string[] {
  const out: string[] = [];
  runs.forEach((r, i) => {
    if (!r.summary) out.push(`candidate-${i + 1}: ${r.error} (log: ${r.logFile})`);
    for (const k of r.summary?.skipped ?? [])
      out.push(`candidate-${i + 1}: ${k.scenario}/${k.app} not benchmarked: ${k.reason}`);
    for (const x of r.summary?.results ?? [])
      if (x.audit.valid !== true)
        out.push(
          `candidate-${i + 1}: ${x.scenario}/${x.app} audit ${x.audit.valid === false ? "FAILED" : "undecided"}: ${x.audit.notes.join("; ")}`,
        );
  });
  return out;
}

function report(
  job: InterleavedJob,
  head: { commit: string | null; dirty: boolean },
  c: Comparison,
  runs: Record<Side, SideResult[]>,
  n: { scenariosDiffer: boolean; problems: string[]; install: string; stale: string[]; minutes: number },
): string {
  const windows = [
    ...new Set([...runs.baseline, ...runs.candidate].flatMap((r) => Object.keys(r.outsidePercent))),
  ].sort();
  const drivers = (side: Side) =>
    [...new Set(runs[side].flatMap((r) => r.summary?.results.map(driverName) ?? []))].join(", ") || "?";
  const lines = [
    comparisonMarkdown(c).trimEnd(),
    "",
    `Interleaved on this machine (${cpus()[0]?.model ?? "?"}, ${cpus().length} cores), ${job.pairs} pairs in ` +
      `${n.minutes.toFixed(1)} min: baseline \`${job.baselineCommit.slice(0, 12)}\` (${job.baselineSource}; ` +
      `dependencies by ${n.install}; driver ${drivers("baseline")}) vs candidate \`${head.commit?.slice(0, 12) ?? "?"}\`` +
      `${head.dirty ? " with uncommitted changes" : ""} (driver ${drivers("candidate")}). Costs and timings use ` +
      "only windows with at most 10% of the machine's CPU used outside the benchmark; correctness uses every run.",
    "",
    `| run | ${windows.join(" | ")} |`,
    `|---|${windows.map(() => "---:").join("|")}|`,
  ];
  for (const side of ["baseline", "candidate"] as Side[]) {
    runs[side].forEach((r, i) => {
      const cells = windows.map((w) => {
        const v = r.outsidePercent[w];
        return v === undefined || v === null ? "—" : v > 10 ? `**${v}% busy**` : `${v}%`;
      });
      lines.push(`| ${side}-${i + 1} outside load | ${cells.join(" | ")} |`);
    });
  }
  if (n.scenariosDiffer)
    lines.push("", "The two commits define the ci scenarios differently: timing regressions are inconclusive.");
  if (n.problems.length > 0) lines.push("", "**Candidate problems:**", ...n.problems.map((p) => `- ${p}`));
  for (const [i, r] of runs.baseline.entries())
    if (!r.summary) lines.push("", `Baseline run ${i + 1} gave no summary (${r.error}; log: ${r.logFile}).`);
  if (n.stale.length > 0)
    lines.push("", `Stale entries in ${ACCEPTED_FILE} (another baseline; remove them): ${n.stale.join(", ")}.`);
  return `${lines.join("\n")}\n`;
}
