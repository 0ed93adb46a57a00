// Hold+confirm throughput of ONE stateless API replica (pinned to one core), and the Redis commands and PostgreSQL
// statements each confirmed booking costs, in one write mode. Bounded in count and time; 127.0.0.1 only.
//   node --import tsx bench/stateless/hold-confirm.ts --mode queue --seconds 10 --connections 64
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { startStack } from "../../harness/stack/index.ts";
import { jsonPool } from "../json-pool.ts";
import { cpuMs, monitorCommands, pgStatements, redisCommandStats } from "./counters.ts";

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "queue" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    calibrate: { type: "string", default: "300" },
    cpu: { type: "string", default: "1" },
    /** Folder for `--cpu-prof` profiles of the app processes (written when they exit). */
    profile: { type: "string" },
    /** Keep the stack's logs here (default: a temp folder removed at the end). */
    "run-dir": { type: "string" },
  },
});
const mode = values.mode === "sync" ? "sync" : "queue";
const seconds = Math.min(60, Number(values.seconds));
const connections = Math.min(512, Number(values.connections));
const calibrate = Math.min(5_000, Number(values.calibrate));
const SEATS = 200_000;

const stack = await startStack({
  app: "stateless",
  nodes: 1,
  workers: 1,
  writeMode: mode,
  runDir: values["run-dir"],
  env: values.profile ? { CPU_PROF_DIR: values.profile } : {},
  nodeCpu: values.cpu === "none" ? null : Number(values.cpu),
});
const node = stack.nodes.find((n) => n.role === "api");
if (!node || !stack.redisUrl) throw new Error("no api node");
const http = jsonPool(node.url, connections);
const redis = new Redis(stack.redisUrl);
const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });

const send = http.send;

async function drained(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await redis.zcard("sl:pending")) > 0) await new Promise((r) => setTimeout(r, 50));
}

let seat = 0;
/** `clients` loops of hold then confirm on fresh seats until `stop()` or `max` bookings; returns latencies (ms). */
async function load(eventId: string, clients: number, untilMs: number, max: number) {
  const lat: number[] = [];
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < untilMs && ok < max) {
        const seatId = `A-${++seat}`;
        const t0 = performance.now();
        const hold = await send("POST", `/events/${eventId}/holds`, { seatId, userId: `u${c}`, requestId: `r${seat}` });
        const confirm =
          hold.status === 201 ? await send("POST", `/events/${eventId}/holds/${hold.json.holdId}/confirm`) : hold;
        if (confirm.status === 200) {
          ok++;
          lat.push(performance.now() - t0);
        } else failed++;
      }
    }),
  );
  return { ok, failed, lat };
}

try {
  const eventId = `bench-${Date.now()}`;
  const put = await send("PUT", `/events/${eventId}`, { sections: [{ id: "A", seats: SEATS }] });
  if (put.status !== 201) throw new Error(`PUT event: ${put.status}`);

  // 1. Calibration: exact per-booking command and statement counts, MONITOR on, moderate concurrency.
  await redis.config("RESETSTAT");
  await db.query("SELECT pg_stat_statements_reset()");
  let booked = 0;
  const byClient = await monitorCommands(redis, async () => {
    booked = (await load(eventId, 16, Date.now() + 60_000, calibrate)).ok;
    await drained();
  });
  const stats = await redisCommandStats(redis);
  const statements = await pgStatements(db);

  // 2. Throughput without MONITOR.
  await load(eventId, connections, Date.now() + 1_000, SEATS); // warm-up
  await drained();
  const procs = stack.processes().filter((p) => ["api", "worker", "redis", "postgres"].includes(p.role));
  // PostgreSQL's work happens in backends, children of the postmaster: sum the whole tree.
  const treeCpu = (pid: number): number => {
    const children = (() => {
      try {
        return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number);
      } catch {
        return [];
      }
    })();
    return cpuMs(pid) + children.reduce((sum, c) => sum + treeCpu(c), 0);
  };
  const cpuBefore = procs.map((p) => treeCpu(p.pid));
  await redis.config("RESETSTAT");
  await db.query("SELECT pg_stat_statements_reset()");
  const t0 = Date.now();
  const run = await load(eventId, connections, t0 + seconds * 1000, SEATS);
  const elapsed = (Date.now() - t0) / 1000;
  await drained();
  const drainedAt = (Date.now() - t0) / 1000;
  const loadStats = await redisCommandStats(redis);
  const loadInserts = (await pgStatements(db)).find((q) => q.query.startsWith("INSERT INTO stateless.bookings"));
  const redisTotal = Object.entries(loadStats).reduce((n, [k, v]) => n + (k === "config" || k === "info" ? 0 : v), 0);
  const cpuUsed = procs.map(
    (p, i) => `${p.label} ${(((treeCpu(p.pid) - (cpuBefore[i] ?? 0)) * 1000) / run.ok).toFixed(0)} µs`,
  );
  run.lat.sort((a, b) => a - b);
  const pct = (p: number) => run.lat[Math.min(run.lat.length - 1, Math.floor((p / 100) * run.lat.length))]?.toFixed(1);

  const per = (n: number) => (n / booked).toFixed(2);
  console.log(`\n== stateless, WRITE_MODE=${mode}, 1 replica (cpu quota ${values.cpu}), 1 worker ==`);
  console.log(
    `throughput: ${(run.ok / elapsed).toFixed(0)} hold+confirm/s over ${elapsed.toFixed(1)} s with ${connections} connections ` +
      `(${run.ok} bookings, ${run.failed} failed); hold+confirm latency p50 ${pct(50)} ms, p99 ${pct(99)} ms; ` +
      `all in PostgreSQL after ${drainedAt.toFixed(1)} s`,
  );
  console.log(
    `at ${connections} connections, per booking: ${(redisTotal / run.ok).toFixed(1)} Redis commands incl. in-script ` +
      `(${((loadStats.evalsha ?? 0) / run.ok).toFixed(2)} EVALSHA), ` +
      `${((loadInserts?.calls ?? 0) / run.ok).toFixed(3)} INSERT statements (${loadInserts?.calls ?? 0} for ${run.ok} rows)`,
  );
  console.log(
    `CPU per booking (hold+confirm, incl. the write): ${cpuUsed.join(", ")}; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log(`\nper confirmed booking (calibration: ${booked} bookings, 16 clients, MONITOR on):`);
  console.log("  Redis commands received over the network, by client address (lua = run inside scripts):");
  const total: Record<string, number> = {};
  for (const [k, v] of Object.entries(byClient).sort((a, b) => b[1] - a[1])) {
    if (v / booked >= 0.01) console.log(`    ${k.padEnd(40)} ${per(v)}`);
    const from = k.split(" ")[0] ?? "";
    total[from] = (total[from] ?? 0) + v;
  }
  for (const [k, v] of Object.entries(total)) console.log(`    total from ${k.padEnd(29)} ${per(v)}`);
  console.log("  Redis INFO commandstats (script-internal commands included):");
  for (const [k, v] of Object.entries(stats).sort((a, b) => b[1] - a[1])) {
    if (v / booked >= 0.01 && k !== "monitor") console.log(`    ${k.padEnd(24)} ${per(v)}`);
  }
  console.log("  PostgreSQL statements (pg_stat_statements calls, rows):");
  for (const s of statements) console.log(`    ${per(s.calls)} calls, ${per(s.rows)} rows  ${s.query}`);
} finally {
  await http.close();
  redis.disconnect();
  await db.end();
  await stack.stop();
}
