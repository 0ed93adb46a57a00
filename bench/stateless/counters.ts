import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type pg from "pg";

/** Redis `INFO commandstats` as command -> calls (commands run inside Lua scripts are counted too). */
export async function redisCommandStats(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info("commandstats");
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] && m[2]) out[m[1]] = Number(m[2]);
  return out;
}

/** pg_stat_statements rows of the app's schema and of transaction control, by query text. */
export async function pgStatements(db: pg.Pool): Promise<Array<{ query: string; calls: number; rows: number }>> {
  const res = await db.query<{ query: string; calls: string; rows: string }>(
    `SELECT query, calls, rows FROM pg_stat_statements
     WHERE query ILIKE '%stateless.%' OR query ~* '^(BEGIN|COMMIT|ROLLBACK)'
     ORDER BY calls DESC`,
  );
  return res.rows.map((r) => ({
    query: r.query.replace(/\s+/g, " ").slice(0, 90),
    calls: Number(r.calls),
    rows: Number(r.rows),
  }));
}

/**
 * Counts the commands each Redis client sends over the network while `fn` runs, with MONITOR: lines from Lua
 * scripts are tagged `[db lua]` and counted apart. Clients are told apart by their connection name (the API
 * replica names its client `<node>-api`; BullMQ's own connections are grouped by the process that opened them).
 */
export async function monitorCommands(redis: Redis, fn: () => Promise<void>): Promise<Record<string, number>> {
  const monitor = await redis.monitor();
  const counts: Record<string, number> = {};
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    const from = source.includes("lua") ? "lua" : source;
    const key = `${from} ${String(args[0]).toLowerCase()}`;
    counts[key] = (counts[key] ?? 0) + 1;
  });
  let names = new Map<string, string>();
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 200));
    const list = String(await redis.client("LIST"));
    names = new Map(
      [...list.matchAll(/addr=(\S+) .*?name=(\S*)/g)].map((m) => [m[1] ?? "", m[2] || "(unnamed)"] as [string, string]),
    );
  } finally {
    monitor.disconnect();
  }
  const named: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) {
    const [from = "", cmd = ""] = k.split(" ");
    const key = `${names.get(from) ?? from} ${cmd}`;
    named[key] = (named[key] ?? 0) + v;
  }
  return named;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). 0 when unreadable. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command), in clock ticks (100/s here).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
