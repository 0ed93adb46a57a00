#!/usr/bin/env node
// Runs every `*.test.ts` under the project's source folders with Node's test runner (through tsx).
// Node 20's `--test` does not expand globs, so the files are listed here. Pass paths or substrings to filter:
//   node scripts/run-tests.mjs contract stateless-app
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const folders = [
  "contract",
  "harness",
  "stateless-app",
  "stateful-app",
  "scenarios",
  "reporter",
  "bench",
  "test",
  "deploy",
];
const skip = new Set(["node_modules", "results", "k6"]);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = folders
  .flatMap((f) => walk(join(root, f), []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${filters.join(" ")}`);
  process.exit(1);
}
// One file at a time: the integration tests start their own PostgreSQL/Redis and measure processes on 2 cores.
const concurrency = process.env.TEST_CONCURRENCY ?? "1";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
