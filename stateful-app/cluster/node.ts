import { randomBytes } from "node:crypto";
import type { FenceCheck } from "../runtime/pg-journal.ts";
import type { Placement } from "../runtime/placement.ts";
import { allocate, shardOf } from "./allocation.ts";
import { type ClusterView, declareDead, heartbeat, type Member, readView, register, setStatus } from "./membership.ts";
import type { ClusterEvents, ClusterLog, ClusterOptions, ClusterStats, Route } from "./node-types.ts";
import { release, tryAcquire } from "./ownership.ts";
import { applicationName, migrateCluster } from "./schema.ts";
import { type OwnershipSession, openSession } from "./session.ts";

type LocalShard = { state: "owned" | "releasing"; epoch: number };
const noopLog: ClusterLog = { info() {}, warn() {}, error() {} };

/**
 * One node's membership and shard ownership. Ownership = a session-level advisory lock per shard on one dedicated
 * PostgreSQL session (PostgreSQL frees it when the session dies) + an epoch per shard bumped on every acquisition
 * and checked by every journal append (`fence`). Members heartbeat into `cluster_member`; any node that sees a
 * member's heartbeat go stale or its session vanish declares it dead and terminates its sessions. Every node
 * computes the same target allocation from the live members and takes or hands off shards to match it.
 */
export class ClusterNode implements Placement {
  readonly nodeId: string;
  readonly url: string;
  readonly incarnation: string;
  readonly shardCount: number;
  private readonly opts: Required<Omit<ClusterOptions, "log" | "incarnation">>;
  private readonly log: ClusterLog;
  private session: OwnershipSession | null = null;
  private readonly local = new Map<number, LocalShard>();
  private view: ClusterView = { members: [], shards: [] };
  private live = new Map<string, Member>();
  private deactivate: (shard: number) => Promise<void> = async () => {};
  private readonly handlers: { [K in keyof ClusterEvents]: Array<ClusterEvents[K]> } = {
    acquired: [],
    lost: [],
    fatal: [],
  };
  private timers: NodeJS.Timeout[] = [];
  private ticking: Promise<void> | null = null;
  private again = false;
  private leaving = false;
  private stopped = false;
  private dead = false;
  private readonly counters = { acquisitions: 0, handOffs: 0, declaredDead: 0, fenced: 0 };
  private leavePromise: Promise<void> | null = null;
  /** Local serving lease (performance.now() ms): see `beat`. */
  private leaseUntil = 0;
  private readonly inFlightHandOffs = new Set<Promise<void>>();
  private target: { key: string; table: string[] } | null = null;

  constructor(opts: ClusterOptions) {
    this.nodeId = opts.nodeId;
    this.url = opts.url;
    this.incarnation = opts.incarnation ?? randomBytes(4).toString("hex");
    this.shardCount = opts.shards ?? 128;
    this.log = opts.log ?? noopLog;
    this.opts = {
      databaseUrl: opts.databaseUrl,
      nodeId: opts.nodeId,
      url: opts.url,
      shards: this.shardCount,
      heartbeatMs: opts.heartbeatMs ?? 250,
      pollMs: opts.pollMs ?? 200,
      deadAfterMs: opts.deadAfterMs ?? 3000,
      handOffDelayMs: opts.handOffDelayMs ?? 0,
    };
  }

  /** Subscribes to a lifecycle event. */
  on<K extends keyof ClusterEvents>(event: K, cb: ClusterEvents[K]): void {
    this.handlers[event].push(cb);
  }

  /** What a hand-off awaits before releasing a shard: stop its actors after their current turn, flush the journal. */
  setDeactivator(fn: (shard: number) => Promise<void>): void {
    this.deactivate = fn;
  }

  /** The `application_name` for this node's other pools (the journal), so a peer declaring it dead can cut them. */
  applicationName(role: string): string {
    return applicationName(this.nodeId, this.incarnation, role);
  }

  /** Opens the ownership session, migrates, registers, takes a first share of shards and starts the loops. */
  async start(): Promise<void> {
    const session = await openSession({
      databaseUrl: this.opts.databaseUrl,
      applicationName: this.applicationName("ownership"),
    });
    this.session = session;
    session.onLost((reason) => this.die(reason));
    session.onNotify(() => this.kick());
    await migrateCluster(session.client, this.shardCount);
    const registeredAt = performance.now();
    await register(session.client, {
      node: this.nodeId,
      incarnation: this.incarnation,
      url: this.url,
      lockPid: session.backendPid,
    });
    this.leaseUntil = registeredAt + this.opts.deadAfterMs / 2;
    await this.tick();
    this.timers.push(setInterval(() => this.beat(), this.opts.heartbeatMs));
    this.timers.push(setInterval(() => this.kick(), this.opts.pollMs));
    for (const t of this.timers) t.unref();
  }

  /** Number of shards (Placement). */
  get shards(): number {
    return this.shardCount;
  }

  /** The shard of an actor key (same hash as the runtime's `shardOfKey`). */
  shardOf(key: string): number {
    return shardOf(key, this.shardCount);
  }

