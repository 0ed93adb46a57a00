import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { promisify } from "node:util";
import type { RunEnvironment } from "../results/types.ts";

const run = promisify(execFile);

/** First line of a command's output, or null when the command is missing. */
async function firstLine(cmd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 5000 });
    return ((stdout || stderr).split("\n")[0] ?? "").trim() || null;
  } catch {
    return null;
  }
}

async function postgresVersion(): Promise<string | null> {
  const bin = await firstLine("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -1"]);
  return bin ? firstLine(bin, ["--version"]) : firstLine("postgres", ["--version"]);
}

async function git(): Promise<RunEnvironment["git"]> {
  const commit = await firstLine("git", ["rev-parse", "HEAD"]);
  const status = await firstLine("git", ["status", "--porcelain", "--untracked-files=no"]);
  return { commit, dirty: status !== null };
}

/** Records where and how a run happened, so that a reader can reproduce it. */
export async function captureEnvironment(runId: string, knobs: Record<string, unknown>): Promise<RunEnvironment> {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  const [pgV, redisV, haproxyV, gitInfo] = await Promise.all([
    postgresVersion(),
    firstLine("redis-server", ["--version"]),
    firstLine("haproxy", ["-v"]),
    git(),
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
