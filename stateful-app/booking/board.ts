import type { EventSummary, SeatStatus } from "../../contract/index.ts";
import type { Layout } from "./layout.ts";
import type { SeatEvent } from "./seat-actor.ts";
import { SeatSet } from "./seat-set.ts";

/**
 * The seat board: a per-event availability view (a status byte and a version per seat, three counters, a
 * `SeatSet` per status) that the summary (`GET /events/{id}`, O(1)) and the seat listing (O(limit), also when
 * most seats are sold) are served from, so neither asks thousands of actors.
 *
 * Every write to a seat carries a version, and a seat keeps the highest one it has seen (last writer wins): the
 * version is the owning actor's sequence number, above the fencing epoch of its shard (`epoch * 2^32 + seqNr`),
 * so the events of a shard's new owner always win over what its previous owner sent before it died. This makes
 * the board a state-based CRDT register per seat that can be fed in any order and more than once:
 * - by this node's seat actors (`onVisible`: after the commit in sync mode, so it never shows an unacknowledged
 *   state), which report the change to `onChange` (the cluster sends it to the other nodes);
 * - by a replay of the journal (`replay`), at start and when this node acquires shards;
 * - by the owners' deltas and full states on the other nodes of a cluster (`merge`, `cluster/view-sync.ts`).
 * On a single node all seats are local, so the board is exact.
 */
export const STATUS: readonly SeatStatus[] = ["available", "held", "sold"];
const AVAILABLE = 0;
const HELD = 1;
const SOLD = 2;

/** Version of a seat write: the owning actor's seqNr above its shard's fencing epoch (0 on a single node). */
export function seatVersion(epoch: number, seqNr: number): number {
  return epoch * 2 ** 32 + seqNr;
}

/** Options for `EventBoard`. */
export interface BoardOptions {
  /** The version of an actor's event (default: its seqNr, epoch 0). */
  versionOf?(key: string, seqNr: number): number;
  /** A seat changed by this node's own actors (not by `merge` or `replay`). */
  onChange?(board: EventBoard, index: number): void;
}

type ListQuery = { status?: SeatStatus; section?: string; limit: number };
const SAFE_ID = /^[A-Za-z0-9_-]+$/;
const statusOf = (e: SeatEvent): number => (e.t === "held" ? HELD : e.t === "confirmed" ? SOLD : AVAILABLE);

export class EventBoard {
  readonly capacity: number;
  private readonly status: Uint8Array;
  private readonly versions: Float64Array;
  private readonly counts: [number, number, number];
  private readonly sets: [SeatSet, SeatSet, SeatSet];
  /** Section index by id; the seats of section k are `[starts[k], starts[k + 1])` in layout order. */
  private readonly sectionById = new Map<string, number>();
  private readonly starts: Uint32Array;
  /** Sections with a written seat (lets a first hold skip the recovery read of a section actor). */
  private readonly touchedSections: Uint8Array;
  private readonly prefixes: string[] = [];
  /** Journal replays in progress for shards this node just acquired: until they end, nothing is untouched. */
  private syncing = 0;

  constructor(
    readonly layout: Layout,
    private readonly opts: BoardOptions = {},
  ) {
    this.starts = new Uint32Array(layout.sections.length + 1);
    let offset = 0;
    layout.sections.forEach((s, k) => {
      this.sectionById.set(s.id, k);
      this.starts[k] = offset;
      offset += s.seats;
    });
    this.starts[layout.sections.length] = offset;
    this.touchedSections = new Uint8Array(layout.sections.length);
    this.capacity = offset;
    this.status = new Uint8Array(offset);
    this.versions = new Float64Array(offset);
    this.counts = [offset, 0, 0];
    this.sets = [new SeatSet(offset).fill(), new SeatSet(offset), new SeatSet(offset)];
  }

