import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CliIo } from "./io.ts";
import { say } from "./io.ts";

/** A subcommand implemented in another part of the project. */
export interface DelegatedCommand {
  /** Module path relative to this folder, e.g. `../bench/cli.ts`. */
  module: string;
  /** Exported `(argv: string[]) => Promise<number>`. */
  exportName: string;
}

/** The subcommands other parts own. */
export const DELEGATED: Record<string, DelegatedCommand> = {
  bench: { module: "../bench/cli.ts", exportName: "runBenchCli" },
  report: { module: "../../reporter/cli.ts", exportName: "runReportCli" },
  "bench-ci": { module: "../regression/cli.ts", exportName: "runBenchCiCli" },
  "import-k6": { module: "../k6/import-cli.ts", exportName: "runImportK6Cli" },
};

/**
 * Imports the owning module only when the command runs, so a part that is not written yet affects only its own
 * command ("not built yet", exit 2) and never `up` or `--help`.
 */
export async function runDelegated(name: string, cmd: DelegatedCommand, argv: string[], io: CliIo): Promise<number> {
  const url = new URL(cmd.module, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    say(io.stderr, `statebench ${name}: not built yet (${fileURLToPath(url)} does not exist)`);
    return 2;
  }
  const mod = (await import(url.href)) as Record<string, unknown>;
  const run = mod[cmd.exportName];
  if (typeof run !== "function") {
    say(io.stderr, `statebench ${name}: not built yet (${cmd.module} does not export ${cmd.exportName})`);
    return 2;
  }
  return (await (run as (argv: string[]) => Promise<number>)(argv)) ?? 0;
}
