import { readdir, readFile } from "node:fs/promises";
import type { Sample, Sampler } from "./types.ts";

/** A process to watch; `tree` also counts its descendants (PostgreSQL's backends, for example). */
export interface WatchedProcess {
  label: string;
  pid: number;
  tree?: boolean;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux.

/**
 * CPU seconds and RSS of every process of the run, from `/proc`. CPU is a counter (`cpu.<label>` in seconds,
 * so its rate is cores: 1.0 = one core busy); RSS is a gauge (`rss.<label>` in MB). A process that has exited
 * keeps its last CPU counter so rates stay non-negative.
 */
export function processSampler(list: () => WatchedProcess[]): Sampler {
  const lastCpu = new Map<string, number>();
  return {
    name: "processes",
    async sample(): Promise<Sample> {
      const counters: Record<string, number> = {};
      const gauges: Record<string, number> = {};
      const all = list();
      const children = all.some((p) => p.tree) ? await childrenMap() : new Map<number, number[]>();
      for (const p of all) {
        const pids = p.tree ? descendants(p.pid, children) : [p.pid];
        let cpu = 0;
        let rss = 0;
        let alive = false;
        for (const pid of pids) {
          const stat = await readStat(pid);
          if (!stat) continue;
          alive = true;
          cpu += stat.cpuS;
          rss += stat.rssMb;
        }
        // Descendants come and go (PostgreSQL backends): never let the counter go backwards.
        const prev = lastCpu.get(p.label) ?? 0;
        const value = alive ? Math.max(prev, cpu) : prev;
        lastCpu.set(p.label, value);
        counters[`cpu.${p.label}`] = value;
        gauges[`rss.${p.label}`] = alive ? rss : 0;
      }
      return { counters, gauges };
    },
    async close() {},
  };
}

async function readStat(pid: number): Promise<{ cpuS: number; rssMb: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuS: (utime + stime) / CLOCK_TICKS, rssMb: (rssPages * 4096) / 1024 / 1024 };
  } catch {
    return undefined;
  }
}

async function childrenMap(): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = await readFile(`/proc/${name}/stat`, "utf8");
      const ppid = Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(name));
      map.set(ppid, list);
    } catch {
      // The process exited between readdir and readFile.
    }
  }
  return map;
}

function descendants(pid: number, children: Map<number, number[]>): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const c of children.get(out[i] as number) ?? []) out.push(c);
  return out;
}
