// Kill during hand-off (issue 5): a fourth node joins, and an old owner is SIGKILLed while it is handing shards
// over (a 1.5 s fault-injection delay keeps the hand-off open); no loss, no double sale.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { closeLoadAgent, doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import { adminPool, call, createEvent, ownedOnlyBy, waitFor } from "./testing/cluster.ts";

let stack: Stack;
let db: pg.Pool;

before(async () => {
  stack = await startStack({
    app: "stateful",
    nodes: 3,
    granularity: "section",
    env: { CLUSTER_HANDOFF_DELAY_MS: "1500" },
  });
  db = adminPool(stack);
});

after(async () => {
  await db?.end();
  await closeLoadAgent();
  await stack?.stop();
});

async function releasing(url: string): Promise<number> {
  const res = await call(url, "GET", "/metrics");
  return (res?.json as { cluster?: { releasingShards?: number } } | undefined)?.cluster?.releasingShards ?? 0;
}

it("SIGKILL of the old owner in the middle of a hand-off: no loss, no double sale", async () => {
  const nodes = [...stack.nodes];
  await waitFor("all shards owned", () =>
    ownedOnlyBy(
      db,
      nodes.map((n) => n.id),
    ),
  );
  const eventId = `handoff-${Date.now()}`;
  const seats = await createEvent(stack.url, eventId, 40, 40);
  const load = runBookingLoad({ urls: () => [stack.url], eventId, seats, workers: 12, durationMs: 10_000 });
  await sleep(2_500);
  const [joined] = await stack.addNodes(1);
  assert.ok(joined);
  let victim: (typeof nodes)[number] | undefined;
  await waitFor(
    "an old owner in the middle of a hand-off",
    async () => {
      for (const n of nodes) if ((await releasing(n.metricsUrl)) > 0) victim = n;
      return victim !== undefined;
    },
    10_000,
  );
  assert.ok(victim);
  await stack.killNode(victim.id, "SIGKILL");
  const live = [...nodes.filter((n) => n !== victim).map((n) => n.id), joined.id];
  await waitFor("the live nodes to own every shard", () => ownedOnlyBy(db, live));
  const result = await load;
  assert.deepEqual(result.otherErrors, []);
  assert.ok(result.acks.length > 20, `only ${result.acks.length} confirmations`);
  assert.deepEqual(doubleSales(result.acks), []);
  assert.deepEqual(await missingAcks(stack.url, eventId, result.acks), []);
});
