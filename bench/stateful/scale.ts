/**
 * Figures for the cluster (issue 5): hold+confirm throughput of 1 node vs 3 nodes behind HAProxy, each node
 * limited to NODE_CPU cores (cgroup quota; default 0.5), with the forwarded share and journal batching.
 *   node --import tsx bench/stateful/scale.ts [--nodes 1,3] [--cpu 0.5] [--seconds 10] [--workers 192]
 *     [--granularity section|seat] [--cluster on|off] [--target lb|owner]
 * Bounded: each run stops after `seconds`. Prints one JSON line per run.
 */
import { parseArgs } from "node:util";
import { startStack } from "../../harness/stack/index.ts";
import { closeLoadAgent, doubleSales, runBookingLoad } from "../../stateful-app/cluster/testing/booking-load.ts";
import {
  adminPool,
  call,
  createEvent,
  routingTotals,
  shardOfSeat,
} from "../../stateful-app/cluster/testing/cluster.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "1,3" },
    cpu: { type: "string", default: "0.5" },
    seconds: { type: "string", default: "10" },
    workers: { type: "string", default: "192" },
    granularity: { type: "string", default: "section" },
    /** `off`: run the nodes without the cluster layer (CLUSTER=off; meaningful with one node only). */
    cluster: { type: "string", default: "on" },
    /** `lb`: every request through HAProxy (round robin); `owner`: straight to the seat's owner (a smart client). */
    target: { type: "string", default: "lb" },
  },
});
const cpu = Number(values.cpu) > 0 ? Number(values.cpu) : null;

async function journalTotals(urls: string[]) {
  const t = { transactions: 0, eventsWritten: 0, statements: 0, bookingsConfirmed: 0 };
  for (const url of urls) {
    const m = (await call(url, "GET", "/metrics"))?.json as
      | { runtime: { journal: typeof t }; booking: { bookingsConfirmed: number } }
      | undefined;
    if (!m) continue;
    t.transactions += m.runtime.journal.transactions;
    t.eventsWritten += m.runtime.journal.eventsWritten;
    t.statements += m.runtime.journal.statements;
    t.bookingsConfirmed += m.booking.bookingsConfirmed;
  }
  return t;
}

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
    // Warm-up: activate actors and open connections, not measured.
    await runBookingLoad({ urls: () => [stack.url], eventId, seats, workers: 8, durationMs: 2_000 });
    const before = await journalTotals(stack.nodes.map((x) => x.url));
    const routingBefore = await routingTotals(stack);
    const seconds = Number(values.seconds);
    let urls = (_seat: string) => [stack.url];
    if (values.target === "owner") {
      const db = adminPool(stack);
      const res = await db.query<{ shard: number; url: string }>("SELECT shard, url FROM shard_owner ORDER BY shard");
      await db.end();
      const byShard = res.rows.map((r) => r.url);
      urls = (seat) => [byShard[shardOfSeat(eventId, seat)] ?? stack.url];
    }
    const started = Date.now();
    const result = await runBookingLoad({
      urls,
      eventId,
      seats,
      workers: Number(values.workers),
      durationMs: seconds * 1000,
    });
    const elapsed = (Date.now() - started) / 1000;
    const after = await journalTotals(stack.nodes.map((x) => x.url));
    const routing = await routingTotals(stack);
    const forwarded = (routing.forwarded ?? 0) - (routingBefore.forwarded ?? 0);
    const local = (routing.local ?? 0) - (routingBefore.local ?? 0);
    const tx = after.transactions - before.transactions;
    const confirmed = after.bookingsConfirmed - before.bookingsConfirmed;
    console.log(
      JSON.stringify({
        nodes: n,
        cluster: values.cluster,
        target: values.target,
        cpuPerNode: cpu,
        granularity: values.granularity,
        seconds: elapsed,
        confirmedPerSec: Math.round(result.acks.length / elapsed),
        requestsPerSec: Math.round((result.holds + result.acks.length + result.conflicts) / elapsed),
        unavailable: result.unavailable,
        doubleSales: doubleSales(result.acks).length,
        forwardedShare: forwarded + local === 0 ? 0 : Number((forwarded / (forwarded + local)).toFixed(3)),
        eventsPerTransaction: tx === 0 ? 0 : Number(((after.eventsWritten - before.eventsWritten) / tx).toFixed(1)),
        statementsPerConfirmedBooking:
          confirmed === 0 ? null : Number(((after.statements - before.statements) / confirmed).toFixed(3)),
      }),
    );
  } finally {
    await stack.stop();
  }
}
await closeLoadAgent();
