import type { Hono } from "hono";
import { type PostgresServer, type RedisServer, startPostgres, startRedis } from "../../harness/infra/index.ts";
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { createRuntime, type Runtime } from "../runtime.ts";

/** Real PostgreSQL + Redis and the app in-process (driven through `app.request()`), for integration tests. */
export interface Fixture {
  app: Hono;
  rt: Runtime;
  pg: PostgresServer;
  redis: RedisServer;
  /** `app.request` with a JSON body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export async function startFixture(writeMode: "queue" | "sync" = "queue"): Promise<Fixture> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const config = loadConfig({
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    WRITE_MODE: writeMode,
    NODE_ID: "test-1",
    LOG_LEVEL: "silent",
  });
  const rt = await createRuntime(config, "api");
  const app = createApp({
    db: rt.db,
    store: rt.store,
    writer: rt.writer,
    node: "test-1",
    log: rt.log,
    metrics: rt.metrics,
  });
  return {
    app,
    rt,
    pg,
    redis,
    async call(method, path, body) {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        init.headers = { "content-type": "application/json" };
      }
      const res = await app.request(path, init);
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await rt.close();
      await Promise.all([pg.stop(), redis.stop()]);
    },
  };
}

/** Everything the app has written: PostgreSQL rows and every Redis key with its value. */
export async function snapshot(
  f: Fixture,
): Promise<{ events: number; bookings: number; redis: Record<string, string> }> {
  const ev = await f.rt.db.query<{ n: string }>("SELECT count(*) AS n FROM stateless.events");
  const bk = await f.rt.db.query<{ n: string }>("SELECT count(*) AS n FROM stateless.bookings");
  const redis: Record<string, string> = {};
  for (const key of (await f.rt.redis.keys("sl:*")).sort()) {
    const type = await f.rt.redis.type(key);
    redis[key] =
      type === "string"
        ? String(await f.rt.redis.get(key))
        : type === "hash"
          ? JSON.stringify(await f.rt.redis.hgetall(key))
          : JSON.stringify(await f.rt.redis.zrange(key, "0", "-1", "WITHSCORES"));
  }
  return { events: Number(ev.rows[0]?.n), bookings: Number(bk.rows[0]?.n), redis };
}
