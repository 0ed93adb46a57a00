/**
 * Scale-out of the stateful cluster (issue 12 item 4): confirmed bookings/s of 1 node vs N nodes behind the
 * stack's HAProxy (owner routing), each node limited to `--cpu` cores (cgroup quota), with the node CPU per
 * request, the forwarded share and where the machine's two cores went (so a saturated load generator or
 * PostgreSQL shows up as such, not as an app limit).
 *   node --import tsx bench/stateful/scale.ts [--nodes 1,3] [--cpu 0.5,0.25] [--seconds 10] [--workers 192]
 *     [--granularity section|seat] [--cluster on|off]
 * Bounded: each run stops after `seconds`. Prints one JSON line per run, then one per CPU quota with the ratios.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { processTreeCpuS, readStatSync } from "../../harness/samplers/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { closeLoadAgent, doubleSales, runBookingLoad } from "../../stateful-app/cluster/testing/booking-load.ts";
import { call, createEvent, localShare, routingTotals } from "../../stateful-app/cluster/testing/cluster.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "1,3" },
    cpu: { type: "string", default: "0.5" },
    seconds: { type: "string", default: "10" },
    workers: { type: "string", default: "192" },
    granularity: { type: "string", default: "section" },
    /** `off`: run the nodes without the cluster layer (CLUSTER=off; meaningful with one node only). */
    cluster: { type: "string", default: "on" },
  },
});

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat. */
async function machineBusyS(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

/** CPU seconds so far of each role of the stack (nodes, haproxy, postgres with its backends, lb-sync), and ours. */
async function cpuByRole(stack: Stack): Promise<Record<string, number>> {
  const out: Record<string, number> = { node: 0, haproxy: 0, postgres: 0, "lb-sync": 0 };
  for (const p of stack.processes()) {
    const s = p.role === "postgres" ? processTreeCpuS(p.pid) : readStatSync(p.pid)?.cpuS;
    out[p.role] = (out[p.role] ?? 0) + (s ?? 0);
  }
  const own = process.cpuUsage();
  out.loadGenerator = (own.user + own.system) / 1e6;
  return out;
}

/** Summed over the nodes: confirmed bookings, journal events and transactions, view-sync deliveries. */
async function nodeCounters(stack: Stack) {
  const sum = { confirmed: 0, journalEvents: 0, journalTransactions: 0, viewDeliveries: 0, viewSeatsReceived: 0 };
  for (const node of stack.nodes) {
    const m = (await call(node.metricsUrl, "GET", "/metrics"))?.json as {
      booking?: { bookingsConfirmed: number };
      journalEvents?: number;
      journalTransactions?: number;
      cluster?: { view?: { deliveries?: number; seatsReceived?: number } };
    };
    sum.confirmed += m?.booking?.bookingsConfirmed ?? 0;
    sum.journalEvents += m?.journalEvents ?? 0;
    sum.journalTransactions += m?.journalTransactions ?? 0;
    sum.viewDeliveries += m?.cluster?.view?.deliveries ?? 0;
    sum.viewSeatsReceived += m?.cluster?.view?.seatsReceived ?? 0;
  }
  return sum;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
type Run = { nodes: number; confirmedPerSec: number; nodeCpuUsPerRequest: number };

for (const cpuText of values.cpu.split(",")) {
  const cpu = Number(cpuText) > 0 ? Number(cpuText) : null;
  const runs: Run[] = [];
  for (const n of values.nodes.split(",").map(Number)) {
    const stack = await startStack({
      app: "stateful",
      nodes: n,
      nodeCpu: cpu,
      granularity: values.granularity as "seat" | "section",
      env: values.cluster === "off" ? { CLUSTER: "off" } : {},
    });
    try {
      const eventId = `scale-${n}-${Date.now()}`;
      const seats = await createEvent(stack.url, eventId, 64, 500);
      // What the machine does without our load (other work on the shared cores, the idle stack): 2 s.
      const idleFrom = await machineBusyS();
      await new Promise((r) => setTimeout(r, 2_000));
      const outsideBusyCores = round(((await machineBusyS()) - idleFrom) / 2, 2);
      // Warm-up: activate actors, open connections, let the routing table settle; not measured.
      await runBookingLoad({ urls: () => [stack.url], eventId, seats, workers: 8, durationMs: 2_000 });
      const routingBefore = await routingTotals(stack);
      const cpuBefore = await cpuByRole(stack);
      const busyBefore = await machineBusyS();
      const countersBefore = await nodeCounters(stack);
      const started = Date.now();
      const result = await runBookingLoad({
        urls: () => [stack.url],
        eventId,
        seats,
        workers: Number(values.workers),
        durationMs: Number(values.seconds) * 1000,
      });
      const elapsed = (Date.now() - started) / 1000;
      const busy = (await machineBusyS()) - busyBefore;
      const cpuAfter = await cpuByRole(stack);
      const routing = await routingTotals(stack);
      const countersAfter = await nodeCounters(stack);
      const delta = (k: keyof typeof countersAfter) => countersAfter[k] - countersBefore[k];
      const confirmed = delta("confirmed");
      const requests = result.holds + result.acks.length + result.conflicts + result.unavailable;
      const cores = Object.fromEntries(
        Object.entries(cpuAfter).map(([role, s]) => [role, round((s - (cpuBefore[role] ?? 0)) / elapsed, 2)]),
      );
      const nodeCpuUsPerRequest = (((cores.node ?? 0) * elapsed) / Math.max(1, requests)) * 1e6;
      const run = {
        nodes: n,
        cpuPerNode: cpu,
        granularity: values.granularity,
        cluster: values.cluster,
        seconds: round(elapsed, 1),
        confirmedPerSec: Math.round(result.acks.length / elapsed),
        confirmedByNodesPerSec: Math.round(confirmed / elapsed),
        requestsPerSec: Math.round(requests / elapsed),
        nodeCpuUsPerRequest: Math.round(nodeCpuUsPerRequest),
        localShare: round(localShare(routingBefore, routing)),
        // Group commit: journal transactions per second over all nodes, and events per transaction.
        journalTxPerSec: Math.round(delta("journalTransactions") / elapsed),
        eventsPerTx: round(delta("journalEvents") / Math.max(1, delta("journalTransactions")), 2),
        viewDeliveriesPerSec: Math.round(delta("viewDeliveries") / elapsed),
        viewSeatsReceivedPerSec: Math.round(delta("viewSeatsReceived") / elapsed),
        unavailable: result.unavailable,
        doubleSales: doubleSales(result.acks).length,
        // Cores used during the window, by role, and by the whole machine (2 cores here; other work included).
        cores,
        machineBusyCores: round(busy / elapsed, 2),
        outsideBusyCores,
      };
      console.log(JSON.stringify(run));
      runs.push(run);
    } finally {
      await stack.stop();
    }
  }
  const one = runs.find((r) => r.nodes === 1);
  for (const r of runs.filter((x) => x.nodes > 1)) {
    if (!one) break;
    console.log(
      JSON.stringify({
        cpuPerNode: cpu,
        compare: `${r.nodes} nodes vs 1`,
        bookingsRatio: round(r.confirmedPerSec / Math.max(1, one.confirmedPerSec), 2),
        cpuPerRequestRatio: round(r.nodeCpuUsPerRequest / Math.max(1, one.nodeCpuUsPerRequest), 2),
        targets: { bookingsRatio: ">= 2.5", cpuPerRequestRatio: "<= 1.5" },
      }),
    );
  }
}
await closeLoadAgent();
