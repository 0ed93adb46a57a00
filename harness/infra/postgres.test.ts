import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type PostgresServer, postgresVersion, startPostgres } from "./index.ts";

describe("startPostgres (private cluster)", () => {
  let server: PostgresServer;
  let client: pg.Client;

  before(async () => {
    // The test is about the private cluster, so an inherited DATABASE_URL must not be reused here.
    delete process.env.DATABASE_URL;
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
  });

  after(async () => {
    await client?.end();
    await server?.stop();
  });

  it("serves the statebench database on 127.0.0.1 as a child process", async () => {
    assert.match(server.url, /^postgres:\/\/statebench:[A-Za-z0-9_-]{24}@127\.0\.0\.1:\d+\/statebench$/);
    assert.equal(typeof server.pid, "number");
    const res = await client.query<{ db: string; one: number }>("SELECT current_database() AS db, 1 AS one");
    assert.deepEqual(res.rows[0], { db: "statebench", one: 1 });
  });

  it("authenticates every connection with scram-sha-256 and the generated password, never trust", async () => {
    const rules = await client.query<{ type: string; auth_method: string }>(
      "SELECT type, auth_method FROM pg_hba_file_rules",
    );
    assert.ok(rules.rows.length > 0);
    for (const r of rules.rows) assert.equal(r.auth_method, "scram-sha-256", `${r.type} rule`);
    const url = new URL(server.url);
    for (const password of ["", "wrong"]) {
      url.password = password;
      const other = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
      other.on("error", () => {});
      await assert.rejects(other.connect(), `password "${password}" was accepted`);
      await other.end().catch(() => {});
    }
    const stored = await client.query<{ rolpassword: string }>(
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'statebench'",
    );
    assert.match(stored.rows[0]?.rolpassword ?? "", /^SCRAM-SHA-256\$/);
  });

  it("is durable: fsync, synchronous_commit and full_page_writes are on", async () => {
    for (const name of ["fsync", "synchronous_commit", "full_page_writes"]) {
      const res = await client.query<Record<string, string>>(`SHOW ${name}`);
      assert.equal(res.rows[0]?.[name], "on", name);
    }
    const max = await client.query<{ max_connections: string }>("SHOW max_connections");
    assert.equal(max.rows[0]?.max_connections, "300");
  });

  it("records statements in pg_stat_statements", async () => {
    await client.query("SELECT pg_stat_statements_reset()");
    await client.query("CREATE TABLE probe_tbl (id int)");
    await client.query("INSERT INTO probe_tbl VALUES (1)");
    const res = await client.query<{ calls: string }>(
      "SELECT calls FROM pg_stat_statements WHERE query LIKE 'INSERT INTO probe_tbl%'",
    );
    assert.equal(res.rows.length, 1);
    assert.equal(Number(res.rows[0]?.calls), 1);
  });

  it("does not run the server as root", async () => {
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    assert.ok(uid !== undefined);
    if (process.getuid?.() === 0) assert.notEqual(uid, "0");
  });

  it("reports its version", async () => {
    assert.match(await postgresVersion(server.url), /^\d+\.\d+/);
  });

  it("stop() ends the server and is idempotent", async () => {
    const pid = server.pid as number;
    await client.end();
    await Promise.all([server.stop(), server.stop()]);
    assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
    // The temp folder was ours, so stop() removed it.
    assert.equal(existsSync(server.runDir as string), false);
  });
});

describe("startPostgres with DATABASE_URL", () => {
  it("reuses the given URL and stop() is a no-op", async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgres://someone@127.0.0.1:1/elsewhere";
    try {
      const server = await startPostgres();
      assert.equal(server.url, "postgres://someone@127.0.0.1:1/elsewhere");
      assert.equal(server.pid, null);
      await server.stop();
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});
