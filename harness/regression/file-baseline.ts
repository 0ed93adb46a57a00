import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseBenchOptions } from "../bench/options.ts";
import { runBench } from "../bench/run.ts";
import type { RunSummary } from "../results/types.ts";
import { type Baseline, toBaseline } from "./baseline.ts";
import { type Comparison, compare } from "./compare.ts";
import { comparisonMarkdown } from "./markdown.ts";

/**
 * Busy repetitions (outside load over 10% in any window) are left out of costs and timings; what regressed
 * only with them, or with none left, is inconclusive. Correctness counts every repetition.
 */
export function compareSkippingBusy(baseline: Baseline, runs: RunSummary[]): Comparison {
  const all = compare(baseline, toBaseline(runs));
  const clean = runs.filter((r) => !r.results.some((x) => x.machine?.busy));
  if (clean.length === runs.length) return all;
  const quiet = clean.length > 0 ? compare(baseline, toBaseline(clean)) : null;
  const rows = all.rows.map((row) => {
    if (row.kind === "correctness") return row;
    const q = quiet?.rows.find((x) => x.key === row.key);
    if (q) return { ...q, n: [baseline.repetitions, clean.length] as [number, number] };
    return row.verdict === "regressed"
      ? { ...row, verdict: "inconclusive" as const, why: `${row.why}; but the machine was busy in every repetition` }
      : row;
  });
  return { rows, passed: rows.every((r) => r.verdict !== "regressed" && r.verdict !== "failed") };
}

/**
 * The regression job without history: the ci profile `reps` times in this process, compared with a committed
 * baseline file (`results/baseline/ci.json`) by the stateful/stateless ratio of each timing (both apps measured
 * in the same run, so machine speed cancels out) and by the cost and correctness metrics directly.
 */
export async function runAgainstFile(o: {
  reps: number;
  scenarios: string;
  baselinePath: string;
  update: boolean;
  stamp: string;
}): Promise<{ markdown: string; passed: boolean }> {
  const runs: RunSummary[] = [];
  for (let i = 1; i <= o.reps; i++) {
    const bench = parseBenchOptions([
      ...["--profile", "ci", "--scenario", o.scenarios],
      ...["--run-id", `ci-${o.stamp}-rep${i}`, "--no-report"],
    ]);
    console.error(`bench-ci: repetition ${i}/${o.reps}`);
    const run = await runBench(bench, (m) => console.error(m));
    runs.push(run.summary);
  }
  const current = toBaseline(runs);
  const auditFailed = runs.some((r) => r.results.some((x) => x.audit.valid === false) || r.skipped.length > 0);
  let markdown: string;
  let passed: boolean;
  if (o.update || !existsSync(o.baselinePath)) {
    const verb = existsSync(o.baselinePath) ? "updated" : "created";
    await mkdir(dirname(o.baselinePath), { recursive: true });
    await writeFile(o.baselinePath, `${JSON.stringify(current, null, 2)}\n`);
    const comparison = compare(current, current);
    markdown = `${comparisonMarkdown(comparison)}\nBaseline ${verb}: ${o.baselinePath} (${o.reps} repetitions).\n`;
    passed = comparison.passed;
  } else {
    const baseline = JSON.parse(await readFile(o.baselinePath, "utf8")) as Baseline;
    const comparison = compareSkippingBusy(baseline, runs);
    const busy = runs.filter((r) => r.results.some((x) => x.machine?.busy)).length;
    markdown =
      `${comparisonMarkdown(comparison)}\nBaseline: ${o.baselinePath} (${baseline.repetitions} repetitions on ` +
      `${baseline.machine.cpu}, ${baseline.createdAt}).${busy > 0 ? ` The machine was busy in ${busy} of ${o.reps} repetitions.` : ""}\n`;
    passed = comparison.passed;
  }
  return { markdown, passed: passed && !auditFailed };
}
