import { ApiError, type Booking, type Hold } from "../../contract/index.ts";
import type { ActorBehavior, ActorContext } from "../runtime/index.ts";
import { newBookingId, newHoldId } from "./ids.ts";
import { isoTime } from "./iso-time.ts";

/**
 * The seat actor: owns one seat (granularity `seat`) or every seat of a section (granularity `section`); the
 * code is the same, only the actor id differs. Its state is the list of holds it ever granted, with indexes.
 * Hold expiry is an actor timer; after recovery `onRecovered` re-arms the timers of the holds still active.
 */

export type HoldState = "active" | "released" | "expired" | "confirmed";

/** Everything the actor knows about one hold (also the snapshot format, one record per hold). */
export interface HoldRecord {
  holdId: string;
  seatId: string;
  userId: string;
  requestId: string;
  expiresAt: number;
  state: HoldState;
  bookingId?: string;
}

export interface SeatActorState {
  holds: Map<string, HoldRecord>;
  /**
   * holdId by `o|<seatId>` (the hold occupying the seat, active or confirmed; free seats are absent), by
   * `r|<seat>|<user>|<requestId>` (a retried hold request gets the first answer) and by `b|<bookingId>`. One map
   * rather than three: with one actor per seat, 200,000 actors, each empty map costs.
   */
  index: Map<string, string>;
}

export type SeatCommand =
  | { t: "hold"; seatId: string; userId: string; requestId: string; ttlMs: number }
  | { t: "confirm"; holdId: string }
  | { t: "release"; holdId: string }
  | { t: "expire"; holdId: string }
  | { t: "booking"; bookingId: string }
  /** Activates the actor so that its timers are re-armed (sent after a restart to actors holding seats). */
  | { t: "wake" };

export type SeatEvent =
  | { t: "held"; seatId: string; holdId: string; userId: string; requestId: string; expiresAt: number }
  | { t: "confirmed"; seatId: string; holdId: string; bookingId: string }
  | { t: "released"; seatId: string; holdId: string; expired: boolean };

export type SeatReply = Hold | Booking | null;
type Ctx = ActorContext<SeatActorState, SeatCommand, SeatEvent>;

const requestKey = (seatId: string, userId: string, requestId: string) => `r|${seatId}|${userId}|${requestId}`;
const occupantKey = (seatId: string) => `o|${seatId}`;
const bookingKey = (bookingId: string) => `b|${bookingId}`;
const eventOf = (ctx: Ctx) => ctx.id.slice(0, ctx.id.indexOf("/"));

function emptyState(): SeatActorState {
  return { holds: new Map(), index: new Map() };
}

function apply(state: SeatActorState, e: SeatEvent): SeatActorState {
  if (e.t === "held") {
    // Spelled out, not `{ ...rest }`: object rest/spread showed in every profile of a hold (same field order).
    state.holds.set(e.holdId, {
      seatId: e.seatId,
      holdId: e.holdId,
      userId: e.userId,
      requestId: e.requestId,
      expiresAt: e.expiresAt,
      state: "active",
    });
    state.index.set(occupantKey(e.seatId), e.holdId);
    state.index.set(requestKey(e.seatId, e.userId, e.requestId), e.holdId);
    return state;
  }
  const hold = state.holds.get(e.holdId);
  if (hold === undefined) return state;
  if (e.t === "confirmed") {
    hold.state = "confirmed";
    hold.bookingId = e.bookingId;
    state.index.set(bookingKey(e.bookingId), e.holdId);
  } else {
    hold.state = e.expired ? "expired" : "released";
    if (state.index.get(occupantKey(e.seatId)) === e.holdId) state.index.delete(occupantKey(e.seatId));
  }
  return state;
}

const holdReply = (h: HoldRecord): Hold => ({
  holdId: h.holdId,
  seatId: h.seatId,
  userId: h.userId,
  expiresAt: isoTime(h.expiresAt),
});

const bookingReply = (ctx: Ctx, h: HoldRecord): Booking => ({
  bookingId: h.bookingId ?? "",
  eventId: eventOf(ctx),
  seatId: h.seatId,
  userId: h.userId,
  status: "confirmed",
});

/** Persists the expiry of an active hold whose time has come; true when it did. */
function expireIfDue(ctx: Ctx, hold: HoldRecord, now: number): boolean {
  if (hold.state !== "active" || hold.expiresAt > now) return false;
  ctx.cancelTimer(hold.holdId);
  ctx.persist({ t: "released", seatId: hold.seatId, holdId: hold.holdId, expired: true });
  return true;
}

