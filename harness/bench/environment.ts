import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { RunEnvironment } from "../results/types.ts";

const run = promisify(execFile);

/** The checkout the harness runs from (not the caller's cwd: `npx statebench` may run from anywhere). */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** First line of a command's output, or null when the command is missing. */
async function firstLine(cmd: string, args: string[], cwd?: string): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 5000, ...(cwd ? { cwd } : {}) });
    return ((stdout || stderr).split("\n")[0] ?? "").trim() || null;
  } catch {
    return null;
  }
}

async function postgresVersion(): Promise<string | null> {
  const bin = await firstLine("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -1"]);
  return bin ? firstLine(bin, ["--version"]) : firstLine("postgres", ["--version"]);
}

/**
 * The commit of the checkout, and whether what ran differs from it: a modified tracked file or an untracked one
 * that is not ignored (a new scenario file runs too). Ignored output (node_modules/, results/) does not count.
 */
export async function gitState(dir = ROOT): Promise<RunEnvironment["git"]> {
  const commit = await firstLine("git", ["rev-parse", "HEAD"], dir);
  if (commit === null) return { commit: null, dirty: false };
  const status = await firstLine("git", ["status", "--porcelain"], dir);
  return { commit, dirty: status !== null };
}

/** Records where and how a run happened, so that a reader can reproduce it. */
export async function captureEnvironment(runId: string, knobs: Record<string, unknown>): Promise<RunEnvironment> {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  const [pgV, redisV, haproxyV, gitInfo] = await Promise.all([
    postgresVersion(),
    firstLine("redis-server", ["--version"]),
    firstLine("haproxy", ["-v"]),
    gitState(),
  ]);
  const cpu = cpus();
  return {
    runId,
    startedAt: new Date().toISOString(),
    command: ["npm", "run", "bench", "--", ...process.argv.slice(3)],
    git: gitInfo,
    versions: { node: process.version, postgres: pgV, redis: redisV, haproxy: haproxyV, statebench: pkg.version },
    os: { platform: process.platform, release: release(), arch: process.arch },
    cpu: { model: cpu[0]?.model ?? "unknown", cores: cpu.length },
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    knobs,
  };
}
