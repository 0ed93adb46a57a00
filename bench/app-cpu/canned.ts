/**
 * The event every target of bench/app-cpu.ts is driven on, and the hello-world's canned answers, shaped and sized
 * like the real apps' answers on that event (ids of the same lengths, the contract's field order).
 */
export const SECTIONS = 40;
export const SEATS_PER_SECTION = 2_500;

/** The `PUT /events/{id}` body. */
export function benchLayout(): { sections: Array<{ id: string; seats: number }>; holdTtlMs: number } {
  return {
    sections: Array.from({ length: SECTIONS }, (_, i) => ({ id: `S${i + 1}`, seats: SEATS_PER_SECTION })),
    holdTtlMs: 600_000,
  };
}

/** JSON texts the hello-world sends as they are. */
export function cannedBodies() {
  const eventId = "cpu-hello-1";
  const seatId = "S20-345";
  const listing = {
    seats: Array.from({ length: 100 }, (_, i) => ({ seatId: `S20-${301 + i}`, status: "available" })),
  };
  return {
    health: JSON.stringify({ status: "ok", app: "hello", node: "hello-1" }),
    created: JSON.stringify({ eventId, ...benchLayout() }),
    listing: JSON.stringify(listing),
    hold: JSON.stringify({
      holdId: `${seatId}.AbCdEfGhIjKl`,
      seatId,
      userId: "u12345",
      expiresAt: new Date(Date.UTC(2030, 0, 1)).toISOString(),
    }),
    booking: JSON.stringify({
      bookingId: `${seatId}.bAbCdEfGhIjKl`,
      eventId,
      seatId,
      userId: "u12345",
      status: "confirmed",
    }),
  };
}
