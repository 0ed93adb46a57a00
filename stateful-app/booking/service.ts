// Cluster layer: `boards` (board versions and change reports), `boardOf`, `loadedBoards` and `replayBoard` feed the
// replicated availability view (cluster/view-sync.ts).
import {
  ApiError,
  type Booking,
  type CreateEventRequest,
  type EventSummary,
  type Hold,
  type HoldRequest,
  type SeatStatus,
  type SeatsQuery,
} from "../../contract/index.ts";
import { type ActorSystem, actorKey, type Journal } from "../runtime/index.ts";
import { type BoardOptions, EventBoard } from "./board.ts";
import { seatOfId } from "./ids.ts";
import { checkSeat, type EventEvent, eventActor, type Granularity, type Layout, ownerOf } from "./layout.ts";
import { type SeatEvent, seatActor } from "./seat-actor.ts";

/** Options for `BookingService`. */
export interface BookingServiceOptions {
  system: ActorSystem;
  journal: Journal;
  /** Granularity of events created by this node (an existing event keeps the one it was created with). */
  granularity: Granularity;
  /** Seat/section actors snapshot every this many events (default 1000). */
  snapshotEvery?: number;
  /** Versions of the boards' seat writes and the report of local changes (cluster: the replicated view). */
  boards?: BoardOptions;
}

/** Domain counters for `/metrics`. */
export interface BookingStats {
  /** Events whose layout this node knows. */
  events: number;
  holdsGranted: number;
  bookingsConfirmed: number;
  holdsReleased: number;
  holdsExpired: number;
}

interface BoardEntry {
  board: EventBoard;
  ready: Promise<void>;
  loaded: boolean;
}

/**
 * The booking API on top of the actor runtime: validates against the (immutable, cached) layout, sends writes to
 * the owning seat/section actor, and answers reads from the boards. Layouts are read from the event actor's
 * journal when not cached, which any node can do, because a created layout never changes.
 */
export class BookingService {
  private readonly layouts = new Map<string, Layout>();
  private readonly boards = new Map<string, BoardEntry>();
  private readonly counters: BookingStats = {
    events: 0,
    holdsGranted: 0,
    bookingsConfirmed: 0,
    holdsReleased: 0,
    holdsExpired: 0,
  };

  constructor(private readonly opts: BookingServiceOptions) {
    const onVisible = (key: string, first: number, events: readonly SeatEvent[]) => this.onVisible(key, first, events);
    opts.system
      .register(eventActor)
      .register(seatActor("seat", onVisible, opts.snapshotEvery))
      .register(seatActor("section", onVisible, opts.snapshotEvery));
  }

  /** Loads every known event's layout and board (one range scan each) and wakes actors with held seats. */
  async start(): Promise<void> {
    const found: Layout[] = [];
    await this.opts.journal.replayPrefix("event|", (_key, _seq, event) => found.push((event as EventEvent).layout));
    for (const layout of found) this.layouts.set(layout.eventId, layout);
    await Promise.all(found.map((layout) => this.board(layout)));
  }

  async createEvent(eventId: string, body: CreateEventRequest): Promise<{ created: boolean; layout: Layout }> {
    const layout: Layout = {
      eventId,
      sections: body.sections,
      holdTtlMs: body.holdTtlMs,
      granularity: this.opts.granularity,
    };
    const reply = await this.opts.system.ask<{ created: boolean; layout: Layout }>("event", eventId, {
      t: "create",
      layout,
    });
    this.layouts.set(eventId, reply.layout);
    // Other nodes read layouts from the journal: even in async (write-behind) mode the event is durable before
    // the 201, or a hold sent to another node right after could find no event. Events are created rarely.
    if (reply.created) await this.opts.system.flush();
    if (reply.created && !this.boards.has(eventId)) {
      // A fresh event has no seat events yet: an empty board, nothing to replay.
      this.boards.set(eventId, {
        board: new EventBoard(reply.layout, this.opts.boards),
        ready: Promise.resolve(),
        loaded: true,
      });
    }
    return reply;
  }

  // The hot paths below await only what is not cached yet (layout, board): each await is a microtask turn.
  async summary(eventId: string): Promise<EventSummary> {
    const board = this.cachedBoard(eventId) ?? (await this.board(await this.layout(eventId)));
    return { eventId, ...board.summary() };
  }

  async seats(eventId: string, query: SeatsQuery): Promise<Array<{ seatId: string; status: SeatStatus }>> {
    const board = this.cachedBoard(eventId) ?? (await this.board(await this.layout(eventId)));
    return board.list(query);
  }

  /** `seats` as the JSON text of the listing answer (`{"seats":[...]}`). */
  async seatsJson(eventId: string, query: SeatsQuery): Promise<string> {
    const board = this.cachedBoard(eventId) ?? (await this.board(await this.layout(eventId)));
    return board.listJson(query);
  }

  async hold(eventId: string, body: HoldRequest): Promise<Hold> {
    const layout = this.layouts.get(eventId) ?? (await this.layout(eventId));
    checkSeat(layout, body.seatId);
    const board = this.cachedBoard(eventId) ?? (await this.board(layout));
    const { kind, id } = ownerOf(layout, body.seatId);
    // A seat the board never saw an event for needs no recovery read (the flash sale's first holds).
    const fresh = board.untouched(body.seatId);
    const command = {
      t: "hold",
      seatId: body.seatId,
      userId: body.userId,
      requestId: body.requestId,
      ttlMs: layout.holdTtlMs,
    } as const;
    return this.opts.system.ask<Hold>(kind, id, command, { fresh });
  }

