/**
 * `npm run bench:micro`: the unit costs behind the macro results (actor mailbox, in-memory booking, Redis Lua
 * claim, BullMQ enqueue, PostgreSQL single-row vs grouped inserts, the HAProxy hop), measured with tinybench for a
 * fixed time each, printed as a table and written to `results/micro-<timestamp>.json`.
 * Exit code 1 when a case or task failed, 2 on bad arguments.
 */
import { parseMicroArgs } from "./options.ts";
import { formatTable, writeReport } from "./report.ts";
import { runMicro } from "./run.ts";

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseMicroArgs>;
  try {
    opts = parseMicroArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const report = await runMicro(opts);
  const file = writeReport(opts.outDir, report);
  process.stdout.write(`${formatTable(report.rows)}\n\n`);
  for (const [id, facts] of Object.entries(report.facts)) {
    if (Object.keys(facts).length > 0) process.stdout.write(`${id}: ${JSON.stringify(facts)}\n`);
  }
  const { cores, loadAverageBefore: before, loadAverageAfter: load } = report.environment;
  if (Math.max(Number(before), Number(load)) > Number(cores)) {
    process.stdout.write(
      `\nnote: load average ${before} -> ${load} on ${cores} cores: other work shared the CPU, figures are noisy\n`,
    );
  }
  process.stdout.write(`\nwritten ${file}${report.quick ? " (quick mode: figures are not meaningful)" : ""}\n`);
  const failed = report.rows.filter((r) => r.error !== undefined);
  for (const r of failed) process.stderr.write(`FAILED ${r.case} / ${r.task}: ${r.error}\n`);
  return failed.length > 0 ? 1 : 0;
}

// An explicit exit: a driver library's idle socket must not keep a finished benchmark alive.
main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
