/** The ticket-booking domain on the actor runtime: event and seat actors, the seat board, the service facade. */
export { type BoardOptions, EventBoard, seatVersion } from "./board.ts";
export { newBookingId, newHoldId, seatOfId } from "./ids.ts";
export { checkSeat, eventActor, type Granularity, type Layout, ownerOf } from "./layout.ts";
export { type HoldRecord, type SeatCommand, type SeatEvent, seatActor } from "./seat-actor.ts";
export { BookingService, type BookingServiceOptions, type BookingStats } from "./service.ts";
