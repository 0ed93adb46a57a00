import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A CPU quota group one process is placed in. `remove()` is idempotent and never throws. */
export interface CpuGroup {
  /** The cgroup folder, e.g. /sys/fs/cgroup/cpu/statebench-ab12-node-1. */
  path: string;
  version: 1 | 2;
  cores: number;
  /** Moves a process into the group (its future children follow). */
  add(pid: number): void;
  remove(): void;
}

const PERIOD_US = 100_000;
const V1_ROOT = "/sys/fs/cgroup/cpu";
const V2_ROOT = "/sys/fs/cgroup";

/**
 * Creates a cgroup limiting its processes to `cores` CPUs (cgroup v1 `cpu.cfs_quota_us`, or v2 `cpu.max`), so
 * one machine can emulate nodes of a given size. Throws when neither is available or writable; the caller
 * decides whether that is fatal (the stack logs a warning and runs unlimited).
 */
export function createCpuGroup(name: string, cores: number): CpuGroup {
  if (!(cores > 0)) throw new Error(`CPU quota must be > 0 cores, got ${cores}`);
  const quota = Math.max(1000, Math.round(cores * PERIOD_US));
  let version: 1 | 2;
  let path: string;
  if (existsSync(join(V1_ROOT, "cpu.cfs_quota_us"))) {
    version = 1;
    path = join(V1_ROOT, name);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, "cpu.cfs_period_us"), String(PERIOD_US));
    writeFileSync(join(path, "cpu.cfs_quota_us"), String(quota));
  } else if (existsSync(join(V2_ROOT, "cgroup.controllers"))) {
    version = 2;
    const controllers = readFileSync(join(V2_ROOT, "cgroup.subtree_control"), "utf8");
    if (!controllers.split(/\s+/).includes("cpu")) writeFileSync(join(V2_ROOT, "cgroup.subtree_control"), "+cpu");
    path = join(V2_ROOT, name);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, "cpu.max"), `${quota} ${PERIOD_US}`);
  } else {
    throw new Error("no cgroup cpu controller found (neither v1 cpu.cfs_quota_us nor v2 cpu.max)");
  }
  let removed = false;
  return {
    path,
    version,
    cores,
    add(pid) {
      writeFileSync(join(path, "cgroup.procs"), String(pid));
    },
    remove() {
      if (removed) return;
      removed = true;
      try {
        rmdirSync(path);
      } catch {
        // still has a process (it should have exited) or already gone: leave it rather than fail a stop
      }
    },
  };
}

/** Reads a group's quota back as cores (for tests and the run environment record). */
export function readCpuQuota(group: CpuGroup): number {
  if (group.version === 1) {
    const quota = Number(readFileSync(join(group.path, "cpu.cfs_quota_us"), "utf8"));
    const period = Number(readFileSync(join(group.path, "cpu.cfs_period_us"), "utf8"));
    return quota / period;
  }
  const [quota, period] = readFileSync(join(group.path, "cpu.max"), "utf8").trim().split(" ");
  return Number(quota) / Number(period);
}
