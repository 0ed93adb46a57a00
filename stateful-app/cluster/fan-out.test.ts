// Fan-out reads over real HTTP peers on 127.0.0.1 (no database): used only when every shard is counted once.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { fanOutRead, IncompleteReadError, type ShardPartial } from "./fan-out.ts";
import { FORWARDED_BY } from "./forward.ts";
import { PeerReader } from "./routing.ts";

const servers: Array<ReturnType<typeof serve>> = [];
let peerUrl = "";
let peerShards: number[] = [2, 3];
const seenHeaders: Array<string | undefined> = [];
const peers = new PeerReader("me", 2000);

before(async () => {
  const app = new Hono();
  app.get("/count", (c) => {
    seenHeaders.push(c.req.header(FORWARDED_BY));
    return c.json({ node: "peer", shards: peerShards, value: 10 } satisfies ShardPartial<number>);
  });
  peerUrl = await new Promise<string>((resolve) => {
    servers.push(
      serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      ),
    );
  });
});

after(async () => {
  await peers.close();
  for (const s of servers) s.close();
});

const members = () => [
  { node: "me", url: "http://127.0.0.1:1" },
  { node: "peer", url: peerUrl },
];
const local = (shards: number[]): ShardPartial<number> => ({ node: "me", shards, value: 5 });

describe("fanOutRead", () => {
  it("asks every other member once, marked as a peer request, and returns all parts", async () => {
    peerShards = [2, 3];
    const parts = await fanOutRead({ shards: 4, members: members(), peers, path: "/count", local: local([0, 1]) });
    assert.deepEqual(
      parts.map((p) => p.value),
      [5, 10],
    );
    assert.deepEqual(seenHeaders, ["me"]);
  });

  it("refuses parts that leave a shard uncounted", async () => {
    peerShards = [3];
    await assert.rejects(
      fanOutRead({ shards: 4, members: members(), peers, path: "/count", local: local([0, 1]) }),
      (err: unknown) => err instanceof IncompleteReadError && err.missing.join() === "2",
    );
  });

  it("refuses parts that count a shard twice (it moved between the answers)", async () => {
    peerShards = [1, 2, 3];
    await assert.rejects(
      fanOutRead({ shards: 4, members: members(), peers, path: "/count", local: local([0, 1]) }),
      (err: unknown) => err instanceof IncompleteReadError && err.duplicated.join() === "1",
    );
  });

  it("refuses when a member does not answer", async () => {
    const dead = [...members(), { node: "dead", url: "http://127.0.0.1:9" }];
    await assert.rejects(
      fanOutRead({ shards: 4, members: dead, peers, path: "/count", local: local([0, 1]) }),
      IncompleteReadError,
    );
  });
});
