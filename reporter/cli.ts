import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseRttMs } from "../harness/round-trips/model.ts";
import { buildReportHtml } from "./html/index.ts";
import { loadRun, RunLoadError } from "./load.ts";
import { buildViewMarkdown } from "./markdown.ts";
import { compareView, type ReportView, singleRunView } from "./view.ts";

export const USAGE = `usage:
  statebench report <run-dir>                                writes <run-dir>/report.html and <run-dir>/summary.md
  statebench report --compare <runA> <runB> [--out <dir>]    compares two runs (A = before, B = after); writes to
                                                             --out (default <runB>/compare-<runA name>)
  --rtt-ms MS   the round-trip time the round-trips section projects latencies to, as a model (default: the
                run's --rtt-ms, else 0.5)`;

/** Report options. */
export interface ReportOptions {
  /** Round-trip time of the latency projection (default: the run's `--rtt-ms`, else 0.5 ms). */
  rttMs?: number;
}

/** Where a report was written. */
export interface WrittenReport {
  html: string;
  markdown: string;
}

function write(view: ReportView, outDir: string, opts: ReportOptions): WrittenReport {
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, "report.html");
  const markdown = join(outDir, "summary.md");
  writeFileSync(html, buildReportHtml(view, opts));
  writeFileSync(markdown, buildViewMarkdown(view, opts));
  return { html, markdown };
}

/** Writes `<runDir>/report.html` and `<runDir>/summary.md` for a finished run (the bench calls this at its end). */
export async function writeReport(runDir: string, opts: ReportOptions = {}): Promise<WrittenReport> {
  return write(singleRunView(loadRun(runDir)), resolve(runDir), opts);
}

/** Writes the before/after comparison of two runs into `outDir`. */
export async function writeCompareReport(
  runA: string,
  runB: string,
  outDir?: string,
  opts: ReportOptions = {},
): Promise<WrittenReport> {
  const a = loadRun(runA);
  const b = loadRun(runB);
  return write(compareView(a, b), resolve(outDir ?? join(runB, `compare-${basename(resolve(runA))}`)), opts);
}

class UsageError extends Error {}

interface Args {
  compare: [string, string] | null;
  runDir: string | null;
  out: string | null;
  rttMs: number | undefined;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { compare: null, runDir: null, out: null, rttMs: undefined, help: false };
  const rest = argv[0] === "report" ? argv.slice(1) : [...argv];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--compare") {
      const x = rest[i + 1];
      const y = rest[i + 2];
      if (!x || !y || x.startsWith("--") || y.startsWith("--")) {
        throw new UsageError("--compare needs two run folders: --compare <runA> <runB>");
      }
      args.compare = [x, y];
      i += 2;
    } else if (a === "--out") {
      const x = rest[i + 1];
      if (!x || x.startsWith("--")) throw new UsageError("--out needs a folder: --out <dir>");
      args.out = x;
      i += 1;
    } else if (a === "--rtt-ms") {
      try {
        // A missing value must not fall back to the default silently.
        args.rttMs = parseRttMs(rest[i + 1]?.startsWith("--") ? "" : (rest[i + 1] ?? ""));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      i += 1;
    } else if (a.startsWith("--")) throw new UsageError(`unknown flag ${a}`);
    else positional.push(a);
  }
  if (args.help) return args;
  if (args.compare) {
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]} with --compare`);
  } else {
    if (positional.length === 0) throw new UsageError("missing <run-dir> argument (a folder under results/)");
    if (positional.length > 1)
      throw new UsageError(`one <run-dir> expected, got ${positional.length}: ${positional.join(" ")}`);
    if (args.out) throw new UsageError("--out applies to --compare only; a run's report is written into <run-dir>");
    args.runDir = positional[0] as string;
  }
  return args;
}

/**
 * `statebench report ...`: returns the exit code (0 written, 1 a run folder could not be read, 2 bad usage).
 * Accepts argv with or without the leading "report".
 */
export async function runReportCli(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`statebench report: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const written = args.compare
      ? await writeCompareReport(args.compare[0], args.compare[1], args.out ?? undefined, { rttMs: args.rttMs })
      : await writeReport(args.runDir as string, { rttMs: args.rttMs });
    process.stdout.write(`report: ${written.html}\nsummary: ${written.markdown}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof RunLoadError)) throw err;
    process.stderr.write(`statebench report: ${err.message}\n`);
    return 1;
  }
}
