// The journal's group-commit writer keeps one pooled session while batches keep coming (pg-journal.ts,
// `writerClient`): a session cut under it must not crash the node or wedge the writer, and handing the session
// back and forth to the pool must not pile up listeners on the pool's reused client.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { type PostgresServer, startPostgres } from "../../harness/infra/index.ts";
import { migrate, PgJournal } from "../runtime/index.ts";

const APP = "statebench-journal-writer-test";

describe("journal writer session", () => {
  let db: PostgresServer;
  let pool: pg.Pool;
  let admin: pg.Pool;
  before(async () => {
    db = await startPostgres();
    pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: APP });
    pool.on("error", () => {});
    admin = new pg.Pool({ connectionString: db.url, max: 1 });
    // pool.end() resolves before its clients' sockets close: PostgreSQL's shutdown notice can still reach one.
    admin.on("error", () => {});
    await migrate(admin);
  });
  after(async () => {
    await pool?.end();
    await admin?.end();
    await db?.stop();
  });

  const row = (id: string, seqNr = 1) => [{ persistenceId: id, seqNr, shard: 0, event: { n: seqNr } }];

  it("a writer session cut by PostgreSQL (a peer fencing this node) is replaced; appends go on", async () => {
    const journal = new PgJournal({ pool });
    let seq = 0;
    let failed = 0;
    let stop = false;
    // Appends every few ms, so the session is held (not idle in the pool) when it is cut.
    const writing = (async () => {
      while (!stop) {
        seq++;
        await journal.append(row("w|cut", seq)).catch(() => {
          failed++;
          seq--;
        });
        await sleep(5);
      }
    })();
    await sleep(200);
    const cut = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
      [APP],
    );
    assert.ok(cut.rowCount && cut.rowCount > 0, "the writer's session was found and cut");
    const before = seq;
    await sleep(500);
    stop = true;
    await writing;
    assert.ok(seq > before + 5, `appends resumed after the cut (${seq - before} since, ${failed} failed)`);
    const n = await admin.query("SELECT count(*)::int AS n FROM actor_journal WHERE persistence_id = 'w|cut'");
    assert.equal(n.rows[0]?.n, seq, "every append that resolved is in the journal");
    await journal.close();
  });

  it("the session goes back to the pool when idle, without leaving listeners on it", async () => {
    const journal = new PgJournal({ pool });
    for (let i = 1; i <= 15; i++) {
      await journal.append(row("w|idle", i));
      await sleep(130); // longer than the writer's linger: the session is given back each time
    }
    await journal.close();
    const client = await pool.connect();
    try {
      assert.ok(client.listenerCount("error") <= 1, `${client.listenerCount("error")} error listeners`);
    } finally {
      client.release();
    }
    assert.equal(pool.totalCount - pool.idleCount, 0, "nothing left checked out");
  });
});
