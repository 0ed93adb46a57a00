import { ApiError, parseSeatId } from "../../contract/index.ts";
import type { ActorBehavior } from "../runtime/index.ts";

/** One actor per seat, or one per section. Recorded with the event so a restart with another knob stays right. */
export type Granularity = "seat" | "section";

/** An event's layout as stored by its event actor. Immutable once created. */
export interface Layout {
  eventId: string;
  sections: Array<{ id: string; seats: number }>;
  holdTtlMs: number;
  granularity: Granularity;
}

/** The actor owning `seatId` of an event: kind `seat` (id `<event>/<seat>`) or `section` (id `<event>/<section>`). */
export function ownerOf(layout: Layout, seatId: string): { kind: Granularity; id: string } {
  if (layout.granularity === "seat") return { kind: "seat", id: `${layout.eventId}/${seatId}` };
  const section = seatId.slice(0, seatId.lastIndexOf("-"));
  return { kind: "section", id: `${layout.eventId}/${section}` };
}

// Seats per section id, built once per layout (layouts never change): a booking looks its section up twice.
const sectionSeats = new WeakMap<Layout, Map<string, number>>();

/** The number of seats of section `id` in `layout`, or undefined when it has no such section. */
export function seatsOfSection(layout: Layout, id: string): number | undefined {
  let index = sectionSeats.get(layout);
  if (index === undefined) {
    index = new Map(layout.sections.map((s) => [s.id, s.seats]));
    sectionSeats.set(layout, index);
  }
  return index.get(id);
}

/** Checks that the event has `seatId`; throws 404 naming `field` otherwise. */
export function checkSeat(layout: Layout, seatId: string, field = "seatId"): void {
  const parsed = parseSeatId(seatId);
  const seats = parsed && seatsOfSection(layout, parsed.sectionId);
  if (parsed === undefined || seats === undefined || parsed.n > seats) {
    throw new ApiError("not_found", `event ${layout.eventId} has no seat ${seatId}`, field);
  }
}

export type EventCommand = { t: "create"; layout: Layout } | { t: "get" };
export type EventEvent = { t: "created"; layout: Layout };
export type EventReply = { created: boolean; layout: Layout } | Layout | null;

function sameLayout(a: Layout, b: Layout): boolean {
  return (
    a.holdTtlMs === b.holdTtlMs &&
    a.sections.length === b.sections.length &&
    a.sections.every((s, i) => s.id === b.sections[i]?.id && s.seats === b.sections[i]?.seats)
  );
}

/** The event actor: creates the event once (201), accepts the same layout again (200), refuses another (409). */
export const eventActor: ActorBehavior<Layout | null, EventCommand, EventEvent, EventReply> = {
  kind: "event",
  initialState: () => null,
  applyEvent: (_state, event) => event.layout,
  receive(ctx, cmd) {
    if (cmd.t === "get") return ctx.state;
    const current = ctx.state;
    if (current === null) {
      ctx.persist({ t: "created", layout: cmd.layout });
      return { created: true, layout: cmd.layout };
    }
    if (!sameLayout(current, cmd.layout)) {
      throw new ApiError("layout_conflict", `event ${current.eventId} exists with another layout`);
    }
    return { created: false, layout: current };
  },
};
