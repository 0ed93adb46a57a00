// CPU cost of the actor runtime and booking domain alone (no HTTP, no database: in-memory journal with group
// commit): hold + confirm of N seats through BookingService. Bounded by N.
//   node --import tsx bench/stateful/runtime-micro.ts --seats 50000 --granularity seat
import { parseArgs } from "node:util";
import { BookingService } from "../../stateful-app/booking/index.ts";
import { ActorSystem, LocalPlacement, MemoryJournal } from "../../stateful-app/runtime/index.ts";

const { values } = parseArgs({
  options: { seats: { type: "string", default: "50000" }, granularity: { type: "string", default: "seat" } },
});
const seats = Math.min(200_000, Number(values.seats));
const granularity = values.granularity === "section" ? "section" : "seat";
const journal = new MemoryJournal();
const system = new ActorSystem({ journal, placement: new LocalPlacement(128) });
const service = new BookingService({ system, journal, granularity });
const sections = 20;
await service.createEvent("e", {
  sections: Array.from({ length: sections }, (_, i) => ({ id: `S${i}`, seats: Math.ceil(seats / sections) })),
  holdTtlMs: 600_000,
});
const CONCURRENCY = 256;
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < seats) {
      const n = next++;
      const seatId = `S${n % sections}-${Math.floor(n / sections) + 1}`;
      const hold = await service.hold("e", { seatId, userId: "u", requestId: `r${n}` });
      await service.confirm("e", hold.holdId);
    }
  }),
);
const ms = performance.now() - t0;
journal.events.clear(); // what is left is the actors (and the board)
(globalThis as { gc?: () => void }).gc?.();
const s = journal.stats();
console.log(
  `${granularity}: ${seats} hold+confirm in ${ms.toFixed(0)} ms = ${((seats / ms) * 1000).toFixed(0)}/s ` +
    `(${((ms * 1000) / (2 * seats)).toFixed(1)} us per command); ${s.eventsWritten} events in ${s.transactions} ` +
    `group commits; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB for ${system.stats().activeActors} actors; ` +
    `summary ${JSON.stringify(await service.summary("e"))}`,
);
await system.close();
