// HAProxy 2.6's owner routing (haproxy-config.ts): the shard it computes for each actor-addressed request is the
// nodes' (CRC-32 of the actor key mod SHARDS), the map picks the server, a down server falls back to balancing,
// other requests are balanced, and a client's `x-statebench-*` headers never reach a backend.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { crc32 } from "node:zlib";
import { type Haproxy, sleep, startHaproxy } from "./index.ts";

const SHARDS = 128;
const shard = (key: string) => crc32(key) % SHARDS;

interface Seen {
  name: string;
  headers: Record<string, unknown>;
}

/** A backend that answers its name and the request headers it received. */
async function echo(name: string, state = { healthy: true }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/health") res.statusCode = state.healthy ? 200 : 503;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ name, headers: req.headers } satisfies Seen));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
}

async function send(lb: Haproxy, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${lb.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Seen;
}

/** Maps every shard to `fallback`, and the given shards to other servers (atomic prepare/commit). */
async function setMap(lb: Haproxy, fallback: string, special: Record<number, string>) {
  const file = lb.mapPath ?? "";
  const version = /(\d+)/.exec(await lb.command(`prepare map ${file}`))?.[1];
  for (let s = 0; s < SHARDS; s++) await lb.command(`add map @${version} ${file} ${s} ${special[s] ?? fallback}`);
  await lb.command(`commit map @${version} ${file}`);
}

for (const granularity of ["seat", "section"] as const) {
  describe(`HAProxy owner routing (${granularity} actors)`, () => {
    let lb: Haproxy;
    const servers: Server[] = [];
    const bState = { healthy: true };
    const slotOf = new Map<string, string>();

    before(async () => {
      const a = await echo("a");
      const b = await echo("b", bState);
      servers.push(a.server, b.server);
      lb = await startHaproxy({ routing: { shards: SHARDS, granularity } });
      await lb.addBackend({ id: "a", url: a.url });
      await lb.addBackend({ id: "b", url: b.url });
      for (const s of await lb.stats()) slotOf.set(s.id, s.slot);
    });

    after(async () => {
      await lb?.stop();
      for (const s of servers) s.closeAllConnections();
      for (const s of servers) s.close();
    });

    const actor = (event: string, seat: string) =>
      granularity === "seat" ? `seat|${event}/${seat}` : `section|${event}/${seat.slice(0, seat.lastIndexOf("-"))}`;

    it("sends holds, confirms, releases and booking reads to the server of their actor's shard", async () => {
      const cases = [
        ["ev-1", "A-12"],
        ["ev-2", "Balcony-7"],
        ["e_3", "S10-499"],
      ] as const;
      for (const [event, seat] of cases) {
        const b = slotOf.get("b") ?? "";
        await setMap(lb, slotOf.get("a") ?? "", { [shard(actor(event, seat))]: b });
        const hold = await send(lb, "POST", `/events/${event}/holds`, { seatId: seat, userId: "u", requestId: "r" });
        assert.equal(hold.name, "b", `hold ${event}/${seat}`);
        const holdId = `${seat}.Xy_z-0123456`;
        assert.equal((await send(lb, "POST", `/events/${event}/holds/${holdId}/confirm`, {})).name, "b");
        assert.equal((await send(lb, "DELETE", `/events/${event}/holds/${holdId}`)).name, "b");
        assert.equal((await send(lb, "GET", `/events/${event}/bookings/${seat}.bAbc?x=1`)).name, "b");
        // Another seat's shard is someone else's.
        await setMap(lb, slotOf.get("b") ?? "", { [shard(actor(event, seat))]: slotOf.get("a") ?? "" });
        assert.equal((await send(lb, "POST", `/events/${event}/holds`, { seatId: seat })).name, "a");
      }
    });

    it("sends event creation to the event actor's shard", async () => {
      await setMap(lb, slotOf.get("a") ?? "", { [shard("event|ev-9")]: slotOf.get("b") ?? "" });
      assert.equal((await send(lb, "PUT", "/events/ev-9", { sections: [] })).name, "b");
    });

    it("balances what is not addressed to one actor, and a shard missing from the map", async () => {
      await setMap(lb, slotOf.get("a") ?? "", {});
      const names = new Set<string>();
      for (let i = 0; i < 6; i++) names.add((await send(lb, "GET", "/events/ev-1/seats?limit=5")).name);
      assert.deepEqual([...names].sort(), ["a", "b"]);
      await lb.command(`clear map ${lb.mapPath}`);
      const holds = new Set<string>();
      for (let i = 0; i < 6; i++) holds.add((await send(lb, "POST", "/events/ev-1/holds", { seatId: "A-1" })).name);
      assert.deepEqual([...holds].sort(), ["a", "b"]);
    });

    it("falls back to balancing when the owner's server is down", async () => {
      await setMap(lb, slotOf.get("b") ?? "", {});
      bState.healthy = false;
      const deadline = Date.now() + 10_000;
      while ((await lb.stats()).find((s) => s.id === "b")?.status !== "DOWN") {
        if (Date.now() > deadline) throw new Error("b never went DOWN");
        await sleep(50);
      }
      assert.equal((await send(lb, "POST", "/events/ev-1/holds", { seatId: "A-1" })).name, "a");
      bState.healthy = true;
    });

    it("strips every x-statebench-* request header at the frontend", async () => {
      const seen = await send(lb, "GET", "/events/ev-1", undefined, {
        "x-statebench-forwarded-by": "node-1",
        "X-Statebench-Cluster-Auth": "guess",
        "x-other": "kept",
      });
      assert.equal(seen.headers["x-statebench-forwarded-by"], undefined);
      assert.equal(seen.headers["x-statebench-cluster-auth"], undefined);
      assert.equal(seen.headers["x-other"], "kept");
    });
  });
}
