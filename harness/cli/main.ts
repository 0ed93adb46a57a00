import { readFileSync } from "node:fs";
import { DELEGATED, runDelegated } from "./delegate.ts";
import { MAIN_HELP } from "./help.ts";
import { type CliIo, processIo, say } from "./io.ts";
import { runUp } from "./up.ts";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * The `statebench` command (bin/statebench.mjs calls it). Returns the exit code: 0 ok, 1 failure (for `bench`:
 * an untrustworthy run), 99 a broken `--threshold` (`bench`, k6's convention), 2 usage error or a command that is
 * not built yet.
 * @example process.exitCode = await main(["up", "--app", "stateful", "--nodes", "3"]);
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(MAIN_HELP);
    return 2;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(MAIN_HELP);
    return 0;
  }
  if (command === "--version" || command === "-v") {
    say(io.stdout, version());
    return 0;
  }
  if (command === "up") return runUp(rest, io);
  const delegated = DELEGATED[command];
  if (delegated) return runDelegated(command, delegated, rest, io);
  const what = command.startsWith("-") ? `unknown flag "${command}"` : `unknown command "${command}"`;
  say(io.stderr, `statebench: ${what}. Commands: up, bench, report, bench-ci, import-k6. Run "statebench --help".`);
  return 2;
}
