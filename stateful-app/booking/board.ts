// Cluster layer (issue 5) added `summaryOf` and `listOf`: per-shard counts for the fan-out design described below.
import type { EventSummary, SeatStatus } from "../../contract/index.ts";
import type { Layout } from "./layout.ts";
import type { SeatEvent } from "./seat-actor.ts";

/**
 * The seat board: a per-event read model (one byte per seat plus three counters) that the summary
 * (`GET /events/{id}`) and the seat listing are served from, so neither asks thousands of actors. Seat actors
 * feed it through `onVisible`: after the commit in sync mode, so it never shows an unacknowledged state.
 *
 * Built at start (or on first use) by replaying the event's seat journals in one range scan
 * (`replayPrefix("seat|<event>/")`); events that become visible while the replay runs are buffered and applied
 * afterwards, skipping those the replay already contained (same persistence id and sequence number or lower).
 *
 * In a cluster every node keeps boards too, but a node's board is only authoritative for the seats of the shards
 * it owns (their actors feed it). The summary then fans out to the N nodes, not to the actors: each node returns
 * the counts of its own shards (from a per-shard split of these counters, keyed by `Placement.shardOf` of each
 * seat's actor key) and the receiver sums them and answers 503 if some shard was counted by nobody (moving). The
 * listing does the same with each node's first `limit` matches, merged in layout order. A node that gains a
 * shard reloads that shard's seats from the journal before counting it (the previous owner flushed on hand-off).
 */
export const STATUS: readonly SeatStatus[] = ["available", "held", "sold"];
const AVAILABLE = 0;
const HELD = 1;
const SOLD = 2;

export class EventBoard {
  readonly capacity: number;
  private readonly status: Uint8Array;
  private readonly counts: [number, number, number];
  private readonly offsets = new Map<string, number>();
  /** Seats and sections that have journal events (lets a first hold skip the recovery read of its actor). */
  private readonly touched: Uint8Array;
  private readonly touchedSections = new Set<string>();
  private loading: { buffered: Array<[string, number, SeatEvent]>; replayed: Map<string, number> } | null = null;

  constructor(readonly layout: Layout) {
    let offset = 0;
    for (const s of layout.sections) {
      this.offsets.set(s.id, offset);
      offset += s.seats;
    }
    this.capacity = offset;
    this.status = new Uint8Array(offset);
    this.touched = new Uint8Array(offset);
    this.counts = [offset, 0, 0];
  }

  /** Events of one actor, from sequence number `firstSeqNr` on. */
  onVisible(key: string, firstSeqNr: number, events: readonly SeatEvent[]): void {
    const loading = this.loading;
    if (loading !== null) {
      events.forEach((e, i) => {
        loading.buffered.push([key, firstSeqNr + i, e]);
      });
      return;
    }
    for (const e of events) this.apply(e);
  }

  /** Rebuilds the board from a replay of the journal; live events arriving meanwhile are merged afterwards. */
  async load(replay: (fn: (key: string, seqNr: number, event: unknown) => void) => Promise<void>): Promise<void> {
    const loading = { buffered: [] as Array<[string, number, SeatEvent]>, replayed: new Map<string, number>() };
    this.loading = loading;
    try {
      await replay((key, seqNr, event) => {
        loading.replayed.set(key, seqNr);
        this.apply(event as SeatEvent);
      });
    } finally {
      this.loading = null;
      for (const [key, seqNr, event] of loading.buffered) {
        if (seqNr > (loading.replayed.get(key) ?? 0)) this.apply(event);
      }
    }
  }

  summary(): Omit<EventSummary, "eventId"> {
    const [available, held, sold] = this.counts;
    return { capacity: this.capacity, available, held, sold };
  }

