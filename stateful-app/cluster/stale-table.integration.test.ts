// A stale routing table stays correct: with the publisher paused and HAProxy's map pointing every shard
// at the wrong node, and a node joining mid-load so ownership moves under it, every request still gets the
// owner's answer through the nodes' forwarder (fencing keeps any stale writer out): no double sale, no lost ack.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { allocate } from "./allocation.ts";
import { doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import {
  createEvent,
  localShare,
  ownedOnlyBy,
  routingConverged,
  routingTotals,
  shardOwners,
  useCluster,
  waitFor,
} from "./testing/cluster.ts";

const cluster = useCluster();

it("a wrong routing table costs a hop, never a wrong answer", async () => {
  const { stack, db } = cluster;
  const nodes = stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(db, nodes));
  await waitFor("the routing table to match the owners", () => routingConverged(stack, db), 10_000);
  const publisher = "lb-sync-1";
  await stack.killNode(publisher, "SIGSTOP");
  try {
    // Every shard to the next node's server: HAProxy now sends each request to a node that does not own it.
    const map = stack.haproxy.mapPath ?? "";
    const lines = (await stack.haproxy.command(`show map ${map}`)).split("\n").filter((l) => l.trim() !== "");
    const entries = lines.map((l) => l.trim().split(/\s+/).slice(1) as [string, string]);
    const servers = [...new Set(entries.map(([, server]) => server))].sort();
    assert.ok(servers.length === 3, `servers in the map: ${servers.join(", ")}`);
    const version = /(\d+)/.exec(await stack.haproxy.command(`prepare map ${map}`))?.[1];
    for (const [shard, server] of entries) {
      const wrong = servers[(servers.indexOf(server) + 1) % servers.length];
      await stack.haproxy.command(`add map @${version} ${map} ${shard} ${wrong}`);
    }
    await stack.haproxy.command(`commit map @${version} ${map}`);

    const eventId = `stale-${Date.now()}`;
    const seats = await createEvent(stack.url, eventId, 40, 40);
    const before = await routingTotals(stack);
    const load = runBookingLoad({ urls: () => [stack.url], eventId, seats, workers: 12, durationMs: 8_000 });
    await sleep(2_500);
    // Ownership moves while HAProxy's table stays wrong: some forwards meet a table that is stale for a moment.
    const [joined] = await stack.addNodes(1);
    assert.ok(joined);
    const target = allocate(128, [...nodes, joined.id]);
    await waitFor("the joiner to own its share", async () => (await shardOwners(db)).every((o, s) => o === target[s]));
    const result = await load;
    const after = await routingTotals(stack);
    const share = localShare(before, after);
    console.log(JSON.stringify({ figure: "stale routing table", localShare: share, acks: result.acks.length }));
    assert.deepEqual(result.otherErrors, []);
    assert.ok(result.acks.length > 20, `only ${result.acks.length} confirmations`);
    assert.ok(share < 0.5, `most requests took the forwarder's hop (local share ${share.toFixed(2)})`);
    assert.deepEqual(doubleSales(result.acks), []);
    assert.deepEqual(await missingAcks(stack.url, eventId, result.acks), []);
  } finally {
    await stack.killNode(publisher, "SIGCONT");
  }
  // The publisher repairs the table (it re-reads HAProxy's map within ten polls).
  await waitFor("the publisher to repair the table", () => routingConverged(stack, db), 15_000);
});
