import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runAgainstFile } from "./file-baseline.ts";
import { runInterleaved } from "./interleaved.ts";
import { BASELINE_COMMIT_FILE, readBaselineCommitFile, resolveCommit } from "./worktree.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

const HELP = `statebench bench-ci [flags]   the performance-regression job (npm run bench:ci)

With history (the default when ${BASELINE_COMMIT_FILE} names a commit this clone has or can fetch): the baseline
commit, checked out beside this one with its own dependencies, and this checkout run the short "ci" profile
(both apps x flash-sale and node-kill) alternately on this machine, each with its own harness, --pairs times.
Costs and correctness are gated strictly, timings by a Mann-Whitney test on the repetitions with a tolerance
from their spread; windows where more than 10% of the machine's CPU went to other processes are left out of
costs and timings (a busy machine gives "inconclusive", never a failure). Intended changes are accepted in
.ci/accepted-changes.json. Without history: the ci profile --reps times against results/baseline/ci.json.
Prints a Markdown table; exit 1 on a regression, a failed audit or an app not benchmarked.

  --pairs N              interleaved pairs (default 5: one busy pair can be left out and a rank test still
                         reach p < 0.05)
  --baseline-commit REV  compare with this commit (default: the one in ${BASELINE_COMMIT_FILE})
  --keep-baseline        keep the baseline checkout (in the temp folder) for the next run
  --baseline FILE        compare with a baseline file instead (default results/baseline/ci.json)
  --reps N               repetitions against the file (default 4: the least that lets a rank test reach p < 0.05)
  --update-baseline      accept this run as the new baseline file (still fails on a failed audit)
  --markdown-out FILE    also write the table there (e.g. $GITHUB_STEP_SUMMARY)
  --scenario LIST        default flash-sale,node-kill`;

function count(flag: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? String(fallback));
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`--${flag}: expected an integer 1..20, got "${value}"`);
  return n;
}

/** `statebench bench-ci`: interleaved against the baseline commit, or against the committed baseline file. */
export async function runBenchCiCli(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>;
  let reps: number;
  let pairs: number;
  try {
    values = parse(argv);
    reps = count("reps", values.reps, 4);
    pairs = count("pairs", values.pairs, 5);
  } catch (err) {
    console.error(`statebench bench-ci: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const scenarios = values.scenario ?? "flash-sale,node-kill";
  const log = (m: string) => console.error(m);

  let result: { markdown: string; passed: boolean };
  const fileMode = values.baseline !== undefined || values["update-baseline"] === true;
  const rev = fileMode ? null : (values["baseline-commit"] ?? readBaselineCommitFile(ROOT));
  const commit = rev ? await resolveCommit(ROOT, rev, log) : null;
  const head = await resolveCommit(ROOT, "HEAD", () => {});
  if (commit && commit !== head) {
    result = await runInterleaved({
      root: ROOT,
      baselineCommit: commit,
      baselineSource: values["baseline-commit"] ? "--baseline-commit" : BASELINE_COMMIT_FILE,
      pairs,
      scenarios,
      stamp,
      keepWorktree: values["keep-baseline"] === true,
      log,
    });
  } else {
    const why = fileMode
      ? ""
      : rev === null
        ? `no ${BASELINE_COMMIT_FILE}: `
        : commit === null
          ? `baseline commit ${rev} is not available in this clone: `
          : `the baseline commit is this checkout's HEAD: `;
    if (why) log(`bench-ci: ${why}comparing with the committed baseline file instead`);
    result = await runAgainstFile({
      reps,
      scenarios,
      baselinePath: values.baseline ?? "results/baseline/ci.json",
      update: values["update-baseline"] === true,
      stamp,
    });
    if (why) result.markdown += `\n${why}compared with the baseline file, not interleaved with a baseline commit.\n`;
  }
  console.log(result.markdown);
  await writeFile(join(ROOT, "results", `ci-${stamp}.md`), result.markdown).catch(() => undefined);
  if (values["markdown-out"]) await writeFile(values["markdown-out"], result.markdown);
  return result.passed ? 0 : 1;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      reps: { type: "string" },
      pairs: { type: "string" },
      baseline: { type: "string" },
      "baseline-commit": { type: "string" },
      "keep-baseline": { type: "boolean" },
      "update-baseline": { type: "boolean" },
      "markdown-out": { type: "string" },
      scenario: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
}
