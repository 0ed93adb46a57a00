import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ on Linux: /proc counts CPU time in these ticks. */
export const CLOCK_TICKS = 100;

/** One process as /proc/<pid>/stat describes it. CPU times are in seconds. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** Process group: a shell's job (a command line and every wrapper it runs) shares one. */
  pgrp: number;
  /** The command name (at most 15 characters), e.g. "postgres", "node". */
  comm: string;
  /** R, S, D, Z (zombie), T ... */
  state: string;
  /** utime + stime of the process (all its threads). */
  cpuS: number;
  /** The kernel's part of `cpuS` (stime: system calls, socket writes, page faults). */
  sysS: number;
  /** cutime + cstime: the CPU of children it has waited for. */
  childrenCpuS: number;
  /** Start time in clock ticks since boot: with the pid, it names a process (pids are reused). */
  startTicks: number;
  rssMb: number;
}

/** Parses /proc/<pid>/stat. The command name is in parentheses and may contain spaces and parentheses. */
export function parseStat(pid: number, text: string): ProcStat {
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const f = text.slice(close + 2).split(" ");
  const n = (i: number) => Number(f[i]);
  return {
    pid,
    state: f[0] ?? "?",
    ppid: n(1),
    pgrp: n(2),
    comm,
    cpuS: (n(11) + n(12)) / CLOCK_TICKS,
    sysS: n(12) / CLOCK_TICKS,
    childrenCpuS: (n(13) + n(14)) / CLOCK_TICKS,
    startTicks: n(19),
    rssMb: (n(21) * 4096) / 1024 / 1024,
  };
}

/** Reads one process now (synchronously: the read happens exactly when the caller timestamps it). */
export function readStatSync(pid: number): ProcStat | undefined {
  try {
    return parseStat(pid, readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Every process of the machine, for who-is-who. Read synchronously in slices of 64 files, one slice per turn of
 * the event loop: an asynchronous readFile is four thread-pool round trips, each completion a wake-up of the
 * loop the driver shares (on this VM a wake-up costs more CPU than a request), and a slice blocks it for well
 * under a millisecond.
 */
export async function scanProcesses(): Promise<Map<number, ProcStat>> {
  const out = new Map<number, ProcStat>();
  let names: string[];
  try {
    names = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (let i = 0; i < names.length; i += 64) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const name of names.slice(i, i + 64)) {
      const pid = Number(name);
      try {
        out.set(pid, parseStat(pid, readFileSync(`/proc/${name}/stat`, "utf8")));
      } catch {
        // The process exited between readdir and readFile.
      }
    }
  }
  return out;
}

/**
 * The direct children of a process, from /proc/<pid>/task/<tid>/children (each thread lists the children it
 * forked). Undefined where the kernel does not provide those files.
 */
export function childrenOf(pid: number): number[] | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && tid === String(pid)) return undefined;
      continue;
    }
    for (const c of text.split(" ")) if (c.trim() !== "") out.push(Number(c));
  }
  return out;
}

/** A process and all its descendants, from the children files, or from a scan where those are missing. */
export function descendantsOf(root: number, scan?: Map<number, ProcStat>): number[] {
  const out = [root];
  const byParent = scan ? parentIndex(scan) : undefined;
  for (let i = 0; i < out.length; i++) {
    const pid = out[i] as number;
    for (const c of (byParent ? byParent.get(pid) : childrenOf(pid)) ?? []) out.push(c);
  }
  return out;
}

function parentIndex(scan: Map<number, ProcStat>): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const p of scan.values()) {
    const list = map.get(p.ppid) ?? [];
    list.push(p.pid);
    map.set(p.ppid, list);
  }
  return map;
}

/** True where this kernel lists children per task (CONFIG_PROC_CHILDREN); else trees need a full scan. */
export const HAS_CHILDREN_FILES = childrenOf(process.pid) !== undefined;

/**
 * CPU seconds of a process and all its descendants, alive or exited-and-reaped (for a PostgreSQL postmaster:
 * every backend that ever ran), so the figure only grows while the root lives. Undefined once the root exited.
 */
export function processTreeCpuS(pid: number): number | undefined {
  const root = readStatSync(pid);
  if (root === undefined) return undefined;
  let cpu = root.cpuS + root.childrenCpuS;
  for (const child of descendantsOf(pid).slice(1)) {
    // A live descendant's own reaped children count in its cutime.
    const stat = readStatSync(child);
    if (stat) cpu += stat.cpuS + stat.childrenCpuS;
  }
  return cpu;
}
