// Module tests of membership, ownership, failover and fencing against a real private PostgreSQL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { startPostgres } from "../../harness/infra/index.ts";
import { JournalFencedError, migrate, PgJournal } from "../runtime/index.ts";
import { ClusterNode, type ClusterOptions } from "./node.ts";

const SHARDS = 16;
let db: Awaited<ReturnType<typeof startPostgres>>;
let admin: pg.Pool;
const nodes: ClusterNode[] = [];

function node(id: string, extra: Partial<ClusterOptions> = {}): ClusterNode {
  const n = new ClusterNode({
    databaseUrl: db.url,
    nodeId: id,
    url: `http://127.0.0.1:1/${id}`,
    shards: SHARDS,
    heartbeatMs: 100,
    pollMs: 100,
    deadAfterMs: 1000,
    ...extra,
  });
  nodes.push(n);
  return n;
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function owners(): Promise<Map<number, { owner: string | null; epoch: number }>> {
  const res = await admin.query<{ shard: number; owner: string | null; epoch: string }>(
    "SELECT shard, owner, epoch FROM shard_owner ORDER BY shard",
  );
  return new Map(res.rows.map((r) => [r.shard, { owner: r.owner, epoch: Number(r.epoch) }]));
}

function disjointCover(a: ClusterNode, b: ClusterNode): boolean {
  const sa = new Set(a.ownedShards());
  const sb = b.ownedShards();
  return sb.every((s) => !sa.has(s)) && sa.size + sb.length === SHARDS;
}

async function terminateOwnership(n: ClusterNode): Promise<void> {
  await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
    n.applicationName("ownership"),
  ]);
}

before(async () => {
  db = await startPostgres();
  admin = new pg.Pool({ connectionString: db.url, max: 4 });
  // pg-pool's end() resolves before its clients' sockets close, so PostgreSQL's shutdown in after() may still
  // reach one of them ("terminating connection due to administrator command").
  admin.on("error", () => {});
});

after(async () => {
  for (const n of nodes) await n.close().catch(() => {});
  await admin?.end();
  await db?.stop();
});

describe("cluster ownership (PostgreSQL)", () => {
  it("splits the shards between two nodes and routes to the owner", async () => {
    await admin.query("DROP TABLE IF EXISTS cluster_member, shard_owner");
    const a = node("a");
    const b = node("b");
    await a.start();
    await b.start();
    await waitFor(
      "a balanced split",
      () => disjointCover(a, b) && a.ownedShards().length > 0 && b.ownedShards().length > 0,
    );
    const sb = b.ownedShards()[0] ?? -1;
    await waitFor("a to see b's shard", () => a.route(sb).kind === "remote");
    const r = a.route(sb);
    assert.equal(r.kind, "remote");
    assert.equal(r.kind === "remote" && r.url, "http://127.0.0.1:1/b");
    const sa = a.ownedShards()[0] ?? -1;
    assert.equal(a.route(sa).kind, "local");
    const table = await owners();
    for (const s of a.ownedShards()) assert.equal(table.get(s)?.owner, "a");
    for (const s of b.ownedShards()) assert.equal(table.get(s)?.owner, "b");
    await a.close();
    await b.close();
  });

  it("hands shards over on join: deactivates before releasing, the joiner bumps the epoch", async () => {
    await admin.query("DROP TABLE IF EXISTS cluster_member, shard_owner");
    const a = node("a");
    const deactivated: number[] = [];
    const b = node("b");
    a.setDeactivator(async (shard) => {
      // The joiner must not own the shard while the old owner is still flushing it.
      assert.ok(!b.ownedShards().includes(shard));
      deactivated.push(shard);
    });
    await a.start();
    assert.equal(a.ownedShards().length, SHARDS);
    const before = await owners();
    await b.start();
    await waitFor("the hand-off", () => disjointCover(a, b) && b.ownedShards().length > 0);
    assert.deepEqual(
      [...deactivated].sort((x, y) => x - y),
      b.ownedShards(),
    );
    const afterJoin = await owners();
    for (const s of b.ownedShards()) {
      assert.equal(afterJoin.get(s)?.owner, "b");
      assert.equal(afterJoin.get(s)?.epoch, (before.get(s)?.epoch ?? 0) + 1);
      assert.equal(b.epochOf(s), afterJoin.get(s)?.epoch);
    }
    // Graceful leave of b: a takes everything back after b deactivated its shards.
    const bShards = b.ownedShards();
    const bDeactivated: number[] = [];
    b.setDeactivator(async (s) => {
      bDeactivated.push(s);
    });
    await b.leave();
    assert.deepEqual(
      [...bDeactivated].sort((x, y) => x - y),
      bShards,
    );
    await waitFor("a to own all shards again", () => a.ownedShards().length === SHARDS);
    await a.close();
  });

  it("fails over when a node's ownership session is terminated; the cut node drops its shards", async () => {
    await admin.query("DROP TABLE IF EXISTS cluster_member, shard_owner");
    const a = node("a");
    const b = node("b");
    await a.start();
    await b.start();
    await waitFor("a split", () => disjointCover(a, b) && b.ownedShards().length > 0);
    const lost: number[] = [];
    let fatal: Error | null = null;
    b.on("lost", (s) => lost.push(s));
    b.on("fatal", (e) => {
      fatal = e;
    });
    const bShards = b.ownedShards();
    await terminateOwnership(b);
    await waitFor("b to notice", () => fatal !== null);
    assert.deepEqual(
      [...lost].sort((x, y) => x - y),
      bShards,
    );
    assert.equal(b.ownedShards().length, 0);
    assert.equal(b.route(bShards[0] ?? 0).kind, "unavailable");
    await waitFor("a to own all shards", () => a.ownedShards().length === SHARDS);
    const table = await owners();
    for (const s of bShards) assert.equal(table.get(s)?.owner, "a");
    const member = await admin.query("SELECT status FROM cluster_member WHERE node_id = 'b'");
    assert.equal(member.rows[0]?.status, "dead");
    await a.close();
  });

  it("declares a member with a stale heartbeat dead and cuts its sessions", async () => {
    await admin.query("DROP TABLE IF EXISTS cluster_member, shard_owner");
    // `slow` heartbeats once an hour, like a paused process whose TCP connections the kernel keeps alive.
    const slow = node("slow", { heartbeatMs: 3_600_000, pollMs: 3_600_000 });
    let fatal = false;
    slow.on("fatal", () => {
      fatal = true;
    });
    await slow.start();
    assert.equal(slow.ownedShards().length, SHARDS);
    // Its serving lease runs out long before peers may declare it dead: no stale answers from memory.
    await waitFor("slow's lease to expire", () => slow.route(0).kind === "unavailable");
    const a = node("a");
    await a.start();
    await waitFor("a to take over every shard", () => a.ownedShards().length === SHARDS);
    await waitFor("slow to learn its session was cut", () => fatal);
    assert.equal(slow.ownedShards().length, 0);
    await a.close();
  });
});

