// Split ownership test (issue 5): a node whose ownership session is cut (pg_terminate_backend) stops serving
// its shards at once (it exits) and the survivors take them over; under load, no double sale, no lost ack.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { doubleSales, missingAcks, runBookingLoad } from "./testing/booking-load.ts";
import { createEvent, ownedOnlyBy, useCluster, waitFor } from "./testing/cluster.ts";

const cluster = useCluster();

it("a node whose ownership session is terminated stops serving and cannot append", async () => {
  const nodes = cluster.stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(cluster.db, nodes));
  const eventId = `split-${Date.now()}`;
  const seats = await createEvent(cluster.stack.url, eventId, 40, 40);
  const victim = cluster.stack.nodes[1];
  assert.ok(victim);
  const load = runBookingLoad({ urls: () => [cluster.stack.url], eventId, seats, workers: 12, durationMs: 8_000 });
  await sleep(2_500);
  const cut = await cluster.db.query(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
     WHERE application_name LIKE 'sb/' || $1 || '/%/ownership'`,
    [victim.id],
  );
  assert.equal(cut.rowCount, 1, "exactly one ownership session for the victim");
  const exit = await Promise.race([victim.exited, sleep(10_000).then(() => "still running" as const)]);
  assert.equal(exit, 70, "the cut node exits (code 70) instead of serving without ownership");
  const survivors = nodes.filter((n) => n !== victim.id);
  await waitFor("the survivors to own every shard", () => ownedOnlyBy(cluster.db, survivors));
  // No session of the cut node may remain: its journal sessions went with the process.
  const left = await cluster.db.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1",
    [`sb/${victim.id}/%`],
  );
  assert.equal(left.rows[0]?.n, 0);
  const result = await load;
  assert.deepEqual(result.otherErrors, []);
  assert.ok(result.acks.length > 20, `only ${result.acks.length} confirmations`);
  assert.deepEqual(doubleSales(result.acks), []);
  assert.deepEqual(await missingAcks(cluster.stack.url, eventId, result.acks), []);
});
