// Owner routing through the stack's real HAProxy: in steady state, after a node is killed and after a
// node joins, once ownership and the routing table have settled, at least 95% of actor-addressed requests reach
// the owning node with no hop. Seat actors: every seat its own shard key, so HAProxy's hash is exercised widely.
import assert from "node:assert/strict";
import { it } from "node:test";
import { allocate } from "./allocation.ts";
import { doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import {
  call,
  createEvent,
  localShare,
  ownedOnlyBy,
  routingConverged,
  routingTotals,
  shardOwners,
  useCluster,
  waitFor,
} from "./testing/cluster.ts";

const cluster = useCluster({ granularity: "seat" });

/** Holds and confirms through HAProxy for `ms`; returns the local share of their routing and the acks. */
async function measure(eventId: string, seats: string[], ms: number) {
  const before = await routingTotals(cluster.stack);
  const result = await runBookingLoad({ urls: () => [cluster.stack.url], eventId, seats, workers: 8, durationMs: ms });
  const after = await routingTotals(cluster.stack);
  assert.deepEqual(result.otherErrors, []);
  assert.deepEqual(doubleSales(result.acks), []);
  return { share: localShare(before, after), result, routed: (after.local ?? 0) - (before.local ?? 0) };
}

it("≥ 95% of actor requests reach their owner with no hop: steady state, after a kill, after a join", async () => {
  const { stack, db } = cluster;
  const nodes = stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(db, nodes));
  await waitFor("the routing table to match the owners", () => routingConverged(stack, db), 10_000);
  const eventId = `route-${Date.now()}`;
  const seats = await createEvent(stack.url, eventId, 20, 100);
  const figures: Record<string, number> = {};

  const steady = await measure(eventId, seats, 2_500);
  figures.steadyLocalShare = steady.share;
  assert.ok(steady.routed > 100, `only ${steady.routed} requests routed`);
  assert.ok(steady.share >= 0.95, `steady state: ${(steady.share * 100).toFixed(1)}% local`);

  // Failover: the survivors take the victim's shards; the publisher points HAProxy at them.
  const victim = nodes[1] ?? "";
  const killedAt = Date.now();
  await stack.killNode(victim, "SIGKILL");
  const survivors = nodes.filter((n) => n !== victim);
  await waitFor("the survivors to own every shard", () => ownedOnlyBy(db, survivors));
  await waitFor("the routing table to follow the failover", () => routingConverged(stack, db), 10_000);
  figures.failoverConvergedMs = Date.now() - killedAt;
  const afterKill = await measure(eventId, seats, 2_500);
  figures.afterKillLocalShare = afterKill.share;
  assert.ok(afterKill.share >= 0.95, `after the kill: ${(afterKill.share * 100).toFixed(1)}% local`);

  // Join: the joiner takes its share through hand-offs; HAProxy learns its server and its shards.
  const joinAt = Date.now();
  const [joined] = await stack.addNodes(1);
  assert.ok(joined);
  const target = allocate(128, [...survivors, joined.id]);
  await waitFor("the joiner to own its share", async () => (await shardOwners(db)).every((o, s) => o === target[s]));
  await waitFor("the routing table to follow the join", () => routingConverged(stack, db), 10_000);
  figures.joinConvergedMs = Date.now() - joinAt;
  // The publisher's own figure: from the last ownership NOTIFY to HAProxy's map commit.
  const lbSync = await call(stack.sidecar?.url ?? "", "GET", "/metrics");
  figures.lastNotifyToCommitMs = (lbSync?.json as { lbSync?: { lastNotifyToCommitMs: number } })?.lbSync
    ?.lastNotifyToCommitMs as number;
  const afterJoin = await measure(eventId, seats, 2_500);
  figures.afterJoinLocalShare = afterJoin.share;
  console.log(JSON.stringify({ figure: "owner routing", ...figures }));
  assert.ok(afterJoin.share >= 0.95, `after the join: ${(afterJoin.share * 100).toFixed(1)}% local`);

  const acks = [...steady.result.acks, ...afterKill.result.acks, ...afterJoin.result.acks];
  assert.deepEqual(doubleSales(acks), []);
  assert.deepEqual(await missingAcks(stack.url, eventId, acks), []);
});
