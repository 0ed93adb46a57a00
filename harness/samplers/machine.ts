import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { MachineLoad } from "../results/types.ts";
import { CLOCK_TICKS, descendantsOf, type ProcStat, readStatSync, scanProcesses } from "./proc.ts";
import type { Sample, Sampler } from "./types.ts";

/** Outside use of the machine above this share (in % of all cores) marks a run as disturbed. */
export const BUSY_OUTSIDE_PERCENT = 10;

/** CPU seconds an outside process used since the sampler started. */
export interface OutsideUse {
  pid: number;
  command: string;
  cpuS: number;
}

export interface MachineSampler extends Sampler {
  /** Cumulative CPU per outside process (keyed pid@start) so far: take one at each edge of a window, subtract. */
  outsideUse(): Map<string, OutsideUse>;
}

interface MachineTicks {
  /** user + nice + system + irq + softirq, seconds summed over cores. */
  busyS: number;
  stealS: number;
}

/** The machine's CPU counters from the `cpu` line of /proc/stat (guest time is already inside user). */
export function readMachineTicks(text = readFileSync("/proc/stat", "utf8")): MachineTicks {
  const line = text.split("\n").find((l) => l.startsWith("cpu ")) ?? "";
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busyS: (user + nice + system + irq + softirq) / CLOCK_TICKS, stealS: steal / CLOCK_TICKS };
}

const procKey = (p: Pick<ProcStat, "pid" | "startTicks">) => `${p.pid}@${p.startTicks}`;

function commandLine(pid: number, comm: string): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return argv.length > 0 ? argv.join(" ").slice(0, 100) : comm;
  } catch {
    return comm;
  }
}

/**
 * Machine-wide CPU minus the stack's: the work of processes that are not part of the run. `stackRoots` are the
 * run's processes (the harness itself, so the driver and everything it started, plus the stack's servers); each
 * counts with all its descendants.
 *
 * Counters (CPU seconds, so their rates are cores): `machine.busy`, `machine.steal`, `machine.stack` and
 * `cpu.outside` (busy minus stack, never below zero per tick; in the CPU chart as "outside"). The machine's and
 * the stack's counters are read back to back, synchronously, and timestamped together. Outside processes are
 * also accounted one by one (from an asynchronous scan, accurate over a window, not per second) so a report can
 * name them.
 */
export function machineSampler(stackRoots: () => number[], cores = availableParallelism()): MachineSampler {
  let last: { busyS: number; uptimeTicks: number; stack: Map<string, number> } | undefined;
  let stackS = 0;
  let outsideS = 0;
  let seen = new Map<string, number>();
  const outside = new Map<string, OutsideUse>();
  return {
    name: "machine",
    async sample(): Promise<Sample> {
      const scan = await scanProcesses();
      const roots = stackRoots();
      const members = new Set<number>();
      for (const root of roots) for (const pid of descendantsOf(root, scan)) members.add(pid);

      // The timed part: the machine and every stack process, back to back.
      const machine = readMachineTicks();
      const uptimeTicks = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * CLOCK_TICKS;
      const stack = new Map<string, number>();
      let stackDelta = 0;
      for (const pid of members) {
        const s = readStatSync(pid);
        if (!s || s.state === "Z") continue;
        const key = procKey(s);
        stack.set(key, s.cpuS);
        const before = last?.stack.get(key);
        // A process started since the last read counts whole; one that joined the stack older counts from now.
        if (before !== undefined) stackDelta += Math.max(0, s.cpuS - before);
        else if (last && s.startTicks >= last.uptimeTicks) stackDelta += s.cpuS;
      }
      const at = performance.now();
      if (last) {
        stackS += stackDelta;
        outsideS += Math.max(0, machine.busyS - last.busyS - stackDelta);
      }
      last = { busyS: machine.busyS, uptimeTicks, stack };

      // Who the outside processes are: each one's CPU since the previous scan.
      const now = new Map<string, number>();
      for (const p of scan.values()) {
        const key = procKey(p);
        now.set(key, p.cpuS);
        if (members.has(p.pid)) continue;
        const before = seen.get(key);
        // A process absent from the previous scan started since: all its CPU is new (none at the first scan).
        const delta = before !== undefined ? p.cpuS - before : seen.size > 0 ? p.cpuS : 0;
        if (delta <= 0) continue;
        const use = outside.get(key);
        if (use) use.cpuS += delta;
        else outside.set(key, { pid: p.pid, command: commandLine(p.pid, p.comm), cpuS: delta });
      }
      seen = now;

      const counters = {
        "machine.busy": machine.busyS,
        "machine.steal": machine.stealS,
        "machine.stack": stackS,
        "cpu.outside": outsideS,
      };
      const times = Object.fromEntries(Object.keys(counters).map((k) => [k, at]));
      const ceilings = Object.fromEntries(Object.keys(counters).map((k) => [k, cores]));
      return { counters, gauges: {}, times, ceilings };
    },
    outsideUse: () => new Map([...outside].map(([key, u]) => [key, { ...u }])),
    async close() {},
  };
}

/** The recorder's totals and the outside use at one edge of a window (`atMs`: performance.now()). */
export interface MachineEdge {
  atMs: number;
  counters: Record<string, number>;
  outside: Map<string, OutsideUse>;
}

/** The outside load of one window, from the counters and outside-use snapshots taken at its two edges. */
export function machineLoad(cores: number, start: MachineEdge, end: MachineEdge): MachineLoad | null {
  const windowS = (end.atMs - start.atMs) / 1000;
  const d = (k: string) => (end.counters[k] ?? Number.NaN) - (start.counters[k] ?? Number.NaN);
  const capacity = cores * windowS;
  if (!(capacity > 0) || !Number.isFinite(d("cpu.outside"))) return null;
  const pct = (cpuS: number) => Math.round((Math.max(0, cpuS) / capacity) * 1000) / 10;
  const outsideCpuPercent = pct(d("cpu.outside"));
  const busiest = [...end.outside]
    .map(([key, u]) => ({ ...u, cpuS: u.cpuS - (start.outside.get(key)?.cpuS ?? 0) }))
    .filter((u) => u.cpuS > 0)
    .sort((a, b) => b.cpuS - a.cpuS)
    .slice(0, 3)
    .map((u) => ({ pid: u.pid, command: u.command, cpuPercent: Math.round((u.cpuS / windowS) * 1000) / 10 }));
  return {
    cores,
    outsideCpuPercent,
    stealPercent: pct(d("machine.steal")),
    busy: outsideCpuPercent > BUSY_OUTSIDE_PERCENT,
    busiest,
  };
}
