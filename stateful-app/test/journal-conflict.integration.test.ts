import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type PostgresServer, startPostgres } from "../../harness/infra/index.ts";
import {
  type ActorBehavior,
  ActorStoppedError,
  ActorSystem,
  JournalConflictError,
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

  before(async () => {
    db = await startPostgres();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
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

  it("a fencing check inside the transaction refuses the shards it names", async () => {
    const journal = new PgJournal({ pool, fence: async (_tx, shards) => shards.filter((s) => s === 3) });
    const refused = journal.append([{ persistenceId: "f|a", seqNr: 1, shard: 3, event: { item: "no" } }]);
    const allowed = journal.append([{ persistenceId: "f|b", seqNr: 1, shard: 4, event: { item: "yes" } }]);
    await assert.rejects(refused, /fenced/);
    await allowed;
    assert.deepEqual(await rows("f|a"), []);
    assert.deepEqual(await rows("f|b"), ["1:yes"]);
  });
});
