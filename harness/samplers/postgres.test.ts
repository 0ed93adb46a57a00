import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type PostgresServer, startPostgres } from "../infra/index.ts";
import { postgresSampler } from "./postgres.ts";

describe("PostgreSQL sampler (real PostgreSQL)", () => {
  let db: PostgresServer;
  before(async () => {
    db = await startPostgres();
  });
  after(async () => {
    await db?.stop();
  });

  it("counts every app statement, also ones calling pg_stat_* functions, and none of its own", async () => {
    const app = new pg.Client({ connectionString: db.url });
    await app.connect();
    // The table is made by a session that ends before the first sample: CREATE TABLE inserts catalog rows too.
    const setup = new pg.Client({ connectionString: db.url });
    await setup.connect();
    await setup.query("CREATE TABLE t (x int)");
    await setup.end();
    await new Promise((r) => setTimeout(r, 300));
    const sampler = postgresSampler(db.url);
    try {
      const first = await sampler.sample();
      // The stateful cluster's fenced INSERT calls pg_stat_get_activity: it is app work and must be counted.
      for (let i = 0; i < 10; i++) await app.query("SELECT 1 WHERE EXISTS (SELECT 1 FROM pg_stat_get_activity(1))");
      await app.query("INSERT INTO t VALUES (1), (2), (3)");
      // pg_stat_statements counts at once; pg_stat_database counters arrive when a backend reports them, which
      // an idle backend may put off for seconds but always does when it exits: so end the app's session first.
      const statements = (await sampler.sample()).counters.pgStatements ?? 0;
      assert.equal(statements - (first.counters.pgStatements ?? 0), 11);
      await app.end();
      await new Promise((r) => setTimeout(r, 300));
      const second = await sampler.sample();
      const delta = (k: string) => (second.counters[k] ?? 0) - (first.counters[k] ?? 0);
      assert.equal(delta("pgRowsInserted"), 3);
      // The sampler observes from the maintenance database: none of its own commits count here.
      assert.equal(delta("pgCommits"), 11);
    } finally {
      await app.end().catch(() => undefined);
      await sampler.close();
    }
  });
});
