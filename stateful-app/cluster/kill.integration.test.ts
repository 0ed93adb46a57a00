// Kill test (issue 5): SIGKILL one of three nodes under continuous holds and confirms; no seat sold twice, and
// every acknowledged confirmation is there after a cold restart of the whole cluster.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import {
  call,
  createEvent,
  ownedOnlyBy,
  routingTotals,
  shardOfSeat,
  shardOwners,
  useCluster,
  waitFor,
} from "./testing/cluster.ts";

const cluster = useCluster();

it("SIGKILL of a node under load: failover, no double sale, every acknowledgement survives a cold restart", async () => {
  const nodes = cluster.stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(cluster.db, nodes));
  const eventId = `kill-${Date.now()}`;
  const seats = await createEvent(cluster.stack.url, eventId, 40, 40);
  const victim = nodes[1] ?? "";
  const owners = await shardOwners(cluster.db);
  const victimSeats = new Set(seats.filter((s) => owners[shardOfSeat(eventId, s)] === victim));
  assert.ok(victimSeats.size > 0, "the victim owns some of the event's sections");

  const loadStartedAt = Date.now();
  const load = runBookingLoad({ urls: () => [cluster.stack.url], eventId, seats, workers: 12, durationMs: 9_000 });
  await sleep(3_000);
  const killedAt = Date.now();
  await cluster.stack.killNode(victim, "SIGKILL");
  const survivors = nodes.filter((n) => n !== victim);
  await waitFor("the survivors to own every shard", () => ownedOnlyBy(cluster.db, survivors));
  const ownershipMovedMs = Date.now() - killedAt;
  const result = await load;

  // Failover time: kill -> the last of the victim's sections answering again (first final answer after the kill).
  const firstAfter = new Map<number, number>();
  for (const { at, seatId } of result.served) {
    if (at <= killedAt || !victimSeats.has(seatId)) continue;
    const shard = shardOfSeat(eventId, seatId);
    if (!firstAfter.has(shard)) firstAfter.set(shard, at - killedAt);
  }
  const servedAgainMs = Math.max(...firstAfter.values());
  const routing = await routingTotals(cluster.stack);
  console.log(
    JSON.stringify({
      figure: "failover",
      ownershipMovedMs,
      servedAgainMs,
      victimShardsServedAgain: firstAfter.size,
      acks: result.acks.length,
      holds: result.holds,
      conflicts: result.conflicts,
      unavailable: result.unavailable,
      transportErrors: result.transportErrors,
      routing,
    }),
  );
  assert.deepEqual(result.otherErrors, []);
  assert.ok(result.acks.length > 20, `only ${result.acks.length} confirmations`);
  assert.ok(firstAfter.size > 0, "the victim's sections were served again after the kill");
  const acksAfter = result.acks.filter((a) => loadStartedAt + a.at > killedAt).length;
  assert.ok(acksAfter > 0, "confirmations went on after the kill");
  assert.deepEqual(doubleSales(result.acks), []);

  // Cold restart: every node killed, three fresh ones on the same database.
  for (const n of cluster.stack.nodes) await cluster.stack.killNode(n.id, "SIGKILL");
  const fresh = await cluster.stack.addNodes(3);
  await waitFor("the fresh nodes to own every shard", () =>
    ownedOnlyBy(
      cluster.db,
      fresh.map((n) => n.id),
    ),
  );
  const base = fresh[0]?.url ?? "";
  assert.deepEqual(await missingAcks(base, eventId, result.acks), []);
  // The listing (answered from the boards, fanned out to the three nodes) shows every acknowledged seat sold.
  const soldSeats = new Set<string>();
  for (const section of new Set(seats.map((s) => s.slice(0, s.lastIndexOf("-"))))) {
    const sold = await call(base, "GET", `/events/${eventId}/seats?section=${section}&status=sold&limit=1000`);
    assert.equal(sold?.status, 200);
    const listed = (sold?.json as { seats?: Array<{ seatId: string }> } | undefined)?.seats ?? [];
    for (const s of listed) soldSeats.add(s.seatId);
  }
  for (const a of result.acks) assert.ok(soldSeats.has(a.seatId), `${a.seatId} is sold`);
});
