import { BENCH_HELP, parseBenchOptions } from "./options.ts";
import { exitCodeOf, runBench, runVerdict } from "./run.ts";
import { resultTable } from "./table.ts";

/** A live progress line: rewritten in place on a terminal, one line every 5 s in logs. */
function progressPrinter(): (line: string) => void {
  let last = 0;
  return (line) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    else if (Date.now() - last >= 5000) {
      last = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
}

/**
 * `statebench bench`: runs the comparison, prints the table, writes the report. Exit code 1 for an
 * untrustworthy run, 99 for a broken `--threshold` (k6's convention), 2 for a usage error; overload is a finding.
 */
export async function runBenchCli(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(BENCH_HELP);
    return 0;
  }
  let options: ReturnType<typeof parseBenchOptions>;
  try {
    options = parseBenchOptions(argv);
  } catch (err) {
    console.error(`statebench bench: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (options.hosts === "netns") {
    const { netnsSupport } = await import("../infra/index.ts");
    const ok = netnsSupport();
    if (!ok.ok) {
      console.error(`statebench bench --hosts netns: ${ok.reason}`);
      return 2;
    }
  }
  if (options.driver === "k6" || options.agreement) {
    const { findK6 } = await import("../k6/index.ts");
    try {
      findK6();
    } catch (err) {
      console.error(`statebench bench --driver k6: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
  }
  const started = Date.now();
  const log = (m: string) => process.stderr.write(`${process.stderr.isTTY ? "\r\x1b[2K" : ""}${m}\n`);
  let run: Awaited<ReturnType<typeof runBench>>;
  try {
    run = await runBench(options, log, progressPrinter());
  } catch (err) {
    console.error(`statebench bench: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  console.log(`\n${resultTable(run.summary.results)}\n`);
  if (options.report) {
    const { writeReport } = await import("../../reporter/index.ts");
    const files = await writeReport(run.dir, { rttMs: options.rttMs });
    console.log(`report: ${files.html}\nsummary: ${files.markdown}`);
  }
  console.log(`results: ${run.dir} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const r of run.summary.results) {
    const m = r.machine;
    if (m?.busy) {
      const who = m.busiest.map((p) => `${p.command.split(" ")[0]} (pid ${p.pid}) ${p.cpuPercent}%`).join(", ");
      console.error(
        `NOTE ${r.scenario}/${r.app}: the machine was busy: ${m.outsideCpuPercent}% of CPU used outside the stack (${who}); compare its timings with care`,
      );
    }
  }
  const verdict = runVerdict(run.summary);
  for (const f of verdict.findings) console.error(`FINDING ${f}`);
  for (const p of verdict.untrustworthy) console.error(`PROBLEM ${p}`);
  for (const t of verdict.thresholds) console.error(`THRESHOLD ${t}`);
  return exitCodeOf(verdict);
}
