#!/usr/bin/env node
// The `statebench` command. TypeScript runs through tsx (no build step), so a fresh clone works after setup.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../harness/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
