import type { Hono } from "hono";
import { Pool } from "undici";
import { errorBody, LIMITS } from "../../contract/index.ts";
import type { BoardOptions, BookingService, Layout } from "../booking/index.ts";
import { ownerOf, seatVersion } from "../booking/index.ts";
import { actorKey } from "../runtime/index.ts";
import type { ClusterNode } from "./node.ts";
import type { ClusterLog } from "./node-types.ts";
import type { PeerAuth } from "./peer-auth.ts";

/** Options for `ViewSync`. */
export interface ViewSyncOptions {
  node: ClusterNode;
  auth: PeerAuth;
  log: ClusterLog;
  /** Deltas to a peer are coalesced and sent at most this often (default 50 ms). */
  intervalMs?: number;
  /** A delivery not answered within this is abandoned and its seats sent again (default 450 ms). */
  deliveryTimeoutMs?: number;
  /** Every node resends the state of the seats it owns this often, repairing lost deltas (default 10 s). */
  antiEntropyMs?: number;
}

/** Replication counters for /metrics. */
export interface ViewSyncStats {
  intervalMs: number;
  /** `intervalMs + 2 * deliveryTimeoutMs`: how far a peer's view may lag a write acknowledged here. */
  stalenessBoundMs: number;
  deliveries: number;
  deliveryFailures: number;
  seatsSent: number;
  seatsReceived: number;
  seatsApplied: number;
  /** Journal replays after acquiring shards (the full-state sync of those shards). */
  acquisitionReplays: number;
  /** Slowest delivery so far, ms. */
  maxDeliveryMs: number;
}

/** The internal endpoint peers POST seat states to (authenticated by the cluster secret; 404 for clients). */
export const VIEW_PATH = "/cluster/view";
/** Seats per POST: a delivery stays under the 64 KiB body limit every route enforces. */
const SEATS_PER_POST = 2_000;

type Pending = Map<string, Set<number>>;
interface PeerLink {
  url: string;
  pool: Pool;
  /** Seats (by event) whose current state this peer has not received yet. */
  pending: Pending;
  inFlight: boolean;
}

/**
 * The replicated availability view, in the manner of Akka Distributed Data: every node keeps a board of
 * every seat of every event (`booking/board.ts`, a last-writer-wins register per seat, versioned by the owning
 * actor's seqNr above its shard's fencing epoch) and answers the summary and the listing from it, with no
 * fan-out and no scan.
 * - Deltas: a seat changed by one of this node's actors is queued for every peer; each peer gets the queued
 *   seats' current states at most every `intervalMs` (coalesced: a seat changed ten times in an interval is
 *   sent once), one delivery in flight per peer. A failed delivery puts its seats back in that peer's queue.
 * - Full state on acquisition: after this node acquires shards, it replays the journal for their seats (the
 *   previous owner flushed on hand-off, or was fenced on failover) with its new epoch, then sends those seats
 *   to every peer. A peer that appears gets the state of every seat this node serves.
 * - Anti-entropy: every `antiEntropyMs` each node resends the state of the seats it serves, repairing deltas lost
 *   with a crashed sender or a restarted receiver.
 *
 * Staleness bound (steady state, peers answering): a write acknowledged at t is in its owner's board at t (sync
 * persistence: after the commit, before the answer); the seat is queued at once; the peer's next delivery
 * starts at most `intervalMs` after the current one ends (at most `deliveryTimeoutMs` away) and is answered
 * within `deliveryTimeoutMs`, else abandoned and retried. So peers see it by t + intervalMs +
 * 2 * deliveryTimeoutMs = 50 + 2 * 450 = 950 ms <= `LIMITS.availabilityStalenessMs` (1 s), which every node
 * checks at start. When an owner crashes, the writes of its last interval may miss from the other views until
 * the shard's new owner has replayed and resent them (failover time + one replay).
 */
