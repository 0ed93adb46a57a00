import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "./process.ts";

/**
 * Names of everything a network of hosts creates carry its run tag: 5 base-36 digits of the owning harness's
 * pid, then 2 random ones (`0abcdxy`). So a leftover says who made it, even when its state file is gone:
 *   network namespaces  sb-<tag>-<host>      (`ip netns list`)
 *   the bridge          sbb<tag>             (root namespace; 10 characters, the kernel allows 15)
 *   host-side veths     sbv<tag><index>      (12 characters; the other end lives in the host's namespace)
 * and /run/statebench-netns/ holds `<tag>.json` (owner pid and start time, the subnet) and `net-<n>` (which run
 * holds 10.77.<n>.0/24).
 */
export const STATE_DIR = "/run/statebench-netns";
export const NETNS_PREFIX = "sb-";
export const BRIDGE_PREFIX = "sbb";
export const VETH_PREFIX = "sbv";
const TAG = "([0-9a-z]{7})";
const NETNS_RE = new RegExp(`^${NETNS_PREFIX}${TAG}-`);
const LINK_RE = new RegExp(`^(?:${BRIDGE_PREFIX}|${VETH_PREFIX})${TAG}`);

/** What a run records about itself before it creates anything. */
export interface NetnsState {
  tag: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells the owner from a later process that reused its pid. */
  startTime: string;
  subnet: number;
}

export function ipCmd(args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
}

/** `ip` without throwing: for clean-up of things that may already be gone. */
export function ipQuiet(args: string[]): boolean {
  try {
    ipCmd(args);
    return true;
  } catch {
    return false;
  }
}

export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

export const tagPid = (tag: string): number => Number.parseInt(tag.slice(0, 5), 36);

/** Network namespaces and links (bridge, host-side veths) whose names carry a run tag, by tag. */
export function taggedObjects(): Map<string, { netns: string[]; links: string[] }> {
  const out = new Map<string, { netns: string[]; links: string[] }>();
  const entry = (tag: string) => {
    const e = out.get(tag) ?? { netns: [], links: [] };
    out.set(tag, e);
    return e;
  };
  for (const line of ipCmd(["netns", "list"]).split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const m = NETNS_RE.exec(name);
    if (m?.[1]) entry(m[1]).netns.push(name);
  }
  for (const line of ipCmd(["-o", "link", "show"]).split("\n")) {
    // "12: sbv0abcdxy00@if11: <...>": the name ends at '@' or ':'.
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? "";
    const m = LINK_RE.exec(name);
    if (m?.[1]) entry(m[1]).links.push(name);
  }
  return out;
}

function readState(tag: string): NetnsState | null {
  try {
    return JSON.parse(readFileSync(join(STATE_DIR, `${tag}.json`), "utf8")) as NetnsState;
  } catch {
    return null;
  }
}

/** True while the run that owns `tag` is alive (the same process: pid and start time). */
export function ownerAlive(tag: string): boolean {
  const state = readState(tag);
  const pid = state?.pid ?? tagPid(tag);
  if (!isAlive(pid)) return false;
  return state === null || processStartTime(pid) === state.startTime;
}

/**
 * Removes one run's namespaces and links, whoever owned it: SIGKILLs what still runs inside each namespace
 * (a namespace with processes would outlive `ip netns delete`), deletes the host-side veths (each takes its
 * peer along), the namespaces, the bridge, then the state files.
 */
export function removeTagged(tag: string, objs = taggedObjects().get(tag)): string[] {
  const removed: string[] = [];
  for (const ns of objs?.netns ?? []) {
    for (const pid of ipCmd(["netns", "pids", ns]).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  const links = [...(objs?.links ?? [])].sort(
    (a, b) => (a.startsWith(BRIDGE_PREFIX) ? 1 : 0) - (b.startsWith(BRIDGE_PREFIX) ? 1 : 0),
  );
  for (const link of links) if (ipQuiet(["link", "del", link])) removed.push(link);
  for (const ns of objs?.netns ?? []) if (ipQuiet(["netns", "del", ns])) removed.push(ns);
  const state = readState(tag);
  if (state) rmSync(join(STATE_DIR, `net-${state.subnet}`), { force: true });
  rmSync(join(STATE_DIR, `${tag}.json`), { force: true });
  return removed;
}

/**
 * Removes the leftovers of every run whose harness is gone (killed with SIGKILL, a crash no handler saw): its
 * namespaces, links and state files. Runs that are still alive are left alone. Returns what was removed.
 */
export function sweepStaleNetworks(): string[] {
  const removed: string[] = [];
  const tags = taggedObjects();
  let files: string[] = [];
  try {
    files = readdirSync(STATE_DIR);
  } catch {
    // no state folder yet
  }
  for (const f of files) {
    const m = /^([0-9a-z]{7})\.json$/.exec(f);
    if (m?.[1] && !tags.has(m[1])) tags.set(m[1], { netns: [], links: [] });
  }
  for (const [tag, objs] of tags) if (!ownerAlive(tag)) removed.push(...removeTagged(tag, objs));
  // Subnet claims whose run state is gone.
  for (const f of files.filter((x) => x.startsWith("net-"))) {
    let owner = "";
    try {
      owner = readFileSync(join(STATE_DIR, f), "utf8").trim();
    } catch {
      continue;
    }
    if (!ownerAlive(owner)) rmSync(join(STATE_DIR, f), { force: true });
  }
  return removed;
}
