// Module tests of membership, ownership, failover and fencing against a real private PostgreSQL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { startPostgres } from "../../harness/infra/index.ts";
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
  it("rejects an append by a stale owner, also inside a transaction that started before the take-over", async () => {
    await admin.query("DROP TABLE IF EXISTS cluster_member, shard_owner");
    const a = node("a");
    await a.start();
    const shard = 3;
    const epoch = a.epochOf(shard);
    assert.ok(epoch !== undefined);
    // a's journal session, named like a's sessions so that a peer declaring a dead cuts it too.
    const journal = new pg.Client({ connectionString: db.url, application_name: a.applicationName("journal") });
    journal.on("error", () => {});
    await journal.connect();
    await journal.query("BEGIN");
    assert.deepEqual(await a.fence(journal, [shard]), []);
    await journal.query("COMMIT");

    // Not owned at all: rejected without asking the database.
    const b = node("b");
    assert.deepEqual(await b.fence(journal, [shard]), [shard]);

    // Start an append transaction, pass the fence, then cut a's ownership session: b takes over, and the open
    // transaction can never commit (the peer terminates a's sessions; the epoch moved on).
    await journal.query("BEGIN");
    assert.deepEqual(await a.fence(journal, [shard]), []);
    await terminateOwnership(a);
    await b.start();
    await waitFor("b to own the shard", () => b.ownedShards().includes(shard));
    assert.ok((b.epochOf(shard) ?? 0) > epoch);
    await assert.rejects(journal.query("COMMIT"));
    await journal.end().catch(() => {});

    // A new session of the stale owner is fenced by the epoch check.
    const late = new pg.Client({ connectionString: db.url });
    await late.connect();
    await late.query("BEGIN");
    const { staleShards } = await import("./fence.ts");
    const ownerPid = await late.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [
      b.applicationName("ownership"),
    ]);
    const bPid = ownerPid.rows[0]?.pid ?? 0;
    assert.deepEqual(await staleShards(late, bPid, new Map([[shard, epoch]])), [shard]);
    assert.deepEqual(await staleShards(late, bPid, new Map([[shard, b.epochOf(shard) ?? -1]])), []);
    // ...and so is a holder of the right epoch whose ownership session is gone.
    assert.deepEqual(await staleShards(late, 999_999, new Map([[shard, b.epochOf(shard) ?? -1]])), [shard]);
    await late.query("ROLLBACK");
    await late.end();
    await b.close();
  });
});
