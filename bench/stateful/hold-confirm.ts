// Hold+confirm throughput of ONE stateful actor node (CPU quota of one core), the journal's events per
// transaction (whole run and the peak second), and PostgreSQL statements per confirmed booking
// (pg_stat_statements). Bounded in count and time; 127.0.0.1 only.
//   node --import tsx bench/stateful/hold-confirm.ts --granularity seat --seconds 10 --connections 64
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startStack } from "../../harness/stack/index.ts";
import { jsonPool } from "../json-pool.ts";

const { values } = parseArgs({
  options: {
    granularity: { type: "string", default: "seat" },
    persistence: { type: "string", default: "sync" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    sections: { type: "string", default: "20" },
    cpu: { type: "string", default: "1" },
    /** `off`: the single-node runtime (issue 4). `on`: the node as a one-member cluster (fenced journal). */
    cluster: { type: "string", default: "off" },
    "run-dir": { type: "string" },
    /** Folder for a `--cpu-prof` profile of the node (written when it exits). */
    profile: { type: "string" },
  },
});
const granularity = values.granularity === "section" ? "section" : "seat";
const persistence = values.persistence === "async" ? "async" : "sync";
const seconds = Math.min(60, Number(values.seconds));
const connections = Math.min(512, Number(values.connections));
const sections = Math.max(1, Math.min(100, Number(values.sections)));
const SEATS = 200_000;
const perSection = Math.floor(SEATS / sections);

const stack = await startStack({
  app: "stateful",
  nodes: 1,
  granularity,
  persistence,
  runDir: values["run-dir"],
  nodeCpu: values.cpu === "none" ? null : Number(values.cpu),
  env: { CLUSTER: values.cluster === "on" ? "on" : "off" },
  // Node 20 refuses --cpu-prof in NODE_OPTIONS: it goes on the node's command line.
  nodeArgs: values.profile ? ["--cpu-prof", `--cpu-prof-dir=${resolve(values.profile)}`] : undefined,
});
const node = stack.nodes[0];
if (!node) throw new Error("no node");
const http = jsonPool(node.url, connections);
const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });

const send = http.send;

interface Metrics {
  runtime: { activations: number; journal: { transactions: number; eventsWritten: number; statements: number } };
  booking: { bookingsConfirmed: number };
}
const metricsPool = jsonPool(node.metricsUrl, 1);
const metrics = async () => (await metricsPool.send("GET", "/metrics")).json as Metrics;

let seat = 0;
let firstFailure: string | undefined;
/** `clients` loops of hold then confirm on fresh seats (spread over the sections) until `untilMs`. */
async function load(eventId: string, clients: number, untilMs: number) {
  const lat: number[] = [];
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < untilMs && seat < SEATS) {
        const n = seat++;
        const seatId = `S${n % sections}-${Math.floor(n / sections) + 1}`;
        const t0 = performance.now();
        const hold = await send("POST", `/events/${eventId}/holds`, { seatId, userId: `u${c}`, requestId: `r${n}` });
        const confirm =
          hold.status === 201 ? await send("POST", `/events/${eventId}/holds/${hold.json.holdId}/confirm`) : hold;
        if (confirm.status === 200) {
          ok++;
          lat.push(performance.now() - t0);
        } else {
          failed++;
          firstFailure ??= `${confirm.status} ${JSON.stringify(confirm.json).slice(0, 200)}`;
        }
      }
    }),
  );
  return { ok, failed, lat };
}

try {
  const eventId = `bench-${Date.now()}`;
  const layout = Array.from({ length: sections }, (_, i) => ({ id: `S${i}`, seats: perSection }));
  const put = await send("PUT", `/events/${eventId}`, { sections: layout });
  if (put.status !== 201) throw new Error(`PUT event: ${put.status}`);
  await load(eventId, connections, Date.now() + 1_000); // warm-up (JIT, connections, pool)

  await db.query("SELECT pg_stat_statements_reset()");
  const before = await metrics();
  // Per-second samples of the journal counters: the peak second's events per transaction.
  const samples: Array<{ tx: number; ev: number }> = [];
  let last = before.runtime.journal;
  const sampler = setInterval(async () => {
    const m = (await metrics()).runtime.journal;
    samples.push({ tx: m.transactions - last.transactions, ev: m.eventsWritten - last.eventsWritten });
    last = m;
  }, 1_000);
  const t0 = Date.now();
  const run = await load(eventId, connections, t0 + seconds * 1000);
  const elapsed = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const after = await metrics();
  const stmts = await db.query<{ calls: string; query: string }>(
    `SELECT calls, query FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC`,
  );

  run.lat.sort((a, b) => a - b);
  const pct = (p: number) => run.lat[Math.min(run.lat.length - 1, Math.floor((p / 100) * run.lat.length))]?.toFixed(1);
  const tx = after.runtime.journal.transactions - before.runtime.journal.transactions;
  const ev = after.runtime.journal.eventsWritten - before.runtime.journal.eventsWritten;
  const booked = after.booking.bookingsConfirmed - before.booking.bookingsConfirmed;
  const peak = samples.filter((s) => s.tx > 0).sort((a, b) => b.ev - a.ev)[0];
  const totalCalls = stmts.rows.reduce((sum, r) => sum + Number(r.calls), 0);
  const appStatements = after.runtime.journal.statements - before.runtime.journal.statements;

  console.log(
    `\n== stateful, PERSISTENCE=${persistence}, GRANULARITY=${granularity}, 1 node (cpu quota ${values.cpu}), ` +
      `cluster ${values.cluster}, ${sections} sections x ${perSection} seats ==`,
  );
  console.log(
    `throughput: ${(run.ok / elapsed).toFixed(0)} hold+confirm/s over ${elapsed.toFixed(1)} s with ${connections} ` +
      `connections (${run.ok} bookings, ${run.failed} failed); latency p50 ${pct(50)} ms, p99 ${pct(99)} ms`,
  );
  console.log(
    `journal: ${ev} events in ${tx} transactions = ${(ev / Math.max(1, tx)).toFixed(1)} events/transaction; ` +
      `peak second ${peak ? `${peak.ev} events / ${peak.tx} tx = ${(peak.ev / peak.tx).toFixed(1)}` : "n/a"}; ` +
      `activations ${after.runtime.activations - before.runtime.activations}`,
  );
  console.log(
    `statements per confirmed booking: ${(totalCalls / Math.max(1, booked)).toFixed(3)} (pg_stat_statements, ` +
      `${totalCalls} calls / ${booked} bookings); app-counted ${(appStatements / Math.max(1, booked)).toFixed(3)}`,
  );
  if (firstFailure !== undefined) console.log(`first failure: ${firstFailure}`);
  for (const r of stmts.rows.slice(0, 6)) {
    console.log(`  ${r.calls.padStart(7)} ${r.query.replace(/\s+/g, " ").slice(0, 110)}`);
  }
} finally {
  await http.close();
  await metricsPool.close();
  await db.end();
  await stack.stop();
}