  /** Seats in layout order (sections as given, numbers ascending), filtered, at most `limit`. */
  list(query: { status?: SeatStatus; section?: string; limit: number }): Array<{ seatId: string; status: SeatStatus }> {
    const want = query.status === undefined ? -1 : STATUS.indexOf(query.status);
    const out: Array<{ seatId: string; status: SeatStatus }> = [];
    for (const section of this.layout.sections) {
      if (query.section !== undefined && section.id !== query.section) continue;
      const offset = this.offsets.get(section.id) ?? 0;
      for (let n = 1; n <= section.seats && out.length < query.limit; n++) {
        const s = this.status[offset + n - 1] ?? AVAILABLE;
        if (want === -1 || s === want) out.push({ seatId: `${section.id}-${n}`, status: STATUS[s] ?? "available" });
      }
      if (out.length >= query.limit) break;
    }
    return out;
  }

  /**
   * Cluster fan-out: the counts over the seats whose shard is marked in `shards` (`seatShard[i]` is the shard
   * of seat index i in layout order). One pass over two typed arrays, no actor involved.
   */
  summaryOf(seatShard: Uint16Array, shards: Uint8Array): Omit<EventSummary, "eventId"> {
    let available = 0;
    let held = 0;
    let sold = 0;
    for (let i = 0; i < this.capacity; i++) {
      if (shards[seatShard[i] ?? 0] !== 1) continue;
      const s = this.status[i];
      if (s === HELD) held++;
      else if (s === SOLD) sold++;
      else available++;
    }
    return { capacity: available + held + sold, available, held, sold };
  }

  /** Cluster fan-out: like `list`, over the seats whose shard is marked in `shards`, with each seat's layout index. */
  listOf(
    query: { status?: SeatStatus; section?: string; limit: number },
    seatShard: Uint16Array,
    shards: Uint8Array,
  ): Array<{ index: number; seatId: string; status: SeatStatus }> {
    const want = query.status === undefined ? -1 : STATUS.indexOf(query.status);
    const out: Array<{ index: number; seatId: string; status: SeatStatus }> = [];
    for (const section of this.layout.sections) {
      if (query.section !== undefined && section.id !== query.section) continue;
      const offset = this.offsets.get(section.id) ?? 0;
      for (let n = 1; n <= section.seats && out.length < query.limit; n++) {
        const index = offset + n - 1;
        if (shards[seatShard[index] ?? 0] !== 1) continue;
        const s = this.status[index] ?? AVAILABLE;
        if (want === -1 || s === want)
          out.push({ index, seatId: `${section.id}-${n}`, status: STATUS[s] ?? "available" });
      }
      if (out.length >= query.limit) break;
    }
    return out;
  }

  /**
   * True when no event of the actor owning `seatId` is known (never held since the event was created), so its
   * activation may skip the recovery read. Only a hint: in sync mode a wrong one ends in a journal conflict.
   */
  untouched(seatId: string): boolean {
    const dash = seatId.lastIndexOf("-");
    const section = seatId.slice(0, dash);
    if (this.layout.granularity === "section") return !this.touchedSections.has(section);
    const offset = this.offsets.get(section);
    return offset !== undefined && this.touched[offset + Number(seatId.slice(dash + 1)) - 1] === 0;
  }

  /** Seats currently held (their actors have expiry timers to re-arm after a restart). */
  heldSeats(): string[] {
    const out: string[] = [];
    for (const section of this.layout.sections) {
      const offset = this.offsets.get(section.id) ?? 0;
      for (let n = 1; n <= section.seats; n++) if (this.status[offset + n - 1] === HELD) out.push(`${section.id}-${n}`);
    }
    return out;
  }

  private apply(e: SeatEvent): void {
    const dash = e.seatId.lastIndexOf("-");
    const offset = this.offsets.get(e.seatId.slice(0, dash));
    if (offset === undefined) return;
    const index = offset + Number(e.seatId.slice(dash + 1)) - 1;
    this.touched[index] = 1;
    this.touchedSections.add(e.seatId.slice(0, dash));
    const next = e.t === "held" ? HELD : e.t === "confirmed" ? SOLD : AVAILABLE;
    const prev = this.status[index] ?? AVAILABLE;
    if (prev === next) return;
    this.status[index] = next;
    this.counts[prev as 0 | 1 | 2]--;
    this.counts[next]++;
  }
}
