import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "./config.ts";

describe("loadConfig", () => {
  const base = { DATABASE_URL: "postgres://u@127.0.0.1:5432/db", REDIS_URL: "redis://127.0.0.1:6379" };

  it("applies the defaults", () => {
    const c = loadConfig(base);
    assert.equal(c.WRITE_MODE, "queue");
    assert.equal(c.LOG_LEVEL, "warn");
    assert.equal(c.HOST, "127.0.0.1");
    assert.equal(c.METRICS_PORT, undefined, "/metrics stays on PORT unless METRICS_PORT is set");
  });

  it("reads METRICS_PORT, an empty one as unset", () => {
    assert.equal(loadConfig({ ...base, METRICS_PORT: "9464" }).METRICS_PORT, 9464);
    assert.equal(loadConfig({ ...base, METRICS_PORT: "" }).METRICS_PORT, undefined);
    assert.throws(() => loadConfig({ ...base, METRICS_PORT: "70000" }), /METRICS_PORT/);
  });

  it("lists every bad variable in one error", () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: base.REDIS_URL, WRITE_MODE: "later", PORT: "x" }),
      (err: Error) => ["DATABASE_URL", "WRITE_MODE", "PORT"].every((v) => err.message.includes(v)),
    );
  });
});
