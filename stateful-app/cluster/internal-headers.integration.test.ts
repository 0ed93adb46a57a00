// A client that sends the nodes' internal headers gets an ordinary answer: HAProxy strips every
// `x-statebench-*` request header, and a node trusts a peer only with the cluster secret, so a forged
// `x-statebench-forwarded-by` neither refuses the request ("shard not owned by this node") nor reaches the
// internal endpoints.
import assert from "node:assert/strict";
import { it } from "node:test";
import { request } from "undici";
import { CLUSTER_AUTH, FORWARDED_BY } from "./peer-auth.ts";
import { createEvent, ownedOnlyBy, shardOfSeat, shardOwners, useCluster, waitFor } from "./testing/cluster.ts";
import { VIEW_PATH } from "./view-sync.ts";

const cluster = useCluster();

const FORGED = { [FORWARDED_BY]: "node-1", [CLUSTER_AUTH]: "a-guess-at-the-cluster-secret" };

async function send(
  url: string,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const res = await request(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

it("forged internal headers are harmless, through HAProxy and straight to a node", async () => {
  const { stack, db } = cluster;
  const nodes = stack.nodes;
  await waitFor("all shards owned", () =>
    ownedOnlyBy(
      db,
      nodes.map((n) => n.id),
    ),
  );
  const eventId = `forged-${Date.now()}`;
  const seats = await createEvent(stack.url, eventId, 12, 2);
  const owners = await shardOwners(db);

  // Through the load balancer: a hold, a confirm, a booking read and the reads, all with the forged headers.
  const hold = await send(stack.url, "POST", `/events/${eventId}/holds`, FORGED, {
    seatId: seats[0],
    userId: "mallory",
    requestId: "r1",
  });
  assert.equal(hold.status, 201);
  const holdId = String(hold.json?.holdId);
  const booking = await send(stack.url, "POST", `/events/${eventId}/holds/${holdId}/confirm`, FORGED, {});
  assert.equal(booking.status, 200);
  const bookingId = String(booking.json?.bookingId);
  for (const path of [`/events/${eventId}/bookings/${bookingId}`, `/events/${eventId}`, `/events/${eventId}/seats`]) {
    assert.equal((await send(stack.url, "GET", path, FORGED)).status, 200, path);
  }

  // Straight to every node, past HAProxy's header stripping: a node that does not own the seat forwards the
  // request like any client's, it does not refuse it as a second hop.
  const owner = owners[shardOfSeat(eventId, seats[0] ?? "")];
  const others = nodes.filter((n) => n.id !== owner);
  assert.ok(others.length > 0);
  for (const node of nodes) {
    const read = await send(node.url, "GET", `/events/${eventId}/bookings/${bookingId}`, FORGED);
    assert.equal(read.status, 200, `${node.id}: ${JSON.stringify(read.json)}`);
    assert.equal(read.json?.bookingId, bookingId);
    const again = await send(node.url, "POST", `/events/${eventId}/holds/${holdId}/confirm`, FORGED, {});
    assert.equal(again.status, 200, `${node.id}: confirm again`);
    // The peer endpoint of the availability view does not exist for clients, forged headers or not.
    const update = { events: [[eventId, [1, 2, 2 ** 40]]] };
    assert.equal((await send(node.url, "POST", VIEW_PATH, {}, update)).status, 404);
    assert.equal((await send(node.url, "POST", VIEW_PATH, FORGED, update)).status, 404);
  }
  const counts = await send(stack.url, "GET", `/events/${eventId}`, {});
  assert.equal(counts.json?.sold, 1, "the refused view update changed nothing");

  // With the cluster's secret the same endpoint answers: the check above refused a stranger, not everyone.
  const peer = { [FORWARDED_BY]: "test", [CLUSTER_AUTH]: stack.clusterSecret };
  assert.equal((await send(nodes[0]?.url ?? "", "POST", VIEW_PATH, peer, { events: [] })).status, 204);
});
