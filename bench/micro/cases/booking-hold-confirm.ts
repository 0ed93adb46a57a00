import type { Booking, Hold } from "../../../contract/index.ts";
import { BookingService, type Granularity } from "../../../stateful-app/booking/index.ts";
import { ActorSystem, LocalPlacement, MemoryJournal } from "../../../stateful-app/runtime/index.ts";
import type { MicroCase, MicroTask } from "../case.ts";

// A venue of 200 sections of 1,000 seats (the contract's maximum of 200,000 seats per event): with `section`
// granularity one actor then holds at most 1,000 holds, as in a real venue, instead of one giant section.
const SECTIONS = 200;
const SEATS_PER_SECTION = 1_000;
const CAPACITY = SECTIONS * SEATS_PER_SECTION;

/**
 * One iteration = hold a seat nobody touched yet, then confirm it: the stateful app's whole booking path minus
 * HTTP and PostgreSQL (the journal is the in-memory one). With `seat` granularity every hold also activates a new
 * seat actor, as every seat of a flash sale does once.
 */
async function bookingTask(env: Parameters<MicroCase["setup"]>[0], granularity: Granularity): Promise<MicroTask> {
  const journal = new MemoryJournal();
  const system = new ActorSystem({ journal, placement: new LocalPlacement(128) });
  env.defer(() => system.close());
  const service = new BookingService({ system, journal, granularity });
  const layout = {
    sections: Array.from({ length: SECTIONS }, (_, i) => ({ id: `S${i}`, seats: SEATS_PER_SECTION })),
    holdTtlMs: 600_000,
  };
  let events = 0;
  let eventId = "";
  let n = CAPACITY;
  return {
    name: `hold + confirm (${granularity} actors)`,
    // A new event when the seats run out, outside the timed window.
    beforeEach: async () => {
      if (n < CAPACITY) return;
      eventId = `micro-${granularity}-${++events}`;
      const { created } = await service.createEvent(eventId, layout);
      if (!created) throw new Error(`event ${eventId} already existed`);
      n = 0;
    },
    fn: async () => {
      const i = n++;
      const seatId = `S${Math.floor(i / SEATS_PER_SECTION)}-${(i % SEATS_PER_SECTION) + 1}`;
      const hold: Hold = await service.hold(eventId, { seatId, userId: `u${i}`, requestId: `r${i}` });
      const booking: Booking = await service.confirm(eventId, hold.holdId);
      if (booking.seatId !== seatId || booking.status !== "confirmed") throw new Error("confirm answered another seat");
    },
  };
}

export const bookingHoldConfirm: MicroCase = {
  id: "booking-memory",
  about: "stateful-app/booking BookingService hold + confirm on a MemoryJournal (no HTTP, no PostgreSQL)",
  async setup(env) {
    return { tasks: [await bookingTask(env, "seat"), await bookingTask(env, "section")] };
  },
};
