import { runReportCli } from "./cli.ts";
process.exitCode = await runReportCli(process.argv.slice(2));
