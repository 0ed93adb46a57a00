// The round-trip counter against a stub app whose calls are known: real PostgreSQL and Redis behind counting
// proxies, a small HTTP app making a set number of sequential, pipelined, parallel and after-the-answer calls.
// If the counter missed a call, merged two sequential ones or counted work after the answer, a case fails.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import pg from "pg";
import { request } from "undici";
import { type PostgresServer, type RedisServer, startPostgres, startRedis } from "../infra/index.ts";
import { fewest, type MeasuredRoundTrips, measureRequest } from "./measure.ts";
import { startWireCounter, type WireCounter } from "./wire-counter.ts";

/** Each route's calls, and the sequential round trips they must count as. */
const ROUTES: Record<string, { expected: MeasuredRoundTrips; run: (db: pg.Pool, redis: Redis) => Promise<void> }> = {
  "/sequential": {
    expected: { redis: 2, postgres: 1, backends: 3 },
    run: async (db, redis) => {
      await redis.get("a");
      await redis.get("b");
      await db.query("SELECT 1");
    },
  },
  "/pipelined-and-parallel": {
    // Three commands in one pipeline are one trip; two queries in flight at once on two connections are one.
    expected: { redis: 1, postgres: 1, backends: 2 },
    run: async (db, redis) => {
      await redis.pipeline().get("a").get("b").get("c").exec();
      await Promise.all([db.query("SELECT pg_sleep(0.02)"), db.query("SELECT pg_sleep(0.02)")]);
    },
  },
  "/transaction": {
    expected: { redis: 0, postgres: 3, backends: 3 },
    run: async (db) => {
      const client = await db.connect();
      try {
        await client.query("BEGIN");
        await client.query("INSERT INTO rt_probe VALUES (1)");
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    },
  },
  "/both-at-once": {
    // A Redis call during a PostgreSQL query: one trip each, one together.
    expected: { redis: 1, postgres: 1, backends: 1 },
    run: async (db, redis) => {
      await Promise.all([
        db.query("SELECT pg_sleep(0.03)"),
        new Promise((r) => setTimeout(r, 5)).then(() => redis.get("a")),
      ]);
    },
  },
  "/after-the-answer": {
    // Write-behind: the call happens after the client has its answer, off the critical path.
    expected: { redis: 0, postgres: 0, backends: 0 },
    run: async (_db, redis) => {
      setTimeout(() => void redis.set("later", "1"), 50);
    },
  },
};

describe("round-trip counter against a stub app with a known number of calls", () => {
  let pgServer: PostgresServer;
  let redisServer: RedisServer;
  const counters: { postgres?: WireCounter; redis?: WireCounter } = {};
  let db: pg.Pool;
  let redis: Redis;
  let app: Server;
  let base = "";

  before(async () => {
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    [pgServer, redisServer] = await Promise.all([startPostgres(), startRedis()]);
    counters.postgres = await startWireCounter("postgres", new URL(pgServer.url).host);
    counters.redis = await startWireCounter("redis", new URL(redisServer.url).host);
    const dbUrl = new URL(pgServer.url);
    dbUrl.host = counters.postgres.address;
    db = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
    // pool.end() resolves before its clients' sockets close: PostgreSQL's shutdown notice can still reach one.
    db.on("error", () => {});
    await db.query("CREATE TABLE rt_probe (id int)");
    redis = new Redis(`redis://${counters.redis.address}`);
    app = createServer((req, res) => {
      const route = ROUTES[req.url ?? ""];
      if (!route) return void res.writeHead(404).end();
      route.run(db, redis).then(
        () => res.writeHead(200).end("ok"),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const address = app.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  after(async () => {
    app?.closeAllConnections();
    app?.close();
    redis?.disconnect();
    await db?.end();
    await Promise.all([counters.postgres?.close(), counters.redis?.close()]);
    await Promise.all([pgServer?.stop(), redisServer?.stop()]);
  });

  const get = async (path: string) => {
    const res = await request(`${base}${path}`);
    assert.equal(res.statusCode, 200, await res.body.text());
  };

  for (const [path, route] of Object.entries(ROUTES)) {
    it(`${path}: ${JSON.stringify(route.expected)}`, async () => {
      await get(path); // warm-up: both pool connections open, nothing left from the previous case
      await Promise.all([db.query("SELECT 1"), db.query("SELECT 1")]);
      await new Promise((r) => setTimeout(r, 100));
      const samples: MeasuredRoundTrips[] = [];
      for (let i = 0; i < 3; i++) samples.push(await measureRequest(counters, () => get(path)));
      assert.deepEqual(fewest(samples), route.expected, JSON.stringify(samples));
      // The background call of /after-the-answer did reach Redis: it was left out, not missed.
      if (path === "/after-the-answer") {
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(await redis.get("later"), "1");
      }
    });
  }
});