export class ViewSync {
  private service: BookingService | null = null;
  private readonly links = new Map<string, PeerLink>();
  private readonly shardTables = new Map<string, Uint16Array>();
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly antiEntropyMs: number;
  private readonly counters = {
    deliveries: 0,
    deliveryFailures: 0,
    seatsSent: 0,
    seatsReceived: 0,
    seatsApplied: 0,
    acquisitionReplays: 0,
    maxDeliveryMs: 0,
  };
  private flushTimer: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private acquired = new Set<number>();
  private acquiredTimer: NodeJS.Timeout | null = null;
  private resyncing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: ViewSyncOptions) {
    this.intervalMs = opts.intervalMs ?? 50;
    this.timeoutMs = opts.deliveryTimeoutMs ?? 450;
    this.antiEntropyMs = opts.antiEntropyMs ?? 10_000;
    if (this.stalenessBoundMs > LIMITS.availabilityStalenessMs) {
      throw new Error(
        `availability view: interval ${this.intervalMs} ms + 2 x delivery timeout ${this.timeoutMs} ms exceeds the contract's bound of ${LIMITS.availabilityStalenessMs} ms`,
      );
    }
    opts.node.on("acquired", (shard) => {
      this.acquired.add(shard);
      this.acquiredTimer ??= setTimeout(() => this.afterAcquisitions(), 50);
    });
  }

  get stalenessBoundMs(): number {
    return this.intervalMs + 2 * this.timeoutMs;
  }

  /** The boards' options: versions from the shard epochs, local changes queued for the peers. */
  readonly boardOptions: BoardOptions = {
    versionOf: (key, seqNr) => seatVersion(this.opts.node.epochOf(this.opts.node.shardOf(key)) ?? 0, seqNr),
    onChange: (board, index) => this.changed(board.layout.eventId, index),
  };

  /** Starts replicating the service's boards (peer discovery and anti-entropy timers). */
  start(service: BookingService): void {
    this.service = service;
    const refresh = setInterval(() => this.refreshPeers(), 250);
    const antiEntropy = setInterval(() => this.resendServed(), this.antiEntropyMs);
    this.timers.push(refresh, antiEntropy);
    for (const t of this.timers) t.unref();
    this.refreshPeers();
  }

  /** Mounts `POST /cluster/view`: peers' seat states, merged into the boards (last writer wins). */
  routes(app: Hono): void {
    app.post(VIEW_PATH, async (c) => {
      if (!this.opts.auth.isPeer(c)) return c.json(errorBody("not_found", `no route POST ${VIEW_PATH}`), 404);
      const body = (await c.req.json()) as { events?: Array<[string, number[]]> };
      for (const [eventId, seats] of body.events ?? []) await this.receive(eventId, seats);
      return c.body(null, 204);
    });
  }

  stats(): ViewSyncStats {
    return { intervalMs: this.intervalMs, stalenessBoundMs: this.stalenessBoundMs, ...this.counters };
  }

  close(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.acquiredTimer) clearTimeout(this.acquiredTimer);
    return Promise.all([...this.links.values()].map((l) => l.pool.close().catch(() => {}))).then(() => {});
  }

  private changed(eventId: string, index: number): void {
    for (const link of this.links.values()) enqueue(link.pending, eventId, index);
    this.schedule();
  }

  private async receive(eventId: string, seats: number[]): Promise<void> {
    const board = await this.service?.boardOf(eventId).catch(() => undefined);
    if (board === undefined) return;
    for (let i = 0; i + 2 < seats.length; i += 3) {
      this.counters.seatsReceived++;
      if (board.merge(seats[i] ?? -1, seats[i + 1] ?? -1, seats[i + 2] ?? 0)) this.counters.seatsApplied++;
    }
  }

  /** Links follow the live members; a new peer is sent the state of every seat this node serves. */
  private refreshPeers(): void {
    if (this.stopped) return;
    const live = new Set<string>();
    for (const m of this.opts.node.memberUrls()) {
      if (m.node === this.opts.node.nodeId) continue;
      live.add(m.url);
      if (this.links.has(m.url)) continue;
      const link: PeerLink = {
        url: m.url,
        pool: new Pool(new URL(m.url).origin, {
          connections: 2,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
          connectTimeout: this.timeoutMs,
        }),
        pending: new Map(),
        inFlight: false,
      };
      this.links.set(m.url, link);
      this.queueServed([link]);
    }
    for (const [url, link] of this.links) {
      if (live.has(url)) continue;
      this.links.delete(url);
      void link.pool.close().catch(() => {});
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer !== null || this.stopped) return;
    for (const link of this.links.values()) {
      if (!link.inFlight && link.pending.size > 0) {
        this.flushTimer = setTimeout(() => this.flush(), this.intervalMs);
        return;
      }
    }
  }

  private flush(): void {
    this.flushTimer = null;
    for (const link of this.links.values()) if (!link.inFlight && link.pending.size > 0) void this.deliver(link);
  }

  /** Sends the current state of a peer's queued seats; on failure they go back in its queue. */
  private async deliver(link: PeerLink): Promise<void> {
    const service = this.service;
    if (service === null) return;
    const taken = link.pending;
    link.pending = new Map();
    link.inFlight = true;
    const startedAt = performance.now();
    try {
      for (const body of payloads(taken, service)) {
        const res = await link.pool.request({
          method: "POST",
          path: VIEW_PATH,
          headers: { ...this.opts.auth.outgoing, "content-type": "application/json" },
          body: body.json,
        });
        await res.body.dump();
        if (res.statusCode !== 204) throw new Error(`peer answered ${res.statusCode}`);
        this.counters.seatsSent += body.seats;
      }
      this.counters.deliveries++;
      this.counters.maxDeliveryMs = Math.max(this.counters.maxDeliveryMs, Math.round(performance.now() - startedAt));
    } catch (err) {
      this.counters.deliveryFailures++;
      for (const [eventId, seats] of taken) for (const i of seats) enqueue(link.pending, eventId, i);
      if (this.counters.deliveryFailures % 100 === 1) {
        this.opts.log.warn({ peer: link.url, err: (err as Error).message }, "availability delta delivery failed");
      }
    } finally {
      link.inFlight = false;
      this.schedule();
    }
  }

  private afterAcquisitions(): void {
    this.acquiredTimer = null;
    const shards = this.acquired;
    this.acquired = new Set();
    this.resyncing = this.resyncing
      .then(() => this.resync(shards))
      .catch((err: Error) => {
        this.opts.log.warn({ err: err.message }, "availability view: replay after acquisition failed");
      });
  }

  /** Full-state sync of freshly acquired shards: replay their seats with the new epoch, send them to every peer. */
  private async resync(shards: Set<number>): Promise<void> {
    const service = this.service;
    if (service === null || this.stopped) return;
    const { node } = this.opts;
    for (const board of service.loadedBoards()) {
      await service.replayBoard(board, (key, seqNr) => {
        const shard = node.shardOf(key);
        const epoch = shards.has(shard) ? node.epochOf(shard) : undefined;
        return epoch === undefined ? null : seatVersion(epoch, seqNr);
      });
      const table = this.shardTable(board.layout);
      for (let i = 0; i < board.capacity; i++) {
        if (shards.has(table[i] ?? -1) && board.versionAt(i) > 0) this.changed(board.layout.eventId, i);
      }
    }
    this.counters.acquisitionReplays++;
  }

  /** Anti-entropy: the state of every written seat this node serves, to every peer. */
  private resendServed(): void {
    if (!this.stopped) this.queueServed([...this.links.values()]);
    this.schedule();
  }

  private queueServed(links: PeerLink[]): void {
    const service = this.service;
    if (service === null || links.length === 0) return;
    const serving = new Uint8Array(this.opts.node.shards);
    for (const s of this.opts.node.servingShards()) serving[s] = 1;
    for (const board of service.loadedBoards()) {
      const table = this.shardTable(board.layout);
      for (let i = 0; i < board.capacity; i++) {
        if (serving[table[i] ?? 0] !== 1 || board.versionAt(i) === 0) continue;
        for (const link of links) enqueue(link.pending, board.layout.eventId, i);
      }
    }
  }

  /** The shard of every seat's actor, in layout order (computed once per event). */
  private shardTable(layout: Layout): Uint16Array {
    let table = this.shardTables.get(layout.eventId);
    if (table === undefined) {
      table = new Uint16Array(layout.sections.reduce((n, s) => n + s.seats, 0));
      let i = 0;
      for (const section of layout.sections) {
        const sectionOwner = ownerOf(layout, `${section.id}-1`);
        const sectionShard = this.opts.node.shardOf(actorKey(sectionOwner.kind, sectionOwner.id));
        for (let n = 1; n <= section.seats; n++, i++) {
          if (layout.granularity === "section") table[i] = sectionShard;
          else {
            const o = ownerOf(layout, `${section.id}-${n}`);
            table[i] = this.opts.node.shardOf(actorKey(o.kind, o.id));
          }
        }
      }
      this.shardTables.set(layout.eventId, table);
    }
    return table;
  }
}

function enqueue(pending: Pending, eventId: string, index: number): void {
  let seats = pending.get(eventId);
  if (seats === undefined) {
    seats = new Set();
    pending.set(eventId, seats);
  }
  seats.add(index);
}

/** The queued seats' current states as POST bodies of at most `SEATS_PER_POST` seats each. */
function* payloads(taken: Pending, service: BookingService): Generator<{ json: string; seats: number }> {
  let events: Array<[string, number[]]> = [];
  let count = 0;
  for (const [eventId, seats] of taken) {
    const board = service.loadedBoard(eventId);
    if (board === undefined) continue;
    let flat: number[] = [];
    for (const i of seats) {
      flat.push(i, board.statusAt(i), board.versionAt(i));
      if (++count === SEATS_PER_POST) {
        events.push([eventId, flat]);
        yield { json: JSON.stringify({ events }), seats: count };
        events = [];
        flat = [];
        count = 0;
      }
    }
    if (flat.length > 0) events.push([eventId, flat]);
  }
  if (count > 0) yield { json: JSON.stringify({ events }), seats: count };
}