describe("fencing (PostgreSQL)", () => {
  it("refuses appends by a stale owner, also one in flight when the shard is taken over", async () => {
    await admin.query("DROP TABLE IF EXISTS cluster_member, shard_owner");
    await migrate(admin);
    const a = node("a");
    await a.start();
    const shard = 3;
    const epoch = a.epochOf(shard);
    assert.ok(epoch !== undefined);
    const aOwnerPid = await backendPid(a.applicationName("ownership"));
    // a's journal, on sessions named like a's, so that a peer declaring a dead cuts them too.
    const aPool = new pg.Pool({ connectionString: db.url, max: 2, application_name: a.applicationName("journal") });
    aPool.on("error", () => {});
    const aJournal = new PgJournal({ pool: aPool, fence: a.fence });
    const row = (pid: string) => ({ persistenceId: pid, seqNr: 1, shard, event: { pid } });
    await aJournal.append([row("fence|1")]);
    assert.equal(aJournal.stats().statements, 1);

    // Not owned at all: refused without asking the database.
    const b = node("b");
    const bJournal = new PgJournal({ pool: admin, fence: b.fence });
    await assert.rejects(bJournal.append([row("fence|2")]), JournalFencedError);
    assert.equal(bJournal.stats().statements, 0);

    // An append that passed the fence (its shard row locked FOR SHARE) and waits behind another writer's
    // uncommitted row of the same actor when a's ownership session is cut: b declares a dead, which cuts a's
    // journal sessions, and takes the shard over; the append never commits.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("INSERT INTO actor_journal (persistence_id, seq_nr, event) VALUES ('fence|3', 1, '{}')");
    const inFlight = assert.rejects(aJournal.append([row("fence|3")]));
    await waitFor("a's append to wait for the blocker", async () => {
      const res = await admin.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
        [a.applicationName("journal")],
      );
      return (res.rowCount ?? 0) > 0;
    });
    await terminateOwnership(a);
    await b.start();
    await waitFor("b to own the shard", () => b.ownedShards().includes(shard));
    assert.ok((b.epochOf(shard) ?? 0) > epoch);
    await inFlight;
    await blocker.query("ROLLBACK");
    await blocker.end();
    assert.equal(await journalRows("fence|3"), 0);
    await aPool.end();

    // b appends; a stale owner's new session is refused by the epoch check, and a holder of the right epoch
    // whose ownership session is gone by the session check.
    await bJournal.append([row("fence|4")]);
    assert.equal(await journalRows("fence|4"), 1);
    const bOwnerPid = await backendPid(b.applicationName("ownership"));
    const fixed = (sessionPid: number, e: number) =>
      new PgJournal({
        pool: admin,
        fence: { expect: () => ({ sessionPid, epochs: new Map([[shard, e]]) }), refused() {} },
      });
    await assert.rejects(fixed(bOwnerPid, epoch).append([row("fence|5")]), JournalFencedError);
    await assert.rejects(fixed(aOwnerPid, b.epochOf(shard) ?? -1).append([row("fence|6")]), JournalFencedError);
    await fixed(bOwnerPid, b.epochOf(shard) ?? -1).append([row("fence|7")]);
    assert.deepEqual(await Promise.all(["fence|5", "fence|6", "fence|7"].map(journalRows)), [0, 0, 1]);
    await b.close();
  });
});

async function backendPid(applicationName: string): Promise<number> {
  const res = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [
    applicationName,
  ]);
  return res.rows[0]?.pid ?? 0;
}

async function journalRows(persistenceId: string): Promise<number> {
  const res = await admin.query("SELECT 1 FROM actor_journal WHERE persistence_id = $1", [persistenceId]);
  return res.rowCount ?? 0;
}