  /** Placement: `cb` runs synchronously when a shard is lost (session cut, declared dead, or fenced). */
  onShardLost(cb: (shard: number) => void): void {
    this.on("lost", cb);
  }

  /** Where messages for `shard` go now (local, forward to `url`, or 503 with Retry-After). */
  route(shard: number): Route {
    const mine = this.local.get(shard);
    if (mine?.state === "owned") {
      if (performance.now() <= this.leaseUntil) return { kind: "local", shard, epoch: mine.epoch };
      return { kind: "unavailable", shard, retryAfterMs: 500, reason: "lease expired" };
    }
    if (mine?.state === "releasing") return { kind: "unavailable", shard, retryAfterMs: 200, reason: "moving" };
    if (this.dead || this.stopped) return { kind: "unavailable", shard, retryAfterMs: 500, reason: "node stopping" };
    const rec = this.view.shards[shard];
    const owner = rec?.owner ? this.live.get(rec.owner) : undefined;
    if (rec?.url && owner && owner.incarnation === rec.incarnation && owner.node !== this.nodeId) {
      return { kind: "remote", shard, node: owner.node, url: rec.url };
    }
    return { kind: "unavailable", shard, retryAfterMs: 300, reason: "no live owner" };
  }

  /** The fencing epoch of a shard this node owns (undefined otherwise). */
  epochOf(shard: number): number | undefined {
    return this.local.get(shard)?.epoch;
  }

  /** Shards this node currently owns or is handing off. */
  ownedShards(): number[] {
    return [...this.local.keys()].sort((a, b) => a - b);
  }

  /** Shards this node serves right now (owned, not moving, lease valid): what a fan-out read may count here. */
  servingShards(): number[] {
    if (performance.now() > this.leaseUntil || this.dead || this.stopped) return [];
    const out: number[] = [];
    for (const [s, st] of this.local) if (st.state === "owned") out.push(s);
    return out.sort((a, b) => a - b);
  }

  /** Base URLs of the live members (for the N-node fan-out of summary reads), this node included. */
  memberUrls(): Array<{ node: string; url: string }> {
    return [...this.live.values()].map((m) => ({ node: m.node, url: m.url }));
  }

  /**
   * The journal's fence (`PgJournalOptions.fence`): the epoch of each shard this node holds and its ownership
   * session, which the journal's one-statement append checks against `shard_owner`. Shards being handed off still
   * pass, so their final flush succeeds. Refused shards are dropped locally, firing `lost`.
   */
  readonly fence: FenceCheck = {
    expect: (shards) => {
      const epochs = new Map<number, number>();
      for (const s of shards) {
        const mine = this.local.get(s);
        if (mine) epochs.set(s, mine.epoch);
      }
      return { sessionPid: this.session?.backendPid ?? 0, epochs };
    },
    refused: (shards) => {
      this.counters.fenced += shards.length;
      for (const s of shards) this.lose(s);
    },
  };

  stats(): ClusterStats {
    let releasing = 0;
    for (const s of this.local.values()) if (s.state === "releasing") releasing++;
    return {
      node: this.nodeId,
      ownedShards: this.local.size - releasing,
      releasingShards: releasing,
      liveMembers: [...this.live.keys()].sort(),
      ...this.counters,
    };
  }

  /**
   * Graceful leave (SIGTERM): peers stop assigning this node shards, each shard is deactivated, flushed and
   * released, then the membership row is marked `left` and the session closed. Idempotent.
   */
  leave(): Promise<void> {
    this.leavePromise ??= (async () => {
      const session = this.session;
      if (!session || this.dead) return this.close();
      this.leaving = true;
      await setStatus(session.client, this.nodeId, this.incarnation, "leaving");
      await this.ticking;
      await this.handOff([...this.local.keys()]);
      await Promise.all(this.inFlightHandOffs);
      await setStatus(session.client, this.nodeId, this.incarnation, "left");
      await this.close();
    })();
    return this.leavePromise;
  }

  /** Stops the loops and closes the session (its locks are released by PostgreSQL). Idempotent. */
  async close(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.ticking?.catch(() => {});
    await this.session?.close();
  }

  /**
   * Heartbeat, and the serving lease: a node serves its shards (reads from memory included) only until half the
   * death threshold after its last heartbeat was *sent*. Peers declare it dead no earlier than the full threshold
   * after that heartbeat *landed*, so a node that was paused (SIGSTOP, long GC) stops answering from memory
   * before anyone else can take its shards, and does not serve stale reads when it wakes up.
   */
  private beat(): void {
    const session = this.session;
    if (!session || this.stopped || session.lost()) return;
    const sentAt = performance.now();
    heartbeat(session.client, this.nodeId, this.incarnation).then(
      (ok) => {
        if (!ok && !this.stopped) this.die(new Error("declared dead by a peer"));
        else if (ok) this.leaseUntil = Math.max(this.leaseUntil, sentAt + this.opts.deadAfterMs / 2);
      },
      (err: Error) => this.log.warn({ err: err.message }, "heartbeat failed"),
    );
  }

