import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type PostgresServer, startPostgres } from "../../harness/infra/index.ts";
import { migrateCluster } from "../cluster/schema.ts";
import {
  type ActorBehavior,
  ActorStoppedError,
  ActorSystem,
  type FenceCheck,
  JournalConflictError,
  JournalFencedError,
  type JournalStats,
  LocalPlacement,
  migrate,
  PgJournal,
} from "../runtime/index.ts";

type Cmd = { type: "add"; item: string } | { type: "get" };
const listActor: ActorBehavior<string[], Cmd, { item: string }, string[]> = {
  kind: "list",
  initialState: () => [],
  applyEvent: (s, e) => {
    s.push(e.item);
    return s;
  },
  receive(ctx, cmd) {
    if (cmd.type === "add") ctx.persist({ item: cmd.item });
    return [...ctx.state];
  },
};

/** Polls `cond` every 20 ms for up to 10 s; resolves with whether it became true. */
async function until(cond: () => Promise<boolean>): Promise<boolean> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

// Two writers for one actor (e.g. a paused node that still believes it owns a shard): the journal's primary key
// (persistence_id, seq_nr) lets only one append win, and the loser's activation stops instead of diverging.
describe("journal conflicts and group commit on PostgreSQL", () => {
  let db: PostgresServer;
  let pool: pg.Pool;
  const systems: ActorSystem[] = [];
  const newSystem = () => {
    const s = new ActorSystem({ journal: new PgJournal({ pool }), placement: new LocalPlacement(8) }).register(
      listActor,
    );
    systems.push(s);
    return s;
  };
  const rows = async (pid: string) =>
    (
      await pool.query<{ seq_nr: string; event: { item: string } }>(
        "SELECT seq_nr, event FROM actor_journal WHERE persistence_id = $1 ORDER BY seq_nr",
        [pid],
      )
    ).rows.map((r) => `${r.seq_nr}:${r.event.item}`);

  /** A stand-in for a node's ownership session: a live backend whose pid the fence names. */
  const session = async () => {
    const client = new pg.Client({ connectionString: db.url });
    client.on("error", () => {});
    await client.connect();
    const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
    return {
      pid,
      close: () => client.end().catch(() => {}),
      /** Resolves once PostgreSQL no longer lists the backend. */
      gone: () =>
        until(async () => (await pool.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount === 0),
    };
  };
  /** A fence holding `epochs` ([shard, epoch]) on the session `pid`, recording what it is told to drop. */
  const fence = (pid: number, epochs: Array<[number, number]>, refused: number[]): FenceCheck => ({
    expect: (shards) => ({ sessionPid: pid, epochs: new Map(epochs.filter(([s]) => shards.includes(s))) }),
    refused: (shards) => refused.push(...shards),
  });
  const pick = (s: JournalStats) => ({
    statements: s.statements,
    transactions: s.transactions,
    eventsWritten: s.eventsWritten,
    fenced: s.fenced,
  });
  /** Whether a statement on `shard_owner` other than `holder`'s waits for a lock (polled, bounded). */
  const waitForLockWait = async (db: pg.Pool, holder: pg.Client) => {
    const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
    return until(async () => {
      const res = await db.query(
        `SELECT 1 FROM pg_stat_activity WHERE pid <> $1 AND wait_event_type = 'Lock' AND query ILIKE '%shard_owner%'`,
        [holderPid],
      );
      return (res.rowCount ?? 0) > 0;
    });
  };

  before(async () => {
    db = await startPostgres();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    // pg-pool's end() resolves before its clients' sockets close, so PostgreSQL's shutdown in after() may still
    // reach one of them ("terminating connection due to administrator command").
    pool.on("error", () => {});
    await migrate(pool);
    await migrate(pool); // idempotent
  });
  after(async () => {
    for (const s of systems) await s.close();
    await pool?.end();
    await db?.stop();
  });

  it("a second writer appending the same (persistence id, seq nr) fails; its stale actor is deactivated", async () => {
    const owner = newSystem();
    const stale = newSystem();
    assert.deepEqual(await owner.ask("list", "x", { type: "get" }), []);
    assert.deepEqual(await stale.ask("list", "x", { type: "get" }), []);
    assert.deepEqual(await owner.ask("list", "x", { type: "add", item: "owner-1" }), ["owner-1"]);
    await assert.rejects(stale.ask("list", "x", { type: "add", item: "stale-1" }), ActorStoppedError);
    assert.equal(stale.isActive("list", "x"), false, "stale activation still active");
    assert.equal(stale.stats().staleStops, 1);
    assert.deepEqual(await rows("list|x"), ["1:owner-1"]);
    // Reactivated from the journal, the former stale node continues the owner's history without a gap.
    assert.deepEqual(await stale.ask("list", "x", { type: "add", item: "after" }), ["owner-1", "after"]);
    assert.deepEqual(await rows("list|x"), ["1:owner-1", "2:after"]);
  });

  it("appends are all-or-none per actor inside one group commit", async () => {
    const journal = new PgJournal({ pool });
    await journal.append([{ persistenceId: "p|taken", seqNr: 1, shard: 0, event: { item: "first" } }]);
    const conflicting = journal.append([
      { persistenceId: "p|taken", seqNr: 1, shard: 0, event: { item: "dup" } },
      { persistenceId: "p|taken", seqNr: 2, shard: 0, event: { item: "behind" } },
    ]);
    const innocent = journal.append([{ persistenceId: "p|free", seqNr: 1, shard: 1, event: { item: "ok" } }]);
    await assert.rejects(conflicting, JournalConflictError);
    await innocent;
    assert.deepEqual(await rows("p|taken"), ["1:first"], "no row of the losing append may land");
    assert.deepEqual(await rows("p|free"), ["1:ok"]);
    assert.equal(journal.stats().conflicts, 1);
  });

  it("group commit: 300 actors appending at once share a few transactions", async () => {
    const journal = new PgJournal({ pool });
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        journal.append([{ persistenceId: `g|${i}`, seqNr: 1, shard: i % 8, event: { item: String(i) } }]),
      ),
    );
    const stats = journal.stats();
    assert.equal(stats.eventsWritten, 300);
    assert.ok(stats.transactions <= 2, `${stats.transactions} transactions for 300 appends`);
    const count = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM actor_journal WHERE persistence_id LIKE 'g|%'",
    );
    assert.equal(Number(count.rows[0]?.n), 300);
    // Recoveries of many actors at once are grouped the same way.
    const recovered = await Promise.all(Array.from({ length: 300 }, (_, i) => journal.recover(`g|${i}`)));
    assert.deepEqual(
      recovered.map((r) => r.events.map((e) => (e.event as { item: string }).item)),
      Array.from({ length: 300 }, (_, i) => [String(i)]),
    );
    assert.ok(journal.stats().recoveryQueries <= 3, `${journal.stats().recoveryQueries} recovery queries`);
  });

  it("a fenced append is one statement writing only shards at the expected epoch of a live session", async () => {
    await migrateCluster(pool, 8);
    await pool.query("UPDATE shard_owner SET epoch = 5 WHERE shard IN (3, 4)");
    const owner = await session();
    const refused: number[] = [];
    // This node holds shard 3 at a stale epoch (4) and shard 4 at the current one (5); shard 5 is not its own.
    const journal = new PgJournal({
      pool,
      fence: fence(
        owner.pid,
        [
          [3, 4],
          [4, 5],
        ],
        refused,
      ),
    });
    const row = (pid: string, seqNr: number, shard: number) => ({
      persistenceId: pid,
      seqNr,
      shard,
      event: { item: pid },
    });
    const stale = journal.append([row("f|a", 1, 3), row("f|a", 2, 3)]);
    const allowed = journal.append([row("f|b", 1, 4), row("f|b", 2, 4)]);
    const foreign = journal.append([row("f|c", 1, 5)]);
    await assert.rejects(stale, JournalFencedError);
    await allowed;
    await assert.rejects(foreign, JournalFencedError);
    assert.deepEqual(await rows("f|a"), []);
    assert.deepEqual(await rows("f|b"), ["1:f|b", "2:f|b"]);
    assert.deepEqual(await rows("f|c"), []);
    assert.deepEqual(refused.sort(), [3, 5]);
    assert.deepEqual(pick(journal.stats()), { statements: 1, transactions: 1, eventsWritten: 2, fenced: 2 });

    // A unique violation still fails only the actor holding a taken sequence number; the fence still applies.
    const retry = journal.append([row("f|b", 2, 4)]);
    const fresh = journal.append([row("f|d", 1, 4)]);
    const stale2 = journal.append([row("f|e", 1, 3)]);
    await assert.rejects(retry, JournalConflictError);
    await fresh;
    await assert.rejects(stale2, JournalFencedError);
    assert.deepEqual(await rows("f|d"), ["1:f|d"]);
    assert.deepEqual(await rows("f|e"), []);

    // Once the ownership session is gone, even the right epoch is refused.
    await pool.query("SELECT pg_terminate_backend($1)", [owner.pid]);
    assert.ok(await owner.gone(), "the ownership session should be gone");
    await assert.rejects(journal.append([row("f|g", 1, 4)]), JournalFencedError);
    assert.deepEqual(await rows("f|g"), []);
  });

  it("a fenced append that waited for an epoch bump sees the new epoch and is refused", async () => {
    await migrateCluster(pool, 8);
    await pool.query("UPDATE shard_owner SET epoch = 7 WHERE shard = 6");
    const owner = await session();
    const journal = new PgJournal({ pool, fence: fence(owner.pid, [[6, 7]], []) });
    // A take-over in progress: the epoch bump is not committed yet, so the append's FOR SHARE lock waits for it.
    const bump = new pg.Client({ connectionString: db.url });
    await bump.connect();
    await bump.query("BEGIN");
    await bump.query("UPDATE shard_owner SET epoch = epoch + 1 WHERE shard = 6");
    const late = assert.rejects(
      journal.append([{ persistenceId: "f|late", seqNr: 1, shard: 6, event: { item: "late" } }]),
      JournalFencedError,
    );
    const waiting = await waitForLockWait(pool, bump);
    assert.ok(waiting, "the append should wait for the bump's row lock");
    await bump.query("COMMIT");
    await bump.end();
    await late;
    assert.deepEqual(await rows("f|late"), []);
    await owner.close();
  });
});
