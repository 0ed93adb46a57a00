import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { pingRedis, type RedisServer, redisVersion, startRedis } from "./index.ts";

describe("startRedis (private server)", () => {
  let server: RedisServer;
  let client: Redis;

  before(async () => {
    delete process.env.REDIS_URL;
    server = await startRedis();
    client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });

  after(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it("answers SET/GET on 127.0.0.1", async () => {
    assert.match(server.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
    await client.set("k", "v");
    assert.equal(await client.get("k"), "v");
  });

  it("has no persistence by default", async () => {
    assert.deepEqual(await client.config("GET", "appendonly"), ["appendonly", "no"]);
    assert.deepEqual(await client.config("GET", "save"), ["save", ""]);
  });

  it("reports its version", async () => {
    const port = Number(new URL(server.url).port);
    assert.match(await redisVersion(port), /^\d+\.\d+/);
  });

  it("stop() ends the server", async () => {
    const port = Number(new URL(server.url).port);
    client.disconnect();
    await server.stop();
    assert.equal(await pingRedis(port), false);
  });
});

describe("startRedis with persistence", () => {
  it("turns on the append-only file when asked", async () => {
    delete process.env.REDIS_URL;
    const server = await startRedis({ persistence: "aof" });
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      assert.deepEqual(await client.config("GET", "appendonly"), ["appendonly", "yes"]);
      assert.deepEqual(await client.config("GET", "appendfsync"), ["appendfsync", "everysec"]);
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});