  /** Runs a rebalance step now, or once more after the running one. */
  private kick(): void {
    if (this.stopped || this.dead) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    void this.tick();
  }

  private tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        do {
          this.again = false;
          await this.step();
        } while (this.again && !this.stopped && !this.dead);
      } catch (err) {
        if (!this.dead && !this.stopped) this.log.warn({ err: (err as Error).message }, "rebalance step failed");
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  private async step(): Promise<void> {
    const session = this.session;
    if (!session || this.stopped || this.dead) return;
    const view = await readView(session.client, this.opts.deadAfterMs);
    const live = new Map<string, Member>();
    for (const m of view.members) {
      if (m.node === this.nodeId) {
        if (m.incarnation !== this.incarnation) return this.die(new Error("replaced by a newer incarnation"));
        live.set(m.node, m);
        continue;
      }
      if (!m.fresh || !m.session) {
        if (await declareDead(session.client, m.node, m.incarnation)) {
          this.counters.declaredDead++;
          this.log.warn({ member: m.node, fresh: m.fresh, session: m.session }, "member declared dead");
        }
        continue;
      }
      live.set(m.node, m);
    }
    this.view = view;
    this.live = live;
    if (this.leaving) return;
    const eligible = [...live.values()].filter((m) => m.status === "alive").map((m) => m.node);
    const target = this.targetFor(eligible);
    const wanted: number[] = [];
    const moving: number[] = [];
    for (let s = 0; s < this.shardCount; s++) {
      const mine = this.local.get(s);
      if (target[s] === this.nodeId && !mine) wanted.push(s);
      else if (target[s] !== undefined && target[s] !== this.nodeId && mine?.state === "owned") moving.push(s);
    }
    if (wanted.length > 0) {
      const got = await tryAcquire(
        session.client,
        { node: this.nodeId, incarnation: this.incarnation, url: this.url },
        wanted,
      );
      for (const { shard, epoch } of got) {
        this.local.set(shard, { state: "owned", epoch });
        this.counters.acquisitions++;
        for (const cb of this.handlers.acquired) cb(shard, epoch);
      }
      if (got.length > 0) this.log.info({ shards: got.length, owned: this.local.size }, "shards acquired");
    }
    if (moving.length > 0) {
      const p = this.handOff(moving).catch((err: Error) => this.log.warn({ err: err.message }, "hand-off failed"));
      this.inFlightHandOffs.add(p);
      void p.finally(() => this.inFlightHandOffs.delete(p));
    }
  }

  /** The target allocation for these members, computed again only when they change (this runs every poll). */
  private targetFor(eligible: string[]): string[] {
    const key = [...eligible].sort().join("\n");
    if (this.target?.key !== key) this.target = { key, table: allocate(this.shardCount, eligible) };
    return this.target.table;
  }

  /** Old owner's half of a hand-off: refuse new messages (503), drain and flush, then release the locks. */
  private async handOff(shards: number[]): Promise<void> {
    const session = this.session;
    const mine = shards.filter((s) => this.local.get(s)?.state === "owned");
    if (!session || mine.length === 0) return;
    for (const s of mine) {
      const cur = this.local.get(s);
      if (cur) cur.state = "releasing";
    }
    if (this.opts.handOffDelayMs > 0) await new Promise((r) => setTimeout(r, this.opts.handOffDelayMs));
    const done: number[] = [];
    await Promise.all(
      mine.map(async (s) => {
        try {
          await this.deactivate(s);
          done.push(s);
        } catch (err) {
          // Keep the shard (and its lock) rather than release unflushed state; the next step retries.
          const cur = this.local.get(s);
          if (cur) cur.state = "owned";
          this.log.error({ shard: s, err: (err as Error).message }, "deactivation failed, hand-off postponed");
        }
      }),
    );
    if (this.dead || done.length === 0) return;
    await release(session.client, done, { node: this.nodeId, incarnation: this.incarnation });
    for (const s of done) this.local.delete(s);
    this.counters.handOffs += done.length;
    this.log.info({ shards: done.length, owned: this.local.size }, "shards handed off");
  }

  private lose(shard: number): void {
    if (!this.local.delete(shard)) return;
    for (const cb of this.handlers.lost) cb(shard);
  }

  /** Ownership is gone (session cut or declared dead): drop every shard at once, then report fatal. */
  private die(reason: Error): void {
    if (this.dead || this.stopped) return;
    this.dead = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const s of [...this.local.keys()]) this.lose(s);
    this.log.error({ err: reason.message }, "cluster ownership lost");
    for (const cb of this.handlers.fatal) cb(reason);
    void this.session?.close();
  }
}

/** Creates and starts a cluster node. */
export async function startClusterNode(opts: ClusterOptions): Promise<ClusterNode> {
  const node = new ClusterNode(opts);
  await node.start();
  return node;
}

export type { ClusterEvents, ClusterLog, ClusterOptions, ClusterStats, Route };
