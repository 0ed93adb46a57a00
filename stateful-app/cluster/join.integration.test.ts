// Join test (issue 5): a fourth node joins three under load and takes its share of shards through hand-offs;
// no seat sold twice, no acknowledgement lost.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { allocate } from "./allocation.ts";
import { doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import { createEvent, ownedOnlyBy, routingTotals, shardOwners, useCluster, waitFor } from "./testing/cluster.ts";

const cluster = useCluster();

it("a node joining under load takes its share: no double sale, no lost acknowledgement", async () => {
  const nodes = cluster.stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(cluster.db, nodes));
  const eventId = `join-${Date.now()}`;
  const seats = await createEvent(cluster.stack.url, eventId, 40, 40);
  const loadStartedAt = Date.now();
  const load = runBookingLoad({ urls: () => [cluster.stack.url], eventId, seats, workers: 12, durationMs: 9_000 });
  await sleep(3_000);
  const joinAt = Date.now();
  const [joined] = await cluster.stack.addNodes(1);
  assert.ok(joined);
  const healthyMs = Date.now() - joinAt;
  const all = [...nodes, joined.id];
  const target = allocate(128, all);
  const share = target.filter((n) => n === joined.id).length;
  await waitFor("the joiner to own its share", async () => {
    const owners = await shardOwners(cluster.db);
    return owners.every((o, s) => o === target[s]);
  });
  const rebalanceMs = Date.now() - joinAt;
  const result = await load;
  const routing = await routingTotals(cluster.stack);
  console.log(
    JSON.stringify({
      figure: "rebalance on join",
      healthyMs,
      rebalanceMs,
      movedShards: share,
      acks: result.acks.length,
      unavailable: result.unavailable,
      transportErrors: result.transportErrors,
      routing,
      forwardedShare: (routing.forwarded ?? 0) / ((routing.forwarded ?? 0) + (routing.local ?? 0)),
    }),
  );
  assert.ok(share > 20, `the joiner's share: ${share}`);
  assert.deepEqual(result.otherErrors, []);
  assert.ok(result.acks.length > 20, `only ${result.acks.length} confirmations`);
  const acksAfter = result.acks.filter((a) => loadStartedAt + a.at > joinAt).length;
  assert.ok(acksAfter > 0, "confirmations went on after the join");
  assert.deepEqual(doubleSales(result.acks), []);
  assert.deepEqual(await missingAcks(cluster.stack.url, eventId, result.acks), []);
});
