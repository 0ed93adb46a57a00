import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { parseBenchOptions } from "../bench/options.ts";
import { runBench } from "../bench/run.ts";
import type { RunSummary } from "../results/types.ts";
import { type Baseline, toBaseline } from "./baseline.ts";
import { compare } from "./compare.ts";
import { comparisonMarkdown } from "./markdown.ts";

const HELP = `statebench bench-ci [flags]   the performance-regression job (npm run bench:ci)

Runs the short "ci" profile (both apps x flash-sale and node-kill) --reps times, compares the gated metrics with
the committed baseline and prints a Markdown table. Exit 1 on a regression or a failed audit.

  --reps N               repetitions (default 4: the least that lets a rank test reach p < 0.05)
  --baseline FILE        default results/baseline/ci.json
  --update-baseline      accept this run as the new baseline (still fails on a failed audit)
  --markdown-out FILE    also write the table there (e.g. $GITHUB_STEP_SUMMARY)
  --scenario LIST        default flash-sale,node-kill`;

/** `statebench bench-ci`: run the ci profile, compare with the baseline, report what moved. */
export async function runBenchCiCli(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
  } catch (err) {
    console.error(`statebench bench-ci: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const reps = Number(values.reps ?? "4");
  if (!Number.isInteger(reps) || reps < 1 || reps > 20) {
    console.error(`statebench bench-ci: --reps: expected an integer 1..20, got "${values.reps}"`);
    return 2;
  }
  const baselinePath = values.baseline ?? "results/baseline/ci.json";
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const runs: RunSummary[] = [];
  for (let i = 1; i <= reps; i++) {
    const o = parseBenchOptions([
      "--profile",
      "ci",
      "--scenario",
      values.scenario ?? "flash-sale,node-kill",
      "--run-id",
      `ci-${stamp}-rep${i}`,
      "--no-report",
    ]);
    console.error(`bench-ci: repetition ${i}/${reps}`);
    const run = await runBench(o, (m) => console.error(m));
    runs.push(run.summary);
  }
  const current = toBaseline(runs);
  const auditFailed = runs.some((r) => r.results.some((x) => x.audit.valid === false) || r.skipped.length > 0);

  let markdown: string;
  let passed: boolean;
  if (values["update-baseline"] || !existsSync(baselinePath)) {
    const verb = existsSync(baselinePath) ? "updated" : "created";
    await mkdir(dirname(baselinePath), { recursive: true });
    await writeFile(baselinePath, `${JSON.stringify(current, null, 2)}\n`);
    const comparison = compare(current, current);
    markdown = `${comparisonMarkdown(comparison)}\nBaseline ${verb}: ${baselinePath} (${reps} repetitions).\n`;
    passed = comparison.passed;
  } else {
    const baseline = JSON.parse(await readFile(baselinePath, "utf8")) as Baseline;
    const comparison = compare(baseline, current);
    markdown = `${comparisonMarkdown(comparison)}\nBaseline: ${baselinePath} (${baseline.repetitions} repetitions on ${baseline.machine.cpu}, ${baseline.createdAt}).\n`;
    passed = comparison.passed;
  }
  if (auditFailed) passed = false;
  console.log(markdown);
  await writeFile(join("results", `ci-${stamp}.md`), markdown).catch(() => undefined);
  if (values["markdown-out"]) await writeFile(values["markdown-out"], markdown);
  return passed ? 0 : 1;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      reps: { type: "string" },
      baseline: { type: "string" },
      "update-baseline": { type: "boolean" },
      "markdown-out": { type: "string" },
      scenario: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
}
