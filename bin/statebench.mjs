#!/usr/bin/env node
// The `statebench` command. TypeScript runs through tsx (no build step), so a fresh clone works after setup.
import { register } from "tsx/esm/api";

register();
// Stop with the job that started us: npx's and npm run's wrappers do not pass every signal on.
const { watchLaunchers } = await import("../harness/cli/launchers.ts");
watchLaunchers();
const { main } = await import("../harness/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