  /** Events of one of this node's actors, from sequence number `firstSeqNr` on. */
  onVisible(key: string, firstSeqNr: number, events: readonly SeatEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as SeatEvent;
      const index = this.indexOf(e.seatId);
      if (index < 0) continue;
      const version = this.opts.versionOf?.(key, firstSeqNr + i) ?? firstSeqNr + i;
      if (this.set(index, statusOf(e), version)) this.opts.onChange?.(this, index);
    }
  }

  /** A seat's state as another node sent it; kept when its version is newer. True when it changed the board. */
  merge(index: number, status: number, version: number): boolean {
    if (index < 0 || index >= this.capacity || status < AVAILABLE || status > SOLD) return false;
    return this.set(index, status, version);
  }

  /**
   * Applies a replay of the journal (`Journal.replayPrefix` of the event's actors, rows in (key, seqNr) order).
   * `versionOf` gives each event's version, or null to skip it (a replay for acquired shards only). `onChange`
   * is not called.
   *
   * An actor's rows take the version base its first row got. The replay reads pages, and this node may hand a
   * shard off between two of them: its epoch then drops from the versions, and an actor's later events (a
   * confirm after its hold, on the next page) would lose to its earlier ones. The journal orders one actor's
   * events by seqNr alone, and so does the replay.
   */
  async replay(
    rows: (fn: (key: string, seqNr: number, event: unknown) => void) => Promise<void>,
    versionOf: (key: string, seqNr: number) => number | null = (key, seqNr) =>
      this.opts.versionOf?.(key, seqNr) ?? seqNr,
  ): Promise<void> {
    this.syncing++;
    let lastKey: string | null = null;
    let base: number | null = null;
    try {
      await rows((key, seqNr, event) => {
        if (key !== lastKey) {
          lastKey = key;
          const first = versionOf(key, seqNr);
          base = first === null ? null : first - seqNr;
        }
        const e = event as SeatEvent;
        if (base !== null) this.set(this.indexOf(e.seatId), statusOf(e), base + seqNr);
      });
    } finally {
      this.syncing--;
    }
  }

  summary(): Omit<EventSummary, "eventId"> {
    const [available, held, sold] = this.counts;
    return { capacity: this.capacity, available, held, sold };
  }

  /** Seats in layout order (sections as given, numbers ascending), filtered, at most `limit`. */
  list(query: ListQuery): Array<{ seatId: string; status: SeatStatus }> {
    const out: Array<{ seatId: string; status: SeatStatus }> = [];
    this.scan(query, (k, n, status) => {
      out.push({ seatId: `${this.layout.sections[k]?.id}-${n}`, status: STATUS[status] ?? "available" });
    });
    return out;
  }

  /**
   * `list` as the JSON text of the contract's answer, `{"seats":[...]}`, written while scanning: no object per
   * seat and no JSON.stringify (a tenth of the cost for a 100-seat listing). Section ids are validated ids
   * (`[A-Za-z0-9_-]`), so they need no escaping; one that does not look like one is escaped anyway.
   */
  listJson(query: ListQuery): string {
    let out = '{"seats":[';
    let count = 0;
    this.scan(query, (k, n, status) => {
      out += `${count++ === 0 ? "" : ","}${this.seatPrefix(k)}${n}","status":"${STATUS[status] ?? "available"}"}`;
    });
    return `${out}]}`;
  }

  /**
   * Calls `fn(section index, seat number, status)` for the first `limit` seats matching the query, in layout
   * order. With a status filter the status's `SeatSet` finds each next match: O(limit + capacity / 1024).
   */
  private scan(query: ListQuery, fn: (k: number, n: number, status: number) => void): void {
    let start = 0;
    let end = this.capacity;
    let k = 0;
    if (query.section !== undefined) {
      const found = this.sectionById.get(query.section);
      if (found === undefined) return;
      k = found;
      start = this.starts[k] ?? 0;
      end = this.starts[k + 1] ?? 0;
    }
    const want = query.status === undefined ? -1 : STATUS.indexOf(query.status);
    const set = want < 0 ? null : this.sets[want as 0 | 1 | 2];
    let count = 0;
    // Sections are contiguous in layout order: walk them alongside the ascending seat indexes.
    for (let i = set ? set.next(start, end) : start; i >= 0 && i < end && count < query.limit; count++) {
      while (i >= (this.starts[k + 1] ?? 0)) k++;
      fn(k, i - (this.starts[k] ?? 0) + 1, this.status[i] ?? AVAILABLE);
      i = set ? set.next(i + 1, end) : i + 1;
    }
  }

  /** `{"seatId":"<section>-` for section k (cached; escaped if the id is not a plain one). */
  private seatPrefix(k: number): string {
    let prefix = this.prefixes[k];
    if (prefix === undefined) {
      const id = this.layout.sections[k]?.id ?? "";
      prefix = SAFE_ID.test(id) ? `{"seatId":"${id}-` : `{"seatId":${JSON.stringify(id).slice(0, -1)}-`;
      this.prefixes[k] = prefix;
    }
    return prefix;
  }

  /**
   * True when no event of the actor owning `seatId` is known (never held since the event was created), so its
   * activation may skip the recovery read. Only a hint: in sync mode a wrong one ends in a journal conflict.
   */
  untouched(seatId: string): boolean {
    if (this.syncing > 0) return false;
    const index = this.indexOf(seatId);
    if (index < 0) return false;
    if (this.layout.granularity === "section") return this.touchedSections[this.sectionOf(index)] === 0;
    return this.versions[index] === 0;
  }

  /** Seats currently held (their actors have expiry timers to re-arm after a restart). */
  heldSeats(): string[] {
    return this.list({ status: "held", limit: this.capacity }).map((s) => s.seatId);
  }

  /** Layout index of a seat id (`<section>-<n>`), or -1. */
  indexOf(seatId: string): number {
    const dash = seatId.lastIndexOf("-");
    const k = this.sectionById.get(seatId.slice(0, dash));
    if (k === undefined) return -1;
    const start = this.starts[k] ?? 0;
    const n = Number(seatId.slice(dash + 1));
    return Number.isInteger(n) && n >= 1 && start + n <= (this.starts[k + 1] ?? 0) ? start + n - 1 : -1;
  }

  /** Status of the seat at `index` (0 available, 1 held, 2 sold), for replication. */
  statusAt(index: number): number {
    return this.status[index] ?? AVAILABLE;
  }

  /** Version of the seat at `index` (0: never written), for replication. */
  versionAt(index: number): number {
    return this.versions[index] ?? 0;
  }

  private set(index: number, next: number, version: number): boolean {
    if (index < 0 || version <= (this.versions[index] ?? 0)) return false;
    this.versions[index] = version;
    if (this.layout.granularity === "section") this.touchedSections[this.sectionOf(index)] = 1;
    const prev = this.status[index] ?? AVAILABLE;
    if (prev === next) return true;
    this.status[index] = next;
    this.counts[prev as 0 | 1 | 2]--;
    this.counts[next as 0 | 1 | 2]++;
    this.sets[prev as 0 | 1 | 2].delete(index);
    this.sets[next as 0 | 1 | 2].add(index);
    return true;
  }

  /** The section (index) of a seat index: binary search over the section starts. */
  private sectionOf(index: number): number {
    let lo = 0;
    let hi = this.layout.sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
