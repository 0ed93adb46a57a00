import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where `.ci/run` finds the commit it compares against: the last accepted landing on main. */
export const BASELINE_COMMIT_FILE = ".ci/baseline-commit";

async function git(root: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** The revision named in `.ci/baseline-commit`: its first line that is not blank or a `#` comment. */
export function readBaselineCommitFile(root: string): string | null {
  const path = join(root, BASELINE_COMMIT_FILE);
  if (!existsSync(path)) return null;
  const line = readFileSync(path, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !l.startsWith("#"));
  return line ?? null;
}

/**
 * The full hash of a revision. A shallow clone (CI's default depth 1) lacks the baseline: fetch that one commit
 * from origin. Null when it cannot be had.
 */
export async function resolveCommit(root: string, rev: string, log: (m: string) => void): Promise<string | null> {
  const verify = () => git(root, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`).catch(() => null);
  const found = await verify();
  if (found) return found;
  log(`bench-ci: ${rev} is not in this clone; fetching it from origin`);
  await git(root, "fetch", "--quiet", "--no-tags", "--depth=1", "origin", rev).catch((err: Error) =>
    log(`bench-ci: git fetch origin ${rev} failed: ${err.message.split("\n")[0]}`),
  );
  return verify();
}

export interface Worktree {
  dir: string;
  commit: string;
  /** How its dependencies were installed ("npm ci", or "npm install" for an old, incomplete lockfile). */
  install: string;
  remove(): Promise<void>;
}

const lockHash = (dir: string) =>
  createHash("sha256")
    .update(readFileSync(join(dir, "package-lock.json")))
    .digest("hex");

/**
 * A checkout of `commit` beside this one (`git worktree`, under the system's temp folder) with its own
 * dependencies, so the baseline runs its own harness, apps and libraries. Reused when it already exists at that
 * commit with its dependencies installed.
 */
export async function baselineWorktree(root: string, commit: string, log: (m: string) => void): Promise<Worktree> {
  const dir = join(tmpdir(), `statebench-baseline-${commit.slice(0, 12)}`);
  const stamp = join(dir, "node_modules", ".statebench-baseline");
  const remove = async () => {
    await git(root, "worktree", "remove", "--force", dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await git(root, "worktree", "prune").catch(() => undefined);
  };
  if (existsSync(stamp) && (await git(dir, "rev-parse", "HEAD").catch(() => "")) === commit) {
    const [hash, install] = readFileSync(stamp, "utf8").split("\n");
    if (hash === lockHash(dir)) {
      log(`bench-ci: reusing the baseline checkout ${dir}`);
      return { dir, commit, install: install ?? "npm ci", remove };
    }
  }
  await remove();
  await git(root, "worktree", "add", "--quiet", "--detach", dir, commit);
  const npm = (cmd: string) =>
    run("npm", [cmd, "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"], {
      cwd: dir,
      timeout: 900_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  let install = "npm ci";
  try {
    await npm("ci");
  } catch (err) {
    // Lockfiles before 2026-12 lacked other platforms' optional packages, which `npm ci` refuses.
    log(
      `bench-ci: npm ci failed in the baseline (${String((err as { stderr?: string }).stderr ?? err).split("\n")[0]}); npm install instead`,
    );
    await npm("install");
    install = "npm install (its lockfile does not satisfy npm ci)";
  }
  // After the install: `npm install` may have rewritten the lockfile of this throwaway checkout.
  writeFileSync(stamp, `${lockHash(dir)}\n${install}\n`);
  return { dir, commit, install, remove };
}