function findHold(ctx: Ctx, holdId: string): HoldRecord {
  const hold = ctx.state.holds.get(holdId);
  if (hold === undefined) throw new ApiError("not_found", `no hold ${holdId} in this event`, "holdId");
  return hold;
}

function receive(ctx: Ctx, cmd: SeatCommand): SeatReply {
  const now = Date.now();
  switch (cmd.t) {
    case "hold": {
      const earlier = ctx.state.index.get(requestKey(cmd.seatId, cmd.userId, cmd.requestId));
      const first = earlier === undefined ? undefined : ctx.state.holds.get(earlier);
      if (first !== undefined) return holdReply(first);
      const occupantId = ctx.state.index.get(occupantKey(cmd.seatId));
      const occupant = occupantId === undefined ? undefined : ctx.state.holds.get(occupantId);
      if (occupant !== undefined && !expireIfDue(ctx, occupant, now)) {
        throw new ApiError(
          "seat_unavailable",
          `seat ${cmd.seatId} is ${occupant.state === "confirmed" ? "sold" : "held"}`,
        );
      }
      const holdId = newHoldId(cmd.seatId);
      const expiresAt = now + cmd.ttlMs;
      ctx.persist({ t: "held", seatId: cmd.seatId, holdId, userId: cmd.userId, requestId: cmd.requestId, expiresAt });
      ctx.setTimer(holdId, expiresAt, { t: "expire", holdId });
      return holdReply(findHold(ctx, holdId));
    }
    case "confirm": {
      const hold = findHold(ctx, cmd.holdId);
      if (hold.state === "confirmed") return bookingReply(ctx, hold);
      if (hold.state !== "active" || expireIfDue(ctx, hold, now)) {
        throw new ApiError(
          "hold_expired",
          `hold ${cmd.holdId} has ${hold.state === "released" ? "been released" : "expired"}`,
        );
      }
      ctx.cancelTimer(hold.holdId);
      ctx.persist({ t: "confirmed", seatId: hold.seatId, holdId: hold.holdId, bookingId: newBookingId(hold.seatId) });
      return bookingReply(ctx, hold);
    }
    case "release": {
      const hold = findHold(ctx, cmd.holdId);
      if (hold.state === "confirmed") throw new ApiError("seat_unavailable", `hold ${cmd.holdId} is confirmed`);
      if (hold.state === "active" && !expireIfDue(ctx, hold, now)) {
        ctx.cancelTimer(hold.holdId);
        ctx.persist({ t: "released", seatId: hold.seatId, holdId: hold.holdId, expired: false });
      }
      return null;
    }
    case "expire": {
      const hold = ctx.state.holds.get(cmd.holdId);
      // A timer that fired a little early (clock granularity) is simply set again.
      if (hold?.state === "active" && !expireIfDue(ctx, hold, now)) {
        ctx.setTimer(hold.holdId, hold.expiresAt, { t: "expire", holdId: hold.holdId });
      }
      return null;
    }
    case "booking": {
      const holdId = ctx.state.index.get(bookingKey(cmd.bookingId));
      const hold = holdId === undefined ? undefined : ctx.state.holds.get(holdId);
      if (hold === undefined) throw new ApiError("not_found", `no booking ${cmd.bookingId} in this event`, "bookingId");
      return bookingReply(ctx, hold);
    }
    case "wake":
      return null;
  }
}

/** A seat actor behaviour of the given kind (`seat` or `section`); `onVisible` feeds the read model. */
export function seatActor(
  kind: "seat" | "section",
  onVisible: (key: string, firstSeqNr: number, events: readonly SeatEvent[]) => void,
  snapshotEvery = 1_000,
): ActorBehavior<SeatActorState, SeatCommand, SeatEvent, SeatReply> {
  return {
    kind,
    initialState: emptyState,
    applyEvent: apply,
    receive,
    onRecovered(ctx) {
      for (const hold of ctx.state.holds.values()) {
        if (hold.state === "active") ctx.setTimer(hold.holdId, hold.expiresAt, { t: "expire", holdId: hold.holdId });
      }
    },
    onVisible,
    snapshot: {
      every: snapshotEvery,
      // Copies: the journal may serialise the snapshot after later turns changed these records.
      save: (state) => Array.from(state.holds.values(), (h) => ({ ...h })),
      load: (data) => {
        const state = emptyState();
        for (const h of data as HoldRecord[]) {
          state.holds.set(h.holdId, h);
          if (h.state === "active" || h.state === "confirmed") state.index.set(occupantKey(h.seatId), h.holdId);
          state.index.set(requestKey(h.seatId, h.userId, h.requestId), h.holdId);
          if (h.bookingId !== undefined) state.index.set(bookingKey(h.bookingId), h.holdId);
        }
        return state;
      },
    },
  };
}