  async confirm(eventId: string, holdId: string): Promise<Booking> {
    const { kind, id } = await this.ownerOfId(eventId, holdId, "holdId");
    return this.opts.system.ask<Booking>(kind, id, { t: "confirm", holdId });
  }

  async release(eventId: string, holdId: string): Promise<void> {
    const { kind, id } = await this.ownerOfId(eventId, holdId, "holdId");
    await this.opts.system.ask(kind, id, { t: "release", holdId });
  }

  async booking(eventId: string, bookingId: string): Promise<Booking> {
    const { kind, id } = await this.ownerOfId(eventId, bookingId, "bookingId");
    return this.opts.system.ask<Booking>(kind, id, { t: "booking", bookingId });
  }

  /**
   * The actor key a request is about, for routing in a cluster: the event actor for PUT, the seat/section actor
   * for holds (by `seatId`), confirms and releases (by `holdId`) and booking lookups (by `bookingId`).
   */
  async routeKey(eventId: string, ref: { seatId?: string; generatedId?: string }): Promise<string> {
    if (ref.seatId === undefined && ref.generatedId === undefined) return actorKey("event", eventId);
    const layout = this.layouts.get(eventId) ?? (await this.layout(eventId));
    const seatId = ref.seatId ?? seatOfId(ref.generatedId ?? "");
    if (seatId === undefined) return actorKey("event", eventId);
    const { kind, id } = ownerOf(layout, seatId);
    return actorKey(kind, id);
  }

  /** The event's board (loaded from the journal on first use); 404 when the event does not exist. */
  async boardOf(eventId: string): Promise<EventBoard> {
    return this.board(await this.layout(eventId));
  }

  /** The event's board if it is loaded (no journal read). */
  loadedBoard(eventId: string): EventBoard | undefined {
    return this.cachedBoard(eventId);
  }

  /** Boards loaded so far (cluster: their seats are replicated to and from the other nodes). */
  loadedBoards(): EventBoard[] {
    return [...this.boards.values()].filter((e) => e.loaded).map((e) => e.board);
  }

  /**
   * Replays the event's journal into its board with the given versions (null skips a row). Cluster: after this
   * node acquired shards, their seats are re-read with the new epoch (the previous owner flushed on hand-off, or
   * was fenced on failover, before the acquisition).
   */
  replayBoard(board: EventBoard, versionOf: (key: string, seqNr: number) => number | null): Promise<void> {
    const prefix = `${board.layout.granularity}|${board.layout.eventId}/`;
    return board.replay((fn) => this.opts.journal.replayPrefix(prefix, fn), versionOf);
  }

  stats(): BookingStats {
    return { ...this.counters, events: this.layouts.size };
  }

  /** The event's layout (cached; else read from the event actor's journal); 404 naming eventId when none. */
  async layout(eventId: string): Promise<Layout> {
    const cached = this.layouts.get(eventId);
    if (cached !== undefined) return cached;
    const recovery = await this.opts.journal.recover(actorKey("event", eventId));
    const created = recovery.events[0]?.event as EventEvent | undefined;
    if (created === undefined) throw new ApiError("not_found", `no event ${eventId}`, "eventId");
    this.layouts.set(eventId, created.layout);
    return created.layout;
  }

  private async ownerOfId(eventId: string, generatedId: string, field: string) {
    const layout = this.layouts.get(eventId) ?? (await this.layout(eventId));
    const seatId = seatOfId(generatedId);
    if (seatId === undefined) throw new ApiError("not_found", `no ${field} ${generatedId} in event ${eventId}`, field);
    checkSeat(layout, seatId, field);
    return ownerOf(layout, seatId);
  }

  /** The event's board when it is loaded already (the common case), without a microtask turn. */
  private cachedBoard(eventId: string): EventBoard | undefined {
    const entry = this.boards.get(eventId);
    return entry?.loaded ? entry.board : undefined;
  }

  /** The event's board, loading it from the journal the first time this node needs it. */
  private async board(layout: Layout): Promise<EventBoard> {
    let entry = this.boards.get(layout.eventId);
    if (entry === undefined) {
      const board = new EventBoard(layout, this.opts.boards);
      const prefix = `${layout.granularity}|${layout.eventId}/`;
      const created: BoardEntry = { board, ready: Promise.resolve(), loaded: false };
      created.ready = board
        .replay((fn) => this.opts.journal.replayPrefix(prefix, fn))
        .then(() => {
          created.loaded = true;
          this.wakeHeld(layout, board);
        })
        .catch((err) => {
          this.boards.delete(layout.eventId);
          throw err;
        });
      entry = created;
      this.boards.set(layout.eventId, entry);
    }
    if (!entry.loaded) await entry.ready;
    return entry.board;
  }

  /** After a restart, held seats' actors are activated so that their expiry timers run again. */
  private wakeHeld(layout: Layout, board: EventBoard): void {
    const woken = new Set<string>();
    for (const seatId of board.heldSeats()) {
      const { kind, id } = ownerOf(layout, seatId);
      if (woken.has(id)) continue;
      woken.add(id);
      this.opts.system.tell(kind, id, { t: "wake" });
    }
  }

  private onVisible(key: string, first: number, events: readonly SeatEvent[]): void {
    const eventId = key.slice(key.indexOf("|") + 1, key.indexOf("/"));
    this.boards.get(eventId)?.board.onVisible(key, first, events);
    for (const e of events) {
      if (e.t === "held") this.counters.holdsGranted++;
      else if (e.t === "confirmed") this.counters.bookingsConfirmed++;
      else if (e.expired) this.counters.holdsExpired++;
      else this.counters.holdsReleased++;
    }
  }
}
