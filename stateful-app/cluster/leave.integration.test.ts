// Graceful leave (issue 5): SIGTERM makes a node hand all its shards off (refuse, flush, release) before it
// exits; under load, no double sale, no lost acknowledgement, and the node exits 0.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import { createEvent, ownedOnlyBy, useCluster, waitFor } from "./testing/cluster.ts";

const cluster = useCluster();

it("SIGTERM: the node hands off every shard, then exits 0", async () => {
  const nodes = cluster.stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(cluster.db, nodes));
  const eventId = `leave-${Date.now()}`;
  const seats = await createEvent(cluster.stack.url, eventId, 40, 40);
  const leaving = cluster.stack.nodes[2];
  assert.ok(leaving);
  const load = runBookingLoad({ urls: () => [cluster.stack.url], eventId, seats, workers: 12, durationMs: 7_000 });
  await sleep(2_500);
  const leaveAt = Date.now();
  await cluster.stack.stopNode(leaving.id);
  const leaveMs = Date.now() - leaveAt;
  assert.equal(await leaving.exited, 0);
  const rest = nodes.filter((n) => n !== leaving.id);
  // Released before exit, so the others own everything without waiting for a death to be noticed.
  await waitFor("the others to own every shard", () => ownedOnlyBy(cluster.db, rest), 5_000);
  const member = await cluster.db.query("SELECT status FROM cluster_member WHERE node_id = $1", [leaving.id]);
  assert.equal(member.rows[0]?.status, "left");
  const result = await load;
  console.log(JSON.stringify({ figure: "graceful leave", leaveMs, unavailable: result.unavailable }));
  assert.deepEqual(result.otherErrors, []);
  assert.ok(result.acks.length > 20, `only ${result.acks.length} confirmations`);
  assert.deepEqual(doubleSales(result.acks), []);
  assert.deepEqual(await missingAcks(cluster.stack.url, eventId, result.acks), []);
});
